"""The scanned-PDF extractor: Tesseract words and ink-found tick marks, read by the same label reader.

Each page is rendered (PDFium), turned upright (OSD, only when the page reads badly as it stands),
deskewed, cropped to its ink and recognised with Swedish data. Tick boxes and crosses are found by their
ink (extractors.ocr_marks) and become mark words "☒"/"☐"; OCR misreads of those marks are dropped. The
reader (read_layout) and assemble() are those of the text-layer extractor. Every value carries the lowest
OCR confidence of its words; unsure or implausible values become "uncertain-ocr" problems.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from extractors import ocr_engine as eng
from extractors.assemble import Reading, assemble
from extractors.base import Extraction, Problem, Source
from extractors.detect import detect_form
from extractors.layout_reader import read_layout
from extractors.ocr_checks import check_plausible, repair_reading
from extractors.ocr_marks import EMPTY, TICKED, UNSURE, InkMark, find_boxes, find_crosses
from extractors.pdf_words import DRAWN_EMPTY, DRAWN_TICKED, Word
from formgen.errors import InputError
from formgen.guard import sha256_file

__all__ = ["DPI", "LOW_CONFIDENCE", "OcrPage", "ocr_available", "ocr_document", "ocr_words", "read_pdf_ocr"]

DPI = 200               # measured: 150 dpi loses small digits and e-mail dots, 300 dpi is 30 % slower
LOW_CONFIDENCE = 0.60   # a value whose weakest word Tesseract is less sure of is flagged "uncertain-ocr"
ocr_available = eng.ocr_available

# An e-mail address whose "@" was read as "Q", "(Q", "©" or "(at)": lower-case local part and domain.
_EMAIL_AT = re.compile(r"^([a-z0-9._%+\-]+)(\(Q|\(@|Q|©|\(at\))([a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,})$")
_NOISE = frozenset({"|", "||", "¦", "I|", "|I"})
_NUMBER_TYPES = frozenset({"int", "kr", "fte"})
_MARK_LIKE = re.compile(r"^[\[\(|{]?[xXkK×✗✘☒☐><%*+#]{1,2}[\]\)|}]?$")


@dataclass(frozen=True)
class OcrPage:
    """One page read: words and ink marks in points of the upright (turned, deskewed) page, and the frame
    that maps them back to the original page."""

    page: int
    frame: eng.PageFrame
    words: tuple[Word, ...]
    confidence: tuple[float, ...]     # per word, 0–1
    marks: tuple[Word, ...]           # clear ticked/empty marks (drawn=True)
    unsure: tuple[Word, ...]          # faint or smudged marks: not read, but noted
    image: Image.Image | None = None  # the upright page image (for re-reading a doubtful number)
    notes: tuple[tuple[int, str], ...] = ()  # (word index, repair made to its text)

    def original_box(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """A box in points of the upright page as the enclosing box in points of the original page."""
        k = self.frame.dpi / 72
        return self.frame.box_to_page(box[0] * k, box[1] * k, box[2] * k, box[3] * k)


def ocr_document(path: Path, dpi: int = DPI) -> list[OcrPage]:
    """Every page of a PDF rendered and read by OCR."""
    problem = eng.ocr_available()
    if problem is not None:
        raise InputError(str(path), problem, code="ocr-unavailable")
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise InputError(str(path), f"PDF-filen kan inte öppnas ({exc})", code="damaged-pdf") from None
    try:
        return [ocr_page(page, i + 1, dpi) for i, page in enumerate(doc)]
    finally:
        doc.close()


def ocr_page(page: pdfium.PdfPage, number: int, dpi: int = DPI) -> OcrPage:
    """One page: render, orient, deskew, recognise, find marks."""
    img = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    skew = eng.estimate_skew(img)
    quarter = 0
    upright = eng.deskew(img, skew)
    raw = _recognise_cropped(upright)
    if len(raw) < 15 or eng.mean_conf(raw) < 70:
        deg, _conf = eng.detect_orientation(upright)
        tried = {0}
        for q in (deg // 90 % 4, (4 - deg // 90) % 4, 2):
            if q in tried:
                continue
            tried.add(q)
            turned = eng.deskew(eng.turn(img, q), skew)
            again = _recognise_cropped(turned)
            if eng.mean_conf(again) > eng.mean_conf(raw) + 5 and len(again) >= len(raw) * 0.5:
                quarter, upright, raw = q, turned, again
                break
    frame = eng.PageFrame(img.width, img.height, quarter, skew, float(dpi))
    grey = np.asarray(upright, dtype=np.uint8)
    covered = [(w.x0, w.top, w.x1, w.bottom) for w in raw if not _mark_like(w, dpi)]
    boxes = [b for b in find_boxes(grey, dpi) if not any(_inside_word(b, c) for c in covered)]
    crosses = find_crosses(grey.copy(), dpi, covered, boxes)
    ink = boxes + crosses
    k = 72 / dpi
    words, confs = [], []
    notes: list[tuple[int, str]] = []
    for w in raw:
        if any(_overlaps(w, m) for m in ink) and (_mark_like(w, dpi) or _mostly_inside(w, ink)):
            continue  # an OCR reading of a tick mark itself
        if w.text in _NOISE:
            continue  # a table border or the page edge read as a letter
        text = _EMAIL_AT.sub(r"\1@\3", w.text)
        if text != w.text:
            notes.append((len(words), f'OCR: "@" återställt i "{w.text}"'))
        words.append(Word(text, number, w.x0 * k, w.top * k, w.x1 * k, w.bottom * k))
        confs.append(w.conf / 100)
    marks = [_mark_word(m, number, k) for m in ink if m.state in (TICKED, EMPTY)]
    unsure = [replace(_mark_word(m, number, k), text=DRAWN_TICKED) for m in ink if m.state == UNSURE]
    return OcrPage(number, frame, tuple(words), tuple(confs), tuple(marks), tuple(unsure), upright, tuple(notes))


def _recognise_cropped(img) -> list[eng.RawWord]:  # noqa: ANN001 - PIL image
    """Recognise only the inked part of a page (margins cost Tesseract time), boxes in page pixels."""
    mask = np.asarray(img, dtype=np.uint8) < 200
    rows, cols = np.nonzero(mask.any(axis=1))[0], np.nonzero(mask.any(axis=0))[0]
    if rows.size == 0:
        return []
    pad = 12
    x0, y0 = max(0, int(cols[0]) - pad), max(0, int(rows[0]) - pad)
    x1, y1 = min(img.width, int(cols[-1]) + pad), min(img.height, int(rows[-1]) + pad)
    words = eng.recognise(img.crop((x0, y0, x1, y1)))
    return [eng.RawWord(w.text, w.x0 + x0, w.top + y0, w.x1 + x0, w.bottom + y0, w.conf) for w in words]


def _mark_like(w: eng.RawWord, dpi: int) -> bool:
    """An OCR word that may be a misread tick mark ("X", "K", "|X|", "[x]", "><"): short and mark-sized."""
    size = 18 * dpi / 72
    return bool(_MARK_LIKE.match(w.text)) and (w.x1 - w.x0) <= size and (w.bottom - w.top) <= size


def _overlaps(w: eng.RawWord, m: InkMark) -> bool:
    return w.x0 < m.x1 and m.x0 < w.x1 and w.top < m.bottom and m.top < w.bottom


def _inside_word(m: InkMark, box: tuple[int, int, int, int]) -> bool:
    """A found box whose centre lies in a (non-mark) OCR word: part of a letter, not a tick box."""
    cx, cy = (m.x0 + m.x1) / 2, (m.top + m.bottom) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _mostly_inside(w: eng.RawWord, marks: Sequence[InkMark]) -> bool:
    area = max(1, (w.x1 - w.x0) * (w.bottom - w.top))
    for m in marks:
        ix = max(0, min(w.x1, m.x1) - max(w.x0, m.x0))
        iy = max(0, min(w.bottom, m.bottom) - max(w.top, m.top))
        if ix * iy >= 0.6 * area:
            return True
    return False


def _mark_word(m: InkMark, number: int, k: float) -> Word:
    text = DRAWN_EMPTY if m.state == EMPTY else DRAWN_TICKED
    return Word(text, number, m.x0 * k, m.top * k, m.x1 * k, m.bottom * k, drawn=True)


def ocr_words(path: Path, dpi: int = DPI) -> list[tuple[Word, float]]:
    """Words and clear ink marks of every page with their OCR confidence (0–1; marks 1.0), in PDF points
    of the original page (through the deskew and any turn of an upside-down or sideways page)."""
    out: list[tuple[Word, float]] = []
    for p in ocr_document(Path(path), dpi):
        for word, conf in [*zip(p.words, p.confidence, strict=True), *((m, 1.0) for m in p.marks)]:
            x0, top, x1, bottom = p.original_box((word.x0, word.top, word.x1, word.bottom))
            out.append((replace(word, x0=x0, top=top, x1=x1, bottom=bottom), conf))
    return out


def read_pdf_ocr(path: Path, reason: str, dpi: int = DPI) -> Extraction:
    """Extract the record of a scanned PDF (or one whose text layer is unreadable) by OCR."""
    path = Path(path)
    pages = ocr_document(path, dpi)
    words = [w for p in pages for w in (*p.words, *p.marks)]
    form, year = detect_form(str(path), " ".join(w.text for w in words))
    layout = read_layout(words, form, year)
    fields = form.fields_for_year(year)
    by_page = {p.page: p for p in pages}
    readings: dict[str, Reading] = {}
    for key, reading in layout.readings.items():
        conf = _confidence(reading, by_page)
        spec = fields.get(key)
        if spec is not None and spec.type in _NUMBER_TYPES and reading.bbox and conf is not None and conf < 0.9:
            reading, conf = _reread_number(by_page[reading.page], reading, conf, dpi)
        note = _notes(reading, by_page)
        if note:
            reading = replace(reading, note="; ".join(filter(None, [reading.note, note])))
        repaired = repair_reading(spec, reading) if spec is not None else reading
        bbox = reading.bbox
        if bbox is not None and reading.page in by_page:
            bbox = by_page[reading.page].original_box(bbox)
        readings[key] = replace(repaired, confidence=conf, bbox=bbox)
    problems: list[Problem] = list(layout.problems)
    unsure = [w for p in pages for w in p.unsure]
    unsure_keys: set[str] = set()
    if unsure:
        alt = read_layout(words + unsure, form, year)
        unsure_keys = {k for k, r in alt.readings.items()
                       if r.marks != (layout.readings[k].marks if k in layout.readings else ())}
    record, provenance, more = assemble(form, year, readings)
    problems += more
    problems += check_plausible(form, year, record, readings, unsure_keys, LOW_CONFIDENCE)
    source = Source(str(path), sha256_file(path), "pdf", f"ocr: {reason}", form.form, year)
    return Extraction(record, source, provenance, tuple(problems))


def _reread_number(page: OcrPage, reading: Reading, conf: float, dpi: int) -> tuple[Reading, float]:
    """A doubtful number read again from its crop, enlarged, digits only; kept when Tesseract is surer."""
    if page.image is None or reading.bbox is None:
        return reading, conf
    k = dpi / 72
    x0, top, x1, bottom = reading.bbox
    pad = 4
    crop = page.image.crop((int((x0 - pad) * k), int((top - pad) * k), int((x1 + pad) * k), int((bottom + pad) * k)))
    crop = crop.resize((crop.width * 2, crop.height * 2), Image.Resampling.BICUBIC)
    text, again = eng.recognise_line(crop, "0123456789,. ")
    again /= 100
    if text and again > conf and text.replace(" ", "") != reading.raw.replace(" ", ""):
        note = f'OCR: omläst som siffror "{reading.raw}" → "{text}"'
        return replace(reading, raw=text, note="; ".join(filter(None, [reading.note, note]))), again
    return reading, max(conf, again) if text.replace(" ", "") == reading.raw.replace(" ", "") else conf


def _notes(reading: Reading, pages: dict[int, OcrPage]) -> str:
    if reading.bbox is None or reading.page not in pages:
        return ""
    page = pages[reading.page]
    x0, top, x1, bottom = reading.bbox
    return "; ".join(note for i, note in page.notes
                     if x0 - 0.5 <= page.words[i].xc <= x1 + 0.5 and top - 0.5 <= page.words[i].yc <= bottom + 0.5)


def _confidence(reading: Reading, pages: dict[int, OcrPage]) -> float | None:
    """Lowest OCR confidence of the words inside a reading's box (1.0 for marks alone; None if empty)."""
    if reading.bbox is None or reading.page not in pages:
        return None
    page = pages[reading.page]
    x0, top, x1, bottom = reading.bbox
    confs = [c for w, c in zip(page.words, page.confidence, strict=True)
             if x0 - 0.5 <= w.xc <= x1 + 0.5 and top - 0.5 <= w.yc <= bottom + 0.5]
    if confs:
        return min(confs)
    return 1.0 if reading.marks else None
