"""Test DOCX files of the 2020 form, written from a record in a chosen Variant (python-docx and lxml).

Written for the tests only (independent of formgen's own generator). Labels come from forms/2020/form.yaml
rendered for the year; the layout follows the sample's conventions (cells as label + value in a table cell,
grids as tables with a header row, text answers as paragraphs after their label, options as "x Ja"). The
Variant chooses how marks are made (typed text, legacy FORMCHECKBOX, content-control check boxes), column
order, extra columns, runs split at odd places with odd fonts, legacy FORMTEXT fields, or content controls
tagged with record keys the way our own generated documents are.
"""

from __future__ import annotations

import copy
import io
import random
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from lxml import etree

from formgen import values as v
from formgen.record import Value, blank_record, record_from_json
from formgen.spec import (
    CellsBlock,
    ChoiceGridBlock,
    ChoiceListBlock,
    CountGridBlock,
    FieldSpec,
    FlagListBlock,
    FormSpec,
    NoteBlock,
    TextBlock,
    blocks_of,
    load_form,
)
from tests.helpers import sample_record_json

FONTS = ("Arial", "Times New Roman", "Courier New", "Garamond", "Calibri")
EMPTY_LEGACY = "\u2002" * 5  # what Word shows in an empty legacy text field
PLACEHOLDER = "Klicka eller tryck här för att ange text."


@dataclass(frozen=True)
class Variant:
    """How one kommun's Word document was made."""

    mark: str = "x"  # the text typed as a mark
    marks_as: str = "text"  # "text" | "legacy" (FORMCHECKBOX) | "sdt" (content-control check box)
    text_as: str = "plain"  # "plain" | "legacy" (FORMTEXT fields)
    tagged: bool = False  # content controls tagged with record keys, like our generated documents
    swap_choices: bool = False  # Nej before Ja in every grid
    extra_column: bool = False  # every grid gets an extra, empty column ("Kommentar")
    split_runs: bool = False  # runs cut at odd places, each with another font and size
    nbsp: bool = False  # thousands separated by NBSP ("402 638 kr")
    values_below: bool = False  # contact cells: a row of labels, then a row of values
    values_beside: bool = False  # contact cells: a two-column table, each row a label and its value
    header_apart: bool = False  # grids: the header row a table of its own, an empty paragraph before the rows
    label_span: bool = False  # grids: the row labels' cells span two grid columns (merged cells)
    footnotes_after: str | None = None  # key whose answer the footnotes follow (else after their block)
    table_sections: tuple[str, ...] = ()  # sections whose text fields are a two-column table: label | value
    raw: Mapping[str, str] = field(default_factory=dict)  # text written for a key instead of its value
    ticks: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # choices ticked instead of the value
    seed: int = 7


def sample_values() -> dict[str, Value]:
    """The sample submission's record values by key."""
    return dict(record_from_json(sample_record_json()).values)


def blank_values(year: int = 2020) -> dict[str, Value]:
    """An unanswered record's values by key."""
    return dict(blank_record(year).values)


def build_form_docx(path: Path, values: Mapping[str, Value], variant: Variant = Variant(),
                    year: int = 2020) -> Path:
    """Write the year's form filled with ``values`` as a DOCX in the given variant."""
    _FormWriter(load_form(year), year, values, variant).write(path)
    return path


def build_prose_docx(path: Path) -> Path:
    """A narrative report about personligt ombud that is not the form."""
    doc = Document()
    doc.add_heading("Verksamhetsberättelse 2020 – personligt ombud", 1)
    for text in ("Under året har verksamheten med personliga ombud haft 35 kvinnor och 56 män som klienter.",
                 "Statsbidrag har beviljats och använts enligt plan. Kontakt: ombud@kommun.se.",
                 "Coronapandemin har påverkat verksamheten, och handledning har ställts in."):
        doc.add_paragraph(text)
    doc.save(str(path))
    return path


# ---------------------------------------------------------------------------------------------- re-saved


def without_control_tags(data: bytes) -> bytes:
    """A DOCX package with every content control's tag (and alias) removed, as LibreOffice saves it again."""
    return _edit_document(data, _strip_tags)


