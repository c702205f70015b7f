"""The report as plain typed data: tables of cells, a chart's series, the report's own texts.

Writers (XLSX, DOCX, Markdown) only lay this out; every figure is computed before (formgen.report.tables) and
masked, for publication, by formgen.report.mask.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

# text: free text; persons: a count of persons (masked when publishing); count: a count of kommuner or
# verksamheter (never masked); kr: whole kronor; fte: full-time equivalents; percent: a share 0..1;
# change: a signed count (+1, −1).
ColumnKind = Literal["text", "persons", "count", "kr", "fte", "percent", "change"]
Number = int | Decimal
CellValue = int | Decimal | str | None
Atom = tuple[int, str]  # (submission id, record key): one reported figure a cell sums up


@dataclass(frozen=True)
class Cell:
    """One value; ``atoms`` are the reported figures it adds up (persons only), for masking.

    ``masked`` (a count of 1–3 persons, shown "<4") and ``approx`` (a sum containing one, shown "ca N" with
    ``value`` already rounded) are set only in a published report.
    """

    value: CellValue
    atoms: frozenset[Atom] = frozenset()
    masked: bool = False
    approx: bool = False


@dataclass(frozen=True)
class Column:
    id: str
    heading: str
    kind: ColumnKind = "text"


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    total: bool = False  # a totals row (bold)
    marked: bool = False  # the row's submission has errors (marked "*")


@dataclass(frozen=True)
class Table:
    id: str
    number: int  # "Tabell N"
    heading: str
    caption: str
    sheet: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    note: str | None = None

    def column_index(self, column_id: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.id == column_id)

    def total_row(self) -> Row | None:
        return next((r for r in self.rows if r.total), None)


@dataclass(frozen=True)
class Chart:
    """A grouped bar chart: categories (contact reasons), one series per gender."""

    title: str
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]  # (gender label, a value per category)
    file_name: str


@dataclass(frozen=True)
class Report:
    year: int
    scope: str  # "Stockholms län" or "riket"
    scope_slug: str  # for file names: "stockholm", "riket"
    lan_code: str | None
    publish: bool
    title: str
    subtitle: str
    edition: str  # internal / publication note
    about_heading: str
    about: str
    generated: str
    marked_note: str
    empty_table: str
    symbols: dict[str, str]
    units: dict[str, str]
    file_stem: str
    tables: tuple[Table, ...]
    chart: Chart
    chart_after: str = "kontaktorsaker"  # the table the chart follows
    submissions: int = 0

    def table(self, table_id: str) -> Table:
        return next(t for t in self.tables if t.id == table_id)
