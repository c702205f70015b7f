"""Which extractor reads a file: chosen by its content (magic bytes), never by its name."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from extractors.assemble import assemble
from extractors.base import Extraction, Source
from extractors.detect import detect_by_keys
from extractors.pdf_form import acroform_names, acroform_year, read_acroform
from extractors.pdf_text import has_form_fields, load_words, read_pdf_text, text_layer_problem
from extractors.pdf_words import PageWords
from extractors.text_language import reads_as_language, refuse_readable_non_form, refuse_unless_form
from formgen.catalogue import catalogue
from formgen.errors import InputError, SpecError
from formgen.guard import Limits, check_file, sha256_file
from formgen.read_options import OCR_MODES, ReadOptions
from formgen.record_json import read_record_json
from formgen.sandbox import run_inline, run_limited

__all__ = ["EXTRACTORS", "OCR_MODES", "ReadOptions", "extract", "read_docx_file", "read_json", "read_pdf"]


def read_pdf(path: Path, options: ReadOptions) -> Extraction:
    """A PDF: our fillable form's fields; else the printed text read by the labels; else OCR."""
    if options.ocr != "always" and has_form_fields(path):
        filled = _read_fields(path, options.forms)
        if filled is not None:
            return filled
    head: list[PageWords] = []
    if options.ocr != "always":  # a readable layer without the headings: not this form
        head = refuse_readable_non_form(path, options.forms)
    pages = head + load_words(path, start=len(head))
    reason = "always" if options.ocr == "always" else text_layer_problem(pages)
    if reason == "text layer unreadable" and reads_as_language(pages):
        refuse_unless_form(path, pages, options.forms)  # running text (a table-heavy report): not this form
    if reason is None:
        try:
            return read_pdf_text(path, pages, options.forms)
        except InputError as exc:
            if exc.code != "not-this-form" or reads_as_language(pages):
                raise  # a readable text layer without the markers is not this form: never OCR'd
            reason = "text layer unreadable"
    return _read_by_ocr(path, reason, options)


def _read_fields(path: Path, root: Path | None) -> Extraction | None:
    """A fillable form whose fields are named by record keys, read by name with the version it was made from;
    None for any other form (or a year no version covers: the printed text then says why)."""
    forms = catalogue(root)
    year = acroform_year(path, forms)
    if year is None:
        return None
    try:
        found = detect_by_keys(acroform_names(path), year, root)
    except SpecError:
        return None
    readings = read_acroform(path, forms, found.form, found.year)
    if readings is None:
        return None
    record, provenance, problems = assemble(found.form, found.year, readings)
    source = Source(str(path), sha256_file(path), "pdf", "acroform", found.form.form, found.year)
    return found.finish(Extraction(record, source, provenance, tuple(problems)))


def _read_by_ocr(path: Path, reason: str, options: ReadOptions) -> Extraction:
    if options.ocr == "never":
        raise InputError(str(path), _NO_OCR[reason if reason in _NO_OCR else "text layer unreadable"]
                         + " (--ocr never)", code=reason.replace(" ", "-"))
    from extractors.ocr import ocr_available, read_pdf_ocr

    missing = ocr_available()
    if missing is not None:
        raise InputError(str(path), f"{_NO_OCR.get(reason, 'filen behöver OCR')}, men OCR går inte att köra: "
                         f"{missing}", code="ocr-unavailable")
    return read_pdf_ocr(path, "forced" if reason == "always" else reason, root=options.forms)


_NO_OCR = {
    "no text layer": "PDF-filen saknar textlager (skannad bild) och kan bara läsas med OCR",
    "text layer unreadable": "PDF-filens textlager går inte att läsa (tecken utan Unicode-koppling) "
                             "och filen kan bara läsas med OCR",
}


def read_docx_file(path: Path, options: ReadOptions) -> Extraction:
    """A Word document (plain text, legacy form fields or content controls)."""
    from extractors.docx_reader import read_docx

    return read_docx(path, options.forms)


def read_json(path: Path, options: ReadOptions) -> Extraction:
    """A record JSON file, as an extraction whose values all come from the file itself."""
    record = read_record_json(path, options.forms)
    source = Source(str(path), sha256_file(path), "json", "json", record.form.form, record.year)
    return Extraction(record, source)


EXTRACTORS: dict[str, Callable[[Path, ReadOptions], Extraction]] = {
    "pdf": read_pdf,
    "docx": read_docx_file,
    "json": read_json,
}


def extract(path: Path | str, *, limits: Limits | None = None, sandbox: bool = True,
            options: ReadOptions | None = None) -> Extraction:
    """Read any submission into an Extraction; cheap gates first, then parsing in a limited worker."""
    path = Path(path)
    limits = limits or Limits()
    options = options or ReadOptions()
    kind = check_file(path, limits)
    reader = EXTRACTORS[kind]
    if sandbox and kind != "json":
        return run_limited(reader, path, options, limits=limits, path=str(path))
    return run_inline(reader, path, options, limits=limits, path=str(path))
