"""The report as a Word document in Swedish: headings, numbered captioned tables, the Kontaktorsaker chart.

Amounts are whole kronor grouped by (no-break) spaces, "12 345 600 kr", as in the lägesrapport's Tabell 5. Each
table's heading row repeats on every page; totals are bold; wide tables get a landscape section of their own.
"""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt

from formgen.report.chart import chart_png
from formgen.report.formatting import cell_text
from formgen.report.model import Report, Table

WIDE = 7  # tables with more columns than this get a landscape page
VERY_WIDE = 12  # and with more than this a smaller font
SHORT_ROW = 1500  # characters of cell XML: rows below this are kept on one page
TEXT_CAP, NUMBER_CAP = 60, 14  # characters: a column's width grows with its content up to these
LANGUAGE = "sv-SE"
CELL_MARGIN = 60  # twips left and right inside a cell (Word's default is 108)
TABLE_STYLE = "TableGrid"  # "Table Grid" in python-docx's default template
EMU_PER_TWIP = 635
_BREAKS = re.compile(r"[ \n-]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _set_language(document: Document) -> None:
    for style_name in ("Normal", "Heading 1", "Heading 2", "Title", "Caption"):
        rpr = document.styles[style_name].element.get_or_add_rPr()
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), LANGUAGE)
    document.core_properties.language = LANGUAGE


def _page_number_footer(section) -> None:  # type: ignore[no-untyped-def]
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _orient(document: Document, landscape: bool) -> None:
    current = document.sections[-1]
    if (current.orientation == WD_ORIENT.LANDSCAPE) == landscape:
        return
    section = document.add_section(WD_SECTION.NEW_PAGE)
    width, height = section.page_width, section.page_height
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    if (width > height) != landscape:
        section.page_width, section.page_height = height, width


def _column_widths(table: Table, report: Report, usable: int, half_points: int) -> list[int]:
    """Column widths in twips that fill the usable width: every column at least as wide as its longest word (a
    number is one word: its groups are joined by no-break spaces), the rest shared by how much text a column has."""
    char = half_points * 10 * 0.7  # a wide character at this size in twips (bold headings and totals need it)
    padding = 2 * CELL_MARGIN + 20
    minimum, desired = [], []
    for i, column in enumerate(table.columns):
        texts = [cell_text(row.cells[i], column, report) for row in table.rows]
        # words break at spaces and line ends only: a number's groups are joined by no-break spaces
        longest_word = max((len(w) for t in [column.heading, *texts] for w in _BREAKS.split(t)), default=3)
        longest = max((len(line) for t in texts for line in t.split("\n")), default=0)
        cap = TEXT_CAP if column.kind == "text" else NUMBER_CAP
        minimum.append(char * (longest_word + 1) + padding)
        desired.append(char * max(longest_word + 1, min(cap, longest + 1)) + padding)
    total_min, total_desired = sum(minimum), sum(desired)
    if total_min >= usable:
        return [int(usable * m / total_min) for m in minimum]
    if total_desired <= usable:
        return [int(usable * d / total_desired) for d in desired]
    share = (usable - total_min) / (total_desired - total_min)
    return [int(m + (d - m) * share) for m, d in zip(minimum, desired, strict=True)]


def _escape(text: str) -> str:
    return escape(_CONTROL.sub("", text))


def _runs(text: str, rpr: str) -> str:
    """Runs of one cell: lines joined by breaks."""
    parts = []
    for i, line in enumerate(text.split("\n")):
        if i:
            parts.append("<w:br/>")
        parts.append(f'<w:t xml:space="preserve">{_escape(line)}</w:t>')
    return f"<w:r>{rpr}{''.join(parts)}</w:r>" if text else ""


def _cell(text: str, width: int, right: bool, rpr: str) -> str:
    ppr = '<w:pPr><w:spacing w:before="0" w:after="0"/><w:jc w:val="right"/></w:pPr>' if right else \
        '<w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>'
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr><w:p>{ppr}{_runs(text, rpr)}</w:p></w:tc>'


