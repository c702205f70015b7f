"""Which extractor reads a file: chosen by its content (magic bytes), never by its name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from extractors.assemble import assemble
from extractors.base import Extraction, Source
from extractors.pdf_form import acroform_year, read_acroform
from extractors.pdf_text import has_form_fields, load_words, read_pdf_text, text_layer_problem
from formgen.errors import InputError
from formgen.guard import Limits, check_file, sha256_file
from formgen.pipeline import read_record_json
from formgen.sandbox import run_inline, run_limited
from formgen.spec import load_form

OCR_MODES: tuple[str, ...] = ("auto", "always", "never")
# A text layer with real Swedish text has these words; a layer of mapped-but-wrong glyphs has none.
_COMMON_WORDS = frozenset({"och", "att", "som", "för", "med", "av", "på", "i", "en", "det", "är", "till", "har"})


@dataclass(frozen=True)
class ReadOptions:
    """How to read: ``ocr`` is "auto" (OCR when the text layer is missing or unusable), "always" or "never"."""

    ocr: str = "auto"

    def __post_init__(self) -> None:
        if self.ocr not in OCR_MODES:
            raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {self.ocr!r}")


def read_pdf(path: Path, options: ReadOptions) -> Extraction:
    """A PDF: our fillable form's fields; else the printed text read by the labels; else OCR."""
    if options.ocr != "always" and has_form_fields(path):
        filled = _read_fields(path)
        if filled is not None:
            return filled
    pages = load_words(path)
    reason = "always" if options.ocr == "always" else text_layer_problem(pages)
    if reason is None:
        try:
            return read_pdf_text(path, pages)
        except InputError as exc:
            if exc.code != "not-this-form" or _reads_as_swedish(pages):
                raise
            reason = "text layer unreadable"
    return _read_by_ocr(path, reason, options)


def _read_fields(path: Path) -> Extraction | None:
    """A fillable form whose fields are named by record keys, read by name; None for any other form."""
    readings = read_acroform(path)
    if readings is None:
        return None
    year = acroform_year(path)
    if year is None:
        return None
    form = load_form(year)
    record, provenance, problems = assemble(form, year, readings)
    source = Source(str(path), sha256_file(path), "pdf", "acroform", form.form, year)
    return Extraction(record, source, provenance, tuple(problems))


def _reads_as_swedish(pages: list) -> bool:
    words = [w.text.lower() for p in pages for w in p.words]
    return sum(w in _COMMON_WORDS for w in words) >= max(5, len(words) // 50)


def _read_by_ocr(path: Path, reason: str, options: ReadOptions) -> Extraction:
    if options.ocr == "never":
        raise InputError(str(path), _NO_OCR[reason if reason in _NO_OCR else "text layer unreadable"]
                         + " (--ocr never)", code=reason.replace(" ", "-"))
    from extractors.ocr import ocr_available, read_pdf_ocr

    missing = ocr_available()
    if missing is not None:
        raise InputError(str(path), f"{_NO_OCR.get(reason, 'filen behöver OCR')}, men OCR går inte att köra: "
                         f"{missing}", code="ocr-unavailable")
    return read_pdf_ocr(path, "forced" if reason == "always" else reason)


_NO_OCR = {
    "no text layer": "PDF-filen saknar textlager (skannad bild) och kan bara läsas med OCR",
    "text layer unreadable": "PDF-filens textlager går inte att läsa (tecken utan Unicode-koppling) "
                             "och filen kan bara läsas med OCR",
}


def read_docx_file(path: Path, options: ReadOptions) -> Extraction:
    """A Word document (plain text, legacy form fields or content controls)."""
    from extractors.docx_reader import read_docx

    return read_docx(path)


def read_json(path: Path, options: ReadOptions) -> Extraction:
    """A record JSON file, as an extraction whose values all come from the file itself."""
    record = read_record_json(path)
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
