"""The form as a Word document from forms/: answers in content controls tagged with their record keys.

Text answers are plain-text content controls (w:sdt, tag = the key); each count is a control in its grid
cell; a choice is one content-control check box (w14:checkbox) per option, tagged "key=value"; a flag is a
check box tagged with its key. Grids are Word tables with header rows. python-docx has no API for content
controls, so they are built as XML elements here.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from formgen.record import Record
from formgen.render.text import display_value
from formgen.spec import (
    Block,
    CellsBlock,
    ChoiceGridBlock,
    ChoiceListBlock,
    CountGridBlock,
    FieldSpec,
    FlagListBlock,
    NoteBlock,
    TextBlock,
)

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
CHECKED, UNCHECKED = "☒", "☐"
PLACEHOLDER = "Klicka här för att skriva"


def render_docx(record: Record) -> bytes:
    """The year's form filled with a record, as DOCX bytes."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin = section.bottom_margin = Cm(1.8)
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    _Writer(document, record).write()
    document.core_properties.title = f"{record.form.subtitle} – {record.year}"
    document.core_properties.author = "formgen"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


class _Writer:
    def __init__(self, document: DocxDocument, record: Record) -> None:
        self.doc = document
        self.record = record
        self.form = record.form
        self.year = record.year

    def r(self, template: str) -> str:
        return self.form.render(template, self.year)

    def para(self, text: str = "", *, bold: bool = False, size: float | None = None) -> Paragraph:
        paragraph = self.doc.add_paragraph()
        if text:
            run = paragraph.add_run(text)
            run.bold = bold
            if size:
                run.font.size = Pt(size)
        paragraph.paragraph_format.space_after = Pt(3)
        return paragraph

    def write(self) -> None:
        form = self.form
        self.para(form.title, bold=True, size=16)
        self.para(form.subtitle, bold=True, size=12)
        self.para(self.r(form.send_to), size=9)
        for section in form.active_sections(self.year):
            if section.title:
                title = self.para(self.form.section_title(section, self.year), bold=True, size=12)
                title.paragraph_format.space_before = Pt(10)
            for block in section.blocks:
                self.block(block)

    def block(self, block: Block) -> None:
        getattr(self, f"block_{block.kind}")(block)

    def value(self, key: str) -> str:
        return display_value(self.form.fields[key], self.record.get(key))

    def footnote(self, mark: str | None) -> None:
        if mark:
            text = next((f.text for f in self.form.footnotes if f.mark == mark), "")
            self.para(f"{mark} {text}", size=7.5)

    # -- blocks

    def block_note(self, block: NoteBlock) -> None:
        self.para(self.r(block.text), bold=block.heading)

    def block_text(self, block: TextBlock) -> None:
        for spec in block.fields:
            self.text_field(spec)

    def text_field(self, spec: FieldSpec) -> None:
        if spec.prefix_label:
            self.para(self.r(spec.prefix_label))
        if spec.inline:
            paragraph = self.para(self.r(spec.label), bold=spec.key == "ar")
            if spec.footnote:
                paragraph.add_run(spec.footnote).font.superscript = True
            paragraph.add_run(": " if spec.key != "ar" else " ")
            text_control(paragraph, spec.key, self.value(spec.key), spec.label)
            self.footnote(spec.footnote)
            return
        label = self.para(self.r(spec.label))
        if spec.footnote:
            label.add_run(spec.footnote).font.superscript = True
        if spec.sublabel:
            self.para(self.r(spec.sublabel), size=8.5)
        text_control(self.para(), spec.key, self.value(spec.key), spec.label)
        self.footnote(spec.footnote)

    def block_cells(self, block: CellsBlock) -> None:
        columns = max(len(row) for row in block.rows)
        table = self.doc.add_table(rows=len(block.rows), cols=columns)
        table.style = "Table Grid"
        for row, fields in zip(table.rows, block.rows, strict=True):
            for cell, spec in zip(row.cells, fields, strict=False):
                label = cell.paragraphs[0]
                label.add_run(self.r(spec.label)).font.size = Pt(8.5)
                text_control(cell.add_paragraph(), spec.key, self.value(spec.key), spec.label)

    def block_count_grid(self, block: CountGridBlock) -> None:
        table = self.doc.add_table(rows=1 + len(block.rows), cols=1 + len(block.columns))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        header = table.rows[0].cells
        if block.header:
            header[0].paragraphs[0].add_run(block.header)
        for cell, column in zip(header[1:], block.columns, strict=True):
            cell.paragraphs[0].add_run(column.label).bold = True
        for row, grid_row in zip(table.rows[1:], block.rows, strict=True):
            label = row.cells[0].paragraphs[0]
            label.add_run(self.r(grid_row.label))
            if grid_row.footnote:
                label.add_run(grid_row.footnote).font.superscript = True
            for cell, column in zip(row.cells[1:], block.columns, strict=True):
                key = block.cell_key(grid_row, column)
                text_control(cell.paragraphs[0], key, self.value(key), f"{grid_row.label} – {column.label}")
        _column_widths(table, [Cm(10.5)] + [Cm(2.4)] * len(block.columns))
        for grid_row in block.rows:
            self.footnote(grid_row.footnote)

    def block_choice_grid(self, block: ChoiceGridBlock) -> None:
        extra = 1 if block.text_column else 0
        table = self.doc.add_table(rows=1 + len(block.rows), cols=1 + len(block.choices) + extra)
        table.style = "Table Grid"
        header = table.rows[0].cells
        for cell, choice in zip(header[1:], block.choices, strict=False):
            cell.paragraphs[0].add_run(choice.label).bold = True
        if block.text_column:
            header[-1].paragraphs[0].add_run(block.text_column).bold = True
        for row, choice_row in zip(table.rows[1:], block.rows, strict=True):
            row.cells[0].paragraphs[0].add_run(self.r(choice_row.label))
            chosen = self.record.get(choice_row.key)
            for cell, choice in zip(row.cells[1:], block.choices, strict=False):
                check_box(cell.paragraphs[0], f"{choice_row.key}={choice.value}", chosen == choice.value)
            if choice_row.text_key:
                text_control(row.cells[-1].paragraphs[0], choice_row.text_key, self.value(choice_row.text_key),
                             block.text_column or choice_row.label)
        widths = [Cm(8.5)] + [Cm(3.0 if len(c.label) > 12 else 1.6) for c in block.choices]
        _column_widths(table, widths + ([Cm(4.5)] if extra else []))

    def block_choice_list(self, block: ChoiceListBlock) -> None:
        self.para(self.r(block.label))
        chosen = self.record.get(block.key)
        for choice in block.choices:
            paragraph = self.para()
            check_box(paragraph, f"{block.key}={choice.value}", chosen == choice.value)
            paragraph.add_run(f" {choice.label}")

    def block_flag_list(self, block: FlagListBlock) -> None:
        self.para(self.r(block.label))
        for flag in block.flags:
            paragraph = self.para()
            check_box(paragraph, flag.key, self.record.get(flag.key) is True)
            paragraph.add_run(f" {self.r(flag.label)}")
            if flag.text_key:
                text_control(self.para(), flag.text_key, self.value(flag.text_key), flag.label)


