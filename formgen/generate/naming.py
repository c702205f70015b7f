"""Output file names: ``<kommun>-<year>.pdf`` made safe by formgen.names, ``blankett-<year>`` for a blank form."""

from __future__ import annotations

from formgen.names import submission_stem
from formgen.record import Record


def output_stem(record: Record, *, blank: bool = False) -> str:
    """The file name without extension: "blankett-2021" for a blank form, else "<kommun-stem>-<year>"."""
    if blank:
        return f"blankett-{record.year}"
    return submission_stem(record.kommun, record.year)
