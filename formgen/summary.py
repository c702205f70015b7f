"""Summary rows of a batch (one per file) and their CSV and XLSX writers, with one neutralising function.

Every cell of both writers passes through :func:`neutralise`: free text that a spreadsheet would run as a
formula (``= + - @``, TAB, CR, LF first) gets a leading single quote, control characters that openpyxl
refuses are removed, numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from formgen.findings import Finding

STATUSES = ("ok", "warnings", "errors", "unreadable")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
# What openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE refuses (TAB, LF and CR are allowed), plus DEL.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
KEY_FIGURES = {
    "klienter_kvinnor": "klienter.totalt.kvinnor",
    "klienter_man": "klienter.totalt.man",
    "ombud_tjanster": "ombud.tjanster",
    "beviljat_kr": "ekonomi.beviljat_kr",
    "forbrukat_kr": "ekonomi.forbrukat_kr",
}


@dataclass(frozen=True)
class SummaryRow:
    """One file of a batch: what it is, how it fared, and its key figures (None when not known)."""

    file: str
    kommun: str | None
    year: int | None
    status: str
    errors: int
    warnings: int
    first_error: str | None
    first_error_code: str | None
    klienter_kvinnor: int | None = None
    klienter_man: int | None = None
    ombud_tjanster: Decimal | None = None  # the precision written is kept: "1.00" stays 1.00
    beviljat_kr: int | None = None
    forbrukat_kr: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The row as a JSON object (column names as keys; FTE as its decimal string, like the record)."""
        return {k: str(v) if isinstance(v, Decimal) else v for k, v in asdict(self).items()}


COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(SummaryRow))


def status_of(findings: Iterable[Finding | Mapping[str, Any]]) -> str:
    """ok / warnings / errors from findings (objects or their JSON form)."""
    severities = {f["severity"] if isinstance(f, Mapping) else f.severity for f in findings}
    if "error" in severities:
        return "errors"
    return "warnings" if "warning" in severities else "ok"


def _fte(value: Any) -> Decimal | None:
    try:
        return Decimal(value) if isinstance(value, str) else None
    except InvalidOperation:
        return None


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _dig(record_json: Mapping[str, Any] | None, dotted: str) -> Any:
    node: Any = record_json
    for part in dotted.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def row_for(file: str, record_json: Mapping[str, Any] | None, findings: Iterable[Mapping[str, Any]],
            *, unreadable: bool = False) -> SummaryRow:
    """A summary row from a record's JSON (None when unreadable) and findings in their JSON form."""
    found = list(findings)
    errors = [f for f in found if f.get("severity") == "error"]
    warnings = [f for f in found if f.get("severity") == "warning"]
    kommun = _dig(record_json, "kontakt.kommun")
    year = _dig(record_json, "ar")
    figures: dict[str, Any] = {}
    for column, key in KEY_FIGURES.items():
        value = _dig(record_json, key)
        figures[column] = _fte(value) if column == "ombud_tjanster" else _count(value)
    return SummaryRow(
        file=file,
        kommun=kommun if isinstance(kommun, str) else None,
        year=_count(year),
        status="unreadable" if unreadable else status_of(found),
        errors=len(errors),
        warnings=len(warnings),
        first_error=errors[0].get("message") if errors else None,
        first_error_code=errors[0].get("code") if errors else None,
        **figures,
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


def _cells(row: SummaryRow) -> list[Any]:
    return [neutralise(getattr(row, c)) for c in COLUMNS]


def csv_bytes(rows: Iterable[SummaryRow]) -> bytes:
    """The summary as CSV (UTF-8 with BOM so that Excel reads å ä ö; comma separated; header first)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if v is None else v for v in _cells(row)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows: Iterable[SummaryRow], *, title: str = "Sammanställning") -> bytes:
    """The summary as an XLSX workbook: one sheet, header row, one row per file; text is never a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.append(list(COLUMNS))
    for row in rows:
        cells: list[Any] = []
        for value in _cells(row):
            if isinstance(value, Decimal):  # a number, shown with the decimals the kommun wrote
                cell = WriteOnlyCell(ws, value=value)
                decimals = max(0, -int(value.as_tuple().exponent))
                cell.number_format = "0." + "0" * decimals if decimals else "0"
                value = cell
            cells.append(value)
        ws.append(cells)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_csv(rows: Iterable[SummaryRow], path: Path) -> None:
    """Write the CSV summary atomically."""
    from formgen.cli.common import write_atomic

    write_atomic(path, csv_bytes(rows))


def write_xlsx(rows: Iterable[SummaryRow], path: Path) -> None:
    """Write the XLSX summary atomically."""
    from formgen.cli.common import write_atomic

    write_atomic(path, xlsx_bytes(rows))