def _table_xml(table: Table, report: Report, widths: list[int], half_points: int) -> str:
    """The table as WordprocessingML, built in one piece (python-docx's per-cell API is ~100x slower on the
    national report's tables); Word's "Table Grid" style, fixed column widths, the heading row repeated."""
    plain = f'<w:rPr><w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
    bold = f'<w:rPr><w:b/><w:bCs/><w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>'
    numeric = [c.kind != "text" for c in table.columns]
    rows = ['<w:tr><w:trPr><w:tblHeader/></w:trPr>'
            + "".join(_cell(c.heading, w, r, bold) for c, w, r in zip(table.columns, widths, numeric, strict=True))
            + "</w:tr>"]
    mark = report.symbols["error_mark"]
    for row in table.rows:
        cells = []
        for i, (value, column) in enumerate(zip(row.cells, table.columns, strict=True)):
            content = cell_text(value, column, report)
            if i == 0 and row.marked and not content.endswith(mark):
                content += mark
            cells.append(_cell(content, widths[i], numeric[i], bold if row.total else plain))
        # a short row stays on one page; a row of long text may break (Word would cut off a taller-than-page row)
        short = all(len(c) < SHORT_ROW for c in cells)
        rows.append(("<w:tr><w:trPr><w:cantSplit/></w:trPr>" if short else "<w:tr>") + "".join(cells) + "</w:tr>")
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return (f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{TABLE_STYLE}"/><w:tblW w:w="{sum(widths)}" '
            f'w:type="dxa"/><w:jc w:val="center"/><w:tblLayout w:type="fixed"/><w:tblCellMar>'
            f'<w:left w:w="{CELL_MARGIN}" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>'
            f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
            f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')


def _write_table(document: Document, table: Table, report: Report) -> None:
    wide = len(table.columns) > WIDE
    _orient(document, wide)
    document.add_heading(table.heading, level=1)
    caption = document.add_paragraph(f"Tabell {table.number}. {table.caption}", style="Caption")
    caption.paragraph_format.keep_with_next = True
    section = document.sections[-1]
    usable = (section.page_width - section.left_margin - section.right_margin) // EMU_PER_TWIP
    half_points = 18 if not wide else (14 if len(table.columns) <= VERY_WIDE else 13)
    widths = _column_widths(table, report, usable, half_points)
    body = document.element.body
    body.get_or_add_sectPr().addprevious(parse_xml(_table_xml(table, report, widths, half_points)))
    if not table.rows:
        document.add_paragraph(report.empty_table)
    if table.note:
        note = document.add_paragraph(table.note)
        for run in note.runs:
            run.italic = True
            run.font.size = Pt(8.5)
    if any(row.marked for row in table.rows):
        document.add_paragraph(report.marked_note).runs[0].font.size = Pt(8.5)


def _write_chart(document: Document, report: Report, png: bytes, number: int) -> None:
    document.add_picture(io.BytesIO(png), width=Cm(15))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"Figur {number}. {report.chart.title}", style="Caption")


def docx_bytes(report: Report, chart: bytes | None = None) -> bytes:
    """The report as DOCX; ``chart`` is the Kontaktorsaker PNG (drawn here when not given)."""
    document = Document()
    _set_language(document)
    document.core_properties.title = report.title
    document.core_properties.subject = report.subtitle
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    section.left_margin = section.right_margin = Cm(2)
    _page_number_footer(section)
    document.add_heading(report.title, level=0)
    document.add_paragraph(report.subtitle)
    document.add_paragraph(report.edition).runs[0].bold = True
    document.add_paragraph(report.generated)
    document.add_heading(report.about_heading, level=1)
    document.add_paragraph(report.about)
    for table in report.tables:
        _write_table(document, table, report)
        if table.id == report.chart_after and report.chart.categories:
            _write_chart(document, report, chart if chart is not None else chart_png(report.chart), 1)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
