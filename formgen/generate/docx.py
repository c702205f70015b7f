"""The form in Word: the same wording and order as the PDF, every answer a content control tagged by key.

Every content control is tagged with the record key. An answer that may hold more than one line (prose, a
list, a value with line breaks) is a block-level control with one paragraph per line, in a bordered box; a
one-line answer is a plain-text control in a bordered paragraph, a table cell or (after its label on the same
line) a shaded run; each count of a Kvinnor/Män grid is a control in its table cell; each choice is a check
box control tagged "<key>=<value>" (one per choice column); each flag a check box tagged with the flag's key.
Headings, labels and table header rows keep with what follows them.
"""

from __future__ import annotations

import re

from formgen.generate import typeset as ts
from formgen.generate.docx_xml import (
    ANSWER_SHADE,
    FIELD_MARK,
    TEXT_WIDTH,
    Element,
    Setup,
    block_control,
    build_package,
    cell,
    check_control,
    para,
    run,
    table,
    text_control,
)
from formgen.generate.recipient import addressee
from formgen.places import Lan
from formgen.record import Record
from formgen.spec import (
    CellsBlock,
    ChoiceGridBlock,
    ChoiceListBlock,
    CountGridBlock,
    FieldSpec,
    FlagListBlock,
    NoteBlock,
    TextBlock,
)

BODY = 9.5
SMALL = 7.5
COUNT_COLUMN = 1440  # twips, one inch as in the PDF
CELL_MARGINS = 7.0  # points: a cell's left and right margins (60 twips each) and a little room
HEADER_SHADE = "F2F2F2"
OPTION_INDENT = 320
TABLE_GAP = 100  # twips of space after a table, so the next label does not sit tight under it


def render_docx(record: Record, *, lan: Lan | None = None) -> bytes:
    """The record's form as DOCX bytes, answers in content controls (a blank record gives the blank form);
    addressed to ``lan``'s Länsstyrelse, else to that of the record's kommun (formgen.generate.recipient)."""
    writer = DocxWriter(record, lan=lan)
    body = writer.body()
    return build_package(body, package_setup(record), keywords=writer.to.metadata,
                         subject=record.kommun or "Blankett")


_FIELD_PIECE = re.compile(f"({FIELD_MARK}[A-Z]+{FIELD_MARK})")


def package_setup(record: Record) -> Setup:
    """The document's title and its footer: the form's ``page_footer`` text with Word's PAGE and NUMPAGES
    fields where the template says {{ page }} and {{ pages }}."""
    footer = record.form.text("page_footer", record.year, page=f"{FIELD_MARK}PAGE{FIELD_MARK}",
                              pages=f"{FIELD_MARK}NUMPAGES{FIELD_MARK}")
    return Setup(ts.document_title(record), tuple(p for p in _FIELD_PIECE.split(footer) if p))


def choice_tag(key: str, value: str) -> str:
    """The tag of one choice's check box: "tillgang.ko=delvis"."""
    return f"{key}={value}"


