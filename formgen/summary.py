"""Summary rows of a batch (one per file), their layout from the form, and the one neutralising function.

The writers are :mod:`formgen.summary_csv` and :mod:`formgen.summary_xlsx`. Every cell of both passes through
:func:`neutralise`: free text that a spreadsheet would run as a formula (``= + - @``, TAB, CR, LF first) gets a
leading single quote, control characters that openpyxl refuses are removed, numbers stay numbers.

Headings, statuses and key figures are the form's (``summary:`` in ``forms/<version>/form.yaml``): Swedish
headings for the handläggare, stable English ids for scripts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from formgen.findings import Finding
from formgen.record_json import value_at
from formgen.spec import FormSpec, form_versions, load_form
from formgen.values import fte_as_decimal

STATUSES = ("ok", "warnings", "errors", "unreadable")
META_COLUMNS: tuple[str, ...] = ("file", "kommun", "year", "status", "errors", "warnings", "first_error",
                                 "first_error_code")
FINDING_COLUMNS: tuple[str, ...] = ("file", "kommun", "severity", "code", "message", "fields")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# What openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE refuses (TAB, LF and CR are allowed), plus DEL.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

Figure = int | Decimal | None


@dataclass(frozen=True)
class FigureColumn:
    """A key figure of the summary: its stable id, the record key it shows, its heading and its field type."""

    id: str
    key: str
    heading: str
    type: str


@dataclass(frozen=True)
class SummaryLayout:
    """The summary's columns and wording, read from a form version's ``summary:`` block."""

    title: str
    statuses: Mapping[str, str]
    severities: Mapping[str, str]
    headings: Mapping[str, str]
    figures: tuple[FigureColumn, ...]
    findings_title: str
    finding_headings: Mapping[str, str]
    year_key: str
    kommun_key: str

    @property
    def ids(self) -> tuple[str, ...]:
        """Every column's stable id, in order: the file's columns, then the key figures."""
        return (*META_COLUMNS, *(f.id for f in self.figures))

    def heading(self, column: str) -> str:
        """The Swedish heading of a column id."""
        figure = next((f for f in self.figures if f.id == column), None)
        return figure.heading if figure else self.headings[column]

    def status(self, status: str) -> str:
        """A status in Swedish ("Godkänd med varningar")."""
        return self.statuses.get(status, status)


def summary_layout(form: FormSpec | None = None) -> SummaryLayout:
    """The summary layout of a form version (the newest shipped one when not given)."""
    return _layout_of(form) if form is not None else _newest_layout()


@lru_cache(maxsize=1)
def _newest_layout() -> SummaryLayout:
    return _layout_of(load_form(form_versions()[-1]))


def _layout_of(form: FormSpec) -> SummaryLayout:
    raw = form.summary
    figures = []
    for item in raw.get("figures", []):
        spec = form.fields[item["key"]]
        heading = item.get("heading") or form.render(spec.label, form.valid_from)
        figures.append(FigureColumn(str(item["id"]), spec.key, str(heading), spec.type))
    sheet = raw.get("findings_sheet", {})
    return SummaryLayout(
        title=str(raw.get("title", "Sammanställning")),
        statuses=dict(raw.get("statuses", {})),
        severities=dict(raw.get("severities", {})),
        headings={c: str(raw.get("columns", {}).get(c, c)) for c in META_COLUMNS},
        figures=tuple(figures),
        findings_title=str(sheet.get("title", "Fynd")),
        finding_headings={c: str(sheet.get("columns", {}).get(c, c)) for c in FINDING_COLUMNS},
        year_key=form.identity.year_key,
        kommun_key=form.identity.kommun_key,
    )


@dataclass(frozen=True)
class SummaryRow:
    """One file of a batch: what it is, how it fared, its key figures by id (None when not known) and its
    findings in their JSON form."""

    file: str
    kommun: str | None
    year: int | None
    status: str
    errors: int
    warnings: int
    first_error: str | None
    first_error_code: str | None
    figures: Mapping[str, Figure] = field(default_factory=dict)
    findings: tuple[Mapping[str, Any], ...] = ()

    def figure(self, column: str) -> Figure:
        """A key figure by its id; None when not known."""
        return self.figures.get(column)

    def value(self, column: str) -> Any:
        """The value of any column id (a file column or a key figure)."""
        return getattr(self, column) if column in META_COLUMNS else self.figures.get(column)

    def to_json(self) -> dict[str, Any]:
        """The row as a JSON object (stable ids as keys; FTE as its decimal string, like the record)."""
        out: dict[str, Any] = {c: getattr(self, c) for c in META_COLUMNS}
        out.update({k: str(v) if isinstance(v, Decimal) else v for k, v in self.figures.items()})
        return out


def status_of(findings: Iterable[Finding | Mapping[str, Any]]) -> str:
    """ok / warnings / errors from findings (objects or their JSON form)."""
    severities = {f["severity"] if isinstance(f, Mapping) else f.severity for f in findings}
    if "error" in severities:
        return "errors"
    return "warnings" if "warning" in severities else "ok"


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def row_for(file: str, record_json: Mapping[str, Any] | None, findings: Iterable[Mapping[str, Any]],
            *, unreadable: bool = False, layout: SummaryLayout | None = None) -> SummaryRow:
    """A summary row from a record's JSON (None when unreadable) and findings in their JSON form."""
    layout = layout or summary_layout()
    found = tuple(findings)
    errors = [f for f in found if f.get("severity") == "error"]
    warnings = [f for f in found if f.get("severity") == "warning"]
    kommun = value_at(record_json, layout.kommun_key)
    year = value_at(record_json, layout.year_key)
    figures = {f.id: (fte_as_decimal if f.type == "fte" else _count)(value_at(record_json, f.key))
               for f in layout.figures}
    return SummaryRow(
        file=file,
        kommun=kommun if isinstance(kommun, str) else None,
        year=_count(year),
        status="unreadable" if unreadable else status_of(found),
        errors=len(errors),
        warnings=len(warnings),
        first_error=errors[0].get("message") if errors else None,
        first_error_code=errors[0].get("code") if errors else None,
        figures=figures,
        findings=found,
    )


def neutralise(value: Any) -> Any:
    """A cell value safe for CSV and XLSX: numbers unchanged, None stays None, text defused.

    Control characters openpyxl refuses are removed first (so that they cannot hide a leading "="),
    then text starting with = + - @ TAB CR LF gets a leading single quote.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        return value
    text = _ILLEGAL.sub("", str(value))
    if text.startswith(_FORMULA_START):
        text = "'" + text
    return text


def finding_cells(row: SummaryRow, finding: Mapping[str, Any], layout: SummaryLayout) -> list[Any]:
    """One finding of a row as the findings sheet shows it (Swedish severity, fields joined), neutralised."""
    values = [row.file, row.kommun, layout.severities.get(finding.get("severity", ""), finding.get("severity")),
              finding.get("code"), finding.get("message"), ", ".join(finding.get("fields") or ())]
    return [neutralise(v) for v in values]
