"""Writing a rendered form to an output folder: file names from the kommun, atomic writes."""

from __future__ import annotations

from pathlib import Path

from formgen.cli.common import write_atomic
from formgen.names import submission_stem
from formgen.record import Record
from formgen.render.docx import render_docx
from formgen.render.pdf import render_pdf

FORMATS: dict[str, tuple[str, ...]] = {"pdf": ("pdf",), "docx": ("docx",), "both": ("pdf", "docx")}


def write_forms(record: Record, out_dir: Path, fmt: str, *, flatten: bool, blank: bool = False) -> list[Path]:
    """Render a record in the asked formats into ``out_dir``; returns the files written."""
    stem = f"blankett-{record.year}" if blank else submission_stem(record.kommun, record.year)
    written = []
    for kind in FORMATS[fmt]:
        if kind == "pdf":
            data = render_pdf(record, flatten=flatten)
            path = out_dir / f"{stem}{'-utskrift' if flatten else ''}.pdf"
        else:
            data = render_docx(record)
            path = out_dir / f"{stem}.docx"
        write_atomic(path, data)
        written.append(path)
    return written