def text_controls_as_fillin(data: bytes) -> bytes:
    """A DOCX package as LibreOffice writes it after DOCX → ODT → DOCX: every text content control a FILLIN field
    showing its text (nothing when its placeholder showed), check box controls kept without their tags."""
    return _edit_document(data, _controls_to_fillin)


def _edit_document(data: bytes, edit: Any) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            part = source.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(part)
                edit(root)
                part = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            target.writestr(item, part)
    return out.getvalue()


def _strip_tags(root: Any) -> None:
    for props in root.iter(qn("w:sdtPr")):
        for child in list(props):
            if child.tag in (qn("w:tag"), qn("w:alias")):
                props.remove(child)


def _controls_to_fillin(root: Any) -> None:
    _strip_tags(root)
    for sdt in list(root.iter(qn("w:sdt"))):
        props, content = sdt.find(qn("w:sdtPr")), sdt.find(qn("w:sdtContent"))
        if props is None or content is None or props.find(f"{{{W14_NS}}}checkbox") is not None:
            continue
        shown = props.find(qn("w:showingPlcHdr")) is None
        parent = sdt.getparent()
        at = parent.index(sdt)
        parent.remove(sdt)
        if parent.tag == qn("w:p"):  # inline: the runs of one field in the paragraph
            for offset, run in enumerate(_fillin_runs(list(content) if shown else [])):
                parent.insert(at + offset, run)
            continue
        for offset, p in enumerate(content.findall(qn("w:p"))):  # block level: a field in every paragraph
            runs = [child for child in p if child.tag != qn("w:pPr")]
            for child in runs:
                p.remove(child)
            for run in _fillin_runs(runs if shown else []):
                p.append(run)
            parent.insert(at + offset, p)


