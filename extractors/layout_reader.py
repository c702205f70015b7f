"""The label-anchored reader: words with boxes (from a text layer or OCR) → a Reading per record key.

The form's wording in forms/ is the only description of the layout. Pass 1 finds every label of the year's
form in reading order (section titles bound the search); pass 2 reads each value from where its label
stands: text after a label up to the next label, cells below their label, counts and marks under the column
headers of their grid, marks before the options of a list. Nothing depends on positions of one rendering.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from extractors.assemble import Reading
from extractors.base import Problem
from extractors.completeness import AnswerArea, EmptyArea, typical_heights, unread_problems
from extractors.geometry import (
    Anchor,
    Line,
    PageIndex,
    cell_bounds,
    cell_run,
    column_centre,
    column_reach,
    email_lines,
    find_words,
    header_set,
    in_label_column,
    lines_text,
    mark_precedes,
    matched_tokens,
    nearest_column,
    repeated_headers,
    same_line,
    tight_lines,
    value_text,
    without_label_colon,
    without_running_lines,
    words_bbox,
    words_to_lines,
)
from extractors.labels import Stream, match_at, tokens, without_footnotes
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
from formgen.values import TICK_MARKS

__all__ = ["Anchor", "LayoutResult", "Stream", "email_lines", "read_layout"]

_ONE_LINE_FORMATS = frozenset({"postnummer"})  # values a narrow cell may wrap but that hold one line
# Labels whose answer, when there is one, is text after them (a keyless note's area goes to the next key).
_TEXT_AFTER = ("note:", "section:", "q:", "pre:", "opt:")
TICKED: frozenset[str] = frozenset(TICK_MARKS | {DRAWN_TICKED})
_SHORT_TYPES = frozenset({"int", "kr", "fte", "date"})


@dataclass
class LayoutResult:
    """What the layout reader found: readings per key, and problems (labels that were not found)."""

    readings: dict[str, Reading]
    problems: list[Problem]
    anchors: dict[str, Anchor]
    empty_areas: tuple[EmptyArea, ...] = ()  # text answers below their label where no word was read


def read_layout(words: Sequence[Word], form: FormSpec, year: int, lines: Sequence[Line] | None = None) -> LayoutResult:
    """Read a year's form from words with boxes (``lines``: the words already grouped by words_to_lines)."""
    lines = lines if lines is not None else words_to_lines(words)
    ordered = [w for line in without_running_lines(lines) for w in line.words]
    ordered = without_footnotes(ordered, [(note.mark, note.text) for note in form.footnotes])
    return _Reader(Stream(ordered), form, year).read()


