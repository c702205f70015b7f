"""The label-anchored reader: words with boxes (from a text layer or OCR) → a Reading per record key.

The form's wording in forms/ is the only description of the layout. Pass 1 finds every label of the year's
form in reading order (section titles bound the search); pass 2 reads each value from where its label
stands: text after a label up to the next label, cells below their label, counts and marks under the column
headers of their grid, marks before the options of a list. Nothing depends on positions of one rendering.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from extractors.assemble import Reading
from extractors.base import Problem
from extractors.geometry import (
    Line,
    column_reach,
    lines_text,
    nearest_column,
    tight_lines,
    words_bbox,
    words_to_lines,
)
from extractors.labels import find_all, find_label, tokens
from extractors.pdf_words import DRAWN_EMPTY, DRAWN_TICKED, Word
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
    Section,
    TextBlock,
)
from formgen.values import TICK_MARKS, is_valid_email, join_wrapped

TICKED: frozenset[str] = frozenset(TICK_MARKS | {DRAWN_TICKED})
_SHORT_TYPES = frozenset({"int", "kr", "fte", "date"})


@dataclass(frozen=True)
class Anchor:
    """A label found in the document: its id, the words it covers and their place in the word stream."""

    id: str
    first: int
    last: int
    words: tuple[Word, ...]
    ids: tuple[int, ...] = ()

    @property
    def page(self) -> int:
        """The page of the label's first word."""
        return self.words[0].page

    @property
    def top(self) -> float:
        """Top of the label's first word."""
        return self.words[0].top

    @property
    def bottom(self) -> float:
        """Bottom of the label's lowest word on its first page."""
        return max(w.bottom for w in self.words if w.page == self.page)


@dataclass
class Stream:
    """All words of a document in reading order, with the label tokens of each word."""

    words: list[Word]
    seq: tuple[str, ...] = ()
    word_of: list[int] = field(default_factory=list)
    first_token: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        seq: list[str] = []
        for i, word in enumerate(self.words):
            self.first_token.append(len(seq))
            for tok in tokens(word.text):
                seq.append(tok)
                self.word_of.append(i)
        self.first_token.append(len(seq))
        self.seq = tuple(seq)


@dataclass
class LayoutResult:
    """What the layout reader found: readings per key, and problems (labels that were not found)."""

    readings: dict[str, Reading]
    problems: list[Problem]
    anchors: dict[str, Anchor]


def read_layout(words: Sequence[Word], form: FormSpec, year: int) -> LayoutResult:
    """Read a year's form from words with boxes."""
    lines = words_to_lines(words)
    ordered = [w for line in lines for w in line.words]
    ordered = _without_footnotes(ordered, form)
    return _Reader(Stream(ordered), form, year).read()


def _without_footnotes(words: list[Word], form: FormSpec) -> list[Word]:
    stream = Stream(words)
    drop: set[int] = set()
    for note in form.footnotes:
        for m in find_all(tokens(f"{note.mark} {note.text}"), stream.seq, threshold=0.8):
            drop.update(range(stream.word_of[m.start], stream.word_of[m.end - 1] + 1))
    return [w for i, w in enumerate(words) if i not in drop]


