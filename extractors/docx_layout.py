"""Reading a Word document by the form's own labels: paragraphs and table rows → a Reading per record key.

Pass 1 finds every label of the year's form in document order (section titles bound the search; a block's
labels are searched from where the previous block ended). Pass 2 reads each value from where its label
stands: text after the label up to the next label, a cell's value in the cell (or below it), counts and
marks in the columns whose header carries the column's label, marks before a list's options. Nothing
depends on paragraph numbers or table positions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from extractors.assemble import Reading
from extractors.base import Problem
from extractors.docx_grids import GridReading, GridRowHit
from extractors.docx_match import (
    Hit,
    clean_rest,
    has_mark,
    mark_kind,
    match_start,
    need,
    rest_acceptable,
    strip_label,
    tokenize,
    whole_match,
)
from extractors.docx_model import Cell, DocModel
from extractors.labels import match_at, tokens
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
from formgen.values import is_valid_email, unwrap_email

_SHORT_TYPES = frozenset({"int", "kr", "fte", "date"})
_OPTION_WINDOW = 10  # an option of a list stands within this many paragraphs of the previous one


class LayoutReader(GridReading):
    """Reads one document for one form year; ``read()`` returns readings and problems."""

    def __init__(self, model: DocModel, form: FormSpec, year: int) -> None:
        self.model = model
        self.paras = model.paras
        self.form = form
        self.year = year
        self.tk = [tokenize(p.text) for p in model.paras]
        self.anchors: set[int] = set()
        self.claimed_tables: set[int] = set()
        self.claimed_rows: set[tuple[int, int]] = set()
        self.hits: dict[str, Hit] = {}
        self.grid_rows: dict[str, GridRowHit] = {}
        self.readings: dict[str, Reading] = {}
        self.problems: list[Problem] = []
        self.missing: list[tuple[str, tuple[str, ...]]] = []
        self._footnotes = [tokens(t) for n in form.footnotes for t in (f"{n.mark} {n.text}", n.text)]
        self._stop_index = _stop_index(form, year)
        self._label_like: dict[int, bool] = {}

    def r(self, template: str) -> str:
        """A label of the year's form."""
        return self.form.render(template, self.year)

    # ------------------------------------------------------------------ pass 1: find the labels

    def read(self) -> tuple[dict[str, Reading], list[Problem]]:
        """Readings per key and the problems met (labels not found, cells that hold no mark)."""
        sections = self.form.active_sections(self.year)
        bounds = self._section_bounds(sections)
        for section, (start, end) in zip(sections, bounds, strict=True):
            cursor = start
            for block in section.blocks:
                cursor = self._locate(block, cursor, end)
        for section, (_, end) in zip(sections, bounds, strict=True):
            for block in section.blocks:
                self._read(block, end)
        for label, keys in self.missing:
            if keys:
                self.problems.append(Problem("label-not-found", keys,
                                             f'Ledtexten "{label}" hittades inte; värdet kunde inte läsas'))
        return self.readings, self.problems

    def _section_bounds(self, sections: Sequence) -> list[tuple[int, int]]:
        found: list[tuple[int, int] | None] = []  # (title's first paragraph, paragraph after it)
        cursor = 0
        for section in sections:
            if section.title is None:
                found.append((0, 0))
                continue
            title = self.form.section_title(section, self.year)
            hit = self._find(title, cursor, len(self.paras))
            bare = title.lstrip("0123456789. ")
            if hit is None and bare != title:
                hit = self._find(bare, cursor, len(self.paras), lambda i: self.paras[i].cell is None)
            if hit is not None:
                self._anchor(hit)
                cursor = hit.last + 1
                found.append((hit.first, hit.last + 1))
            else:
                found.append(None)
        bounds = []
        for i, here in enumerate(found):
            begin = here[1] if here else max((f[1] for f in found[:i] if f), default=0)
            end = next((f[0] for f in found[i + 1:] if f), len(self.paras))
            bounds.append((begin, max(begin, end)))
        return bounds

    def _locate(self, block: Block, cursor: int, end: int) -> int:
        if isinstance(block, NoteBlock):
            hit = self._find(self.r(block.text), cursor, end, self._free)
            return self._anchor(hit) if hit else cursor
        if isinstance(block, TextBlock):
            for spec in block.fields:
                cursor = self._locate_field(spec, cursor, end)
            return cursor
        if isinstance(block, CellsBlock):
            return self._locate_cells(block, cursor, end)
        if isinstance(block, CountGridBlock | ChoiceGridBlock):
            return self._locate_grid(block, cursor, end)
        if isinstance(block, ChoiceListBlock):
            options = [(f"opt:{block.key}={c.value}", c.label, (block.key,)) for c in block.choices]
            return self._locate_list(block.label, (block.key,), options, cursor, end)
        if isinstance(block, FlagListBlock):
            flags = [(f"flag:{f.key}", f.label, (f.key, f.text_key) if f.text_key else (f.key,))
                     for f in block.flags]
            return self._locate_list(block.label, (), flags, cursor, end)
        raise TypeError(f"no DOCX reader for block kind {block.kind}")

    def _find(self, text: str, start: int, end: int, pred: Callable[[int], bool] | None = None, *,
              lead_marks: bool = False, rest_ok: bool = False) -> Hit | None:
        label = tokens(text)
        if not label:
            return None
        for i in range(start, min(end, len(self.paras))):
            if i in self.anchors or (pred is not None and not pred(i)):
                continue
            hit = self._match(label, i, lead_marks=lead_marks, rest_ok=rest_ok)
            if hit is not None:
                return hit
        return None

    def _match(self, label: tuple[str, ...], i: int, *, lead_marks: bool = False, rest_ok: bool = False) -> Hit | None:
        tk = self.tk[i]
        m = match_start(label, tk, lead_marks=lead_marks)
        if m is not None and (rest_ok or rest_acceptable(label, m.rest)):
            return Hit(i, i, m.lead, clean_rest(m.rest))
        return self._match_wrapped(label, i)

    def _match_wrapped(self, label: tuple[str, ...], i: int) -> Hit | None:
        """A label broken over two or three paragraphs of one cell (or of the body)."""
        toks = self.tk[i].toks
        if not toks or len(toks) >= len(label):
            return None
        head = match_at(label[:len(toks)], toks, 0)
        if head is None or head.score < 1.0:
            return None
        owner = [i] * len(toks)
        seq = list(toks)
        for j in range(i + 1, min(i + 3, len(self.paras))):
            if self.paras[j].cell is not self.paras[i].cell or j in self.anchors:
                return None
            seq.extend(self.tk[j].toks)
            owner.extend([j] * len(self.tk[j].toks))
            m = match_at(label, tuple(seq), 0)
            if m is not None and m.score >= need(label) and owner[m.end - 1] == j:
                local = m.end - 1 - owner.index(j)
                rest = self.tk[j].text[self.tk[j].spans[local][1]:]
                if rest_acceptable(label, rest):
                    return Hit(i, j, "", clean_rest(rest))
        return None

    def _anchor(self, hit: Hit, hit_id: str | None = None) -> int:
        self.anchors.update(range(hit.first, hit.last + 1))
        if hit_id is not None:
            self.hits[hit_id] = hit
        return hit.last + 1

    def _free(self, i: int) -> bool:
        cell = self.paras[i].cell
        return cell is None or cell.table not in self.claimed_tables

    def _locate_field(self, spec: FieldSpec, cursor: int, end: int) -> int:
        label = self.r(spec.label)
        hit = None
        if spec.prefix_label:
            hit = self._find(f"{self.r(spec.prefix_label)} {label}", cursor, end, self._free, rest_ok=spec.inline)
        if hit is None:
            hit = self._find(label, cursor, end, self._free, rest_ok=spec.inline)
            if hit is not None and spec.prefix_label:
                prefix = self._find(self.r(spec.prefix_label), cursor, hit.first, self._free)
                if prefix is not None:
                    self._anchor(prefix)
        if hit is None:
            self.missing.append((label, (spec.key,)))
            return cursor
        cursor = self._anchor(hit)
        if spec.sublabel:
            sub = self.r(spec.sublabel)
            after = strip_label(hit.rest, tokens(sub))
            if after is not None:
                hit = replace(hit, rest=after)
            else:
                below = self._find(sub, cursor, min(end, cursor + 3), self._free)
                if below is not None:
                    cursor = self._anchor(below, f"sub:{spec.key}")
        self.hits[f"field:{spec.key}"] = hit
        return cursor

    def _locate_cells(self, block: CellsBlock, cursor: int, end: int) -> int:
        furthest = cursor
        for spec in (f for row in block.rows for f in row):
            hit = self._find(self.r(spec.label), cursor, end, self._cell_head)
            if hit is None:
                furthest = max(furthest, self._locate_field(spec, cursor, end))  # typed as body paragraphs
                continue
            self._anchor(hit, f"cell:{spec.key}")
            self.claimed_tables.add(self.paras[hit.first].cell.table)
            furthest = max(furthest, hit.last + 1)
        return furthest

    def _cell_head(self, i: int) -> bool:
        """A paragraph among the first two written ones of a cell not used by another block."""
        cell = self.paras[i].cell
        if cell is None or (cell.table, cell.row) in self.claimed_rows:
            return False
        written = [j for j in cell.paras if self.paras[j].text.strip()]
        return i in written[:2]

    def _locate_list(self, label: str, keys: tuple[str, ...], options: list[tuple[str, str, tuple[str, ...]]],
                     cursor: int, end: int) -> int:
        question = self._find(self.r(label), cursor, end, self._free)
        if question is None:
            self.missing.append((self.r(label), keys or tuple(k for _, _, ks in options for k in ks)))
            return cursor
        pos = self._anchor(question)
        for hit_id, text, option_keys in options:
            text = self.r(text)
            window = end if len(tokens(text)) > 3 else min(end, pos + _OPTION_WINDOW)
            hit = self._find(text, pos, window, self._free, lead_marks=True)
            if hit is None:
                self.missing.append((text, option_keys))
                continue
            pos = self._anchor(hit, hit_id)
        return pos

    # ------------------------------------------------------------------ pass 2: read the values

    def _read(self, block: Block, end: int) -> None:
        if isinstance(block, TextBlock):
            for spec in block.fields:
                self._read_text(spec, end)
        elif isinstance(block, CellsBlock):
            for spec in (f for row in block.rows for f in row):
                if f"cell:{spec.key}" in self.hits:
                    self._read_cell(spec)
                else:
                    self._read_text(spec, end)
        elif isinstance(block, CountGridBlock):
            self._read_count_grid(block)
        elif isinstance(block, ChoiceGridBlock):
            self._read_choice_grid(block)
        elif isinstance(block, ChoiceListBlock):
            self._read_choice_list(block)
        elif isinstance(block, FlagListBlock):
            for flag in block.flags:
                hit = self.hits.get(f"flag:{flag.key}")
                if hit is None:
                    continue
                marked = self._option_marked(hit)
                self.readings[flag.key] = Reading(raw=self.paras[hit.first].text.strip() if marked else "",
                                                  marks=("ja",) if marked else (), note=self.model.where(hit.first))
                if flag.text_key:
                    self._put_answer(flag.text_key, hit, end, short=False)

    def _read_text(self, spec: FieldSpec, end: int) -> None:
        hit = self.hits.get(f"sub:{spec.key}") or self.hits.get(f"field:{spec.key}")
        if hit is not None:
            short = spec.type in _SHORT_TYPES or spec.format is not None
            self._put_answer(spec.key, hit, end, short=short, fmt=spec.format)

    def _put_answer(self, key: str, hit: Hit, end: int, *, short: bool, fmt: str | None = None) -> None:
        parts: list[tuple[int, str]] = [(hit.last, hit.rest)]
        for i in range(hit.last + 1, end):
            if self._stops(i):
                break
            if not self._is_footnote(i):
                parts.append((i, self.paras[i].text))
        self._put(key, parts, short, fmt, hit.first)

    def _put(self, key: str, parts: list[tuple[int, str]], short: bool, fmt: str | None, at: int) -> None:
        if short or fmt is not None:
            parts = _first_value(parts, fmt)
        while parts and not parts[0][1].strip():
            parts.pop(0)
        while parts and not parts[-1][1].strip():
            parts.pop()
        raw = "\n".join(text for _, text in parts)
        note = self.model.where(parts[0][0], parts[-1][0]) if parts else self.model.where(at)
        self.readings[key] = Reading(raw=raw, note=note)

    def _stops(self, i: int) -> bool:
        """Where an answer ends: the next label found, a table used by a grid, any label of the form."""
        cell = self.paras[i].cell
        if i in self.anchors or (cell is not None and cell.table in self.claimed_tables):
            return True
        if i not in self._label_like:
            toks = self.tk[i].toks
            self._label_like[i] = bool(toks) and any(
                whole_match(label, toks) for label in self._stop_index.get(toks[0], ()))
        return self._label_like[i]

    def _is_footnote(self, i: int) -> bool:
        toks = self.tk[i].toks
        return bool(toks) and any(whole_match(note, toks) for note in self._footnotes)

    def _read_cell(self, spec: FieldSpec) -> None:
        hit = self.hits[f"cell:{spec.key}"]
        cell = self.paras[hit.first].cell
        parts = [(hit.last, hit.rest)] + [(i, self.paras[i].text) for i in cell.paras if i > hit.last]
        if not any(text.strip() for _, text in parts):
            for other in (self._cell_below(cell), self._cell_right(cell)):
                if other is not None and not any(i in self.anchors for i in other.paras):
                    parts = [(i, self.paras[i].text) for i in other.paras]
                    break
        short = spec.type in _SHORT_TYPES or spec.format is not None
        self._put(spec.key, parts, short, spec.format, hit.first)

    def _cell_below(self, cell: Cell) -> Cell | None:
        rows = self.model.tables.get(cell.table, [])
        if cell.row + 1 >= len(rows):
            return None
        return next((c for c in rows[cell.row + 1].cells if c.covers(cell.gcol)), None)

    def _cell_right(self, cell: Cell) -> Cell | None:
        cells = self.model.tables[cell.table][cell.row].cells
        return cells[cell.col + 1] if cell.col + 1 < len(cells) else None

    def _read_choice_list(self, block: ChoiceListBlock) -> None:
        marks: list[str] = []
        seen: list[str] = []
        notes: list[str] = []
        for choice in block.choices:
            hit = self.hits.get(f"opt:{block.key}={choice.value}")
            if hit is not None and self._option_marked(hit):
                marks.append(choice.value)
                seen.append(self.paras[hit.first].text.strip())
                notes.append(self.model.where(hit.first))
        if any(f"opt:{block.key}={c.value}" in self.hits for c in block.choices):
            self.readings[block.key] = Reading(raw="\n".join(seen), marks=tuple(marks),
                                               note="; ".join(notes) or None)

    def _option_marked(self, hit: Hit) -> bool:
        """A mark before the option's label, just after it, or alone in the cell before the label's cell."""
        if has_mark(hit.lead) or mark_kind(hit.rest) == "mark":
            return True
        cell = self.paras[hit.first].cell
        if hit.lead.strip() or cell is None or cell.col == 0 or cell.paras[0] != hit.first:
            return False
        before = self.model.tables[cell.table][cell.row].cells[cell.col - 1]
        return mark_kind(self._cell_text(before)) == "mark"


