"""An independent test renderer: draws a filled, flattened 2020 form from a record in a chosen print Style.

Written for the tests only (it does not use formgen's own generator). Labels come from forms/2020/form.yaml
rendered for the record's year; the layout choices are the Style's: fonts, sizes, margins, column widths,
borders, tick glyphs or drawn boxes, how the contact cells are laid out, where pages break, footnotes.
Unanswered values print nothing. Numbers are printed the Swedish way ("402 638 kr", "1,00").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from formgen import values as v
from formgen.record import Record
from formgen.spec import (
    CellsBlock,
    Choice,
    ChoiceGridBlock,
    ChoiceListBlock,
    CountGridBlock,
    FieldSpec,
    FlagListBlock,
    FormSpec,
    NoteBlock,
    TextBlock,
)

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {  # family -> (regular, bold)
    "Helvetica": ("Helvetica", "Helvetica-Bold"),
    "Times-Roman": ("Times-Roman", "Times-Bold"),
    "Courier": ("Courier", "Courier-Bold"),
    "DejaVuSans": ("DejaVuSans", "DejaVuSans-Bold"),
    "DejaVuSerif": ("DejaVuSerif", "DejaVuSerif-Bold"),
}
GLYPH_TICKS = ("x", "X", "☒", "✓", "✔")
DRAWN = "box"  # tick style: a drawn square with a drawn cross, empty squares for unticked options
# Where the printed form glues a footnote mark inside a label (after this word); else after the last word.
FOOTNOTE_AFTER = {"klienter.hemmavarande_barn": "år"}


@dataclass(frozen=True)
class Style:
    """How one kommun's printer laid the form out."""

    name: str
    font: str = "Helvetica"
    size: float = 10.0
    margins: tuple[float, float, float, float] = (56.0, 50.0, 56.0, 50.0)  # left, top, right, bottom
    label_width: float = 290.0  # the grids' label column
    col_width: float = 60.0  # each Ja/Nej/Kvinnor/Män column
    borders: bool = False
    reverse_columns: bool = False  # choice/count columns printed right to left
    tick: str = "x"  # one of GLYPH_TICKS or DRAWN
    cells_per_row: int = 4  # contact block: 4 (like the form), 2 or 1 cells per row
    cell_widths: tuple[float, ...] = ()  # widths of the contact cells by position in a row; () shares the width
    # where a new page starts: "section:<id>", "field:<key>", "line:<key>:<n>" (inside a value, before its line
    # n), "row:<grid row key>", "opt:<option key>", "cells:<first key of a printed row of cells>"
    breaks: frozenset[str] = frozenset()
    repeat_header: bool = True  # a grid broken over pages repeats its header row
    superscript: bool = True  # footnote marks raised and smaller, else printed inline ("decimaler1")
    leading: float = 1.25
    list_sep: str = "\n"  # how the other kommuner of the list are typed: one per line, or ", "
    inline_options: bool = False  # a choice list's options side by side on one line, each after its mark
    column_jitter: tuple[float, ...] = ()  # added to label_width, grid after grid (cycling)
    cross_paths: int = 1  # a drawn box's cross: one path of two strokes, or two line objects
    running_lines: bool = False  # a page header and a page-numbered footer on every page
    header_text: tuple[tuple[str, str], ...] = ()  # grid column headers printed otherwise ("Antal kvinnor" -> "Kv")
    hyphen_breaks: bool = False  # a compound written with a hyphen ("e-tjänster") always breaks after its hyphen
    ligatures: bool = False  # "fi", "fl", "ff" in answers typeset as ligature glyphs (U+FB01, U+FB02, U+FB00)

    @property
    def regular(self) -> str:
        return FONTS[self.font][0]

    @property
    def bold(self) -> str:
        return FONTS[self.font][1]


@cache
def register_fonts() -> None:
    """Register the DejaVu TrueType fonts with reportlab (once)."""
    for name in ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSerif", "DejaVuSerif-Bold"):
        pdfmetrics.registerFont(TTFont(name, str(DEJAVU / f"{name}.ttf")))


class WordTooWide(ValueError):
    """A value's word does not fit its cell: Word would break it mid-word, and the truth would be ambiguous."""


