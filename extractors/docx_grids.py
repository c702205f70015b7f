"""Grids of a Word form: count grids and choice grids found as tables by their header and row labels.

A grid's columns are found by the header row that carries every column's label (Kvinnor / Män, Ja / Nej
...), never by position, so a kommun that adds a column or swaps Ja and Nej still reads right. Its rows are
found by their label in the row's first written cell outside the columns, in form order (the age-band rows
repeat under each total). A grid may run over several tables; it ends where body text stands between them.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.assemble import Reading
from extractors.base import Problem
from extractors.docx_match import Hit, Tokens, mark_kind, whole_match
from extractors.docx_model import Cell, DocModel, Para, Row
from extractors.labels import tokens
from formgen.spec import ChoiceGridBlock, CountGridBlock, FormSpec

TEXT_COLUMN = "__text__"
Columns = list[tuple[str, tuple[tuple[str, ...], ...]]]  # column value → alternative label tokens


@dataclass
class GridRowHit:
    """A table row read as one row of a grid, with the grid's columns (value → header cell)."""

    row: Row
    columns: dict[str, Cell]


class GridReading:
    """The grid part of the layout reader, mixed into extractors.docx_layout.LayoutReader (which provides
    ``r()``, ``_match()`` and ``_anchor()`` and the state below)."""

    model: DocModel
    tk: list[Tokens]
    paras: list[Para]
    form: FormSpec
    anchors: set[int]
    claimed_rows: set[tuple[int, int]]
    claimed_tables: set[int]
    grid_rows: dict[str, GridRowHit]
    readings: dict[str, Reading]
    problems: list[Problem]
    missing: list[tuple[str, tuple[str, ...]]]

    def _locate_grid(self, block: CountGridBlock | ChoiceGridBlock, cursor: int, end: int) -> int:
        columns = self._grid_columns(block)
        expected = [(row.key, tokens(self.r(row.label))) for row in block.rows]
        assigned: dict[int, tuple[Row, dict[str, Cell], Hit]] = {}
        header: tuple[Row, dict[str, Cell]] | None = None
        headers_used: list[Row] = []
        nxt = 0
        last_stop: int | None = None
        tables: set[int] = set()
        for row in self.model.rows:
            if row.first < cursor or row.first >= end or (row.table, row.row) in self.claimed_rows:
                continue
            if last_stop is not None and self._prose_between(last_stop, row.first, tables | {row.table}):
                break
            tables.add(row.table)
            found = self._header_map(row, columns)
            if found is not None:
                header = (row, found)
                last_stop = row.stop if assigned else last_stop
                continue
            if header is None:
                continue
            match = self._row_label(row, header[1], expected, nxt)
            if match is None:
                last_stop = row.stop if assigned else last_stop
                continue
            idx, hit = match
            assigned[idx] = (row, header[1], hit)
            if header[0] not in headers_used:
                headers_used.append(header[0])
            nxt = idx + 1
            last_stop = row.stop
            if nxt == len(expected):
                break
        for idx, (_key, label) in enumerate(expected):
            if idx not in assigned:
                self.missing.append((" ".join(label), self._grid_keys(block, idx)))
        if not assigned:
            return cursor
        for row in headers_used:
            self._claim_row(row)
            self.anchors.update(p for c in row.cells for p in c.paras)
        for idx, (row, cols, hit) in assigned.items():
            self._claim_row(row)
            self._anchor(hit)
            self.grid_rows[expected[idx][0]] = GridRowHit(row, cols)
        return max(row.stop for row, _, _ in assigned.values())

    def _grid_columns(self, block: CountGridBlock | ChoiceGridBlock) -> list[tuple[str, tuple[tuple[str, ...], ...]]]:
        columns: list[tuple[str, tuple[tuple[str, ...], ...]]] = []
        if isinstance(block, CountGridBlock):
            # A column may carry the wording of the same column elsewhere on the form ("Kvinnor", "Antal kvinnor").
            same = [c for s in self.form.sections for b in s.blocks if isinstance(b, CountGridBlock) for c in b.columns]
            for col in block.columns:
                alts = {c.label for c in [*same, *self.form.genders] if c.value == col.value}
                columns.append((col.value, tuple(tokens(a) for a in sorted(alts))))
        else:
            for choice in block.choices:
                alts = {choice.label, choice.label.split(" (")[0]}
                columns.append((choice.value, tuple(tokens(a) for a in sorted(alts))))
            if block.text_column:
                columns.append((TEXT_COLUMN, (tokens(self.r(block.text_column)),)))
        return columns

    @staticmethod
    def _grid_keys(block: CountGridBlock | ChoiceGridBlock, idx: int) -> tuple[str, ...]:
        row = block.rows[idx]
        if isinstance(block, CountGridBlock):
            return tuple(block.cell_key(row, c) for c in block.columns)
        return (row.key, row.text_key) if row.text_key else (row.key,)

    def _claim_row(self, row: Row) -> None:
        self.claimed_rows.add((row.table, row.row))
        self.claimed_tables.add(row.table)

    def _prose_between(self, start: int, stop: int, tables: set[int]) -> bool:
        """Whether written text outside the grid's tables stands between two rows: the grid ends there."""
        return any(self.paras[i].text.strip() and (self.paras[i].cell is None or self.paras[i].cell.table not in tables)
                   for i in range(start, stop))

    def _cell_tokens(self, cell: Cell) -> tuple[str, ...]:
        return tuple(t for i in cell.paras for t in self.tk[i].toks)

    def _header_map(self, row: Row, columns: list[tuple[str, tuple[tuple[str, ...], ...]]]) -> dict[str, Cell] | None:
        """Column value → header cell, when this row carries every column's label (the text column optional)."""
        found: dict[str, Cell] = {}
        used: set[int] = set()
        cell_tokens = [self._cell_tokens(cell) for cell in row.cells]
        for value, alts in columns:
            for cell, toks in zip(row.cells, cell_tokens, strict=True):
                if cell.col not in used and toks and any(whole_match(alt, toks) for alt in alts):
                    found[value] = cell
                    used.add(cell.col)
                    break
            else:
                if value != TEXT_COLUMN:
                    return None
        return found

    def _row_label(self, row: Row, columns: dict[str, Cell], expected: list[tuple[str, tuple[str, ...]]],
                   nxt: int) -> tuple[int, Hit] | None:
        """The grid row a table row is: its first written cell outside the columns holds the row's label."""
        value_cols = {c.gcol for c in columns.values()}
        for cell in row.cells:
            if any(cell.covers(g) for g in value_cols):
                continue
            written = [i for i in cell.paras if self.paras[i].text.strip()]
            if not written:
                continue
            for idx in range(nxt, len(expected)):
                hit = self._match(expected[idx][1], written[0])
                if hit is not None:
                    return idx, hit
            return None
        return None

    def _grid_cell(self, key: str, value: str) -> Cell | None:
        found = self.grid_rows.get(key)
        if found is None or value not in found.columns:
            return None
        return next((c for c in found.row.cells if c.covers(found.columns[value].gcol)), None)

    def _cell_text(self, cell: Cell) -> str:
        return "\n".join(self.paras[i].text for i in cell.paras)

    @staticmethod
    def _where(cell: Cell, column: str) -> str:
        return f"tabell {cell.table}, rad {cell.row + 1}, kolumn {column}"

    def _read_count_grid(self, block: CountGridBlock) -> None:
        for row in block.rows:
            for col in block.columns:
                cell = self._grid_cell(row.key, col.value)
                if cell is not None:
                    self.readings[block.cell_key(row, col)] = Reading(
                        raw=self._cell_text(cell), note=self._where(cell, col.label))

    def _read_choice_grid(self, block: ChoiceGridBlock) -> None:
        for row in block.rows:
            if row.key not in self.grid_rows:
                continue
            marks: list[str] = []
            seen: list[str] = []
            where: Cell | None = None
            for choice in block.choices:
                cell = self._grid_cell(row.key, choice.value)
                if cell is None:
                    continue
                text = self._cell_text(cell)
                kind = mark_kind(text)
                if kind == "mark":
                    marks.append(choice.value)
                    seen.append(text.strip())
                    where = where or cell
                elif kind == "other":
                    label = choice.label.split(" (")[0]
                    self.problems.append(Problem(
                        "unreadable-mark", (row.key,),
                        f'{row.key}: "{" ".join(text.split())}" i kolumnen {label} är ingen kryssmarkering; '
                        "rutan räknas inte som markerad"))
            labels = ", ".join(c.label.split(" (")[0] for c in block.choices if c.value in marks)
            found = self.grid_rows[row.key].row
            note = self._where(where, labels) if where else f"tabell {found.table}, rad {found.row + 1}"
            self.readings[row.key] = Reading(raw=" ".join(seen), marks=tuple(marks), note=note)
            if row.text_key:
                cell = self._grid_cell(row.key, TEXT_COLUMN)
                if cell is not None:
                    self.readings[row.text_key] = Reading(raw=self._cell_text(cell),
                                                          note=self._where(cell, self.r(block.text_column or "")))