class DocxWriter:
    """Writes the year's form, block by block, as WordprocessingML elements."""

    def __init__(self, record: Record, *, lan: Lan | None = None) -> None:
        self.record = record
        self.to = addressee(record, lan)
        self.form = record.form
        self.year = record.year
        self.fields = self.form.fields_for_year(self.year)
        self.footnote_text = {f.mark: f.text for f in self.form.footnotes}
        self.pending: list[str] = []
        self.printed: set[str] = set()
        self.out: list[Element] = []
        self.ident = 1000

    def r(self, template: str) -> str:
        return ts.render(self.form, template, self.year)

    def next_id(self) -> int:
        self.ident += 1
        return self.ident

    def value(self, spec: FieldSpec) -> str:
        return ts.display(spec, self.record.get(spec.key))

    def multiline(self, spec: FieldSpec, label: str) -> bool:
        """Whether an answer is written as lines (paragraphs) rather than one line."""
        return ts.is_prose(spec, label) or "\n" in self.value(spec)

    def control(self, spec: FieldSpec, alias: str, locked: bool = False, shade: str | None = None,
                width: int | None = None) -> Element:
        """A one-line answer's run-level control; in a cell of ``width`` twips a long unbreakable value
        (an e-mail address, a URL) is written smaller so that it stays inside the cell."""
        text = self.value(spec)
        return text_control(spec.key, text, alias=alias, ident=self.next_id(), locked=locked, shade=shade,
                            size=self.fitting(text, width))

    def fitting(self, text: str, width: int | None) -> float | None:
        if not text or width is None:
            return None
        size = ts.fitting_size(text, width / 20 - CELL_MARGINS, BODY)
        return size if size < BODY else None

    def answer(self, spec: FieldSpec, label: str, indent: int = 0) -> Element:
        """A free-standing answer under its label, in a box: lines as paragraphs of a block-level control,
        a one-line answer as a plain-text control in a bordered paragraph."""
        if self.multiline(spec, label):
            return block_control(spec.key, self.value(spec), alias=label, ident=self.next_id(),
                                 lines=ts.min_lines(spec, label), indent=indent)
        return para(self.control(spec, label, width=TEXT_WIDTH - indent), boxed=True, indent=indent, after=80)

    def in_cell(self, spec: FieldSpec, label: str, width: int, align: str | None = None) -> Element:
        """An answer inside a bordered table cell: lines as paragraphs of a block-level control."""
        if self.multiline(spec, label):
            return block_control(spec.key, self.value(spec), alias=label, ident=self.next_id(), boxed=False,
                                 after=0)
        return para(self.control(spec, label, width=width), align=align, after=20)

    def check(self, tag: str, checked: bool, alias: str) -> Element:
        return check_control(tag, checked, alias=alias, ident=self.next_id())

    def mark(self, mark: str | None) -> Element | None:
        if not mark:
            return None
        if mark not in self.printed and mark not in self.pending:
            self.pending.append(mark)
        return run(mark, superscript=True, size=SMALL)

    # ------------------------------------------------------------------ the whole form

    def body(self) -> list[Element]:
        form = self.form
        self.out.append(para(run(self.r(form.title), bold=True, size=18), after=60))
        self.out.append(para(run(self.r(form.subtitle), bold=True, size=13), after=60))
        self.out.append(para(run(self.to.send_to), after=120))
        titles = ts.section_titles(form, self.year)
        for section in form.active_sections(self.year):
            if section.title:
                self.out.append(para(run(titles[section.id], bold=True, size=12), keep_next=True, before=240,
                                     after=80, rule_below=True))
            for block in section.blocks:
                if isinstance(block, TextBlock):
                    self.block_text(block, header=section.title is None)
                else:
                    getattr(self, f"block_{block.kind}")(block)
                self.footnotes()
        return self.out

    def footnotes(self) -> None:
        for mark in self.pending:
            self.out.append(para(run(mark, superscript=True, size=SMALL),
                                 run(" " + self.footnote_text.get(mark, ""), size=SMALL), after=80))
            self.printed.add(mark)
        self.pending.clear()

    # ------------------------------------------------------------------ block kinds

    def block_note(self, block: NoteBlock) -> None:
        self.out.append(para(run(self.r(block.text), bold=block.heading), keep_next=True,
                             before=120 if block.heading else 40))

    def block_text(self, block: TextBlock, header: bool = False) -> None:
        for spec in block.fields:
            label = self.r(spec.label)
            if spec.inline:
                suffix = "" if header else ":"
                self.out.append(para(run(label, bold=header, size=10 if header else None), self.mark(spec.footnote),
                                     run(suffix + " "),
                                     self.control(spec, label, locked=header, shade=None if header else ANSWER_SHADE),
                                     before=60, after=60))
                continue
            if spec.prefix_label:
                self.out.append(para(run(self.r(spec.prefix_label)), keep_next=True, before=80))
                self.out.append(para(run(" "), keep_next=True, after=120, rule_below=True))
            self.out.append(para(run(label), self.mark(spec.footnote), keep_next=True, before=80, after=20))
            if spec.sublabel:
                self.out.append(para(run(self.r(spec.sublabel), size=SMALL), keep_next=True, after=20))
            self.out.append(self.answer(spec, label))

    def block_cells(self, block: CellsBlock) -> None:
        ncol = max(len(row) for row in block.rows)
        width = TEXT_WIDTH // ncol
        rows = []
        for fields in block.rows:
            cells = []
            for i, spec in enumerate(fields):
                label = self.r(spec.label)
                span = ncol - len(fields) + 1 if i == len(fields) - 1 else 1  # a short row's last cell spans the rest
                cells.append(cell(width * span, para(run(label, size=8), after=0),
                                  self.in_cell(spec, label, width * span), span=span))
            rows.append(cells)
        self.out.append(table([width] * ncol, rows))
        self.out.append(para(after=TABLE_GAP))

    def block_count_grid(self, block: CountGridBlock) -> None:
        ncol = len(block.columns)
        label_w = TEXT_WIDTH - ncol * COUNT_COLUMN
        widths = [label_w] + [COUNT_COLUMN] * ncol
        header = [cell(label_w, para(run(self.r(block.header) if block.header else ""), keep_next=True, after=0),
                       shade=HEADER_SHADE)]
        header += [cell(COUNT_COLUMN, para(run(c.label), align="center", keep_next=True, after=0), shade=HEADER_SHADE)
                   for c in block.columns]
        rows = [header]
        for row in block.rows:
            label = self.r(row.label)
            cells = [cell(label_w, para(run(label), self.mark(row.footnote), indent=200 if row.band_of else 0,
                                        after=0))]
            for column in block.columns:
                spec = self.fields[block.cell_key(row, column)]
                cells.append(cell(COUNT_COLUMN, self.in_cell(spec, f"{label} – {column.label}", COUNT_COLUMN,
                                                             align="center")))
            rows.append(cells)
        self.out.append(table(widths, rows, header_rows=1))
        self.out.append(para(after=TABLE_GAP))

    def block_choice_grid(self, block: ChoiceGridBlock) -> None:
        widths = [max(720, round(ts.width(c.label) * 20) + 360) for c in block.choices]
        text_w = 0
        if block.text_column:
            longest = max(round(ts.width(self.r(r.label)) * 20) + 360 for r in block.rows)
            label_w = min(max(longest, 2200), int(TEXT_WIDTH * 0.4))
            text_w = TEXT_WIDTH - label_w - sum(widths)
        else:
            label_w = TEXT_WIDTH - sum(widths)
        header = [cell(label_w, para(keep_next=True, after=0), shade=HEADER_SHADE)]
        header += [cell(w, para(run(c.label), align="center", keep_next=True, after=0), shade=HEADER_SHADE)
                   for w, c in zip(widths, block.choices, strict=True)]
        if block.text_column:
            header.append(cell(text_w, para(run(self.r(block.text_column)), keep_next=True, after=0),
                               shade=HEADER_SHADE))
        rows = [header]
        for row in block.rows:
            label = self.r(row.label)
            value = self.record.get(row.key)
            cells = [cell(label_w, para(run(label), after=0))]
            for w, choice in zip(widths, block.choices, strict=True):
                box = self.check(choice_tag(row.key, choice.value), value == choice.value, f"{label}: {choice.label}")
                cells.append(cell(w, para(box, align="center", after=0)))
            if row.text_key:
                spec = self.fields[row.text_key]
                cells.append(cell(text_w, self.in_cell(spec, f"{label}: {spec.label}", text_w)))
            rows.append(cells)
        self.out.append(table([label_w, *widths] + ([text_w] if block.text_column else []), rows, header_rows=1))
        self.out.append(para(after=TABLE_GAP))

    def block_choice_list(self, block: ChoiceListBlock) -> None:
        question = self.r(block.label)
        self.out.append(para(run(question), keep_next=True, before=80))
        value = self.record.get(block.key)
        for choice in block.choices:
            box = self.check(choice_tag(block.key, choice.value), value == choice.value, choice.label)
            self.out.append(para(box, run(" " + choice.label), keep_next=True, after=20))

    def block_flag_list(self, block: FlagListBlock) -> None:
        self.out.append(para(run(self.r(block.label)), keep_next=True, before=80))
        for flag in block.flags:
            label = self.r(flag.label)
            box = self.check(flag.key, self.record.get(flag.key) is True, label)
            self.out.append(para(box, run(" " + label), keep_next=bool(flag.text_key), after=20))
            if flag.text_key:
                spec = self.fields[flag.text_key]
                self.out.append(self.answer(spec, label, indent=OPTION_INDENT))
