"""A Word document as positioned words, so that the one label-anchored reader (extractors.layout_reader) reads it.

The document model (extractors.docx_model) is typeset on one endless virtual page: every line of a paragraph (the
paragraph itself, or a line after a line break inside it) is a line of words; a table row is a horizontal band and
each of its cells a column range of the table's grid (a gridSpan cell covers its columns, a vMerge cell runs down
over the rows it merges); a nested table stands inside its cell. A column is as wide as its widest line plus a
gutter, so nothing wraps and every value stands in its column under its header, as in a tidy print. Tables that
follow each other with nothing written between them and have as many columns share their column positions (one
grid split in two). Check boxes drawn by form controls (legacy FORMCHECKBOX, w14:checkbox) become drawn mark words
☒/☐ like the tick boxes of a PDF; a typed mark stays a typed word. Every word keeps its paragraph, so a value read
from words can say where it stood ("tabell 3, rad 2, kolumn Ja", "stycke 42–44").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from extractors.base import BBox
from extractors.docx_model import Cell, DocModel, Table
from extractors.pdf_words import Word

__all__ = ["DocxWords", "docx_words"]

PAGE = 1
LINE = 10.0  # a line's height
CHAR = 0.75  # a character's width: narrow, so that columns stand far apart compared with their text and a short
# value (a mark, a count) stays nearer its own column's header than any other, however long the header
SPACE = 0.5  # between two words of a line, in proportion to the characters as in print (words closer than 0.75
# line heights continue each other)
TAB = 20.0  # a tab: wider than any word space, so the words on either side are not one cell's run
GUTTER = 40.0  # between the columns of a table: a new cell for the reader, yet a mark in the cell before an
# option (less than 60 points away) still stands before it
LINE_GAP = 14.0  # between lines: more than 0.8 line heights, so every line is a paragraph of its own (the writer
# broke it), and at most 1.5, so the lines of one cell stay together
_MARK_GLYPHS = frozenset("☒☐☑✓✔✗✘■□")  # always a word of their own, even typed right against a label
_NO_BREAK = frozenset("\u00a0\u202f\u2007")  # no-break spaces hold a word together ("402 638 kr")


@dataclass(frozen=True)
class DocxWords:
    """A document's words on its virtual page, each with the paragraph it came from (``paras[i]`` for
    ``words[i]``: an index into DocModel.paras), and for each table the first table of the run it shares its
    columns with (its own number when it stands alone)."""

    words: tuple[Word, ...]
    paras: tuple[int, ...]
    column_owner: Mapping[int, int] = field(default_factory=dict)

    @cached_property
    def _by_top(self) -> tuple[tuple[float, ...], tuple[int, ...]]:
        order = sorted(range(len(self.words)), key=lambda i: self.words[i].top)
        return tuple(self.words[i].top for i in order), tuple(order)

    @cached_property
    def _index(self) -> dict[Word, int]:
        index: dict[Word, int] = {}
        for i, word in enumerate(self.words):
            index.setdefault(word, i)
        return index

    def within(self, bbox: BBox) -> list[int]:
        """Indices of the words whose box lies inside ``bbox`` (x0, top, x1, bottom), in document order."""
        x0, top, x1, bottom = bbox
        tops, order = self._by_top
        lo, hi = bisect.bisect_left(tops, top - 0.01), bisect.bisect_right(tops, bottom + 0.01)
        return sorted(i for i in order[lo:hi] if (w := self.words[i]).x0 >= x0 - 0.01 and w.x1 <= x1 + 0.01
                      and w.bottom <= bottom + 0.01)

    def index_of(self, word: Word) -> int | None:
        """The index of a word handed back by the reader, or None when it is not one of these."""
        return self._index.get(word)


def docx_words(model: DocModel) -> DocxWords:
    """The words of a document laid out as described in the module docstring, in document order."""
    return _Typesetter(model).run()


_MARKS_CLASS = "".join(sorted(_MARK_GLYPHS))
_PIECE = re.compile(rf"(\n)|(\t)|([{_MARKS_CLASS}])|((?:[^\s{_MARKS_CLASS}]|[\u00a0\u202f\u2007])+)")
_Piece = tuple[str, float, float, bool]  # a word of a line: text, x0 and x1 from the line's start, drawn


def _para_lines(text: str, boxes: Sequence[int]) -> list[list[_Piece]]:
    """A paragraph's lines with their words placed from x = 0; lines without words are left out (an empty line
    takes no room: the reader sees the text, not the blank lines typed around it). Spaces between words are a
    word space, a tab is wider; a mark glyph is a word of its own with a space around it."""
    lines: list[list[_Piece]] = []
    line: list[_Piece] = []
    x = gap = 0.0
    end = 0
    for m in _PIECE.finditer(text):
        if m.start() > end:
            gap = max(gap, SPACE)
        end = m.end()
        if m.group(1):
            if line:
                lines.append(line)
            line, x, gap = [], 0.0, 0.0
        elif m.group(2):
            gap = TAB
        else:
            word = m.group(3) or m.group(4)
            mark = m.group(3) is not None
            if mark:
                gap = max(gap, SPACE)
            x0 = x + gap if line else 0.0
            x = x0 + CHAR * len(word)
            line.append((word, x0, x, mark and m.start() in boxes))
            gap = SPACE if mark else 0.0
    if line:
        lines.append(line)
    return lines


@dataclass
class _Typesetter:
    """Measures every table's columns (bottom up), then places every line (top down)."""

    model: DocModel
    lines: list[list[list[_Piece]]] = field(default_factory=list)
    widths: dict[int, list[float]] = field(default_factory=dict)  # id(table) → its columns' widths
    column_owner: dict[int, int] = field(default_factory=dict)  # table number → first table sharing its columns
    words: list[Word] = field(default_factory=list)
    paras: list[int] = field(default_factory=list)

    def run(self) -> DocxWords:
        self.lines = [_para_lines(p.text, p.boxes) for p in self.model.paras]
        self.measure(self.model.body)
        self.place(self.model.body, 0.0, 0.0)
        return DocxWords(tuple(self.words), tuple(self.paras), self.column_owner)

    # ------------------------------------------------------------------ widths

    def measure(self, blocks: Sequence[int | Table]) -> float:
        """The width of a container's content; every table's column widths are noted on the way."""
        width = 0.0
        for item in self.groups(blocks):
            if isinstance(item, int):
                width = max(width, max((line[-1][2] for line in self.lines[item]), default=0.0))
                continue
            natural = [self.natural_widths(table) for table in item]
            shared = [max(ws[g] for ws in natural) for g in range(len(natural[0]))]
            for table in item:
                self.widths[id(table)] = shared
                self.column_owner[table.number] = item[0].number
            width = max(width, sum(shared) + GUTTER * max(len(shared) - 1, 0))
        return width

    def groups(self, blocks: Sequence[int | Table]) -> list[int | list[Table]]:
        """A container's paragraphs, and its tables in runs that share columns: tables with as many grid
        columns, nothing but empty paragraphs between them."""
        out: list[int | list[Table]] = []
        run: list[Table] = []
        for item in blocks:
            if isinstance(item, Table):
                if run and _columns(run[-1]) != _columns(item):
                    out.append(run)
                    run = []
                run.append(item)
            elif self.lines[item] and run:
                out.extend([run, item])
                run = []
            else:
                out.append(item)
        if run:
            out.append(run)
        return out

    def natural_widths(self, table: Table) -> list[float]:
        """Each grid column as wide as the widest content of a cell in it; a spanning cell wider than the
        columns it spans widens the last of them."""
        widths = [0.0] * _columns(table)
        spanning: list[tuple[Cell, float]] = []
        for row in table.rows:
            for cell in row.cells:
                width = self.measure(cell.content)
                if cell.span == 1:
                    widths[cell.gcol] = max(widths[cell.gcol], width)
                else:
                    spanning.append((cell, width))
        for cell, width in sorted(spanning, key=lambda item: item[0].span):
            columns = range(cell.gcol, cell.gcol + cell.span)
            have = sum(widths[g] for g in columns) + GUTTER * (cell.span - 1)
            if width > have:
                widths[columns[-1]] += width - have
        return widths

    # ------------------------------------------------------------------ places

    def place(self, blocks: Sequence[int | Table], x: float, y: float) -> float:
        """Place a container's content from (x, y); the top of what comes after it."""
        for item in blocks:
            y = self.place_table(item, x, y) if isinstance(item, Table) else self.place_para(item, x, y)
        return y

    def place_para(self, index: int, x: float, y: float) -> float:
        for line in self.lines[index]:
            for text, x0, x1, drawn in line:
                self.words.append(Word(text, PAGE, x + x0, y, x + x1, y + LINE, drawn))
                self.paras.append(index)
            y += LINE + LINE_GAP
        return y

    def place_table(self, table: Table, x: float, y: float) -> float:
        """Rows top down; a row ends below its tallest cell, a vertically merged cell's content counts where the
        merge ends."""
        lefts: list[float] = []
        for width in self.widths[id(table)]:
            lefts.append(x)
            x += width + GUTTER
        ends = _merge_ends(table)
        owed: dict[int, float] = {}  # row index → the top that merged cells ending there need below them
        for r, row in enumerate(table.rows):
            below = y
            for cell in row.cells:
                left = lefts[cell.gcol] if cell.gcol < len(lefts) else x
                after = self.place(cell.content, left, y)
                last = ends.get(id(cell), r)
                if last > r:
                    owed[last] = max(owed.get(last, y), after)
                else:
                    below = max(below, after)
            y = max(below, owed.pop(r, y))
        return max([y, *owed.values()])


def _columns(table: Table) -> int:
    return max((cell.gcol + cell.span for row in table.rows for cell in row.cells), default=0)


def _merge_ends(table: Table) -> dict[int, int]:
    """id(cell) → the last row a vertically merged cell ("restart") runs down to."""
    ends: dict[int, int] = {}
    for r, row in enumerate(table.rows):
        for cell in row.cells:
            if cell.vmerge != "restart":
                continue
            last = r
            for below in table.rows[r + 1:]:
                if not any(c.vmerge == "continue" and c.gcol == cell.gcol for c in below.cells):
                    break
                last += 1
            ends[id(cell)] = last
    return ends