def _first_value(parts: list[tuple[int, str]], fmt: str | None) -> list[tuple[int, str]]:
    """A short value is its first written paragraph; an e-mail address may run over several."""
    written = [(i, t) for i, t in parts if t.strip()]
    if fmt == "email":
        for n in range(1, len(written) + 1):
            if is_valid_email(unwrap_email("".join(t for _, t in written[:n]))):
                return written[:n]
    return written[:1]


def _stop_index(form: FormSpec, year: int) -> dict[str, list[tuple[str, ...]]]:
    """Every printed text of the form of three words or more, by first token: where answers end."""
    texts = [form.title, form.subtitle, form.render(form.send_to, year), form.year_label]
    for section in form.active_sections(year):
        texts.append(form.section_title(section, year) if section.title else "")
        for block in section.blocks:
            texts.extend(_block_texts(block))
    index: dict[str, list[tuple[str, ...]]] = {}
    for text in texts:
        toks = tokens(form.render(text, year)) if text else ()
        if len(toks) >= 3:
            index.setdefault(toks[0], []).append(toks)
    return index


def _block_texts(block: Block) -> list[str]:
    if isinstance(block, NoteBlock):
        return [block.text]
    if isinstance(block, TextBlock | CellsBlock):
        fields = block.fields if isinstance(block, TextBlock) else [f for row in block.rows for f in row]
        return [t for f in fields for t in (f.label, f.sublabel or "", f.prefix_label or "")]
    if isinstance(block, CountGridBlock):
        return [block.header or ""] + [c.label for c in block.columns] + [r.label for r in block.rows]
    if isinstance(block, ChoiceGridBlock):
        return [block.text_column or ""] + [c.label for c in block.choices] + [r.label for r in block.rows]
    if isinstance(block, ChoiceListBlock):
        return [block.label] + [c.label for c in block.choices]
    if isinstance(block, FlagListBlock):
        return [block.label] + [f.label for f in block.flags]
    return []
