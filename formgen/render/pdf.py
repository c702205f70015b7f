"""The form as an A4 PDF from forms/: fillable (one AcroForm field per record key) or flattened (print).

One layout serves both modes: the form is laid out block by block from the year's form definition, and
every answer is a box; ``FillableBoxes`` puts a field with an appearance stream there, ``PrintedBoxes``
draws the value as text (what a kommun sends when it prints the form). The printed page follows the
paper form's conventions, which the label-anchored reader relies on: a label above its answer, grid
values and marks under their column headers on the row's first line, list marks before their option.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from formgen.record import Record
from formgen.render.acro_names import nest_field_names
from formgen.render.boxes import Boxes, FillableBoxes, PrintedBoxes, wrap
from formgen.render.text import display_value
from formgen.spec import (
    Block,
    CellsBlock,
    ChoiceGridBlock,
    ChoiceListBlock,
    CountGridBlock,
    FieldSpec,
    FlagListBlock,
    FormSpec,
    NoteBlock,
    TextBlock,
)

PAGE_W, PAGE_H = A4
LEFT, RIGHT, TOP, BOTTOM = 56.0, PAGE_W - 50.0, 50.0, 56.0
FONT, BOLD = "Helvetica", "Helvetica-Bold"
SIZE = 9.5
LEADING = 12.0
LABEL_COL = 300.0            # label column width of grids
COL_W = 62.0                 # width of a grid column
BOX_H = 15.0


@dataclass(frozen=True)
class PdfOptions:
    """Rendering options: flattened (print version) or fillable."""

    flatten: bool = False


def render_pdf(record: Record, *, flatten: bool = False) -> bytes:
    """The year's form filled with a record, as PDF bytes (fillable, or flattened with ``flatten``)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{record.form.subtitle} – {record.year}")
    canvas.setAuthor("formgen")
    canvas.setSubject(record.kommun or "")
    boxes: Boxes = PrintedBoxes(canvas) if flatten else FillableBoxes(canvas)
    _Layout(canvas, record, boxes).draw()
    if not flatten:
        nest_field_names(canvas)
    canvas.save()
    return buffer.getvalue()