class _Reader:
    def __init__(self, stream: Stream, form: FormSpec, year: int) -> None:
        self.stream = stream
        self.form = form
        self.year = year
        self.anchors: dict[str, Anchor] = {}
        self.readings: dict[str, Reading] = {}
        self.problems: list[Problem] = []
        self.missing: list[tuple[str, tuple[str, ...]]] = []

    # ------------------------------------------------------------------ pass 1: find the labels

    def read(self) -> LayoutResult:
        sections = self.form.active_sections(self.year)
        bounds = self._section_bounds(sections)
        for section, (start, end) in zip(sections, bounds, strict=True):
            cursor = start
            for block in section.blocks:
                cursor = self._locate_block(block, cursor, end)
        self._index_anchors()
        for section in sections:
            for block in section.blocks:
                self._read_block(block)
        for label, keys in self.missing:
            if keys:
                self.problems.append(Problem("label-not-found", keys,
                                             f'Ledtexten "{label}" hittades inte; värdet kunde inte läsas'))
        return LayoutResult(self.readings, self.problems, self.anchors)

    def _section_bounds(self, sections: Sequence[Section]) -> list[tuple[int, int]]:
        starts: list[int | None] = []
        cursor = 0
        for section in sections:
            if section.title is None:
                starts.append(0)
                continue
            anchor = self._find(f"section:{section.id}", self.form.render(section.title, self.year), cursor)
            starts.append(anchor.last + 1 if anchor else None)
            if anchor:
                cursor = anchor.last + 1
        found = [(s if s is not None else -1) for s in starts]
        bounds = []
        for i, start in enumerate(found):
            begin = start if start >= 0 else max([s for s in found[:i] if s >= 0], default=0)
            later = [s for s in found[i + 1:] if s >= 0]
            end_word = len(self.stream.words)
            if later:
                nxt = self.anchors_by_first_after(later[0])
                end_word = nxt
            bounds.append((begin, end_word))
        return bounds

    def anchors_by_first_after(self, start_after_title: int) -> int:
        """The first word of the section title that ends just before ``start_after_title``."""
        for anchor in self.anchors.values():
            if anchor.id.startswith("section:") and anchor.last + 1 == start_after_title:
                return anchor.first
        return start_after_title

    def _find(self, anchor_id: str, text: str, start: int, end: int | None = None,
              keys: tuple[str, ...] = ()) -> Anchor | None:
        label = tokens(text)
        if not label:
            return None
        stream = self.stream
        tok_start = stream.first_token[min(start, len(stream.words))]
        tok_end = stream.first_token[min(end, len(stream.words))] if end is not None else None
        m = find_label(label, stream.seq, tok_start, tok_end, threshold=0.8)
        word_ids = sorted({stream.word_of[t] for t in m.matched}) if m else self._find_wrapped(label, tok_start, tok_end)
        if not word_ids:
            self.missing.append((text, keys))
            return None
        anchor = Anchor(anchor_id, word_ids[0], word_ids[-1], tuple(stream.words[i] for i in word_ids),
                        tuple(word_ids))
        self.anchors[anchor_id] = anchor
        return anchor

    def _find_wrapped(self, label: tuple[str, ...], tok_start: int, tok_end: int | None) -> list[int]:
        """A label wrapped inside a narrow cell, its lines interleaved with neighbouring cells' text:
        its head ends a line, its tail stands on the next lines below the head."""
        stream = self.stream
        words = stream.words
        for split in range(len(label) - 1, max(0, len(label) // 3 - 1), -1):
            head = find_label(label[:split], stream.seq, tok_start, tok_end, threshold=1.0)
            if head is None:
                continue
            head_ids = sorted({stream.word_of[t] for t in head.matched})
            last = words[head_ids[-1]]
            first = words[head_ids[0]]
            nxt = head_ids[-1] + 1
            if nxt < len(words) and words[nxt].page == last.page and words[nxt].top < last.bottom:
                continue  # the head does not end its line: not a wrap
            height = last.bottom - last.top
            below = [i for i in range(nxt, min(len(words), nxt + 200))
                     if words[i].page == last.page and last.bottom - 1 <= words[i].top <= last.bottom + 2.5 * height
                     and first.x0 - 4 <= words[i].x0 <= max(last.x1, first.x0 + 4)]
            seq = tuple(tok for i in below for tok in tokens(words[i].text))
            owner = [i for i in below for _ in tokens(words[i].text)]
            tail = find_label(label[split:], seq, 0, threshold=0.8)
            if tail is not None and tail.start == 0:
                return head_ids + sorted({owner[t] for t in tail.matched})
        return []

    def _locate_block(self, block: Block, cursor: int, end: int) -> int:
        if isinstance(block, NoteBlock):
            return self._after(self._find(f"note:{block.text}", self._r(block.text), cursor, end), cursor)
        if isinstance(block, TextBlock):
            return self._locate_fields(block.fields, cursor, end)
        if isinstance(block, CellsBlock):
            return self._locate_fields([f for row in block.rows for f in row], cursor, end)
        if isinstance(block, CountGridBlock):
            return self._locate_grid(block, cursor, end)
        if isinstance(block, ChoiceGridBlock):
            return self._locate_choice_grid(block, cursor, end)
        if isinstance(block, ChoiceListBlock):
            cursor = self._after(self._find(f"q:{block.key}", self._r(block.label), cursor, end, (block.key,)), cursor)
            for choice in block.choices:
                cursor = self._after(self._find(f"opt:{block.key}={choice.value}", choice.label, cursor, end,
                                                (block.key,)), cursor)
            return cursor
        if isinstance(block, FlagListBlock):
            cursor = self._after(self._find(f"q:{block.label}", self._r(block.label), cursor, end), cursor)
            for flag in block.flags:
                keys = (flag.key, flag.text_key) if flag.text_key else (flag.key,)
                cursor = self._after(self._find(f"opt:{flag.key}", self._r(flag.label), cursor, end, keys), cursor)
            return cursor
        raise TypeError(f"no reader for block kind {block.kind}")

    def _r(self, template: str) -> str:
        return self.form.render(template, self.year)

    @staticmethod
    def _after(anchor: Anchor | None, cursor: int) -> int:
        return anchor.last + 1 if anchor else cursor

    def _locate_fields(self, fields: Sequence[FieldSpec], cursor: int, end: int) -> int:
        for spec in fields:
            if spec.prefix_label:
                cursor = self._after(self._find(f"pre:{spec.key}", self._r(spec.prefix_label), cursor, end), cursor)
            cursor = self._after(self._find(f"field:{spec.key}", self._r(spec.label), cursor, end, (spec.key,)),
                                 cursor)
            if spec.sublabel:
                cursor = self._after(self._find(f"sub:{spec.key}", self._r(spec.sublabel), cursor, end), cursor)
        return cursor

    def _locate_headers(self, prefix: str, labels: Sequence[tuple[str, str]], cursor: int, end: int) -> int:
        """Column headers are searched each from the block's start: printers lay them out side by side."""
        furthest = cursor
        for value, label in labels:
            anchor = self._find(f"{prefix}:{value}", label, cursor, end)
            if anchor:
                furthest = max(furthest, anchor.last + 1)
        return furthest

    def _locate_grid(self, block: CountGridBlock, cursor: int, end: int) -> int:
        first_row = block.rows[0].key
        if block.header:
            cursor = self._after(self._find(f"head:{first_row}", block.header, cursor, end), cursor)
        header_end = self._locate_headers(f"col:{first_row}", [(c.value, c.label) for c in block.columns], cursor, end)
        for row in block.rows:
            keys = tuple(block.cell_key(row, c) for c in block.columns)
            cursor = self._after(self._find(f"row:{row.key}", self._r(row.label), cursor, end, keys), cursor)
        return max(cursor, header_end)

    def _locate_choice_grid(self, block: ChoiceGridBlock, cursor: int, end: int) -> int:
        first_row = block.rows[0].key
        headers = [(c.value, c.label) for c in block.choices]
        if block.text_column:
            headers.append(("__text__", block.text_column))
        header_end = self._locate_headers(f"col:{first_row}", headers, cursor, end)
        for row in block.rows:
            keys = (row.key, row.text_key) if row.text_key else (row.key,)
            cursor = self._after(self._find(f"row:{row.key}", self._r(row.label), cursor, end, keys), cursor)
        return max(cursor, header_end)

    # ------------------------------------------------------------------ pass 2: read the values

    def _index_anchors(self) -> None:
        ordered = sorted(self.anchors.values(), key=lambda a: a.first)
        self.anchor_starts = [a.first for a in ordered]
        self.anchor_list = ordered
        # Only the words a label matched belong to it: a wrapped row label's values and marks stand on its
        # first line, before the label's last word in reading order.
        self.anchor_words: set[int] = {i for a in ordered for i in a.ids}

    def _next_anchor(self, after: int) -> Anchor | None:
        i = bisect.bisect_right(self.anchor_starts, after)
        return self.anchor_list[i] if i < len(self.anchor_list) else None

    def _read_block(self, block: Block) -> None:
        if isinstance(block, TextBlock):
            for spec in block.fields:
                self._read_text_field(spec)
        elif isinstance(block, CellsBlock):
            self._read_cells(block)
        elif isinstance(block, CountGridBlock):
            self._read_count_grid(block)
        elif isinstance(block, ChoiceGridBlock):
            self._read_choice_grid(block)
        elif isinstance(block, ChoiceListBlock):
            for choice in block.choices:
                self._read_option_mark(f"opt:{block.key}={choice.value}", block.key, choice.value)
        elif isinstance(block, FlagListBlock):
            for flag in block.flags:
                self._read_option_mark(f"opt:{flag.key}", flag.key, "ja")
                if flag.text_key:
                    self._read_after(f"opt:{flag.key}", flag.text_key, short=False, inline=False)

    def _put(self, key: str, words: Sequence[Word], raw: str, marks: tuple[str, ...] = ()) -> None:
        reading = self.readings.get(key)
        if reading is not None and marks:
            marks = reading.marks + marks
            words = [*words]
        bbox = words_bbox(words) if words else None
        page = words[0].page if words else None
        self.readings[key] = Reading(raw=raw, marks=marks, page=page, bbox=bbox)

    def _value_words(self, start: int, stop: int) -> list[Word]:
        words = self.stream.words
        return [words[i] for i in range(start, stop)
                if i not in self.anchor_words and not words[i].drawn and words[i].text not in (DRAWN_EMPTY,)]

    def _read_text_field(self, spec: FieldSpec) -> None:
        anchor_id = f"sub:{spec.key}" if f"sub:{spec.key}" in self.anchors else f"field:{spec.key}"
        short = spec.type in _SHORT_TYPES or spec.format is not None
        self._read_after(anchor_id, spec.key, short=short, inline=spec.inline, fmt=spec.format)

    def _read_after(self, anchor_id: str, key: str, *, short: bool, inline: bool, fmt: str | None = None) -> None:
        anchor = self.anchors.get(anchor_id)
        if anchor is None:
            return
        nxt = self._next_anchor(anchor.last)
        stop = nxt.first if nxt else len(self.stream.words)
        words = self._value_words(anchor.last + 1, stop)
        if inline:
            last = self.stream.words[anchor.last]
            same_line = [w for w in words if w.page == last.page and w.top < last.bottom and w.bottom > last.top]
            words = same_line or words
        lines = words_to_lines(words)
        if short or nxt is None:
            lines = tight_lines(lines, gap_factor=1.2)
        if fmt == "email":
            lines = email_lines(lines)
        if fmt in ("email", "phone"):
            raw = join_wrapped([" ".join(w.text for w in line.words) for line in lines], fmt)
        else:
            raw = lines_text(lines)
        self._put(key, [w for line in lines for w in line.words], raw)

    def _read_cells(self, block: CellsBlock) -> None:
        located_rows = [[(f, self.anchors.get(f"field:{f.key}")) for f in row] for row in block.rows]
        for r, row in enumerate(located_rows):
            present = [(f, a) for f, a in row if a is not None]
            if not present:
                continue
            page = present[0][1].page
            below = self._row_floor(located_rows[r + 1:], present, page)
            xs = sorted(a.words[0].x0 for _, a in present)
            for spec, anchor in present:
                x_left = anchor.words[0].x0 - 3
                right = [x for x in xs if x > anchor.words[0].x0 + 1]
                x_right = right[0] - 3 if right else 10_000.0
                words = [w for i, w in enumerate(self.stream.words)
                         if w.page == page and w.top >= anchor.bottom - 1 and w.bottom <= below + 1
                         and x_left <= w.xc < x_right and i not in self.anchor_words and not w.drawn]
                lines = tight_lines(words_to_lines(words), gap_factor=1.5)
                if spec.format == "email":
                    lines = email_lines(lines)
                kind = spec.format if spec.format in ("email", "phone") else "text"
                raw = join_wrapped([" ".join(w.text for w in line.words) for line in lines], kind)
                self._put(spec.key, [w for line in lines for w in line.words], raw)

    def _row_floor(self, later_rows: Sequence[Sequence[tuple[FieldSpec, Anchor | None]]],
                   present: Sequence[tuple[FieldSpec, Anchor]], page: int) -> float:
        for row in later_rows:
            tops = [a.top for _, a in row if a is not None and a.page == page]
            if tops:
                return min(tops)
        last = max(a.last for _, a in present)
        nxt = self._next_anchor(last)
        if nxt is not None and nxt.page == page:
            return nxt.top
        return 10_000.0

    def _columns(self, prefix: str, values: Sequence[str]) -> list[tuple[str, float]]:
        cols = []
        for value in values:
            anchor = self.anchors.get(f"{prefix}:{value}")
            if anchor is not None:
                top_line = [w for w in anchor.words if w.page == anchor.page]
                box = words_bbox(top_line)
                cols.append((value, (box[0] + box[2]) / 2))
        return cols

    def _row_band(self, row_anchor: Anchor, next_row: Anchor | None) -> tuple[int, float, float]:
        page = row_anchor.page
        top = row_anchor.top - 2
        if next_row is not None and next_row.page == page:
            return page, top, next_row.top - 0.5
        nxt = self._next_anchor(row_anchor.last)
        if nxt is not None and nxt.page == page:
            return page, top, nxt.top - 0.5
        return page, top, row_anchor.bottom + 3 * (row_anchor.bottom - row_anchor.top)

    def _band_words(self, page: int, top: float, bottom: float) -> list[tuple[int, Word]]:
        return [(i, w) for i, w in enumerate(self.stream.words)
                if w.page == page and w.yc >= top and w.yc < bottom and i not in self.anchor_words]

    def _read_count_grid(self, block: CountGridBlock) -> None:
        first_row = block.rows[0].key
        cols = self._columns(f"col:{first_row}", [c.value for c in block.columns])
        if len(cols) != len(block.columns):
            return
        centres = [x for _, x in cols]
        reach = column_reach(centres)
        row_anchors = [self.anchors.get(f"row:{row.key}") for row in block.rows]
        for idx, row in enumerate(block.rows):
            anchor = row_anchors[idx]
            if anchor is None:
                continue
            next_row = next((a for a in row_anchors[idx + 1:] if a is not None), None)
            page, top, bottom = self._row_band(anchor, next_row)
            per_col: dict[str, list[Word]] = {}
            for _, word in self._band_words(page, top, bottom):
                col = nearest_column(word.xc, centres, reach)
                if col is not None and word.x0 > anchor.words[0].x0:
                    per_col.setdefault(cols[col][0], []).append(word)
            for value, _ in cols:
                words = per_col.get(value, [])
                raw = lines_text(words_to_lines(words)).replace("\n", " ")
                self._put(f"{row.key}.{value}", words, raw)

    def _read_choice_grid(self, block: ChoiceGridBlock) -> None:
        first_row = block.rows[0].key
        cols = self._columns(f"col:{first_row}", [c.value for c in block.choices])
        if len(cols) != len(block.choices):
            return
        centres = [x for _, x in cols]
        reach = column_reach(centres)
        text_col = self.anchors.get(f"col:{first_row}:__text__")
        text_x = text_col.words[0].x0 - 3 if text_col else None
        row_anchors = [self.anchors.get(f"row:{row.key}") for row in block.rows]
        for idx, row in enumerate(block.rows):
            anchor = row_anchors[idx]
            if anchor is None:
                continue
            next_row = next((a for a in row_anchors[idx + 1:] if a is not None), None)
            page, top, bottom = self._row_band(anchor, next_row)
            marks: list[tuple[str, Word]] = []
            text_words: list[Word] = []
            for _, word in self._band_words(page, top, bottom):
                if text_x is not None and word.x0 >= text_x and word.text not in TICKED:
                    if not word.drawn:
                        text_words.append(word)
                    continue
                if word.text in TICKED:
                    col = nearest_column(word.xc, centres, reach)
                    if col is not None:
                        marks.append((cols[col][0], word))
            self._put(row.key, [w for _, w in marks], " ".join(w.text for _, w in marks),
                      tuple(v for v, _ in marks))
            if row.text_key:
                self._put(row.text_key, text_words, lines_text(words_to_lines(text_words)))

    def _read_option_mark(self, anchor_id: str, key: str, value: str) -> None:
        anchor = self.anchors.get(anchor_id)
        if anchor is None:
            return
        first = anchor.words[0]
        marks = [w for _, w in self._band_words(first.page, first.top - 1, first.bottom + 1)
                 if w.text in TICKED and w.x1 <= first.x0 + 2 and first.x0 - w.x1 < 60]
        if marks:
            self._put(key, marks, " ".join(w.text for w in marks), (value,))
        elif key not in self.readings:
            self._put(key, [], "")


def email_lines(lines: Sequence[Line]) -> list[Line]:
    """The lines of one e-mail address wrapped by a narrow cell: up to the first that completes it."""
    kept: list[Line] = []
    for line in lines:
        kept.append(line)
        if is_valid_email(join_wrapped([" ".join(w.text for w in ln.words) for ln in kept], "email")):
            return kept
    return list(lines)
