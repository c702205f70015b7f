"""Which extractor reads a file: chosen by its content (magic bytes), never by its name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from extractors.base import Extraction, Source
from extractors.pdf_text import read_pdf_text, sha256_of
from formgen.guard import Limits, check_file
from formgen.pipeline import read_record_json
from formgen.sandbox import run_inline, run_limited


def read_pdf(path: Path) -> Extraction:
    """A PDF: fields of a fillable form when it has ours, else the printed text read by the labels."""
    return read_pdf_text(path)


def read_docx_file(path: Path) -> Extraction:
    """A Word document (plain text, legacy form fields or content controls)."""
    from extractors.docx_reader import read_docx

    return read_docx(path)


def read_json(path: Path) -> Extraction:
    """A record JSON file, as an extraction whose values all come from the file itself."""
    record = read_record_json(path)
    source = Source(str(path), sha256_of(path), "json", "json", record.form.form, record.year)
    return Extraction(record, source)


EXTRACTORS: dict[str, Callable[[Path], Extraction]] = {
    "pdf": read_pdf,
    "docx": read_docx_file,
    "json": read_json,
}


def extract(path: Path | str, *, limits: Limits | None = None, sandbox: bool = True) -> Extraction:
    """Read any submission into an Extraction; cheap gates first, then parsing in a limited worker."""
    path = Path(path)
    limits = limits or Limits()
    kind = check_file(path, limits)
    reader = EXTRACTORS[kind]
    if sandbox and kind != "json":
        return run_limited(reader, path, limits=limits, path=str(path))
    return run_inline(reader, path, limits=limits, path=str(path))
