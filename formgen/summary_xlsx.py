"""The inbox summary as an XLSX workbook a handläggare opens in Excel or LibreOffice Calc.

Sheet one has a row per file: Swedish headings (bold, frozen, with an autofilter), Swedish statuses, numbers
and amounts as numeric cells with Swedish display formats, columns fitted to their content, and a link from
each file name to its per-file report. Sheet two lists every finding (file, kommun, severity, code, message,
fields) so that one code can be filtered across the county. Text never becomes a formula: every cell passes
through :func:`formgen.summary.neutralise`.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from formgen.summary import FINDING_COLUMNS, SummaryLayout, SummaryRow, finding_cells, neutralise, summary_layout

# Display formats with the Swedish locale tag ([$-41D]): "1 360 800 kr", "1,50" whatever the reader's locale.
KR_FORMAT = '[$-41D]#,##0 "kr"'
COUNT_FORMAT = "[$-41D]#,##0"
YEAR_FORMAT = "0"
MIN_WIDTH, MAX_WIDTH = 8, 60
_HEADER_FONT = Font(bold=True)
_LINK_FONT = Font(color="0563C1", underline="single")


def fte_format(value: Decimal) -> str:
    """A display format showing the decimals the kommun wrote (1.00 → "1,00")."""
    decimals = max(0, -int(value.as_tuple().exponent))
    return "[$-41D]0." + "0" * decimals if decimals else "[$-41D]0"


def _display_width(value: Any, number_format: str | None) -> int:
    """About how many characters a cell shows: for widths, not exactness."""
    if value is None:
        return 0
    if isinstance(value, int) and number_format and "#,##0" in number_format:
        digits = len(str(abs(value)))
        return digits + (digits - 1) // 3 + (3 if "kr" in number_format else 0) + (value < 0)
    return max((len(line) for line in str(value).splitlines()), default=0)


def _format_sheet(ws: Worksheet, widths: Sequence[int], rows: int) -> None:
    """Bold, frozen header row; an autofilter over the table; columns as wide as their content, capped; printed
    landscape and one page wide."""
    for cell in ws[1]:
        cell.font = _HEADER_FONT
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(widths))}{max(rows, 1) + 1}"
    for i, width in enumerate(widths, start=1):
        # +3 for the filter button beside the heading and a little air
        ws.column_dimensions[get_column_letter(i)].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 3))
    # Printed (or exported to PDF) landscape, one page wide, the heading row repeated on every page.
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


def _number_format(column_type: str | None, value: Any) -> str | None:
    if column_type == "kr" and isinstance(value, int):
        return KR_FORMAT
    if column_type == "fte" and isinstance(value, Decimal):
        return fte_format(value)
    if column_type in ("int", "count") and isinstance(value, int):
        return COUNT_FORMAT
    if column_type == "year" and isinstance(value, int):
        return YEAR_FORMAT
    return None


def _summary_sheet(ws: Worksheet, rows: Sequence[SummaryRow], layout: SummaryLayout,
                   links: Mapping[str, str]) -> None:
    columns = layout.ids
    types = {"year": "year", "errors": "count", "warnings": "count", **{f.id: f.type for f in layout.figures}}
    headings = [layout.heading(c) for c in columns]
    ws.append(headings)
    widths = [len(h) for h in headings]
    for r, row in enumerate(rows, start=2):
        for c, column in enumerate(columns, start=1):
            value = row.value(column)
            if column == "status":
                value = layout.status(value)
            value = neutralise(value)
            cell = ws.cell(row=r, column=c, value=value)
            number_format = _number_format(types.get(column), value)
            if number_format:
                cell.number_format = number_format
            if column == "file" and row.file in links:
                cell.hyperlink = links[row.file]
                cell.font = _LINK_FONT
            widths[c - 1] = max(widths[c - 1], _display_width(value, number_format))
    _format_sheet(ws, widths, len(rows))


def write_table(ws: Worksheet, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """A plain table on a sheet: the header row, then the rows (each cell neutralised), formatted as the
    summary is (bold frozen header, autofilter, widths fitted to the content)."""
    ws.append(list(header))
    widths = [len(h) for h in header]
    count = 0
    for row in rows:
        cells = [neutralise(v) for v in row]
        ws.append(cells)
        count += 1
        widths = [max(w, _display_width(v, None)) for w, v in zip(widths, cells, strict=True)]
    _format_sheet(ws, widths, count)


def _findings_sheet(ws: Worksheet, rows: Sequence[SummaryRow], layout: SummaryLayout) -> None:
    write_table(ws, [layout.finding_headings[c] for c in FINDING_COLUMNS],
                (finding_cells(row, finding, layout) for row in rows for finding in row.findings))


def xlsx_bytes(rows: Iterable[SummaryRow], *, layout: SummaryLayout | None = None,
               links: Mapping[str, str] | None = None) -> bytes:
    """The summary workbook; ``links`` maps a row's file to its per-file report (a path relative to the
    workbook, or a URL)."""
    layout = layout or summary_layout()
    rows = list(rows)
    wb = Workbook()
    summary = wb.active
    summary.title = layout.title[:31]
    _summary_sheet(summary, rows, layout, links or {})
    _findings_sheet(wb.create_sheet(layout.findings_title[:31]), rows, layout)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
