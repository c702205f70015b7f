"""Cell arithmetic over verksamheter: sums of counts of persons (with the reported figures they add up, for
masking), amounts, FTE; values of the wrong type in a stored record are left out, never guessed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from formgen.report.gather import Verksamhet
from formgen.report.model import Atom, Cell
from formgen.values import fte_as_decimal

EMPTY = Cell(None)


def int_value(v: Verksamhet, key: str) -> int | None:
    value = v.record.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def decimal_value(v: Verksamhet, key: str) -> Decimal | None:
    return fte_as_decimal(v.record.get(key))


def text_value(v: Verksamhet, key: str) -> str | None:
    value = v.record.get(key)
    return value if isinstance(value, str) and value.strip() else None


def persons(verksamheter: Iterable[Verksamhet], keys: Sequence[str]) -> Cell:
    """The sum of counts of persons over verksamheter and keys (None when none of them was answered)."""
    total, atoms = 0, set[Atom]()
    for v in verksamheter:
        for key in keys:
            value = int_value(v, key)
            if value is not None:
                total += value
                atoms.add((v.id, key))
    return Cell(total if atoms else None, frozenset(atoms))


def combine(cells: Iterable[Cell], extra_atoms: Iterable[Atom] = ()) -> Cell:
    """A sum of person cells (its atoms are theirs)."""
    cells = list(cells)
    values = [c.value for c in cells if isinstance(c.value, int)]
    atoms = frozenset().union(*(c.atoms for c in cells), extra_atoms)
    return Cell(sum(values) if values else None, atoms)


def amount(verksamheter: Iterable[Verksamhet], key: str) -> Cell:
    values = [x for x in (int_value(v, key) for v in verksamheter) if x is not None]
    return Cell(sum(values) if values else None)


def fte(verksamheter: Iterable[Verksamhet], key: str) -> Cell:
    values = [x for x in (decimal_value(v, key) for v in verksamheter) if x is not None]
    return Cell(sum(values, Decimal(0)) if values else None)


def count(n: int) -> Cell:
    return Cell(n)


def text(value: str | None) -> Cell:
    return Cell(value)
