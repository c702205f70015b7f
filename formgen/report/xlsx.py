"""The report as an XLSX workbook: a sheet "Om rapporten" (title, edition, the tables and their notes), then one
sheet per table, nothing but the table on it.

Each table sheet has its column headings in row 1 (bold, frozen), the figures below as numeric cells (totals too,
never formulas) with Swedish display formats (the [$-41D] locale tag: "12 345 600 kr", "1,50"), a totals row in
bold. In a published report a masked count is the text "<4" and a rounded sum a number shown "ca 4 120". Text
from submissions never becomes a formula (formgen.summary.neutralise).
"""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, NamedStyle
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from formgen.report.model import Cell, Column, Report, Table
from formgen.summary import neutralise

FORMATS = {
    "persons": "[$-41D]#,##0",
    "count": "[$-41D]#,##0",
    "kr": '[$-41D]#,##0 "kr"',
    "fte": "[$-41D]0.00",
    "percent": "[$-41D]0%",
    "change": "[$-41D]+#,##0;-#,##0;0",
}
APPROX_FORMAT = '[$-41D]"ca "#,##0'
MIN_WIDTH, MAX_WIDTH, TEXT_WIDTH = 8, 60, 40


def _value(cell: Cell, column: Column, report: Report) -> tuple[object, str | None]:
    """The value written and its number format."""
    if cell.masked:
        return report.symbols["masked"], None
    value = cell.value
    if value is None:
        return None, None
    if column.kind == "text" or isinstance(value, str):
        return neutralise(value), None
    if isinstance(value, Decimal):
        value = int(value) if column.kind in ("persons", "count", "kr", "change") else value
    if cell.approx:
        return value, APPROX_FORMAT
    return value, FORMATS.get(column.kind)


def _width(value: object, column: Column) -> int:
    if value is None:
        return 0
    if column.kind == "text":
        return min(TEXT_WIDTH, max((len(line) for line in str(value).splitlines()), default=0))
    return len(str(value)) + (4 if column.kind == "kr" else 2)


class _Styles:
    """Named cell styles, one per (number format, alignment, bold): assigning a named style is far cheaper in
    openpyxl than setting font, alignment and format on each of the national report's ~10 000 cells."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self.names: dict[tuple[str, str, bool], str] = {}

    def name(self, number_format: str | None, align: str, bold: bool) -> str:
        key = (number_format or "General", align, bold)
        found = self.names.get(key)
        if found is None:
            found = f"formgen-{len(self.names) + 1}"
            style = NamedStyle(name=found, number_format=key[0], font=Font(bold=bold))
            if align == "wrap":
                style.alignment = Alignment(wrap_text=True, vertical="top")
            elif align == "right":
                style.alignment = Alignment(horizontal="right", vertical="top")
            elif align == "head":
                style.alignment = Alignment(wrap_text=True, vertical="bottom")
            self.wb.add_named_style(style)
            self.names[key] = found
        return found


def _table_sheet(ws: Worksheet, table: Table, report: Report, styles: _Styles) -> None:
    ws.append([c.heading for c in table.columns])
    head = styles.name(None, "head", True)
    for cell in ws[1]:
        cell.style = head
    widths = [min(MAX_WIDTH, max(MIN_WIDTH, len(c.heading) + 2)) for c in table.columns]
    for r, row in enumerate(table.rows, start=2):
        for i, (cell, column) in enumerate(zip(row.cells, table.columns, strict=True), start=1):
            value, number_format = _value(cell, column, report)
            if i == 1 and row.marked and isinstance(value, str):
                value += report.symbols["error_mark"]
            if value is None and not row.total:
                continue
            align = "wrap" if column.kind == "text" else ("right" if isinstance(value, str) else "")
            target = ws.cell(row=r, column=i, value=value)
            target.style = styles.name(number_format, align, row.total)
            widths[i - 1] = min(MAX_WIDTH, max(widths[i - 1], _width(value, column)))
    ws.freeze_panes = "B2" if table.columns and table.columns[0].kind == "text" else "A2"
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def _about_sheet(ws: Worksheet, report: Report) -> None:
    ws.append([report.title])
    ws["A1"].font = Font(bold=True, size=14)
    for line in (report.subtitle, report.edition, report.generated, "", report.about, report.marked_note, ""):
        ws.append([line or None])
    for table in report.tables:
        ws.append([f"Tabell {table.number}. {table.caption}", table.sheet])
        if table.note:
            ws.append([neutralise(table.note)])
    ws.column_dimensions["A"].width = 100
    ws.column_dimensions["B"].width = 30
    for row in ws.iter_rows(min_row=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")


def xlsx_bytes(report: Report) -> bytes:
    wb = Workbook()
    about = wb.active
    about.title = report.about_heading[:31]
    _about_sheet(about, report)
    styles = _Styles(wb)
    for table in report.tables:
        _table_sheet(wb.create_sheet(table.sheet[:31]), table, report, styles)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