def _fillin_runs(runs: list[Any]) -> list[Any]:
    begin = parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"/></w:r>')
    instr = parse_xml(f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> FILLIN &quot;&quot;</w:instrText></w:r>')
    sep = parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>')
    end = parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>')
    return [begin, instr, sep, *runs, end]


# ---------------------------------------------------------------------------------------------- XML bits

W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"


def legacy_checkbox(ticked: bool, style: int = 0) -> list[Any]:
    """The runs of a legacy FORMCHECKBOX; ``style`` varies how the state is written."""
    if ticked:
        state = ('<w:checked/>', '<w:checked w:val="1"/>', '<w:default w:val="1"/>')[style % 3]
    else:
        state = ('<w:default w:val="0"/>', '<w:default w:val="1"/><w:checked w:val="0"/>')[style % 2]
    return [
        parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Kryss"/>'
                  f'<w:enabled/><w:calcOnExit w:val="0"/><w:checkBox><w:sizeAuto/>{state}</w:checkBox>'
                  '</w:ffData></w:fldChar></w:r>'),
        parse_xml(f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'),
        parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'),
    ]


def legacy_text(text: str) -> list[Any]:
    """The runs of a legacy FORMTEXT field showing ``text`` (five en spaces when empty)."""
    begin = parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val=""/>'
                      '<w:enabled/><w:textInput/></w:ffData></w:fldChar></w:r>')
    instr = parse_xml(f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> FORMTEXT </w:instrText></w:r>')
    sep = parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="separate"/></w:r>')
    end = parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>')
    return [begin, instr, sep, *text_runs(text or EMPTY_LEGACY), end]


def text_runs(text: str) -> list[Any]:
    """Runs for a text: tabs as w:tab, line breaks as w:br, the rest as w:t (escaped by lxml)."""
    runs = []
    run = etree.SubElement(etree.Element(qn("w:p")), qn("w:r"))
    for i, line in enumerate(text.split("\n")):
        if i:
            etree.SubElement(run, qn("w:br"))
        for j, piece in enumerate(line.split("\t")):
            if j:
                etree.SubElement(run, qn("w:tab"))
            if piece:
                t = etree.SubElement(run, qn("w:t"))
                t.text = piece
                t.set(qn("xml:space"), "preserve")
    runs.append(run)
    return runs


def content_control(tag: str | None, *, checked: bool | None = None, text: str | None = None,
                    block: bool = False) -> Any:
    """A content control (w:sdt): a check box, a text showing ``text``, or its placeholder when None."""
    sdt = parse_xml(f'<w:sdt {nsdecls("w", "w14")}><w:sdtPr/><w:sdtContent/></w:sdt>')
    props, content = sdt[0], sdt[1]
    if tag is not None:
        etree.SubElement(props, qn("w:tag")).set(qn("w:val"), tag)
    if checked is not None:
        box = etree.SubElement(props, f"{{{W14_NS}}}checkbox")
        etree.SubElement(box, f"{{{W14_NS}}}checked").set(f"{{{W14_NS}}}val", "1" if checked else "0")
        state = etree.SubElement(box, f"{{{W14_NS}}}checkedState")
        state.set(f"{{{W14_NS}}}val", "2612")
        state.set(f"{{{W14_NS}}}font", "MS Gothic")
        text = "☒" if checked else "☐"
    elif text is None:
        etree.SubElement(props, qn("w:showingPlcHdr"))
        text = PLACEHOLDER
    if block:
        for line in text.split("\n"):
            p = etree.SubElement(content, qn("w:p"))
            for run in text_runs(line):
                p.append(run)
    else:
        for run in text_runs(text):
            content.append(run)
    return sdt


# ---------------------------------------------------------------------------------------------- writer


class _FormWriter:
    def __init__(self, form: FormSpec, year: int, values: Mapping[str, Value], variant: Variant) -> None:
        self.form = form
        self.year = year
        self.values = values
        self.variant = variant
        self.rng = random.Random(variant.seed)
        self.doc = Document()
        self.box_style = 0
        self.pending_notes: list[str] = []
        self.grids: list[Any] = []

    def r(self, template: str) -> str:
        return self.form.render(template, self.year)

    def write(self, path: Path) -> None:
        self.para(self.form.title)
        self.para(self.form.subtitle)
        self.para(self.r(self.form.send_to))
        for section, block in blocks_of(self.form, self.year):
            if section.blocks[0] is block and section.title:
                self.para(self.r(section.title))
            if isinstance(block, TextBlock) and section.id in self.variant.table_sections:
                self.text_table(block)
            else:
                self.block(block)
        if self.variant.header_apart:
            for table in self.grids:
                self.header_apart(table._tbl)
        self.doc.save(str(path))

    @staticmethod
    def header_apart(tbl: Any) -> None:
        """A grid's header row left alone in its table; its rows in a copy below, after an empty paragraph."""
        rows = copy.deepcopy(tbl)
        for tr in tbl.findall(qn("w:tr"))[1:]:
            tbl.remove(tr)
        rows.remove(rows.findall(qn("w:tr"))[0])
        empty = etree.Element(qn("w:p"))
        tbl.addnext(empty)
        empty.addnext(rows)

    # -- text

    def para(self, text: str = "", container: Any = None) -> Paragraph:
        p = (container or self.doc).add_paragraph()
        self.add_text(p, text)
        return p

    def add_text(self, p: Paragraph, text: str) -> None:
        if not self.variant.split_runs:
            if text:
                p.add_run(text)
            return
        pos = 0
        while pos < len(text):
            step = self.rng.randint(1, 6)
            run = p.add_run(text[pos:pos + step])
            run.font.name = self.rng.choice(FONTS)
            run.font.size = Pt(self.rng.choice((8, 9, 10.5, 11, 12, 14)))
            pos += step

    def value_text(self, spec: FieldSpec) -> str:
        if spec.key in self.variant.raw:
            return self.variant.raw[spec.key]
        value = self.values.get(spec.key)
        if value is None or value == []:
            return ""
        if spec.type == "list":
            return "\n".join(value)
        if spec.type == "kr":
            text = v.format_kr_sv(value)
            return text.replace(" ", "\u00a0", text.count(" ") - 1) if self.variant.nbsp else text
        if spec.type == "int":
            return v.format_int_sv(value).replace(" ", "\u00a0") if self.variant.nbsp and spec.key != "ar" else str(
                value)
        if spec.type == "fte":
            return v.format_fte_sv(value)
        return str(value)

    def put_value(self, p: Paragraph, key: str, text: str) -> None:
        """A value into a paragraph: typed, a legacy text field, or a tagged content control."""
        if self.variant.tagged:
            p._p.append(content_control(key, text=text or None))
        elif self.variant.text_as == "legacy":
            for run in legacy_text(text):
                p._p.append(run)
        else:
            self.add_text(p, text)

    def answer(self, spec: FieldSpec, container: Any = None) -> None:
        """Answer paragraphs under a label: one paragraph per line, or "     " when unanswered."""
        text = self.value_text(spec)
        if self.variant.tagged:
            anchor = self.para("", container)
            anchor._p.addnext(content_control(spec.key, text=text or None, block=True))
            anchor._p.getparent().remove(anchor._p)
        elif self.variant.text_as == "legacy":
            self.put_value(self.para("", container), spec.key, text)
        else:
            for line in (text or "     ").split("\n"):
                self.para(line, container)
        if self.variant.footnotes_after == spec.key:
            self.flush_notes(force=True)

    # -- marks

    def put_mark(self, p: Paragraph, ticked: bool, tag: str) -> None:
        variant = self.variant
        if variant.tagged:
            p._p.append(content_control(tag, checked=ticked))
        elif variant.marks_as == "legacy":
            self.box_style += 1
            for run in legacy_checkbox(ticked, self.box_style):
                p._p.append(run)
        elif variant.marks_as == "sdt":
            p._p.append(content_control(None, checked=ticked))
        elif ticked:
            self.add_text(p, variant.mark)
        else:
            self.add_text(p, "  ")

    def ticked(self, key: str) -> tuple[str, ...]:
        if key in self.variant.ticks:
            return self.variant.ticks[key]
        value = self.values.get(key)
        return (value,) if isinstance(value, str) else ()

    # -- blocks

    def block(self, block: Any) -> None:
        if isinstance(block, NoteBlock):
            self.para(self.r(block.text))
        elif isinstance(block, TextBlock):
            for spec in block.fields:
                self.text_field(spec)
        elif isinstance(block, CellsBlock):
            self.cells(block)
        elif isinstance(block, CountGridBlock):
            self.count_grid(block)
        elif isinstance(block, ChoiceGridBlock):
            self.choice_grid(block)
        elif isinstance(block, ChoiceListBlock):
            self.para(self.r(block.label))
            for choice in block.choices:
                p = self.para()
                self.put_mark(p, choice.value in self.ticked(block.key), f"{block.key}={choice.value}")
                self.add_text(p, " " + choice.label)
        elif isinstance(block, FlagListBlock):
            self.para(self.r(block.label))
            for flag in block.flags:
                p = self.para()
                self.put_mark(p, self.values.get(flag.key) is True, flag.key)
                self.add_text(p, " " + self.r(flag.label))
                if flag.text_key:
                    self.answer(self.form.fields[flag.text_key])
        self.flush_notes()

    def text_field(self, spec: FieldSpec) -> None:
        label = self.r(spec.label)
        if spec.prefix_label:
            label = f"{self.r(spec.prefix_label)} {label}"
        if spec.footnote:
            self.pending_notes.append(spec.footnote)
        if spec.inline:
            p = self.para(f"{label}{spec.footnote or ''}: ")
            self.put_value(p, spec.key, self.value_text(spec))
            return
        self.para(label)
        if spec.sublabel:
            self.para(self.r(spec.sublabel))
        self.answer(spec)

    def text_table(self, block: TextBlock) -> None:
        table = self.table(len(block.fields), 2)
        for r, spec in enumerate(block.fields):
            label = self.r(spec.label)
            self.cell_text(table.cell(r, 0), f"{self.r(spec.prefix_label)} {label}" if spec.prefix_label else label)
            lines = self.value_text(spec).split("\n")
            self.cell_text(table.cell(r, 1), lines[0])
            for line in lines[1:]:
                self.para(line, table.cell(r, 1))

    def flush_notes(self, force: bool = False) -> None:
        if self.variant.footnotes_after and not force:
            return
        for mark in self.pending_notes:
            note = next(n for n in self.form.footnotes if n.mark == mark)
            self.para(f"{note.mark} {note.text}")
        self.pending_notes.clear()

    def table(self, rows: int, cols: int) -> Any:
        table = self.doc.add_table(rows=rows, cols=cols)
        table.style = "Table Grid"
        return table

    def cell_text(self, cell: Any, text: str) -> None:
        self.add_text(cell.paragraphs[0], text)

    def cells(self, block: CellsBlock) -> None:
        if self.variant.values_beside:
            specs = [spec for row in block.rows for spec in row]
            table = self.table(len(specs), 2)
            for r, spec in enumerate(specs):
                self.cell_text(table.cell(r, 0), self.r(spec.label))
                self.put_value(table.cell(r, 1).paragraphs[0], spec.key, self.value_text(spec))
            return
        width = max(len(row) for row in block.rows)
        below = self.variant.values_below
        table = self.table(len(block.rows) * (2 if below else 1), width)
        for r, row in enumerate(block.rows):
            for c, spec in enumerate(row):
                if below:
                    self.cell_text(table.cell(2 * r, c), self.r(spec.label))
                    self.put_value(table.cell(2 * r + 1, c).paragraphs[0], spec.key, self.value_text(spec))
                else:
                    cell = table.cell(r, c)
                    self.cell_text(cell, self.r(spec.label))
                    self.put_value(cell.add_paragraph(), spec.key, self.value_text(spec))

    def grid_table(self, rows: int, values: int) -> tuple[Any, int]:
        """A grid's table and the column index of its first value column (after the label cell)."""
        span = 2 if self.variant.label_span else 1
        table = self.table(rows, values + span)
        self.grids.append(table)
        if span == 2:
            for r in range(rows):
                table.cell(r, 0).merge(table.cell(r, 1))
        return table, span

    def grid_header(self, table: Any, first: str, labels: list[str], at: int) -> None:
        self.cell_text(table.cell(0, 0), first)
        for c, label in enumerate(labels, start=at):
            self.cell_text(table.cell(0, c), label)

    def count_grid(self, block: CountGridBlock) -> None:
        extra = ["Kommentar"] if self.variant.extra_column else []
        table, at = self.grid_table(len(block.rows) + 1, len(block.columns) + len(extra))
        self.grid_header(table, block.header or "", [c.label for c in block.columns] + extra, at)
        for r, row in enumerate(block.rows, start=1):
            label = self.r(row.label)
            if row.footnote:
                label = label.replace(" vilka", f"{row.footnote} vilka", 1)
                self.pending_notes.append(row.footnote)
            self.cell_text(table.cell(r, 0), label)
            for c, col in enumerate(block.columns, start=at):
                spec = self.form.fields[block.cell_key(row, col)]
                self.put_value(table.cell(r, c).paragraphs[0], spec.key, self.value_text(spec))

    def choice_grid(self, block: ChoiceGridBlock) -> None:
        choices = list(reversed(block.choices)) if self.variant.swap_choices else list(block.choices)
        extra = ["Kommentar"] if self.variant.extra_column else []
        text_col = [self.r(block.text_column)] if block.text_column else []
        table, at = self.grid_table(len(block.rows) + 1, len(choices) + len(text_col) + len(extra))
        self.grid_header(table, "", [c.label for c in choices] + text_col + extra, at)
        for r, row in enumerate(block.rows, start=1):
            self.cell_text(table.cell(r, 0), self.r(row.label))
            ticked = self.ticked(row.key)
            for c, choice in enumerate(choices, start=at):
                p = table.cell(r, c).paragraphs[0]
                if choice.value in ticked or self.variant.tagged or self.variant.marks_as != "text":
                    self.put_mark(p, choice.value in ticked, f"{row.key}={choice.value}")
            if row.text_key:
                spec = self.form.fields[row.text_key]
                self.put_value(table.cell(r, at + len(choices)).paragraphs[0], spec.key, self.value_text(spec))