def hyphen_pieces(text: str) -> str:
    """Text whose compounds break after their hyphen: "e-tjänster" becomes "e-\n" + "tjänster" pieces (a newline
    inside a paragraph, which ``wrap`` turns into a line break)."""
    return " ".join(_HYPHEN_INSIDE.sub("-\n", word) for word in text.split(" "))


_HYPHEN_INSIDE = re.compile(r"(?<=\w)-(?=\w)")
LIGATURES = {"ffi": "\ufb03", "ffl": "\ufb04", "ff": "\ufb00", "fi": "\ufb01", "fl": "\ufb02"}


def with_ligatures(text: str) -> str:
    """Text with "ffi", "fi", "fl", ... written as the ligature glyphs a typesetter would use."""
    for letters, glyph in LIGATURES.items():
        text = text.replace(letters, glyph)
    return text


def wrap(text: str, width: float, font: str, size: float, split_words: bool = True) -> list[str]:
    """Greedy word wrap; a word wider than the line is broken between characters (as Word does), or with
    ``split_words`` false refused (WordTooWide). A newline in ``text`` breaks the line there."""
    if "\n" in text:
        return [ln for piece in text.split("\n") for ln in wrap(piece, width, font, size, split_words)]
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if pdfmetrics.stringWidth(candidate, font, size) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        if not split_words and pdfmetrics.stringWidth(word, font, size) > width:
            raise WordTooWide(f"{word!r} is wider than {width:.0f} pt in {font} {size}")
        while pdfmetrics.stringWidth(word, font, size) > width and len(word) > 1:
            cut = max(1, max(i for i in range(1, len(word) + 1)
                             if pdfmetrics.stringWidth(word[:i], font, size) <= width or i == 1))
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def paragraphs(text: str, width: float, font: str, size: float, split_words: bool = False,
               hyphen_breaks: bool = False) -> list[str]:
    """Wrapped lines of a value that may hold several paragraphs (only e-mail addresses break mid-word); with
    ``hyphen_breaks`` every compound breaks after its hyphen."""
    return [ln for para in text.split("\n")
            for ln in wrap(hyphen_pieces(para) if hyphen_breaks else para, width, font, size, split_words)]


def printed_value(spec: FieldSpec, value: object, list_sep: str = "\n") -> str | None:
    """A value as a person types it on the form, or None when unanswered."""
    if value is None or value is False or value == []:
        return None
    if spec.type in ("int",):
        return v.format_int_sv(int(value)) if int(value) >= 10_000 else str(value)
    if spec.type == "kr":
        return v.format_kr_sv(int(value))
    if spec.type == "fte":
        return v.format_fte_sv(str(value))
    if spec.type == "list":
        return list_sep.join(str(x) for x in value)  # type: ignore[union-attr]
    return str(value)


@dataclass
class Page:
    footnotes: list[tuple[str, str]] = field(default_factory=list)
    reserved: float = 0.0


