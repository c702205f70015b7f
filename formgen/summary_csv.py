"""The inbox summary as CSV, in two dialects.

- ``excel-sv`` (the default): what a double-click in a Swedish Excel or LibreOffice Calc opens as columns:
  ";" between cells, "," as the decimal sign, UTF-8 with BOM, Swedish headings and statuses.
- ``machine``: for scripts: "," between cells, "." as the decimal sign, the stable English column ids and
  status ids, UTF-8 with BOM (as it has always been written).

Every cell passes through :func:`formgen.summary.neutralise`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from formgen.summary import SummaryLayout, SummaryRow, neutralise, summary_layout


@dataclass(frozen=True)
class CsvDialect:
    """How one CSV dialect writes headings, statuses, decimals and separators."""

    name: str
    delimiter: str
    decimal_sign: str
    swedish: bool


CSV_DIALECTS: dict[str, CsvDialect] = {
    "excel-sv": CsvDialect("excel-sv", ";", ",", swedish=True),
    "machine": CsvDialect("machine", ",", ".", swedish=False),
}


def _cell(value: Any, dialect: CsvDialect) -> Any:
    value = neutralise(value)
    if value is None:
        return ""
    if isinstance(value, Decimal | float):
        return str(value).replace(".", dialect.decimal_sign)
    return value


def table_csv(header: Sequence[str], rows: Iterable[Sequence[Any]], *, dialect: str = "excel-sv") -> bytes:
    """A table as CSV in a dialect of :data:`CSV_DIALECTS` (header first, CRLF, UTF-8 with BOM); every cell
    neutralised, decimals with the dialect's sign, None as an empty cell."""
    chosen = CSV_DIALECTS[dialect]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=chosen.delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value, chosen) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def csv_bytes(rows: Iterable[SummaryRow], *, dialect: str = "excel-sv", layout: SummaryLayout | None = None) -> bytes:
    """The summary as CSV in a dialect of :data:`CSV_DIALECTS`; header first, one row per file."""
    swedish = CSV_DIALECTS[dialect].swedish
    layout = layout or summary_layout()
    columns = layout.ids

    def values(row: SummaryRow) -> list[Any]:
        return [layout.status(row.value(c)) if c == "status" and swedish else row.value(c) for c in columns]

    header = [layout.heading(c) if swedish else c for c in columns]
    return table_csv(header, (values(row) for row in rows), dialect=dialect)
