"""The flattened-PDF extractor: the text layer's words (PDFium) read by the form's labels."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.assemble import assemble
from extractors.base import Extraction, Source
from extractors.detect import detect_form
from extractors.geometry import words_to_lines
from extractors.layout_reader import read_layout
from extractors.pdf_words import PageWords, Word, page_words
from formgen.errors import InputError
from formgen.guard import pdfium_load_error, sha256_file


def load_words(path: Path, first: int | None = None, start: int = 0) -> list[PageWords]:
    """Words of every page of a PDF's text layer from page index ``start`` (only up to the ``first`` pages
    when given)."""
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise pdfium_load_error(path, exc) from None
    try:
        count = len(doc) if first is None else min(first, len(doc))
        return [page_words(_flattened(doc, i), i + 1) for i in range(start, count)]
    finally:
        doc.close()


def _flattened(doc: pdfium.PdfDocument, index: int) -> pdfium.PdfPage:
    """A page with its form fields' and annotations' appearances drawn into it, as a viewer prints it.

    A filled form whose fields are not named by our keys is read like its printout this way.
    """
    page = doc[index]
    if pdfium_c.FPDFPage_GetAnnotCount(page.raw) == 0:
        return page
    result = pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_PRINT)
    if result != pdfium_c.FLATTEN_SUCCESS:
        return page
    page.close()
    return doc[index]  # PDFium asks for the page to be loaded again after flattening


def has_form_fields(path: Path) -> bool:
    """Whether a PDF has an interactive form (AcroForm or XFA), asked of PDFium without parsing it all."""
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise pdfium_load_error(path, exc) from None
    try:
        return pdfium_c.FPDF_GetFormType(doc.raw) != pdfium_c.FORMTYPE_NONE
    finally:
        doc.close()


def text_layer_problem(pages: list[PageWords]) -> str | None:
    """Why a text layer cannot be read (no text, glyphs without Unicode, mostly non-letters), or None."""
    chars = sum(p.chars for p in pages)
    if chars < 100:
        return "no text layer"
    unmapped = sum(p.unmapped_chars for p in pages)
    text = "".join(w.text for p in pages for w in p.words)
    letters = sum(ch.isalpha() for ch in text)
    if unmapped > 0.05 * chars or letters < 0.5 * max(len(text), 1):
        return "text layer unreadable"
    return None


def read_pdf_text(path: Path, pages: list[PageWords] | None = None, root: Path | None = None) -> Extraction:
    """Extract the record of a flattened (printed) PDF from its text layer, read by the form version it was
    printed from (among the versions under a forms root)."""
    path = Path(path)
    pages = pages if pages is not None else load_words(path)
    problem = text_layer_problem(pages)
    if problem is not None:
        raise InputError(str(path), _TEXT_LAYER_REASONS[problem], code=problem.replace(" ", "-"))
    words: list[Word] = [w for p in pages for w in p.words]
    lines = words_to_lines(words)
    reading_order = " ".join(w.text for line in lines for w in line.words)
    found = detect_form(str(path), reading_order, root)
    form, year = found.form, found.year
    layout = read_layout(words, form, year, lines)
    record, provenance, problems = assemble(form, year, layout.readings)
    source = Source(str(path), sha256_file(path), "pdf", "text", form.form, year)
    return found.finish(Extraction(record, source, provenance, tuple(layout.problems + problems)))


_TEXT_LAYER_REASONS = {
    "no text layer": "PDF-filen saknar textlager (skannad bild?); den kan bara läsas med OCR",
    "text layer unreadable": "PDF-filens textlager går inte att läsa (tecken utan Unicode-koppling); "
    "den kan bara läsas med OCR",
}