class _Layout:
    def __init__(self, canvas: Canvas, record: Record, boxes: Boxes) -> None:
        self.c = canvas
        self.record = record
        self.form: FormSpec = record.form
        self.year = record.year
        self.boxes = boxes
        self.y = PAGE_H - TOP
        self.page = 1

    # -- page flow

    def need(self, height: float) -> None:
        """Start a new page unless ``height`` points fit below the cursor."""
        if self.y - height < BOTTOM:
            self.new_page()

    def new_page(self) -> None:
        self.c.showPage()
        self.page += 1
        self.y = PAGE_H - TOP

    def r(self, template: str) -> str:
        return self.form.render(template, self.year)

    def text_lines(self, text: str, *, x: float = LEFT, width: float = RIGHT - LEFT, font: str = FONT,
                   size: float = SIZE, leading: float = LEADING, footnote: str | None = None) -> None:
        """A wrapped paragraph at the cursor; a footnote mark is set small and raised after the text."""
        lines = wrap(text, font, size, width - (6 if footnote else 0))
        self.need(leading * len(lines))
        for i, line in enumerate(lines):
            self.y -= leading
            self.c.setFont(font, size)
            self.c.drawString(x, self.y + 3, line)
            if footnote and i == len(lines) - 1:
                self.c.setFont(font, size * 0.6)
                self.c.drawString(x + stringWidth(line, font, size) + 0.5, self.y + 3 + size * 0.45, footnote)

    def gap(self, points: float) -> None:
        self.y -= points

    # -- the form

    def draw(self) -> None:
        form = self.form
        self.text_lines(form.title, font=BOLD, size=16, leading=20)
        self.text_lines(form.subtitle, font=BOLD, size=12, leading=16)
        self.text_lines(self.r(form.send_to), size=9)
        self.gap(6)
        for section in form.active_sections(self.year):
            if section.title:
                self.need(60)
                self.gap(10)
                self.text_lines(self.form.section_title(section, self.year), font=BOLD, size=12, leading=16)
                self.gap(2)
            for block in section.blocks:
                self.block(block)
        self.footer_notes()

    def block(self, block: Block) -> None:
        getattr(self, f"block_{block.kind}")(block)

    def footnote_text(self, mark: str) -> str:
        return next((f.text for f in self.form.footnotes if f.mark == mark), "")

    def footnote(self, mark: str | None) -> None:
        if mark:
            self.gap(2)
            self.text_lines(f"{mark} {self.footnote_text(mark)}", size=7, leading=9)
            self.gap(4)

    def footer_notes(self) -> None:
        """Nothing to add at the end: footnotes stand under the block that refers to them."""

    def block_note(self, block: NoteBlock) -> None:
        if block.heading:
            self.gap(6)
        self.text_lines(self.r(block.text), font=BOLD if block.heading else FONT, size=10 if block.heading else SIZE)
        self.gap(2)

    def block_text(self, block: TextBlock) -> None:
        for spec in block.fields:
            self.text_field(spec)
        self.gap(4)

    def text_field(self, spec: FieldSpec) -> None:
        value = display_value(spec, self.record.get(spec.key))
        if spec.prefix_label:
            self.text_lines(self.r(spec.prefix_label), size=SIZE)
            self.gap(16)
        if spec.inline:
            self.inline_field(spec, value)
            return
        self.text_lines(self.r(spec.label), footnote=spec.footnote)
        if spec.sublabel:
            self.text_lines(self.r(spec.sublabel), size=8.5, leading=11)
        prose = spec.type in ("text", "list") and spec.format is None
        width = RIGHT - LEFT if prose else 200.0
        lines = wrap(value, FONT, SIZE, width - 6) if value else []
        rows = max(len(lines), 3 if prose else 1)
        full_page = int((PAGE_H - TOP - BOTTOM - 4) // LEADING)
        if rows <= full_page:
            self.need(rows * LEADING + 4)  # a box that fits on one page is not split
        first = True
        while rows > 0:
            room = int((self.y - BOTTOM - 4) // LEADING)
            if room < 1:
                self.new_page()
                continue
            take = min(rows, room)
            height = take * LEADING + 4
            self.boxes.text(spec.key, LEFT, self.y - height, width, height, lines[:take], multiline=prose,
                            whole=value, first=first, last=take >= rows)
            first = False
            lines = lines[take:]
            rows -= take
            self.y -= height
            if rows > 0:
                self.new_page()
        self.footnote(spec.footnote)
        self.gap(3)

    def inline_field(self, spec: FieldSpec, value: str) -> None:
        label = self.r(spec.label)
        self.need(LEADING + 4)
        self.y -= LEADING + 2
        self.c.setFont(BOLD if spec.key == "ar" else FONT, SIZE + (1.5 if spec.key == "ar" else 0))
        size = SIZE + (1.5 if spec.key == "ar" else 0)
        font = BOLD if spec.key == "ar" else FONT
        self.c.drawString(LEFT, self.y + 3, label)
        x = LEFT + stringWidth(label, font, size)
        if spec.footnote:
            self.c.setFont(FONT, size * 0.6)
            self.c.drawString(x + 0.5, self.y + 3 + size * 0.45, spec.footnote)
            x += stringWidth(spec.footnote, FONT, size * 0.6) + 1
        self.c.setFont(font, size)
        self.c.drawString(x, self.y + 3, ":" if spec.key != "ar" else "")
        x += 8
        self.boxes.text(spec.key, x, self.y - 1, 80, BOX_H, [value] if value else [], multiline=False, whole=value,
                        font=font, size=size)
        self.footnote(spec.footnote)
        self.gap(2)

    def block_cells(self, block: CellsBlock) -> None:
        per_row = max(len(row) for row in block.rows)
        width = (RIGHT - LEFT) / per_row
        for row in block.rows:
            label_lines = [wrap(self.r(f.label), FONT, 8.5, width - 8) for f in row]
            values = [display_value(f, self.record.get(f.key)) for f in row]
            value_lines = [self.cell_value_lines(f, v, width - 8) for f, v in zip(row, values, strict=True)]
            label_h = max(len(lines) for lines in label_lines) * 10.5
            value_h = max(max(len(v), 1) for v in value_lines) * LEADING + 4
            self.need(label_h + value_h + 8)
            top = self.y
            for i, spec in enumerate(row):
                x = LEFT + i * width
                y = top
                for line in label_lines[i]:
                    y -= 10.5
                    self.c.setFont(FONT, 8.5)
                    self.c.drawString(x + 2, y + 2, line)
                self.boxes.text(spec.key, x + 2, top - label_h - value_h, width - 6, value_h, value_lines[i],
                                multiline=len(value_lines[i]) > 1, whole=values[i])
            self.y = top - label_h - value_h - 8

    @staticmethod
    def cell_value_lines(spec: FieldSpec, value: str, width: float) -> list[str]:
        if not value:
            return []
        if spec.format == "email":
            return _break_anywhere(value, width)
        return wrap(value, FONT, SIZE, width)

    def grid_header(self, labels: Sequence[str], xs: Sequence[float], widths: Sequence[float],
                    header: str | None = None) -> None:
        wrapped = [wrap(label, FONT, 8.5, w - 4) for label, w in zip(labels, widths, strict=True)]
        height = max(len(w) for w in wrapped) * 10.5
        self.need(height + 2 * (BOX_H + 6))
        top = self.y
        if header:
            self.c.setFont(FONT, SIZE)
            self.c.drawString(LEFT, top - LEADING + 3, header)
        for lines, x, w in zip(wrapped, xs, widths, strict=True):
            y = top
            for line in lines:
                y -= 10.5
                self.c.setFont(FONT, 8.5)
                self.c.drawCentredString(x + w / 2, y + 2, line)
        self.y = top - height - 4

    def grid_row(self, label: str, footnote: str | None = None, width: float = LABEL_COL) -> tuple[float, float]:
        """Draw a row label; returns (y of the row's first line, the row's height)."""
        lines = wrap(label, FONT, SIZE, width - 8)
        height = max(len(lines) * LEADING, BOX_H) + 5
        self.need(height)
        top = self.y
        for i, line in enumerate(lines):
            self.c.setFont(FONT, SIZE)
            self.c.drawString(LEFT, top - (i + 1) * LEADING + 3, line)
            if footnote and i == len(lines) - 1:
                self.c.setFont(FONT, SIZE * 0.6)
                self.c.drawString(LEFT + stringWidth(line, FONT, SIZE) + 0.5, top - (i + 1) * LEADING + 7, footnote)
        self.y = top - height
        return top, height

    def block_count_grid(self, block: CountGridBlock) -> None:
        xs = [LEFT + LABEL_COL + 20 + i * (COL_W + 8) for i in range(len(block.columns))]
        widths = [COL_W] * len(xs)
        self.gap(4)
        self.grid_header([c.label for c in block.columns], xs, widths, block.header)
        for row in block.rows:
            top, _ = self.grid_row(self.r(row.label), row.footnote)
            for column, x in zip(block.columns, xs, strict=True):
                key = block.cell_key(row, column)
                spec = self.form.fields[key]
                value = display_value(spec, self.record.get(key))
                self.boxes.number(key, x + 6, top - BOX_H - 1, COL_W - 12, BOX_H, value)
        for row in block.rows:
            self.footnote(row.footnote)
        self.gap(4)

    def block_choice_grid(self, block: ChoiceGridBlock) -> None:
        n = len(block.choices)
        col_w = 90.0 if any(len(c.label) > 12 for c in block.choices) else 50.0
        text_w = 150.0 if block.text_column else 0.0
        label_w = (RIGHT - LEFT) - n * col_w - text_w - 6
        label_w = min(label_w, LABEL_COL + 20)
        x0 = LEFT + label_w + 6
        xs = [x0 + i * col_w for i in range(n)]
        labels = [c.label for c in block.choices]
        widths = [col_w] * n
        if block.text_column:
            xs.append(x0 + n * col_w + 6)
            widths.append(text_w)
            labels.append(block.text_column)
        self.gap(4)
        self.grid_header(labels, xs, widths)
        for row in block.rows:
            value = self.record.get(row.key)
            text_value = display_value(self.form.fields[row.text_key], self.record.get(row.text_key)) \
                if row.text_key else ""
            text_lines = wrap(text_value, FONT, SIZE, text_w - 8) if text_value else []
            top, height = self.grid_row(self.r(row.label), width=label_w)
            extra = max(0, len(text_lines) * LEADING + 4 - height)
            if extra:
                self.y -= extra
            for choice, x in zip(block.choices, xs[:n], strict=True):
                size = 11.0
                self.boxes.choice(row.key, choice.value, x + col_w / 2 - size / 2, top - size - 2, size,
                                  value == choice.value)
            if row.text_key:
                self.boxes.text(row.text_key, xs[-1] + 2, top - max(BOX_H, len(text_lines) * LEADING + 4),
                                text_w - 4, max(BOX_H, len(text_lines) * LEADING + 4), text_lines,
                                multiline=True, whole=text_value)
        self.gap(4)

    def block_choice_list(self, block: ChoiceListBlock) -> None:
        self.text_lines(self.r(block.label))
        value = self.record.get(block.key)
        for choice in block.choices:
            self.need(LEADING + 4)
            self.y -= LEADING + 3
            self.boxes.choice(block.key, choice.value, LEFT, self.y + 1, 10.0, value == choice.value)
            self.c.setFont(FONT, SIZE)
            self.c.drawString(LEFT + 16, self.y + 3, choice.label)
        self.gap(6)

    def block_flag_list(self, block: FlagListBlock) -> None:
        self.text_lines(self.r(block.label))
        for flag in block.flags:
            lines = wrap(self.r(flag.label), FONT, SIZE, RIGHT - LEFT - 16)
            self.need(len(lines) * LEADING + 4)
            self.y -= LEADING + 3
            self.boxes.flag(flag.key, LEFT, self.y + 1, 10.0, self.record.get(flag.key) is True)
            for i, line in enumerate(lines):
                self.c.setFont(FONT, SIZE)
                self.c.drawString(LEFT + 16, self.y + 3 - i * LEADING, line)
            self.y -= (len(lines) - 1) * LEADING
            if flag.text_key:
                spec = self.form.fields[flag.text_key]
                value = display_value(spec, self.record.get(flag.text_key))
                lines = wrap(value, FONT, SIZE, RIGHT - LEFT - 22) if value else []
                height = max(1, len(lines)) * LEADING + 4
                self.need(height + 2)
                self.boxes.text(flag.text_key, LEFT + 16, self.y - height - 2, RIGHT - LEFT - 16, height, lines,
                                multiline=True, whole=value)
                self.y -= height + 2
        self.gap(6)


def _break_anywhere(text: str, width: float) -> list[str]:
    """An e-mail address broken between any characters to fit a narrow cell (as Word does)."""
    lines: list[str] = []
    current = ""
    for ch in text:
        if current and stringWidth(current + ch, FONT, SIZE) > width:
            lines.append(current)
            current = ch
        else:
            current += ch
    if current:
        lines.append(current)
    return lines
