"""One writer per block kind of form.yaml: each prints the form's wording and leaves a Slot per answer."""

from __future__ import annotations

from formgen.generate import typeset as ts
from formgen.generate.layout import (
    BOTTOM,
    LEFT,
    PAD,
    PADX,
    RIGHT,
    TOP,
    WIDTH,
    Flow,
    Slot,
    answer_height,
    label_lines,
    value_slot,
)
from formgen.generate.recipient import addressee
from formgen.generate.typeset import BODY, BOLD, CELL_LABEL, CELL_LEADING, LEADING, REGULAR, SMALL
from formgen.places import Lan
from formgen.record import Record
from formgen.spec import (
    CellsBlock,
    Choice,
    ChoiceGridBlock,
    ChoiceListBlock,
    CountGridBlock,
    FieldSpec,
    FlagListBlock,
    NoteBlock,
    Section,
    TextBlock,
)

COUNT_COLUMN = 72.0
OPTION_INDENT = 16.0
BAND_INDENT = 10.0
FIRST_BASELINE = PAD + 0.8 * BODY  # a row's first baseline below its top
SHORT_ANSWER_WIDTH = 170.0
BLOCK_GAP = 3.0
TABLE_GAP = 8.0  # after a table, so the next label does not sit tight under its last row
_SHORT_TYPES = frozenset({"int", "kr", "fte", "date"})