def _column_widths(table: object, widths: list[object]) -> None:
    for row in table.rows:  # type: ignore[attr-defined]
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


def _sdt(tag: str, alias: str) -> tuple[OxmlElement, OxmlElement, OxmlElement]:
    sdt = OxmlElement("w:sdt")
    props = OxmlElement("w:sdtPr")
    alias_el = OxmlElement("w:alias")
    alias_el.set(qn("w:val"), alias[:255])
    tag_el = OxmlElement("w:tag")
    tag_el.set(qn("w:val"), tag)
    props.append(alias_el)
    props.append(tag_el)
    content = OxmlElement("w:sdtContent")
    sdt.append(props)
    sdt.append(content)
    return sdt, props, content


def text_control(paragraph: Paragraph, key: str, value: str, alias: str) -> None:
    """A plain-text content control tagged with ``key``, holding ``value`` exactly (newlines, tabs kept)."""
    sdt, props, content = _sdt(key, alias)
    if not value:
        props.append(OxmlElement("w:showingPlcHdr"))
    text_props = OxmlElement("w:text")
    text_props.set(qn("w:multiLine"), "1")
    props.append(text_props)
    run = OxmlElement("w:r")
    content.append(run)
    for i, line in enumerate((value or PLACEHOLDER).split("\n")):
        if i:
            run.append(OxmlElement("w:br"))
        for j, piece in enumerate(line.split("\t")):
            if j:
                run.append(OxmlElement("w:tab"))
            if piece:
                t = OxmlElement("w:t")
                t.set(qn("xml:space"), "preserve")
                t.text = piece
                run.append(t)
    paragraph._p.append(sdt)


def check_box(paragraph: Paragraph, tag: str, checked: bool) -> None:
    """A content-control check box (w14:checkbox) tagged ``tag``, showing ☒ or ☐."""
    sdt, props, content = _sdt(tag, tag)
    box = OxmlElement("w14:checkbox")
    state = OxmlElement("w14:checked")
    state.set(f"{{{W14}}}val", "1" if checked else "0")
    box.append(state)
    for name, glyph in (("w14:checkedState", "2612"), ("w14:uncheckedState", "2610")):
        element = OxmlElement(name)
        element.set(f"{{{W14}}}val", glyph)
        element.set(f"{{{W14}}}font", "MS Gothic")
        box.append(element)
    props.append(box)
    run = OxmlElement("w:r")
    run_props = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for attr in ("w:ascii", "w:eastAsia", "w:hAnsi"):
        fonts.set(qn(attr), "MS Gothic")
    run_props.append(fonts)
    run.append(run_props)
    t = OxmlElement("w:t")
    t.text = CHECKED if checked else UNCHECKED
    run.append(t)
    content.append(run)
    paragraph._p.append(sdt)
