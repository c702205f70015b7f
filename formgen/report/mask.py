"""Masking for publication, as Socialstyrelsen's lägesrapport does it.

A count of persons from 1 to 3 is shown "<4". A count that adds up a reported figure hidden that way anywhere in
the report (a total, a sum over gender or age, the county figure of a verksamhet's masked count) is rounded to the
nearest ten and marked "ca", so that no hidden figure can be found by subtraction. Zero is shown as it is; counts
of kommuner or verksamheter, amounts and FTE are never masked.
"""

from __future__ import annotations

from dataclasses import replace

from formgen.report.model import Atom, Cell, Report, Row, Table


def round_to(value: int, step: int) -> int:
    """Half up to a multiple of ``step``, never below ``step`` (a masked sum is not shown as "ca 0")."""
    return max(step, (value + step // 2) // step * step)


def _person_cells(table: Table) -> list[tuple[int, int, Cell]]:
    columns = [i for i, c in enumerate(table.columns) if c.kind == "persons"]
    return [(r, i, row.cells[i]) for r, row in enumerate(table.rows) for i in columns]


def masked_atoms(tables: tuple[Table, ...], low: int, high: int) -> frozenset[Atom]:
    """Every reported figure inside a cell that will be shown masked."""
    atoms: set[Atom] = set()
    for table in tables:
        for _, _, cell in _person_cells(table):
            if isinstance(cell.value, int) and low <= cell.value <= high:
                atoms.update(cell.atoms)
    return frozenset(atoms)


def mask_table(table: Table, hidden: frozenset[Atom], low: int, high: int, step: int) -> Table:
    rows = [list(row.cells) for row in table.rows]
    for r, i, cell in _person_cells(table):
        if not isinstance(cell.value, int):
            continue
        if low <= cell.value <= high:
            rows[r][i] = Cell(None, cell.atoms, masked=True)
        elif cell.value > 0 and cell.atoms & hidden:  # a zero sums zeros only: nothing to find
            rows[r][i] = Cell(round_to(cell.value, step), cell.atoms, approx=True)
    new_rows = tuple(Row(tuple(cells), total=old.total, marked=old.marked)
                     for cells, old in zip(rows, table.rows, strict=True))
    return replace(table, rows=new_rows)


def mask_report(report: Report, low: int, high: int, step: int) -> Report:
    """The published edition of an exact report."""
    hidden = masked_atoms(report.tables, low, high)
    tables = tuple(mask_table(t, hidden, low, high, step) for t in report.tables)
    return replace(report, tables=tables, publish=True)