class BlockWriter:
    """Writes the whole form of a record's year into a Flow, block by block, in form order."""

    def __init__(self, record: Record, flow: Flow, *, flatten: bool, lan: Lan | None = None) -> None:
        self.record = record
        self.lan = lan  # the recipient's län (None: the record's kommun's, if known)
        self.form = record.form
        self.year = record.year
        self.flow = flow
        self.flatten = flatten
        self.fields = self.form.fields_for_year(self.year)
        self.footnote_text = {f.mark: f.text for f in self.form.footnotes}
        self.pending: list[str] = []
        self.printed: set[str] = set()
        self.titles = ts.section_titles(self.form, self.year)

    def r(self, template: str) -> str:
        return ts.render(self.form, template, self.year)

    # ------------------------------------------------------------------ the whole form

    def write_form(self) -> None:
        self.title_block()
        for section in self.form.active_sections(self.year):
            self.section(section)

    def fitted(self, text: str, width: float) -> tuple[float, tuple[str, ...]]:
        """The size a value is written at in a box of ``width`` (long unbreakable words shrink) and its lines."""
        if not text:
            return BODY, ()
        size = ts.fitting_size(text, width - 2 * PADX)
        return size, ts.wrap(text, REGULAR, size, width - 2 * PADX)

    def title_block(self) -> None:
        f = self.flow
        top = f.reserve(24)
        f.text(LEFT, top + 18, self.r(self.form.title), BOLD, 18)
        sub = ts.wrap(self.r(self.form.subtitle), BOLD, 13, WIDTH)
        top = f.reserve(len(sub) * 16 + 4)
        for i, line in enumerate(sub):
            f.text(LEFT, top + 13 + i * 16, line, BOLD, 13)
        send = ts.wrap(addressee(self.record, self.lan).send_to, REGULAR, BODY, WIDTH)
        top = f.reserve(len(send) * LEADING + 4)
        f.label(LEFT, top + 1 + 0.8 * BODY, send)

    def section(self, section: Section) -> None:
        header = section.title is None
        if section.title:
            self.flow.gap(10)
            mark = self.flow.mark()
            top = self.flow.reserve(19, keep=3 * LEADING)
            self.flow.text(LEFT, top + 13, self.titles[section.id], BOLD, 12)
            self.flow.rule(LEFT, top + 16.5, RIGHT, top + 16.5)
            self.flow.y += 3
            self.flow.keep_with_next(mark)
        for block in section.blocks:
            self.flow.gap(BLOCK_GAP)
            if isinstance(block, TextBlock):
                self.block_text(block, header)
            else:
                getattr(self, f"block_{block.kind}")(block)
            self.footnotes()

    # ------------------------------------------------------------------ footnotes

    def mark(self, mark: str | None) -> str | None:
        if mark and mark not in self.printed and mark not in self.pending:
            self.pending.append(mark)
        return mark

    def footnotes(self) -> None:
        """Footnote texts printed under the block that refers to them, each once."""
        for mark in self.pending:
            lines = ts.wrap(self.footnote_text.get(mark, ""), REGULAR, SMALL, WIDTH - 6)
            top = self.flow.reserve(len(lines) * 9 + 3)
            base = top + 1 + 0.8 * SMALL
            self.flow.text(LEFT, base - 2.5, mark, REGULAR, ts.MARK)
            for i, line in enumerate(lines):
                self.flow.text(LEFT + 5, base + i * 9, line, REGULAR, SMALL)
            self.printed.add(mark)
        self.pending.clear()

    # ------------------------------------------------------------------ block kinds

    def block_note(self, block: NoteBlock) -> None:
        font = BOLD if block.heading else REGULAR
        lines = ts.wrap(self.r(block.text), font, BODY, WIDTH)
        if block.heading:
            self.flow.gap(5)
        mark = self.flow.mark()
        top = self.flow.reserve(len(lines) * LEADING + 3, keep=2 * LEADING if block.heading else 0)
        self.flow.label(LEFT, top + 1 + 0.8 * BODY, lines, font=font)
        if block.heading:
            self.flow.keep_with_next(mark)

    def block_text(self, block: TextBlock, header: bool = False) -> None:
        for spec in block.fields:
            if spec.inline:
                self.inline_field(spec, header)
            else:
                self.text_field(spec)

    def inline_field(self, spec: FieldSpec, header: bool) -> None:
        """"Statsbidrag avseende år 2020", "Ange antal tjänster med 2 decimaler¹: 1,00": value after the label."""
        font, size, suffix = (BOLD, 10.0, "") if header else (REGULAR, BODY, ":")
        text = ts.display(spec, self.record.get(spec.key))
        value_w = max(ts.width(text) + 2 * PADX + 6, 48.0 if spec.type == "int" else 64.0)
        lines = label_lines(self.r(spec.label), WIDTH - value_w - 6, self.mark(spec.footnote), suffix, font, size)
        top = self.flow.reserve(answer_height(len(lines)) + 2)
        base = top + FIRST_BASELINE
        end = self.flow.label(LEFT, base, lines, spec.footnote, suffix, font, size)
        last = base + (len(lines) - 1) * LEADING
        box = (end + 4, last - FIRST_BASELINE, end + 4 + value_w, last - FIRST_BASELINE + answer_height(1))
        kind = "number" if spec.type == "int" else "text"
        self.flow.slot(value_slot(self.record, spec, box, kind=kind, lines=(text,) if text else (),
                                  multiline=False, tooltip=self.r(spec.label), readonly=header))

    def text_field(self, spec: FieldSpec, x: float = LEFT, w: float = WIDTH, with_label: bool = True) -> None:
        """Label (and sublabel), then the answer on the lines below it."""
        f = self.flow
        label = self.r(spec.label)
        if spec.prefix_label:
            top = f.reserve(LEADING + 26, keep=60)
            f.text(x, top + 1 + 0.8 * BODY, self.r(spec.prefix_label))
            f.rule(x, top + LEADING + 22, x + 220, top + LEADING + 22)
        lines = label_lines(label, w, self.mark(spec.footnote)) if with_label else ()
        sub = ts.wrap(self.r(spec.sublabel), REGULAR, SMALL, w) if spec.sublabel else ()
        head_h = len(lines) * LEADING + len(sub) * 9 + (2 if lines else 0)
        slot_w = min(w, SHORT_ANSWER_WIDTH) if spec.type in _SHORT_TYPES else w
        text = ts.display(spec, self.record.get(spec.key))
        size, value = self.fitted(text, slot_w)
        room = max(1, int((BOTTOM - TOP - head_h - 2 * PAD - 4) // LEADING))  # lines on an empty page
        n = max(len(value), ts.min_lines(spec, label))
        multiline = ts.is_prose(spec, label) or len(value) > 1
        if n > room and self.flatten:
            self.split_answer(spec, x, slot_w, lines, sub, value, head_h, text, label)
            return
        shown = value[:room]
        box_h = answer_height(min(n, room))
        top = f.reserve(head_h + box_h + 4)
        self.head(x, top, lines, sub, spec.footnote)
        box = (x, top + head_h, x + slot_w, top + head_h + box_h)
        f.slot(Slot(spec.key, "text", box, shown, text, FIRST_BASELINE, size, _leading(size), multiline=multiline,
                    tooltip=label))

    def head(self, x: float, top: float, lines: tuple[str, ...], sub: tuple[str, ...], mark: str | None) -> None:
        base = top + 1 + 0.8 * BODY
        self.flow.label(x, base, lines, mark)
        for i, line in enumerate(sub):
            self.flow.text(x, base + (len(lines) - 1) * LEADING + 9 + i * 9, line, REGULAR, SMALL)

    def split_answer(self, spec: FieldSpec, x: float, slot_w: float, lines: tuple[str, ...], sub: tuple[str, ...],
                     value: tuple[str, ...], head_h: float, text: str, label: str) -> None:
        """An answer longer than a page (flattened only): its lines continue on the following pages."""
        f = self.flow
        rest = list(value)
        first = True
        while rest:
            extra = head_h if first else 0.0
            fit = int((BOTTOM - f.y - extra - 2 * PAD - 4) // LEADING)
            if fit < 1:
                f.new_page()
                continue
            chunk, rest = tuple(rest[:fit]), rest[fit:]
            size = ts.fitting_size(text, slot_w - 2 * PADX)
            top = f.reserve(extra + answer_height(len(chunk)) + 4)
            if first:
                self.head(x, top, lines, sub, spec.footnote)
            box = (x, top + extra, x + slot_w, top + extra + answer_height(len(chunk)))
            f.slot(Slot(spec.key, "text", box, chunk, text, FIRST_BASELINE, size, _leading(size), multiline=True,
                        tooltip=label))
            first = False

    def block_cells(self, block: CellsBlock) -> None:
        """Cells in a grid: label at the top of the cell, the value below it inside the cell."""
        ncol = max(len(row) for row in block.rows)
        for row in block.rows:
            parts = []
            for i, spec in enumerate(row):
                cw = _cell_width(ncol, len(row), i)
                labels = ts.wrap(self.r(spec.label), REGULAR, CELL_LABEL, cw - 2 * PADX)
                text = ts.display(spec, self.record.get(spec.key))
                size, value = self.fitted(text, cw - 2)
                parts.append((spec, labels, text, value, size,
                              PAD + len(labels) * CELL_LEADING + answer_height(len(value))))
            height = max(p[5] for p in parts)
            top = self.flow.reserve(height)
            for i, (spec, labels, text, value, size, _h) in enumerate(parts):
                x0 = LEFT + i * WIDTH / ncol
                cw = _cell_width(ncol, len(row), i)
                self.flow.rule(x0, top, x0 + cw, top + height, box=True)
                for j, line in enumerate(labels):
                    self.flow.text(x0 + PADX, top + PAD + 0.8 * CELL_LABEL + j * CELL_LEADING, line, REGULAR,
                                   CELL_LABEL)
                box = (x0 + 1, top + PAD + len(labels) * CELL_LEADING, x0 + cw - 1, top + height - 1)
                self.flow.slot(Slot(spec.key, "text", box, value, text, FIRST_BASELINE, size, _leading(size),
                                    multiline=len(value) > 1, tooltip=self.r(spec.label)))
        self.flow.gap(TABLE_GAP)

    def block_count_grid(self, block: CountGridBlock) -> None:
        """A header line with the column labels, then each row: label at the left, counts under the headers."""
        label_w = WIDTH - len(block.columns) * COUNT_COLUMN
        columns = [(LEFT + label_w + j * COUNT_COLUMN, c.label) for j, c in enumerate(block.columns)]
        header = self.r(block.header) if block.header else None
        self.grid_header(header, columns)
        for row in block.rows:
            indent = BAND_INDENT if row.band_of else 0.0
            lines = label_lines(self.r(row.label), label_w - 2 * PADX - indent, self.mark(row.footnote))
            height = answer_height(len(lines))
            if not self.flow.fits(height):
                self.flow.new_page()
                self.grid_header(header, columns)
            top = self.grid_row(height, [x for x, _ in columns])
            self.flow.label(LEFT + PADX + indent, top + FIRST_BASELINE, lines, row.footnote)
            for (x0, _label), column in zip(columns, block.columns, strict=True):
                spec = self.fields[block.cell_key(row, column)]
                text = ts.display(spec, self.record.get(spec.key))
                box = (x0 + 1, top + 1, x0 + COUNT_COLUMN - 1, top + height - 1)
                self.flow.slot(value_slot(self.record, spec, box, kind="number", lines=(text,) if text else (),
                                          align="center", multiline=False, baseline=FIRST_BASELINE - 1,
                                          tooltip=f"{self.r(row.label)} – {column.label}"))
        self.flow.gap(TABLE_GAP)

    def grid_header(self, header: str | None, columns: list[tuple[float, str]]) -> None:
        col_w = COUNT_COLUMN
        heads = [ts.wrap(label, REGULAR, BODY, col_w - 4) for _, label in columns]
        n = max([len(h) for h in heads] + [1])
        height = answer_height(n)
        top = self.flow.reserve(height, keep=answer_height(1))
        self.flow.rule(LEFT, top, RIGHT, top + height, box=True)
        base = top + FIRST_BASELINE
        if header:
            self.flow.text(LEFT + PADX, base, header)
        for (x0, _), lines in zip(columns, heads, strict=True):
            self.flow.rule(x0, top, x0, top + height)
            for i, line in enumerate(lines):
                self.flow.text(x0 + col_w / 2, base + i * LEADING, line, align="center")

    def grid_row(self, height: float, xs: list[float]) -> float:
        top = self.flow.reserve(height)
        self.flow.rule(LEFT, top, RIGHT, top + height, box=True)
        for x in xs:
            self.flow.rule(x, top, x, top + height)
        return top

    def block_choice_grid(self, block: ChoiceGridBlock) -> None:
        """A header line with the choice labels; each row's "X" under the chosen column's header."""
        widths = [max(36.0, ts.width(c.label) + 2 * PADX + 6) for c in block.choices]
        text_w = 0.0
        if block.text_column:
            longest = max(ts.width(self.r(r.label)) for r in block.rows) + 2 * PADX + 4
            label_w = min(max(longest, 110.0), WIDTH * 0.4)
            text_w = WIDTH - label_w - sum(widths)
        else:
            label_w = WIDTH - sum(widths)
        x = LEFT + label_w
        columns = []
        for w, choice in zip(widths, block.choices, strict=True):
            columns.append((x, w, choice))
            x += w
        text_col = (x, self.r(block.text_column)) if block.text_column else None
        self.choice_header(columns, text_col)
        for row in block.rows:
            label = self.r(row.label)
            lines = label_lines(label, label_w - 2 * PADX)
            text_spec = self.fields[row.text_key] if row.text_key else None
            text = ts.display(text_spec, self.record.get(text_spec.key)) if text_spec else ""
            text_size, text_lines = self.fitted(text, text_w)
            height = answer_height(max(len(lines), len(text_lines)))
            if not self.flow.fits(height):
                self.flow.new_page()
                self.choice_header(columns, text_col)
            top = self.grid_row(height, [c[0] for c in columns] + ([text_col[0]] if text_col else []))
            self.flow.label(LEFT + PADX, top + FIRST_BASELINE, lines)
            value = self.record.get(row.key)
            for x0, w, choice in columns:
                on = value == choice.value
                self.flow.slot(Slot(row.key, "radio", (x0 + 1, top + 1, x0 + w - 1, top + height - 1),
                                    ("X",) if on else (), str(value or ""), FIRST_BASELINE - 1, align="center",
                                    export=choice.value, on=on, tooltip=label))
            if text_spec and text_col:
                box = (text_col[0] + 1, top + 1, RIGHT - 1, top + height - 1)
                self.flow.slot(Slot(text_spec.key, "text", box, text_lines, text, FIRST_BASELINE - 1, text_size,
                                    _leading(text_size), multiline=True, tooltip=f"{label}: {text_col[1]}"))
        self.flow.gap(TABLE_GAP)

    def choice_header(self, columns: list[tuple[float, float, Choice]], text_col: tuple[float, str] | None) -> None:
        height = answer_height(1)
        top = self.flow.reserve(height, keep=answer_height(1))
        self.flow.rule(LEFT, top, RIGHT, top + height, box=True)
        for x0, w, choice in columns:
            self.flow.rule(x0, top, x0, top + height)
            self.flow.text(x0 + w / 2, top + FIRST_BASELINE, choice.label, align="center")
        if text_col:
            self.flow.rule(text_col[0], top, text_col[0], top + height)
            self.flow.text(text_col[0] + PADX, top + FIRST_BASELINE, text_col[1])

    def block_choice_list(self, block: ChoiceListBlock) -> None:
        """The question, then one option per line: a box, an "X" in it when chosen, the option's label."""
        question = ts.wrap(self.r(block.label), REGULAR, BODY, WIDTH)
        top = self.flow.reserve(len(question) * LEADING + 2, keep=LEADING * len(block.choices))
        self.flow.label(LEFT, top + 1 + 0.8 * BODY, question)
        value = self.record.get(block.key)
        for choice in block.choices:
            self.option(block.key, "radio", choice.label, value == choice.value, str(value or ""), choice.value)

    def block_flag_list(self, block: FlagListBlock) -> None:
        """The question, then one statement per line with its box; a text answer below a statement that has one."""
        question = ts.wrap(self.r(block.label), REGULAR, BODY, WIDTH)
        top = self.flow.reserve(len(question) * LEADING + 2, keep=LEADING * 2)
        self.flow.label(LEFT, top + 1 + 0.8 * BODY, question)
        for flag in block.flags:
            on = self.record.get(flag.key) is True
            self.option(flag.key, "check", self.r(flag.label), on, self.form.flag_value if on else "", None)
            if flag.text_key:
                self.text_field(self.fields[flag.text_key], LEFT + OPTION_INDENT, WIDTH - OPTION_INDENT,
                                with_label=False)

    def option(self, key: str, kind: str, label: str, on: bool, value: str, export: str | None) -> None:
        lines = ts.wrap(label, REGULAR, BODY, WIDTH - OPTION_INDENT)
        top = self.flow.reserve(len(lines) * LEADING + 2)
        base = top + 1 + 0.8 * BODY
        box = (LEFT + 1, base - 7.6, LEFT + 10, base + 1.4)
        self.flow.rule(*box, box=True)
        self.flow.label(LEFT + OPTION_INDENT, base, lines)
        self.flow.slot(Slot(key, kind, box, ("X",) if on else (), value, 7.6, size=8.0, align="center",
                            export=export, on=on, tooltip=label))


def _cell_width(ncol: int, in_row: int, index: int) -> float:
    """The width of a cell of a cells block: a column's, the last cell of a short row spanning the rest (room
    for a long e-mail address alone in its row)."""
    column = WIDTH / ncol
    return column * (ncol - in_row + 1) if index == in_row - 1 else column


def _leading(size: float) -> float:
    """The line distance of a value written at ``size`` (BODY's leading, scaled)."""
    return LEADING * size / BODY