class _Reader:
    def __init__(self, stream: Stream, form: FormSpec, year: int) -> None:
        self.stream = stream
        self.form = form
        self.year = year
        self.anchors: dict[str, Anchor] = {}
        self.readings: dict[str, Reading] = {}
        self.problems: list[Problem] = []
        self.areas: list[AnswerArea] = []  # every value's answer area, for the completeness check
        self.empty_areas: list[EmptyArea] = []  # text answers read empty, for an OCR reader's ink check
        self.taken: set[int] = set()  # id() of every word a value took
        self.late_areas: list[AnswerArea] = []  # areas that yield to every other (just below a grid)
        self.label_tokens: set[tuple[str, ...]] = set()  # every label of the form looked for
        self.drifted: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {}
        self.sought: list[tuple[str, tuple[str, ...]]] = []  # every label looked for, in form order, with its keys
        self.missing: list[tuple[str, tuple[str, ...]]] = []

    # ------------------------------------------------------------------ pass 1: find the labels

    def read(self) -> LayoutResult:
        sections = self.form.active_sections(self.year)
        bounds = self._section_bounds(sections)
        for section, (start, end) in zip(sections, bounds, strict=True):
            cursor = start
            for block in section.blocks:
                cursor = self._locate_block(block, cursor, end)
        self._drop_ambiguous()
        self._index_anchors()
        for section in sections:
            for block in section.blocks:
                self._read_block(block)
        for label, keys in self.missing:
            if keys:  # part of a question's print is lost: what remains of it is not read either
                self.problems.append(Problem("label-not-found", keys,
                                             f'Ledtexten "{label}" hittades inte; värdet kunde inte läsas'))
                for key in keys:
                    self.readings.pop(key, None)
        self.problems += self._unread()
        return LayoutResult(self.readings, self.problems, self.anchors, tuple(self.empty_areas))

    def _section_bounds(self, sections: Sequence[Section]) -> list[tuple[int, int]]:
        """Each section's words: after its title (or the last title found before it) up to the next title."""
        titles: list[Anchor | None] = []
        cursor = 0
        for section in sections:
            printed = self.form.section_title(section, self.year)
            title = self._find(f"section:{section.id}", printed, cursor, own_line=True) if section.title else None
            titles.append(title)
            cursor = self._after(title, cursor)
        bounds = []
        for i in range(len(sections)):
            begin = [t.last + 1 for t in titles[:i + 1] if t is not None]
            later = [t.first for t in titles[i + 1:] if t is not None]
            bounds.append((begin[-1] if begin else 0, later[0] if later else len(self.stream.words)))
        return bounds

    def _find(self, anchor_id: str, text: str, start: int, end: int | None = None,
              keys: tuple[str, ...] = (), *, alone: bool = False, own_line: bool = False) -> Anchor | None:
        """A label's anchor, searched from word ``start`` (see geometry.find_words); a miss is noted."""
        self.sought.append((anchor_id, keys))
        label = tokens(text)
        if not label:
            return None
        stream = self.stream
        tok_start = stream.first_token[min(start, len(stream.words))]
        tok_end = stream.first_token[min(end, len(stream.words))] if end is not None else None
        word_ids = find_words(stream, label, tok_start, tok_end, alone=alone, own_line=own_line)
        self.label_tokens.add(label)
        if not word_ids:
            self.missing.append((text, keys))
            return None
        found = matched_tokens(stream, word_ids)
        if found != label:
            self.drifted[anchor_id] = (text, keys, label, found)
        return self._anchor(anchor_id, word_ids)

    def _drop_ambiguous(self) -> None:
        """A label found with drift (a typing slip, other punctuation, a word changed: labels.required_score) stays
        only when no other label of the form fits the words found as well; else it is not found (named)."""
        for anchor_id, (text, keys, label, found) in self.drifted.items():
            own = match_at(label, found, 0)
            score, covered = (own.score, len(own.matched)) if own is not None else (0.0, 0)
            rivals = [other for other in self.label_tokens if other != label
                      and (m := match_at(other, found, 0)) is not None and m.score >= score
                      and len(m.matched) >= covered]
            if rivals and anchor_id in self.anchors:
                del self.anchors[anchor_id]
                self.missing.append((text, keys))

    def _anchor(self, anchor_id: str, word_ids: Sequence[int]) -> Anchor:
        ids = sorted(word_ids)
        anchor = Anchor(anchor_id, ids[0], ids[-1], tuple(self.stream.words[i] for i in ids), tuple(ids))
        self.anchors[anchor_id] = anchor
        return anchor

    def _locate_block(self, block: Block, cursor: int, end: int) -> int:
        locate = BLOCK_LOCATORS.get(block.kind)
        if locate is None:
            raise TypeError(f"no reader for block kind {block.kind}")
        return locate(self, block, cursor, end)

    def _locate_note(self, block: NoteBlock, cursor: int, end: int) -> int:
        return self._after(self._find(f"note:{block.text}", self._r(block.text), cursor, end, own_line=True), cursor)

    def _locate_text(self, block: TextBlock, cursor: int, end: int) -> int:
        return self._locate_fields(block.fields, cursor, end)

    def _locate_cells(self, block: CellsBlock, cursor: int, end: int) -> int:
        return self._locate_fields([f for row in block.rows for f in row], cursor, end)

    def _locate_choice_list(self, block: ChoiceListBlock, cursor: int, end: int) -> int:
        cursor = self._after(self._find(f"q:{block.key}", self._r(block.label), cursor, end, (block.key,)), cursor)
        for choice in block.choices:
            cursor = self._after(self._find(f"opt:{block.key}={choice.value}", choice.label, cursor, end,
                                            (block.key,)), cursor)
        return cursor

    def _locate_flag_list(self, block: FlagListBlock, cursor: int, end: int) -> int:
        cursor = self._after(self._find(f"q:{block.label}", self._r(block.label), cursor, end), cursor)
        for flag in block.flags:
            keys = (flag.key, flag.text_key) if flag.text_key else (flag.key,)
            cursor = self._after(self._find(f"opt:{flag.key}", self._r(flag.label), cursor, end, keys), cursor)
        return cursor

    def _r(self, template: str) -> str:
        return self.form.render(template, self.year)

    @staticmethod
    def _after_head(anchor: Anchor | None, cursor: int) -> int:
        """After the words of a label's first line (see _locate_fields)."""
        if anchor is None:
            return cursor
        first = anchor.words[0]
        return max(i for i, w in zip(anchor.ids, anchor.words, strict=True) if same_line(w, first)) + 1

    @staticmethod
    def _after(anchor: Anchor | None, cursor: int) -> int:
        return anchor.last + 1 if anchor else cursor

    def _locate_fields(self, fields: Sequence[FieldSpec], cursor: int, end: int) -> int:
        for spec in fields:
            if spec.prefix_label:
                cursor = self._after(self._find(f"pre:{spec.key}", self._r(spec.prefix_label), cursor, end), cursor)
            # the next label is looked for after this one's first line: a label wrapped inside its cell has its
            # second line after the neighbouring cells' labels in reading order
            cursor = self._after_head(self._find(f"field:{spec.key}", self._r(spec.label), cursor, end, (spec.key,)),
                                      cursor)
            if spec.sublabel:
                cursor = self._after(self._find(f"sub:{spec.key}", self._r(spec.sublabel), cursor, end), cursor)
        return cursor

    def _locate_grid(self, block: CountGridBlock | ChoiceGridBlock, cursor: int, end: int) -> int:
        """A grid's rows in order, each label alone in its cell; then its column headers above the first row."""
        first_row = block.rows[0].key
        head = None
        if isinstance(block, CountGridBlock):
            head = self._find(f"head:{first_row}", block.header, cursor, end) if block.header else None
            rows = [(r.key, r.label, tuple(block.cell_key(r, c) for c in block.columns)) for r in block.rows]
            headers = [(c.value, c.label) for c in block.columns]
        else:
            rows = [(r.key, r.label, (r.key, r.text_key) if r.text_key else (r.key,)) for r in block.rows]
            headers = [(c.value, c.label) for c in block.choices]
            headers += [("__text__", block.text_column)] if block.text_column else []
        rows_at: int | None = None
        after = self._after(head, cursor)
        first: Anchor | None = None
        for key, label, keys in rows:
            anchor = self._find(f"row:{key}", self._r(label), after, end, keys, alone=True)
            while anchor is not None and first is not None and not in_label_column(anchor, first):
                # the label's words far right of the rows' labels: an answer's text ("Brukarorganisationerna
                # har bjudits in" beside "Patientorganisationer"), the label itself is further on
                anchor = self._find(f"row:{key}", self._r(label), anchor.last + 1, end, keys, alone=True)
            if anchor is None:
                self.anchors.pop(f"row:{key}", None)
            first = first or anchor
            rows_at = anchor.first if rows_at is None and anchor is not None else rows_at
            after = self._after(anchor, after)
        # the column headers share the block header's line (its wrapped lines interleave with theirs)
        self._locate_headers(f"col:{first_row}", headers, head.first if head else cursor, rows_at, end,
                             tuple(k for _, _, keys in rows for k in keys))
        return after

    def _locate_headers(self, prefix: str, labels: Sequence[tuple[str, str]], lo: int, rows_at: int | None,
                        end: int, keys: tuple[str, ...]) -> None:
        """Column headers stand above a grid's first row; the ones nearest the rows win (text above the grid may
        hold the same words). A header row printed again above them belongs to the grid, not to the text."""
        hi = rows_at if rows_at is not None else end
        found = header_set(self.stream.words, labels, lo, hi, latest=rows_at is not None)
        for value, label in labels:
            if value in found:
                self._anchor(f"{prefix}:{value}", found[value])
            elif self._find(f"{prefix}:{value}", label, lo, hi, keys) is None:
                return
        copies = repeated_headers(self.stream.words, labels, lo, found) if rows_at is not None else []
        for copy, again in enumerate(copies, start=1):
            for value, ids in again.items():
                self._anchor(f"{prefix}:{value}@{copy}", ids)

    # ------------------------------------------------------------------ pass 2: read the values

    def _index_anchors(self) -> None:
        ordered = sorted(self.anchors.values(), key=lambda a: a.first)
        self.anchor_starts = [a.first for a in ordered]
        self.anchor_list = ordered
        # Only the words a label matched belong to it: a wrapped row label's values and marks stand on its
        # first line, before the label's last word in reading order.
        self.anchor_words: set[int] = {i for a in ordered for i in a.ids}
        self.pages = PageIndex(self.stream.words)

    def _next_anchor(self, after: int) -> Anchor | None:
        i = bisect.bisect_right(self.anchor_starts, after)
        return self.anchor_list[i] if i < len(self.anchor_list) else None

    def _read_block(self, block: Block) -> None:
        read = BLOCK_READERS.get(block.kind)
        if read is None:
            raise TypeError(f"no reader for block kind {block.kind}")
        read(self, block)

    def _read_note(self, block: NoteBlock) -> None:
        """A note holds no value: its words only end the answers before it."""

    def _read_text(self, block: TextBlock) -> None:
        for spec in block.fields:
            self._read_text_field(spec)

    def _read_choice_list(self, block: ChoiceListBlock) -> None:
        for choice in block.choices:
            self._read_option_mark(f"opt:{block.key}={choice.value}", block.key, choice.value)

    def _read_flag_list(self, block: FlagListBlock) -> None:
        for flag in block.flags:
            self._read_option_mark(f"opt:{flag.key}", flag.key, self.form.flag_value)
            if flag.text_key:
                self._read_after(f"opt:{flag.key}", flag.text_key, short=False, inline=False)

    def _unread(self) -> list[Problem]:
        """``unread-value`` for every word inside an answer area that no value and no label took."""
        taken = self.taken | {id(self.stream.words[i]) for i in self.anchor_words}
        self.areas += self.late_areas
        following: tuple[str, ...] = ()
        owners: dict[str, str] = {}  # a label without a key of its own: the next key of the form after it
        for anchor_id, keys in reversed(self.sought):
            following = keys or following
            if following:
                owners[anchor_id] = following[0]
        for anchor_id, owner in owners.items():
            anchor = self.anchors.get(anchor_id)
            if anchor is not None and anchor_id.startswith(_TEXT_AFTER):
                nxt = self._next_anchor(anchor.last)
                self._area(owner, self._value_words(anchor.last + 1, nxt.first if nxt else len(self.stream.words)))
        boxes = [w for w in self.stream.words if w.drawn]
        return unread_problems(self.areas, taken, typical_heights(self.stream.words), TICKED, boxes)

    def _empty_area(self, key: str, anchor: Anchor, nxt: Anchor | None) -> None:
        """Note where an answer read empty would stand: below its label, across the page's text, down to the
        next label on the page (or the page's last word)."""
        page = anchor.page
        on_page = [self.stream.words[i] for i in self.pages.band(page, -math.inf, math.inf)]
        bottom = nxt.top if nxt is not None and nxt.page == page else max(w.bottom for w in on_page)
        right = max(w.x1 for w in on_page)
        if bottom - anchor.bottom > 2 and right > anchor.left:
            self.empty_areas.append(EmptyArea(key, page, (anchor.left, anchor.bottom + 1, right, bottom - 1)))

    def _area(self, key: str, words: Iterable[Word]) -> None:
        self.areas.append(AnswerArea(key, tuple(words)))

    def _put(self, key: str, words: Sequence[Word], raw: str, marks: tuple[str, ...] = ()) -> None:
        self.taken.update(id(w) for w in words)
        reading = self.readings.get(key)
        if reading is not None and marks:
            marks = reading.marks + marks
        self.readings[key] = Reading(raw=raw, marks=marks, page=words[0].page if words else None,
                                     bbox=words_bbox(words) if words else None)

    def _value_words(self, start: int, stop: int) -> list[Word]:
        words = self.stream.words
        return [words[i] for i in range(start, stop)
                if i not in self.anchor_words and not words[i].drawn and words[i].text != DRAWN_EMPTY]

    def _read_text_field(self, spec: FieldSpec) -> None:
        anchor_id = f"sub:{spec.key}" if f"sub:{spec.key}" in self.anchors else f"field:{spec.key}"
        short = spec.type in _SHORT_TYPES or spec.format is not None
        self._read_after(anchor_id, spec.key, short=short, inline=spec.inline, fmt=spec.format,
                         one_per_line=spec.type == "list")

    def _read_after(self, anchor_id: str, key: str, *, short: bool, inline: bool, fmt: str | None = None,
                    one_per_line: bool = False) -> None:
        anchor = self.anchors.get(anchor_id)
        if anchor is None:
            return
        nxt = self._next_anchor(anchor.last)
        stop = nxt.first if nxt else len(self.stream.words)
        words = without_label_colon(self._value_words(anchor.last + 1, stop))
        if nxt is not None:
            self._area(key, words)
        if not words and not inline:
            self._empty_area(key, anchor, nxt)
        if inline:
            last = self.stream.words[anchor.last]
            same_line = [w for w in words if w.page == last.page and w.top < last.bottom and w.bottom > last.top]
            words = same_line or words
        lines = words_to_lines(words)
        if short or nxt is None:
            lines = tight_lines(lines, gap_factor=1.2)
        if fmt == "email":
            lines = email_lines(lines)
        if nxt is None:  # after the form's last label its answer is the lines read: text below is not the form's
            self._area(key, [w for w in words if any(ln.page == w.page and ln.top <= w.yc <= ln.bottom
                                                     for ln in lines)])
        kind = fmt if fmt in ("email", "phone") else "list" if one_per_line else "text"
        self._put(key, [w for line in lines for w in line.words], value_text(lines, kind))

    def _read_cells(self, block: CellsBlock) -> None:
        labels = [a for row in block.rows for f in row if (a := self.anchors.get(f"field:{f.key}")) is not None]
        after = self._next_anchor(max(a.last for a in labels)) if labels else None
        for spec in (f for row in block.rows for f in row):
            anchor = self.anchors.get(f"field:{spec.key}")
            if anchor is None:
                continue
            right, floor = cell_bounds(anchor, labels, after)
            words = [w for _, w in self._band_words(anchor.page, anchor.bottom - 1, floor + 1)
                     if w.bottom <= floor + 1 and anchor.left - 3 <= w.xc < right and not w.drawn]
            lines = tight_lines([cell_run(line, anchor.left) for line in words_to_lines(words)], gap_factor=1.5)
            lines = [line for line in lines if line.words]
            if not lines:  # nothing under the label: its value may stand beside it (a table of label | value)
                words, lines = self._cell_beside(anchor, right, floor)
            if floor >= 10_000.0:  # no label below (the form's last cells): the answer is the text right below
                low = lines[-1].bottom + lines[-1].height if lines else anchor.bottom + 2 * (anchor.bottom - anchor.top)
                words = [w for w in words if w.yc <= low]
            lines = self._cell_areas(block, spec, words, lines)
            if spec.format == "email":
                lines = email_lines(lines)
            kind = spec.format if spec.format in ("email", "phone") else "cell"
            self._put(spec.key, [w for line in lines for w in line.words], value_text(lines, kind))

    def _cell_beside(self, anchor: Anchor, right: float, floor: float) -> tuple[list[Word], list[Line]]:
        """The words right of a label on its first line (up to the next label) and the lines below them in their
        column: a value written beside its label."""
        head = anchor.words[0]
        edge = max(w.x1 for w in anchor.words if w.page == head.page and w.top < head.bottom)
        beside = [w for _, w in self._band_words(head.page, head.top - 1, head.bottom + 1)
                  if w.x0 > edge and w.xc < right and not w.drawn]
        if not beside:
            return [], []
        left = min(w.x0 for w in beside)
        words = [w for _, w in self._band_words(head.page, head.top - 1, floor + 1)
                 if w.bottom <= floor + 1 and left - 3 <= w.xc < right and not w.drawn]
        lines = tight_lines([cell_run(line, left) for line in words_to_lines(words)], gap_factor=1.5)
        return words, [line for line in lines if line.words]

    def _cell_areas(self, block: CellsBlock, spec: FieldSpec, words: Sequence[Word],
                    lines: Sequence[Line]) -> list[Line]:
        """A cell's answer area, and the lines that are its value. When the next cell's label was not found its
        value stands right of this cell's text or (cells one under the other) below it: what stands right belongs
        to it, and so do the lines below a value of one line (a postnummer, a phone number)."""
        specs = [f for row in block.rows for f in row]
        nxt = specs.index(spec) + 1
        if nxt < len(specs) and f"field:{specs[nxt].key}" not in self.anchors and lines:
            if spec.format in _ONE_LINE_FORMATS and len(lines) > 1:
                self._area(specs[nxt].key, [w for line in lines[1:] for w in line.words])
                lines = lines[:1]
            end = max(w.x1 for line in lines for w in line.words)
            self._area(specs[nxt].key, [w for w in words if w.x0 > end])
        self._area(spec.key, words)
        return list(lines)

    def _columns(self, prefix: str, values: Sequence[str]) -> list[tuple[str, float]]:
        return [(v, column_centre(a)) for v in values if (a := self.anchors.get(f"{prefix}:{v}")) is not None]

    def _band_words(self, page: int, top: float, bottom: float) -> list[tuple[int, Word]]:
        """Words of a page (labels' words aside) whose vertical centre lies in [top, bottom), with their index."""
        words = self.stream.words
        return [(i, words[i]) for i in self.pages.band(page, top, bottom) if i not in self.anchor_words]

    def _grid_rows(self, rows: Sequence[str]) -> list[tuple[int, Anchor, tuple[int, float, float]]]:
        """Each found row of a grid with its band: from its label's top down to the next label on its page."""
        anchors = [self.anchors.get(f"row:{key}") for key in rows]
        out = []
        for idx, anchor in enumerate(anchors):
            if anchor is not None:
                below = [a for a in (*anchors[idx + 1:], self._next_anchor(anchor.last))
                         if a is not None and a.page == anchor.page and a.top > anchor.top]
                bottom = below[0].top - 0.5 if below else 10_000.0
                out.append((idx, anchor, (anchor.page, anchor.top - 2, bottom)))
        return out

    def _grid_columns(self, first_row: str, values: Sequence[str]) -> tuple[list[tuple[str, float]], list[float],
                                                                            float] | None:
        """A grid's columns found by their headers (value, centre), their centres and reach; None if any is missing."""
        cols = self._columns(f"col:{first_row}", list(values))
        if len(cols) != len(values):
            return None
        centres = [x for _, x in cols]
        return cols, centres, column_reach(centres)

    def _read_count_grid(self, block: CountGridBlock) -> None:
        first_row = block.rows[0].key
        found = self._grid_columns(first_row, [c.value for c in block.columns])
        if found is None:
            return
        cols, centres, reach = found
        rows = self._grid_rows([r.key for r in block.rows])
        self._lead_area(block.rows, rows, cols, reach, lambda key, value: f"{key}.{value}" if value else key)
        for idx, anchor, (page, top, bottom) in rows:
            row = block.rows[idx]
            band = self._band_words(page, top, bottom)
            # counts stand on the row label's lines: a line below them is another row's, its label lost
            bottom = min(bottom, anchor.bottom + 0.5 * (anchor.words[0].bottom - anchor.words[0].top))
            self._grid_areas(block.rows, idx, band, bottom, cols, reach,
                             lambda key, value: f"{key}.{value}" if value else key)
            per_col: dict[str, list[Word]] = {}
            for _, word in self._band_words(page, top, bottom):
                col = nearest_column(word.xc, centres, reach)
                if col is not None and word.x0 > anchor.left:
                    per_col.setdefault(cols[col][0], []).append(word)
            for value, _ in cols:
                words = per_col.get(value, [])
                raw = " ".join(w.text for line in words_to_lines(words) for w in line.words)
                self._put(f"{row.key}.{value}", words, raw)
        if rows:  # a count typed just below the grid, in a column, is the last row's (unless another value took it)
            idx, anchor, (page, _, bottom) = rows[-1]
            height = anchor.words[0].bottom - anchor.words[0].top
            for _, word in self._band_words(page, bottom, bottom + 2 * height):
                col = nearest_column(word.xc, centres, reach)
                if col is not None and word.x0 > anchor.left:
                    self.late_areas.append(AnswerArea(f"{block.rows[idx].key}.{cols[col][0]}", (word,)))

    def _lead_area(self, rows: Sequence[Any], found: Sequence[tuple[int, Anchor, tuple[int, float, float]]],
                   cols: Sequence[tuple[str, float]], reach: float, key_of: Callable[[str, str | None], str]) -> None:
        """When a grid's first row label was not found, its answers stand between the column headers and the first
        row found: that band is the first row's area."""
        if not found or found[0][0] == 0:
            return
        first_row = rows[0].key
        heads = [a for value, _ in cols if (a := self.anchors.get(f"col:{first_row}:{value}")) is not None]
        _, anchor, (page, _, _) = found[0]
        heads = [a for a in heads if a.page == page]
        if heads:
            top = max(w.bottom for a in heads for w in a.words if w.page == page)
            band = [(i, w) for i, w in self._band_words(page, top, anchor.top) if w.yc > top]
            self._grid_areas([rows[0], rows[0]], 0, band, top, cols, reach, key_of)

    def _grid_areas(self, rows: Sequence[Any], idx: int, band: Sequence[tuple[int, Word]], lines_end: float,
                    cols: Sequence[tuple[str, float]], reach: float, key_of: Callable[[str, str | None], str]) -> None:
        """The answer areas of a grid row: its band right of the label column, each word under the most precise
        key (``key_of(row key, column value or None)``). Words below the row's own lines belong to the next row
        when that row's label was not found (its values stand there), else to this row."""
        label = rows[idx].key
        anchor = self.anchors.get(f"row:{label}")
        left = anchor.left - 2 if anchor is not None else min(x for _, x in cols) - reach
        lost_next = idx + 1 < len(rows) and f"row:{rows[idx + 1].key}" not in self.anchors
        for _, word in band:
            if word.x0 < left:
                continue
            col = nearest_column(word.xc, [x for _, x in cols], reach)
            owner = rows[idx + 1].key if lost_next and word.yc >= lines_end else rows[idx].key
            self._area(key_of(owner, cols[col][0] if col is not None else None), (word,))

    def _read_choice_grid(self, block: ChoiceGridBlock) -> None:
        first_row = block.rows[0].key
        found = self._grid_columns(first_row, [c.value for c in block.choices])
        if found is None:
            return
        cols, centres, reach = found
        text_col = self.anchors.get(f"col:{first_row}:__text__")
        # the text column starts where the last choice column ends, or at its header if that stands further left
        text_x = min(text_col.left - 3, max(centres) + 0.9 * reach) if text_col else None
        rows = self._grid_rows([r.key for r in block.rows])
        self._lead_area(block.rows, rows, cols, reach, lambda key, value: key)
        for idx, anchor, (page, top, bottom) in rows:
            row = block.rows[idx]
            band = self._band_words(page, top, bottom)
            text_words = [w for _, w in band if text_x is not None and w.x0 >= text_x and not w.drawn]
            self._area(row.text_key or row.key, text_words)
            text_words = [w for line in tight_lines(words_to_lines(text_words), 1.5) for w in line.words]
            # marks stand on the row label's lines or its text's: a line below them is another row's
            lowest = max([anchor.bottom] + [w.bottom for w in text_words])
            mark_bottom = min(bottom, lowest + 0.5 * (anchor.words[0].bottom - anchor.words[0].top))
            marks = [(cols[col][0], w) for _, w in band
                     if w.text in TICKED and w.yc < mark_bottom and (text_x is None or w.x0 < text_x or w.drawn)
                     and (col := nearest_column(w.xc, centres, reach)) is not None]
            self._grid_areas(block.rows, idx, [(i, w) for i, w in band if text_x is None or w.x0 < text_x],
                             mark_bottom, cols, reach, lambda key, value: key)
            self._put(row.key, [w for _, w in marks], " ".join(w.text for _, w in marks),
                      tuple(v for v, _ in marks))
            if row.text_key:
                self._put(row.text_key, text_words, lines_text(words_to_lines(text_words)))

    def _read_option_mark(self, anchor_id: str, key: str, value: str) -> None:
        anchor = self.anchors.get(anchor_id)
        if anchor is None:
            return
        first = anchor.words[0]
        band = self.pages.band(first.page, first.top - 1, first.bottom + 1)
        line = [self.stream.words[i] for i in band]
        before = [(i, w) for i, w in zip(band, line, strict=True)
                  if w.x1 <= first.x0 + 2 and first.x0 - w.x1 < 60 and mark_precedes(w, first, line)]
        marks = [w for _, w in before if w.text in TICKED]
        # what stands where the mark goes is its answer area: a sign there that is no mark ("7" for a scanned
        # "✓") is reported by the completeness check, never read silently as "not ticked"
        self._area(key, [w for i, w in before if w not in marks and not w.drawn and i not in self.anchor_words])
        if marks:
            self._put(key, marks, " ".join(w.text for w in marks), (value,))
        elif key not in self.readings:
            self._put(key, [], "")


# Each block kind of formgen.spec.BLOCK_KINDS has one locator (pass 1) and one reader (pass 2), in these two closed
# tables: a kind missing here is an error (tests/test_block_kinds.py), never a block silently left unread.
BLOCK_LOCATORS: dict[str, Callable[[_Reader, Any, int, int], int]] = {
    "note": _Reader._locate_note,
    "text": _Reader._locate_text,
    "cells": _Reader._locate_cells,
    "count_grid": _Reader._locate_grid,
    "choice_grid": _Reader._locate_grid,
    "choice_list": _Reader._locate_choice_list,
    "flag_list": _Reader._locate_flag_list,
}
BLOCK_READERS: dict[str, Callable[[_Reader, Any], None]] = {
    "note": _Reader._read_note,
    "text": _Reader._read_text,
    "cells": _Reader._read_cells,
    "count_grid": _Reader._read_count_grid,
    "choice_grid": _Reader._read_choice_grid,
    "choice_list": _Reader._read_choice_list,
    "flag_list": _Reader._read_flag_list,
}