class Painter:
    """A canvas with a cursor (``y`` from the page top), page breaks and footnotes at page bottoms."""

    def __init__(self, path: Path, style: Style) -> None:
        register_fonts()
        self.c = canvas.Canvas(str(path), pagesize=A4)
        self.c.setTitle("Redovisning")
        self.style = style
        self.width, self.height = A4
        self.left, self.top, right, self.bottom = style.margins
        self.right = self.width - right
        self.y = self.top
        self.page = Page()
        self.on_new_page: Callable[[], None] | None = None

    # -- geometry
    @property
    def lh(self) -> float:
        return self.style.size * self.style.leading

    @property
    def content_width(self) -> float:
        return self.right - self.left

    def floor(self) -> float:
        return self.height - self.bottom - self.page.reserved

    def need(self, height: float) -> None:
        if self.y + height > self.floor():
            self.new_page()

    def maybe_break(self, place: str) -> None:
        """Start a new page where the style asks for one (``place`` names a spot of the form)."""
        if place in self.style.breaks:
            self.new_page()

    def new_page(self) -> None:
        self.draw_footnotes()
        self.draw_running_lines()
        self.c.showPage()
        self.y = self.top
        self.page = Page()
        if self.on_new_page is not None:
            hook, self.on_new_page = self.on_new_page, None
            hook()
            self.on_new_page = hook

    def save(self) -> None:
        self.draw_footnotes()
        self.draw_running_lines()
        self.c.save()

    def draw_running_lines(self) -> None:
        """The page header and footer Word repeats on every page (the form's name, a page number)."""
        if not self.style.running_lines:
            return
        size = max(6.0, self.style.size - 2)
        number = self.c.getPageNumber()
        self.text(self.left, self.top / 2 - size, "Länsstyrelsen – Redovisning personligt ombud", size=size)
        self.text(self.right - 40, self.height - self.bottom / 2, f"Sida {number}", size=size)

    # -- drawing
    def baseline(self, y: float, size: float | None = None) -> float:
        return self.height - (y + 0.8 * (size or self.style.size))

    def text(self, x: float, y: float, s: str, font: str | None = None, size: float | None = None) -> None:
        size = size or self.style.size
        self.c.setFont(font or self.style.regular, size)
        self.c.drawString(x, self.baseline(y, size), s)

    def text_with_mark(self, x: float, y: float, s: str, mark: str | None, after: str | None,
                       font: str | None = None) -> None:
        """A line of text with a footnote mark glued to the word ``after`` (or to the line's end)."""
        font = font or self.style.regular
        size = self.style.size
        if not mark:
            self.text(x, y, s, font)
            return
        words = s.split(" ")
        cut = len(words) if after not in words else words.index(after) + 1
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        self.text(x, y, head, font)
        x += pdfmetrics.stringWidth(head, font, size)
        if self.style.superscript:
            small = size * 0.65
            self.c.setFont(font, small)
            self.c.drawString(x, self.baseline(y, size) + size * 0.35, mark)
            x += pdfmetrics.stringWidth(mark, font, small)
        else:
            self.text(x, y, mark, font)
            x += pdfmetrics.stringWidth(mark, font, size)
        if tail:
            self.text(x, y, " " + tail, font)

    def lines(self, x: float, lines: Sequence[str], font: str | None = None, size: float | None = None,
              break_key: str | None = None) -> None:
        """Lines one under the other, breaking the page where they do not fit."""
        size = size or self.style.size
        for i, line in enumerate(lines):
            if break_key is not None and i:
                self.maybe_break(f"line:{break_key}:{i}")
            self.need(size * self.style.leading)
            self.text(x, self.y, line, font, size)
            self.y += size * self.style.leading

    def rect(self, x: float, y: float, w: float, h: float) -> None:
        self.c.setLineWidth(0.5)
        self.c.rect(x, self.height - y - h, w, h, stroke=1, fill=0)

    def mark(self, xc: float, y: float, ticked: bool) -> None:
        """A tick centred at ``xc`` on the text line starting at ``y``: a glyph, or a drawn (crossed) box."""
        size = self.style.size
        tick = self.style.tick
        if tick == DRAWN:
            side = max(6.0, size * 0.8)
            x0 = xc - side / 2
            y0 = self.height - (y + size * 0.55) - side / 2  # centred on the line's middle
            self.c.setLineWidth(0.6)
            self.c.rect(x0, y0, side, side, stroke=1, fill=0)
            if ticked and self.style.cross_paths == 2:  # two line objects, as Word prints a legacy check box
                self.c.line(x0 + 1, y0 + 1, x0 + side - 1, y0 + side - 1)
                self.c.line(x0 + 1, y0 + side - 1, x0 + side - 1, y0 + 1)
            elif ticked:  # one path of two strokes
                p = self.c.beginPath()
                p.moveTo(x0 + 1, y0 + 1)
                p.lineTo(x0 + side - 1, y0 + side - 1)
                p.moveTo(x0 + 1, y0 + side - 1)
                p.lineTo(x0 + side - 1, y0 + 1)
                self.c.drawPath(p, stroke=1, fill=0)
            return
        if not ticked:
            return
        font = self.style.regular if tick in ("x", "X") else "DejaVuSans"
        w = pdfmetrics.stringWidth(tick, font, size)
        self.text(xc - w / 2, y, tick, font, size)

    # -- footnotes
    def note_lines(self, mark: str, text: str) -> list[str]:
        return wrap(f"{mark} {text}", self.content_width, self.style.regular, self.note_size)

    @property
    def note_size(self) -> float:
        return max(6.0, self.style.size - 2)

    def add_footnote(self, mark: str, text: str) -> None:
        """Reserve room at this page's bottom for a footnote (breaking first if it does not fit)."""
        height = len(self.note_lines(mark, text)) * self.note_size * self.style.leading + 6
        if self.y + self.lh + height > self.floor():
            self.new_page()
        self.page.footnotes.append((mark, text))
        self.page.reserved += height

    def draw_footnotes(self) -> None:
        if not self.page.footnotes:
            return
        y = self.height - self.bottom - self.page.reserved + 6
        self.c.setLineWidth(0.5)
        self.c.line(self.left, self.height - y + 3, self.left + 120, self.height - y + 3)
        for mark, text in self.page.footnotes:
            for line in self.note_lines(mark, text):
                self.text(self.left, y, line, size=self.note_size)
                y += self.note_size * self.style.leading


class FormRenderer:
    """Draws one record on the form in one style."""

    def __init__(self, form: FormSpec, record: Record, style: Style, painter: Painter,
                 printed: Mapping[str, object], omit: Iterable[str]) -> None:
        self.form = form
        self.year = record.year
        self.record = record
        self.style = style
        self.p = painter
        self.printed = dict(printed)
        self.omit = set(omit)
        self.shift: dict[str, tuple[float, float]] = {}
        self.relabel: dict[str, str] = {}
        self.fields = form.fields_for_year(record.year)
        self.notes = {n.mark: n.text for n in form.footnotes}
        self.grids = 0

    def r(self, template: str) -> str:
        return self.form.render(template, self.year)

    def value_text(self, key: str) -> str | None:
        if key in self.printed:
            return str(self.printed[key])
        text = printed_value(self.fields[key], self.record.get(key), self.style.list_sep)
        spec = self.fields[key]
        if text and self.style.ligatures and spec.type == "text" and spec.format is None:
            text = with_ligatures(text)
        return text

    def answer_lines(self, key: str, text: str, width: float, split_words: bool = False) -> list[str]:
        """An answer's printed lines: wrapped, compounds broken after their hyphen when the style says so."""
        spec = self.fields.get(key)
        hyphens = self.style.hyphen_breaks and spec is not None and spec.type == "text" and spec.format is None
        return paragraphs(text, width, self.style.regular, self.style.size, split_words, hyphens)

    def ticked(self, key: str) -> tuple[str, ...]:
        """The choice values marked for a key (an override may tick several)."""
        if key in self.printed:
            return tuple(self.printed[key])  # type: ignore[arg-type]
        value = self.record.get(key)
        if value is True:
            return ("ja",)
        return (value,) if isinstance(value, str) else ()

    # -- whole form
    def draw(self) -> None:
        p, st = self.p, self.style
        p.lines(p.left, [self.form.title], st.bold, st.size + 6)
        p.lines(p.left, wrap(self.r(self.form.subtitle), p.content_width, st.bold, st.size + 2), st.bold, st.size + 2)
        p.lines(p.left, wrap(self.r(self.form.send_to), p.content_width, st.regular, st.size))
        year = self.value_text("ar") or ""
        p.lines(p.left, [f"{self.r(self.form.year_label)} {year}".strip()], st.bold)
        for section in self.form.active_sections(self.year):
            if section.title:
                p.maybe_break(f"section:{section.id}")
                p.need(3 * p.lh)
                p.y += 0.4 * p.lh
                p.lines(p.left, wrap(self.r(section.title), p.content_width, st.bold, st.size + 2), st.bold,
                        st.size + 2)
            for block in section.blocks:
                self.block(block)
        p.save()

    def block(self, block: object) -> None:
        if isinstance(block, NoteBlock):
            font = self.style.bold if block.heading else self.style.regular
            self.p.lines(self.p.left, wrap(self.r(block.text), self.p.content_width, font, self.style.size), font)
        elif isinstance(block, TextBlock):
            for spec in block.fields:
                if spec.key != "ar":
                    self.text_field(spec)
        elif isinstance(block, CellsBlock):
            self.cells([f for row in block.rows for f in row])
        elif isinstance(block, CountGridBlock):
            self.count_grid(block)
        elif isinstance(block, ChoiceGridBlock):
            self.choice_grid(block)
        elif isinstance(block, ChoiceListBlock):
            self.choice_list(block)
        elif isinstance(block, FlagListBlock):
            self.flag_list(block)

    # -- text fields
    def label_lines(self, key: str, label: str, width: float, font: str | None = None) -> list[str]:
        """A label wrapped to its cell; a word wider than the cell is refused (WordTooWide): forms are laid
        out so labels fit (only the narrow grid columns' headers break inside words)."""
        if key in self.omit:
            return []
        label = self.relabel.get(key, label)
        return wrap(self.r(label), width, font or self.style.regular, self.style.size, split_words=False)

    def draw_label(self, key: str, lines: Sequence[str], x: float, y: float, mark: str | None) -> None:
        for i, line in enumerate(lines):
            last = i == len(lines) - 1
            after = FOOTNOTE_AFTER.get(key)
            glue = mark if (after and after in line.split(" ")) or (last and not after) else None
            self.p.text_with_mark(x, y + i * self.p.lh, line, glue, after if glue else None)

    def text_field(self, spec: FieldSpec) -> None:
        p, st = self.p, self.style
        p.maybe_break(f"field:{spec.key}")
        value = self.value_text(spec.key)
        if spec.footnote:
            p.add_footnote(spec.footnote, self.notes[spec.footnote])
        if spec.prefix_label:
            p.need(p.lh)
            p.text(p.left, p.y, self.r(spec.prefix_label))
            x = p.left + p.content_width / 2
            label = self.label_lines(spec.key, spec.label, p.right - x)
            self.draw_label(spec.key, label, x, p.y, spec.footnote)
            p.y += max(1, len(label)) * p.lh
        elif spec.inline:
            text = self.r(spec.label) if spec.key not in self.omit else ""
            p.need(p.lh)
            mark = spec.footnote
            p.text_with_mark(p.left, p.y, text, mark, None)
            width = pdfmetrics.stringWidth(text, st.regular, st.size)
            if mark:
                width += pdfmetrics.stringWidth(mark, st.regular, st.size * (0.65 if st.superscript else 1.0))
            if value:
                p.text(p.left + width, p.y, f": {value}" if text else value)
            p.y += p.lh
            return
        else:
            label = self.label_lines(spec.key, spec.label, p.content_width)
            p.need(len(label) * p.lh)
            self.draw_label(spec.key, label, p.left, p.y, spec.footnote)
            p.y += len(label) * p.lh
        if spec.sublabel and spec.key not in self.omit:
            small = st.size - 1
            p.lines(p.left, wrap(self.r(spec.sublabel), p.content_width, st.regular, small), size=small)
        if value:
            p.lines(p.left, self.answer_lines(spec.key, value, p.content_width, spec.format == "email"),
                    break_key=spec.key)
        else:
            p.y += p.lh  # the empty answer line
        p.y += 0.3 * p.lh

    # -- the contact cells
    def cells(self, specs: Sequence[FieldSpec]) -> None:
        p, st = self.p, self.style
        n = st.cells_per_row
        widths = st.cell_widths or (p.content_width / n,) * n
        lefts = [p.left + sum(widths[:i]) for i in range(n)]
        pad = 3.0
        for start in range(0, len(specs), n):
            row = specs[start:start + n]
            labels = [self.label_lines(f.key, f.label, widths[i] - 2 * pad) for i, f in enumerate(row)]
            texts = [self.value_text(f.key) or "" for f in row]
            vals = [self.answer_lines(f.key, t, widths[i] - 2 * pad, f.format == "email") if t else []
                    for i, (f, t) in enumerate(zip(row, texts, strict=True))]
            label_h = max(len(x) for x in labels) * p.lh
            height = label_h + max(1, max(len(x) for x in vals)) * p.lh + 2 * pad
            p.maybe_break(f"cells:{row[0].key}")
            p.need(height + pad)
            for i, f in enumerate(row):
                x = lefts[i]
                if st.borders:
                    p.rect(x, p.y, widths[i], height)
                self.draw_label(f.key, labels[i], x + pad, p.y + pad, None)
                for j, line in enumerate(vals[i]):
                    p.text(x + pad, p.y + pad + label_h + j * p.lh, line)
            p.y += height + (0 if st.borders else pad)
        p.y += 0.3 * p.lh

    # -- grids
    def label_width(self, columns: int, text_column: bool = False) -> float:
        """The label column's width: the style's (moved by the style's jitter, grid by grid: each table of a
        Word form has its own columns), narrowed to leave a text column room for its words."""
        jitter = self.style.column_jitter
        self.grids += 1
        width = self.style.label_width + (jitter[self.grids % len(jitter)] if jitter else 0.0)
        room = self.p.content_width - columns * self.style.col_width - (170.0 if text_column else 0.0)
        return min(width, room)

    def columns(self, choices: Sequence[Choice], label_width: float) -> list[tuple[Choice, float]]:
        """Each column with its left edge, in print order."""
        ordered = list(reversed(choices)) if self.style.reverse_columns else list(choices)
        x0 = self.p.left + label_width
        return [(c, x0 + i * self.style.col_width) for i, c in enumerate(ordered)]

    def grid_header(self, first_row: str, header: str | None, cols: Sequence[tuple[Choice, float]],
                    text_col: tuple[str, float, float] | None = None) -> None:
        p, st = self.p, self.style
        cw = st.col_width
        printed = dict(st.header_text)
        heads = [([] if f"col:{first_row}:{c.value}" in self.omit
                  else wrap(printed.get(c.label, c.label), cw - 4, st.regular, st.size), x, cw) for c, x in cols]
        if text_col:
            label, x, w = text_col
            heads.append((wrap(label, w - 4, st.regular, st.size), x, w))
        rows = max([len(h) for h, _, _ in heads] + [1])
        height = rows * p.lh + 4
        label_width = min(x for _, x in cols) - p.left
        block_head = wrap(header, label_width - 6, st.regular, st.size) if header else []
        height = max(len(block_head), rows) * p.lh + 4
        p.need(height + p.lh)
        for i, line in enumerate(block_head):
            p.text(p.left + 2, p.y + 2 + i * p.lh, line)
        for lines, x, w in heads:
            for i, line in enumerate(lines):
                lw = pdfmetrics.stringWidth(line, st.regular, st.size)
                p.text(x + (w - lw) / 2, p.y + 2 + i * p.lh, line)
        if st.borders:
            p.rect(p.left, p.y, label_width, height)
            for _, x, w in heads:
                p.rect(x, p.y, w, height)
        p.y += height

    def grid_row(self, key: str, label: str, mark: str | None, cols: Sequence[tuple[Choice, float]],
                 cell: Callable[[Choice, float, float], None], extra_lines: Sequence[str] = (),
                 extra_x: float = 0.0, extra_w: float = 0.0) -> None:
        p, st = self.p, self.style
        label_width = min(x for _, x in cols) - p.left
        lines = self.label_lines(key, label, label_width - 6)
        height = max(len(lines), len(extra_lines), 1) * p.lh + 4
        p.maybe_break(f"row:{key}")
        if mark:
            p.add_footnote(mark, self.notes[mark])
        p.need(height)
        self.draw_label(key, lines, p.left + 2, p.y + 2, mark)
        for choice, x in cols:
            cell(choice, x, p.y + 2)
        for i, line in enumerate(extra_lines):
            p.text(extra_x + 2, p.y + 2 + i * p.lh, line)
        if st.borders:
            p.rect(p.left, p.y, label_width, height)
            for _, x in cols:
                p.rect(x, p.y, st.col_width, height)
            if extra_w:
                p.rect(extra_x, p.y, extra_w, height)
        p.y += height

    def count_grid(self, block: CountGridBlock) -> None:
        p, st = self.p, self.style
        cols = self.columns(block.columns, self.label_width(len(block.columns)))

        def header() -> None:
            self.grid_header(block.rows[0].key, block.header, cols)

        header()
        for row in block.rows:
            def cell(col: Choice, x: float, y: float, row=row) -> None:  # noqa: ANN001
                text = self.value_text(block.cell_key(row, col))
                if text:
                    w = pdfmetrics.stringWidth(text, st.regular, st.size)
                    if w > st.col_width - 2 and block.cell_key(row, col) not in self.shift:
                        raise WordTooWide(f"{text!r} is wider than its column ({st.col_width:.0f} pt)")
                    dx, dy = self.shift.get(block.cell_key(row, col), (0.0, 0.0))
                    p.text(x + (st.col_width - w) / 2 + dx, y + dy, text)

            self.with_repeat(lambda row=row, cell=cell: self.grid_row(
                row.key, row.label, row.footnote, cols, cell), header)
        p.y += 0.3 * p.lh

    def with_repeat(self, draw: Callable[[], None], header: Callable[[], None]) -> None:
        """Draw a grid row; should the page break inside the grid, repeat the header if the style does."""
        self.p.on_new_page = header if self.style.repeat_header else None
        try:
            draw()
        finally:
            self.p.on_new_page = None

    def choice_grid(self, block: ChoiceGridBlock) -> None:
        p, st = self.p, self.style
        cols = self.columns(block.choices, self.label_width(len(block.choices), bool(block.text_column)))
        text_x = min(x for _, x in cols) + len(cols) * st.col_width
        text_w = p.right - text_x
        text_col = (block.text_column, text_x, text_w) if block.text_column else None

        def header() -> None:
            self.grid_header(block.rows[0].key, None, cols, text_col)

        header()
        for row in block.rows:
            marked = self.ticked(row.key)

            def cell(choice: Choice, x: float, y: float, marked=marked) -> None:  # noqa: ANN001
                if st.tick == DRAWN or choice.value in marked:
                    p.mark(x + st.col_width / 2, y, choice.value in marked)

            text = self.value_text(row.text_key) if row.text_key else None
            extra = self.answer_lines(row.text_key, text, text_w - 4) if text and row.text_key else []
            self.with_repeat(lambda row=row, cell=cell, extra=extra: self.grid_row(
                row.key, row.label, None, cols, cell, extra, text_x, text_w if text_col else 0.0),
                header)
        p.y += 0.3 * p.lh

    # -- lists of options
    def option(self, key: str, label: str, ticked: bool) -> None:
        p, st = self.p, self.style
        indent = 4 * st.size
        lines = self.label_lines(key, label, p.content_width - indent)
        p.maybe_break(f"opt:{key}")
        p.need(max(1, len(lines)) * p.lh)
        if ticked or st.tick == DRAWN:
            p.mark(p.left + indent / 2, p.y, ticked)
        self.draw_label(key, lines, p.left + indent, p.y, None)
        p.y += max(1, len(lines)) * p.lh

    def choice_list(self, block: ChoiceListBlock) -> None:
        p, st = self.p, self.style
        p.maybe_break(f"field:{block.key}")
        p.lines(p.left, self.label_lines(block.key, block.label, p.content_width))
        marked = self.ticked(block.key)
        if not st.inline_options:
            for choice in block.choices:
                self.option(f"{block.key}={choice.value}", choice.label, choice.value in marked)
        else:  # "☒ Ja   ☐ Nej   ☐ Kan inte bedöma" on one line
            p.need(p.lh)
            x = p.left
            for choice in block.choices:
                if choice.value in marked or st.tick == DRAWN:
                    p.mark(x + st.size / 2, p.y, choice.value in marked)
                x += 1.4 * st.size
                if f"{block.key}={choice.value}" not in self.omit:
                    p.text(x, p.y, choice.label)
                x += pdfmetrics.stringWidth(choice.label, st.regular, st.size) + 1.5 * st.size
            p.y += p.lh
        p.y += 0.3 * p.lh

    def flag_list(self, block: FlagListBlock) -> None:
        p = self.p
        p.lines(p.left, wrap(self.r(block.label), p.content_width, self.style.regular, self.style.size))
        for flag in block.flags:
            self.option(flag.key, flag.label, bool(self.ticked(flag.key)))
            text = self.value_text(flag.text_key) if flag.text_key else None
            if text:
                indent = 4 * self.style.size
                p.lines(p.left + indent, self.answer_lines(flag.text_key, text, p.content_width - indent))
        p.y += 0.3 * p.lh


def render_pdf(record: Record, style: Style, path: Path, *, printed: Mapping[str, object] | None = None,
               omit: Iterable[str] = (), shift: Mapping[str, tuple[float, float]] | None = None,
               relabel: Mapping[str, str] | None = None) -> Path:
    """Draw ``record`` on the year's form in ``style`` into ``path``.

    ``printed`` overrides what is printed for a key: text for a value, a tuple of choice values to tick
    for a choice. ``omit`` names labels left off the form: field keys, grid row keys, ``<list key>=<choice>``
    for an option, ``col:<first row key>:<column value>`` for a grid's column header. ``shift`` moves a count's
    printed value by (dx, dy) points (typed outside its cell). ``relabel`` prints another label for a key (a
    label that drifted within a form version: a typing slip, other punctuation, a word changed).
    """
    painter = Painter(path, style)
    renderer = FormRenderer(record.form, record, style, painter, printed or {}, omit)
    renderer.shift = dict(shift or {})
    renderer.relabel = dict(relabel or {})
    renderer.draw()
    return path
