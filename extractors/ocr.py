"""The scanned-PDF extractor: Tesseract words and ink-found tick marks, read by the same label reader.

Each page is rendered (PDFium; a crop box outside the page falls back to the media box), normalised (paper
white, toner black, strokes a copier thickened thinned, specks of dust removed), turned upright (OSD, only when
the page reads badly as it stands), deskewed, cropped to its ink and recognised with Swedish data. Page 1 goes
first and its top part first of all: without the form's headings there the file is refused as "not this form"
before any other page costs time. Tick boxes and crosses are found by their ink (extractors.ocr_marks) and
become mark words "☒"/"☐"; OCR's readings of those marks ("X", "0", "ORO", "MN") are dropped; lone digits and
short words Tesseract skipped (a column header "Ja" standing alone) are read again from their ink. The reader
(read_layout) and assemble() are those of the text-layer extractor. Every value carries the lowest OCR
confidence of its words; numbers are read a second time (digits only, and for amounts also at another
binarisation) and disagreeing reads, unsure characters, a count whose ink is wider than its digits, the form's
own redundancy (extractors.ocr_checks) and answers that nearly repeat one another (extractors.ocr_consistency)
become "uncertain-ocr" problems. Tesseract and Leptonica write to file descriptor 2: it is captured while they
run. A page OCR fails on is an "ocr-failed" problem (on page 1 a Swedish refusal), never "damaged file".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageOps

from extractors import ocr_engine as eng
from extractors.assemble import Reading, assemble
from extractors.base import Extraction, Problem, Source
from extractors.completeness import UNREAD_VALUE, EmptyArea, typical_heights
from extractors.detect import detect_form
from extractors.layout_reader import read_layout
from extractors.ocr_checks import check_plausible, repair_digits, repair_reading, uncertain
from extractors.ocr_consistency import consistency_problems
from extractors.ocr_marks import EMPTY, TICKED, UNSURE, InkMark, find_boxes, find_crosses, orphan_blobs, text_rows
from extractors.ocr_year import (
    agreed_year,
    detection_text,
    printed_years,
    repair_year,
    year_on_label_line,
    year_templates,
)
from extractors.pdf_words import DRAWN_EMPTY, DRAWN_TICKED, Word
from extractors.text_language import page_has_markers
from formgen.catalogue import catalogue
from formgen.errors import InputError
from formgen.guard import pdfium_load_error, sha256_file

__all__ = ["DPI", "LOW_CONFIDENCE", "OcrPage", "ocr_available", "ocr_document", "ocr_words", "read_pdf_ocr"]

DPI = 200               # measured: 150 dpi loses small digits and e-mail dots, 300 dpi is 30 % slower
LOW_CONFIDENCE = 0.60   # a value whose weakest word Tesseract is less sure of is flagged "uncertain-ocr"
MAX_INK_SHARE = 0.35    # a page darker than this is a photograph or a black page, not text
ORIENTATION_TIMEOUT_MS = 4000  # a turned page read only to compare: bounded
WIDE_DIGIT = 1.15       # a count's ink wider than this × its height per digit read has lost a digit
# a "1" is narrow: its ink is 0.29–0.77 × its height in eleven fonts measured, "11" 0.96–1.68 ("11" read as "1")
WIDE_ONE = 0.9
GATE_SHARE = 0.28       # page 1's top part read first: the form's headings (title, subtitle, year) stand there
ocr_available = eng.ocr_available

# An e-mail address whose "@" was read as "Q", "(Q", "©" or "(at)": lower-case local part and domain.
_EMAIL_AT = re.compile(r"^([a-z0-9._%+\-]+)([öÖQ]@|@[öÖQ]|\(Q|\(@|QQ|Q|©|®|\(at\)|\([öÖ]|[öÖ]|@@|\(ä|&)"
                       r"([a-z0-9\-]+(?:[.:][a-z0-9\-]+)*[.:][a-z]{2,})$")
_CROSS_WORD = re.compile(r"^[\[\(|]?[xX×✗✘☒]{1,2}[\]\)|]?$")
_SPECKS = frozenset(".,'`´·•‘’:;\"")  # a standalone word of one of these is a speck of dust, not punctuation
_NOISE = frozenset({"|", "||", "¦", "I|", "|I"})
_BOX_CHARS = frozenset("O0oDQRXxKkB8%&®©@☐☒□■|[](){}<>ØøG")
_NUMBER_TYPES = frozenset({"int", "kr", "fte"})
# "decimaler!:1,50", "decimaler!':-1,50": a label word, specks or a footnote mark, its colon, a number
_GLUED_VALUE = re.compile(r"^([^\W\d_]{3,}[^\w\s]{0,3}[:;][^\w\s]{0,2})(\d[\d.,]*)$")
_LOST_WORDS = re.compile(r"[^\W\d_]{2,}(?: [^\W\d_]{2,}){0,3}")  # a header or label of one to four words
_LONE_ONE = frozenset({"I", "l", "|"})  # what a lone "1" read alone on white paper comes out as, besides "1"
_TICK_READING = re.compile(r"^[vVyY/\\€éJ√✓✔][vVtY/\\]?$")  # Tesseract's readings of a typed check mark
_MARK_LIKE = re.compile(r"^[\[\(|{Il1]?[xXkK×✗✘☒☐><%*+#]{1,2}[\]\)|}Il1]?$")  # a box's edge read as "I", "l"


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
    failure: str | None = None        # why the page could not be read (Swedish), None when it was
    char_confidence: tuple[float, ...] = ()  # per word, its least sure character, 0–1

    def original_box(self, box: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """A box in points of the upright page as the enclosing box in points of the original page."""
        k = self.frame.dpi / 72
        return self.frame.box_to_page(box[0] * k, box[1] * k, box[2] * k, box[3] * k)


def ocr_document(path: Path, dpi: int = DPI, root: Path | None = None, *,
                 first_page_gate: bool = True) -> list[OcrPage]:
    """Every page of a PDF rendered and read by OCR; page 1 first, and with ``first_page_gate`` a page 1
    without the form's headings refuses the file as "not this form" before any other page is read."""
    problem = eng.ocr_available()
    if problem is not None:
        raise InputError(str(path), problem, code="ocr-unavailable")
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise pdfium_load_error(path, exc) from None
    try:
        pages = []
        for index in range(len(doc)):
            gate = _markers_gate(root) if index == 0 and first_page_gate else None
            try:
                page = _ocr_page_safely(doc, index, dpi, gate)
            except NotTheForm as exc:
                raise InputError(str(path), f"inte en Redovisning-blankett för personligt ombud (not a Redovisning "
                                 f"form): {exc} (läst med OCR)", code="not-this-form") from None
            if gate is not None and page.failure is not None:
                raise InputError(str(path), f"{page.failure}; filen kan inte läsas", code="ocr-failed")
            pages.append(page)
        return pages
    finally:
        doc.close()


def _ocr_page_safely(doc: pdfium.PdfDocument, index: int, dpi: int, gate: Gate | None = None) -> OcrPage:
    """One page read, or an empty page carrying a Swedish ``failure`` when rendering or Tesseract failed."""
    number = index + 1
    try:
        page = doc[index]
        width, height = page.get_size()
        if width < 1 or height < 1:  # a crop box outside the media box: PDFium's intersection is empty
            page.set_cropbox(*page.get_mediabox())
        return ocr_page(page, number, dpi, gate)
    except eng.OcrError as exc:
        why = f"OCR misslyckades på sida {number} (Tesseract: {_short(exc)})"
    except (pdfium.PdfiumError, ValueError, OSError, MemoryError) as exc:
        why = f"sida {number} kunde inte renderas för OCR ({_short(exc)})"
    return OcrPage(number, eng.PageFrame(1, 1, 0, 0.0, float(dpi)), (), (), (), (), failure=why)


def _short(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:80]
    return text or type(exc).__name__


def _markers_gate(root: Path | None) -> Gate:
    """The first-page gate: OCR words of page 1's top part carry at least two markers of a form version."""

    def gate(raw: list[eng.RawWord], dpi: int) -> bool:
        if not raw:
            raise NotTheForm("sida 1 har ingen text som OCR kan läsa")
        k = 72 / dpi
        words = [Word(w.text, 1, w.x0 * k, w.top * k, w.x1 * k, w.bottom * k) for w in raw]
        return page_has_markers(words, root)

    return gate


class NotTheForm(Exception):
    """Page 1 read by OCR does not carry the form's headings (raised by a first-page gate)."""


Gate = Callable[[list[eng.RawWord], int], bool]  # words of a page's top part (pixels), dpi → is the form


def ocr_page(page: pdfium.PdfPage, number: int, dpi: int = DPI, gate: Gate | None = None) -> OcrPage:
    """One page: render, normalise (paper white, toner black, copier-thickened strokes thinned, else specks
    removed), orient, deskew, recognise, find marks.

    With ``gate`` (page 1) the top part of the page is recognised first and NotTheForm raised when the gate
    finds no form headings there, upright or turned as OSD says, before the rest of the page costs time."""
    img = eng.normalise(page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
    thinned = eng.thin_strokes(img, dpi)
    # a copier's page the thinning dilated lost its specks with it (and what is small there is broken text)
    img = thinned if thinned is not img else eng.despeckle(img, dpi)
    if eng.ink_share(img) > MAX_INK_SHARE:  # a photograph or a black page: no text to read, Tesseract would crawl
        if gate is not None:
            raise NotTheForm("sida 1 är en bild utan text")
        return OcrPage(number, eng.PageFrame(img.width, img.height, 0, 0.0, float(dpi)), (), (), (), (), img)
    skew = eng.estimate_skew(img)
    if gate is not None:
        quarter, upright, raw = _read_gated(img, skew, dpi, gate)
    else:
        quarter, upright, raw = _read_oriented(img, skew, dpi)
    frame = eng.PageFrame(img.width, img.height, quarter, skew, float(dpi))
    grey = np.asarray(upright, dtype=np.uint8)
    found = find_boxes(grey, dpi)
    # a found box inside a real word is part of a letter; OCR's readings of boxes and crosses ("0", "ORO",
    # "KORK" down a column of marks) explain no ink
    line_height = _text_height(raw)
    raw = _rejoined(raw, upright, dpi, line_height)
    text_words = [w for w in raw if not _mark_like(w, dpi) and not _box_misread(w, line_height)
                  and not any(_reads_box(w, b) for b in found)]
    # an unsure word of one or two signs hides no cross from the ink finder (">I" read off an "X" in a grid cell)
    covered = [(w.x0, w.top, w.x1, w.bottom) for w in text_words if not _unsure_sign(w) and not _tick_reading(w, dpi)]
    # a sure word of one sign is Tesseract's reading of a glyph box ("☒" read as "M"), not a letter holding one
    sure = [(w.x0, w.top, w.x1, w.bottom) for w in text_words if w.conf >= 75 and len(_unspecked(w.text)) > 1]
    boxes = [b for b in found if not any(_inside_word(b, c) for c in sure)]  # an unsure word may swallow a box
    crosses = find_crosses(grey.copy(), dpi, covered, boxes)
    crosses += _read_crosses(raw, [*boxes, *crosses], dpi)
    ink = boxes + crosses
    k = 72 / dpi
    words, confs, char_confs = [], [], []
    notes: list[tuple[int, str]] = []
    misread: list[eng.RawWord] = []
    for w in raw:
        if any(_overlaps(w, m) for m in ink) and (_mark_like(w, dpi) or _tick_reading(w, dpi) or _mostly_inside(w, ink)
                                                  or _sign_on_mark(w, ink)
                                                  or _box_misread(w, line_height)
                                                  or any(_reads_box(w, m) for m in boxes)):
            continue  # an OCR reading of a tick mark itself
        if w.text in _NOISE:
            continue  # a table border or the page edge read as a letter
        if _spans_lines(w, line_height) and w.conf < 80:
            continue  # a column of values read as one unsure "word" ("Wwww" down four counts): lost words below
        w = _after_box(w, boxes)
        if len(w.text) <= 2 and all(ch in _SPECKS for ch in w.text):
            continue  # punctuation stands glued to its word; alone it is dust or speckle
        if not any(ch.isalnum() for ch in w.text) and w.conf < 60:
            if line_height and w.bottom - w.top >= 0.6 * line_height:
                misread.append(w)  # a sign as tall as text ("=" for a "5"): its ink is read again below
            continue  # an unsure dash or bar of no letters: a stroke of noise between a mark and its option
        stripped = w.text.strip("|¦")  # a table border glued to a word ("|Socialnämnden")
        if stripped[:1] in ("<", ">", "«", "»") and stripped[1:2].isalnum():
            stripped = stripped[1:]  # a speck or border corner read before a word ("<Rådhusgatan")
        w = replace(w, text=stripped) if stripped and stripped != w.text else w
        text = _EMAIL_AT.sub(lambda m: f"{m.group(1)}@{m.group(3).replace(':', '.')}", w.text)
        if text != w.text:
            notes.append((len(words), f'OCR: "@" återställt i "{w.text}"'))
        for part in _unglued(replace(w, text=text)):
            words.append(Word(part.text, number, part.x0 * k, part.top * k, part.x1 * k, part.bottom * k))
            confs.append(w.conf / 100)
            char_confs.append(w.char_conf / 100)
    # a faint free "cross" may be a digit Tesseract skipped (a "4" in a grid cell): its ink is read as a number
    # too, and a number read there replaces the doubtful mark
    settled = [m for m in ink if m.boxed or m.state != UNSURE]
    # ink a word explains is not lost; a "word" down a column of boxes explains none (a header may stand in it)
    read = [(w.x0, w.top, w.x1, w.bottom) for w in raw if not _spans_lines(w, line_height)]
    read_again = {(w.x0, w.top, w.x1, w.bottom) for w in misread}
    lost = _lost_words(upright, grey, dpi, [b for b in (*covered, *read) if b not in read_again], settled, line_height)
    for text, conf, box in lost:
        words.append(Word(text, number, box[0] * k, box[1] * k, box[2] * k, box[3] * k))
        confs.append(conf)
        char_confs.append(conf)
        notes.append((len(words) - 1, f'OCR: "{text}" läst i efterhand (Tesseract hoppade över det)'))
    ink = [m for m in ink if m in settled or not any(_box_overlap(m, box) for _, _, box in lost)]
    marks = [_mark_word(m, number, k) for m in ink if m.state in (TICKED, EMPTY)]
    unsure = [replace(_mark_word(m, number, k), text=DRAWN_TICKED) for m in ink if m.state == UNSURE]
    return OcrPage(number, frame, tuple(words), tuple(confs), tuple(marks), tuple(unsure), upright, tuple(notes),
                   char_confidence=tuple(char_confs))


def _unglued(w: eng.RawWord) -> list[eng.RawWord]:
    """A label's last word and the number after its colon read as one word ("decimaler!:1,50", the footnote
    mark read as "!") split in two, each with its share of the box; any other word as it is."""
    glued = _GLUED_VALUE.match(w.text)
    if glued is None:
        return [w]
    head, tail = glued.group(1), glued.group(2)
    cut = w.x0 + (w.x1 - w.x0) * len(head) / len(w.text)
    return [replace(w, text=head, x1=round(cut)), replace(w, text=tail, x0=round(cut) + 1)]


def _after_box(w: eng.RawWord, boxes: Sequence[InkMark]) -> eng.RawWord:
    """A word that swallowed the box printed just before it ("☒Ja" read as "Ja" from the box's left edge):
    its box starts after the mark, and a leading non-letter read from the box is dropped."""
    for b in boxes:
        if w.x0 <= b.x1 and b.x0 <= w.x0 + 2 and w.top < b.bottom and b.top < w.bottom and w.x1 > b.x1 + 4:
            text = w.text.lstrip("[](){}|©®%&*+#<>ØøOo0") if not w.text[:1].isalpha() else w.text
            return replace(w, text=text or w.text, x0=b.x1 + 1)
    return w


def _read_crosses(raw: Sequence[eng.RawWord], found: Sequence[InkMark], dpi: int) -> list[InkMark]:
    """Crosses Tesseract read as "X"/"x"/"Xx" where the ink finder saw none (a copier thickens an "X" until
    its arms merge): ticked when Tesseract is fairly sure, else unsure (flagged, never silently dropped)."""
    out = []
    for w in raw:
        if _CROSS_WORD.match(_unspecked(w.text)) and _mark_like(w, dpi) and not any(_overlaps(w, m) for m in found):
            state = TICKED if w.conf >= 50 else UNSURE
            out.append(InkMark(state, w.x0, w.top, w.x1, w.bottom, False, 0.0))
    return out


def _split_box(text: str, box: tuple[int, int, int, int]) -> list[tuple[str, tuple[int, int, int, int]]]:
    """The words of a line read from one box, each with its share of the box (by characters)."""
    x0, top, x1, bottom = box
    per_char = (x1 - x0) / max(1, len(text))
    out, start = [], 0
    for part in text.split(" "):
        if part:
            out.append((part, (round(x0 + start * per_char), top, round(x0 + (start + len(part)) * per_char), bottom)))
        start += len(part) + 1
    return out


def _enlarged(img: Image.Image, box: tuple[int, int, int, int], pad: int) -> Image.Image:
    """A box of the page with ``pad`` pixels round it (within the page), enlarged twice for a line re-read."""
    x0, top, x1, bottom = box
    crop = img.crop((max(0, x0 - pad), max(0, top - pad), min(img.width, x1 + pad), min(img.height, bottom + pad)))
    return crop.resize((crop.width * 2, crop.height * 2), Image.Resampling.BICUBIC)


def _isolated(img: Image.Image, box: tuple[int, int, int, int], margin: int) -> Image.Image:
    """The ink of a box alone (one pixel round it, within the page) on ``margin`` pixels of white paper,
    enlarged twice for a line re-read: a grid cell's border near a lone digit is not in it (Tesseract reads
    a "2" under a rule as "=" or nothing, and a digit with no white round it as another one)."""
    x0, top, x1, bottom = box
    crop = img.crop((max(0, x0 - 1), max(0, top - 1), min(img.width, x1 + 1), min(img.height, bottom + 1)))
    crop = ImageOps.expand(crop, border=margin, fill=255)
    return crop.resize((crop.width * 2, crop.height * 2), Image.Resampling.BICUBIC)


def _lost_words(upright: Image.Image, grey: np.ndarray, dpi: int, covered: list[tuple[int, int, int, int]],
                ink: Sequence[InkMark], text_height: float | None) -> list[tuple[str, float, tuple[int, ...]]]:
    """Short words and numbers Tesseract skipped (a lone "1" in a grid cell, a column header "Ja" standing
    alone above its column): ink no word or mark explains, read again as one line, first with every
    character (kept when it reads as a word of two or more letters) and else as digits. Their confidence is
    kept below LOW_CONFIDENCE: a value found this way is always shown as "osäker tolkning". ``text_height``:
    the page's typical word height (_text_height)."""
    if text_height is None:
        return []
    found = []
    pad = max(3, int(text_height * 0.3))
    for x0, top, x1, bottom in orphan_blobs(grey.copy(), dpi, covered, ink, text_height):
        if any(c[0] - pad < x1 and x0 < c[2] + pad and c[1] < bottom and top < c[3] for c in covered):
            continue  # the edge of a letter sticking out of a word's box, not a word of its own
        crop = _isolated(upright, (x0, top, x1, bottom), pad)
        text, conf = eng.recognise_line(crop, "", dpi=dpi * 2)
        if _LOST_WORDS.fullmatch(text) and conf >= 75:
            found += [(part, LOW_CONFIDENCE - 0.01, box) for part, box in _split_box(text, (x0, top, x1, bottom))]
            continue
        if text in _LONE_ONE and conf >= 60:
            text = "1"  # a lone stroke alone on white reads as "I" or "l" as often as "1": flagged as all lost values
        if not re.fullmatch(r"\d{1,5}", text.replace(" ", "")) or conf < 60:  # else read as a number already
            text, conf = eng.recognise_line(crop, "0123456789", dpi=dpi * 2)
        text = text.replace(" ", "")
        if re.fullmatch(r"\d{1,5}", text) and conf >= 60:
            found.append((text, min(conf / 100, LOW_CONFIDENCE - 0.01), (x0, top, x1, bottom)))
    return found


def _read_oriented(img: Image.Image, skew: float, dpi: int) -> tuple[int, Image.Image, list[eng.RawWord]]:
    """The page recognised as it stands; turned as OSD says (then 180°) only when it reads badly."""
    quarter, upright = 0, eng.deskew(img, skew)
    raw = _recognise_cropped(upright, dpi)
    if len(raw) < 15 or eng.mean_conf(raw) < 70:
        deg, conf = eng.detect_orientation(upright)
        turns = [deg // 90 % 4] if conf >= 2 else []
        turns += [q for q in ((4 - deg // 90) % 4, 2) if q not in turns]
        for q in turns[:2] if len(raw) >= 15 else turns:
            if q == 0:
                continue
            turned = eng.deskew(eng.turn(img, q), skew)
            again = _recognise_cropped(turned, dpi, timeout_ms=ORIENTATION_TIMEOUT_MS)
            if eng.mean_conf(again) > eng.mean_conf(raw) + 5 and len(again) >= len(raw) * 0.5:
                quarter, upright, raw = q, turned, again
                break
    return quarter, upright, raw


def _read_gated(img: Image.Image, skew: float, dpi: int, gate: Gate) -> tuple[int, Image.Image, list[eng.RawWord]]:
    """Page 1: its top part read first (upright, else turned as OSD says) and checked by ``gate``; the rest
    of the page read only when the form's headings are there. Raises NotTheForm otherwise."""
    upright = eng.deskew(img, skew)
    cut = _split_row(upright, GATE_SHARE)
    top = _recognise_cropped(upright.crop((0, 0, upright.width, cut)), dpi)
    quarter = 0
    if not gate(top, dpi):
        if len(top) >= 30 and eng.mean_conf(top) >= 75:  # read well as it stands: upright, and not the form
            raise NotTheForm("sida 1 saknar blankettens rubriker")
        deg, conf = eng.detect_orientation(upright)
        q = deg // 90 % 4
        if q == 0 or conf < 1:
            raise NotTheForm("sida 1 saknar blankettens rubriker")
        for turn in dict.fromkeys((q, (4 - q) % 4)):  # OSD's sense of a quarter turn, then the other
            upright = eng.deskew(eng.turn(img, turn), skew)
            cut = _split_row(upright, GATE_SHARE)
            top = _recognise_cropped(upright.crop((0, 0, upright.width, cut)), dpi)
            if gate(top, dpi):
                quarter = turn
                break
        else:
            raise NotTheForm("sida 1 saknar blankettens rubriker")
    rest = _recognise_cropped(upright.crop((0, cut, upright.width, upright.height)), dpi)
    return quarter, upright, top + [replace(w, top=w.top + cut, bottom=w.bottom + cut) for w in rest]


def _split_row(img: Image.Image, share: float) -> int:
    """A row near ``share`` of the page height that crosses no text: the emptiest row within ±5 % of it."""
    grey = np.asarray(img, dtype=np.uint8)
    h = grey.shape[0]
    lo, hi = int(h * (share - 0.05)), int(h * (share + 0.05))
    ink_per_row = (grey[lo:hi] < 160).sum(axis=1)
    return lo + int(np.argmin(ink_per_row))


def _recognise_cropped(img: Image.Image, dpi: int = DPI, timeout_ms: int = 0) -> list[eng.RawWord]:
    """Recognise only the inked part of a page (margins cost Tesseract time), boxes in page pixels. Tesseract
    gets the part at eng.RECOGNITION_DPI at most (a copy scaled down; the page keeps its resolution for the
    marks and the re-reads of numbers)."""
    mask = np.asarray(img, dtype=np.uint8) < 200
    min_ink = 4  # a row or column with fewer dark pixels is speckle, not text
    rows, cols = np.nonzero(mask.sum(axis=1) >= min_ink)[0], np.nonzero(mask.sum(axis=0) >= min_ink)[0]
    if rows.size == 0:
        return []
    pad = 12
    x0, y0 = max(0, int(cols[0]) - pad), max(0, int(rows[0]) - pad)
    x1, y1 = min(img.width, int(cols[-1]) + pad), min(img.height, int(rows[-1]) + pad)
    part = img.crop((x0, y0, x1, y1))
    scale = min(1.0, eng.RECOGNITION_DPI / dpi)
    if scale < 1.0:
        part = part.resize((max(1, round(part.width * scale)), max(1, round(part.height * scale))),
                           Image.Resampling.BILINEAR)
    words = eng.recognise(part, psm=eng.PAGE_PSM, dpi=round(dpi * scale), timeout_ms=timeout_ms)

    def back(v: int) -> int:
        return round(v / scale)

    return [replace(w, x0=back(w.x0) + x0, top=back(w.top) + y0, x1=back(w.x1) + x0, bottom=back(w.bottom) + y0)
            for w in words]


def _mark_like(w: eng.RawWord, dpi: int) -> bool:
    """An OCR word that may be a misread tick mark ("X", "K", "|X|", "[x]", "><"): short and mark-sized."""
    return bool(_MARK_LIKE.match(_unspecked(w.text))) and _mark_sized(w, dpi)


def _mark_sized(w: eng.RawWord, dpi: int) -> bool:
    """Whether a word's box is no bigger than a tick mark's (18 pt each way)."""
    size = 18 * dpi / 72
    return (w.x1 - w.x0) <= size and (w.bottom - w.top) <= size


def _tick_reading(w: eng.RawWord, dpi: int) -> bool:
    """What Tesseract reads a typed check mark ("✓", "✔") as, when it reads one at all: "v", "Vv", "/", "€",
    "é", "Yt" …, mark-sized. The ink finder then looks at its ink (ocr_marks.find_crosses): only a
    check-shaped blob becomes a mark. Digits are not among them: a thickened "4" of a photocopy can look like
    a check mark; a "✓" read as "7" is reported where the option's mark goes (layout_reader._read_option_mark)."""
    return bool(_TICK_READING.match(_unspecked(w.text))) and _mark_sized(w, dpi)


def _rejoined(raw: list[eng.RawWord], upright: Image.Image, dpi: int,
              line_height: float | None) -> list[eng.RawWord]:
    """A short word whose end Tesseract read apart as an unsure sign ("Nej" as "N" and "&" on a dark copy):
    the two read again as one line from their joined box, and replaced by the word read when it is letters
    only and read surely (else left as they were)."""
    if not line_height:
        return raw
    out: list[eng.RawWord | None] = list(raw)
    for i, sign in enumerate(raw):
        if not _unsure_sign(sign) or sign.text.isalnum():
            continue
        for j, head in enumerate(out):
            if head is None or j == i or len(head.text) > 3 or _unsure_sign(head) or \
                    not 0 <= sign.x0 - head.x1 <= 0.3 * line_height or \
                    min(head.bottom, sign.bottom) - max(head.top, sign.top) < 0.5 * (head.bottom - head.top):
                continue
            box = (head.x0, min(head.top, sign.top), max(head.x1, sign.x1), max(head.bottom, sign.bottom))
            crop = _enlarged(upright, box, max(3, int(line_height * 0.3)))
            text, conf = eng.recognise_line(crop, "", dpi=dpi * 2)
            if re.fullmatch(r"[^\W\d_]{2,}", text) and conf >= 75 and text.startswith(head.text):
                out[j] = replace(head, text=text, x1=box[2], top=box[1], bottom=box[3], conf=min(head.conf, conf))
                out[i] = None
            break
    return [w for w in out if w is not None]


def _unsure_sign(w: eng.RawWord) -> bool:
    """A "word" of one or two characters Tesseract is unsure of (below 50): a reading of a mark or a speck."""
    return len(w.text) <= 2 and w.conf < 50


def _sign_on_mark(w: eng.RawWord, ink: Sequence[InkMark]) -> bool:
    """An unsure sign (see _unsure_sign) lying on a mark and reaching no further than a mark's width past it:
    OCR's reading of the mark (">I" on a cross), not a word that swallowed the box before it ("☒Ja" as "Ja")."""
    return _unsure_sign(w) and any(_overlaps(w, m) and w.x1 <= m.x1 + (m.x1 - m.x0) for m in ink)


def _unspecked(text: str) -> str:
    """A word without the specks of dust OCR glued to its ends ("x." for a typed cross beside a speck)."""
    return text.strip("".join(_SPECKS)) or text


def _box_misread(w: eng.RawWord, line_height: float | None = None) -> bool:
    """A short word made only of what Tesseract reads tick boxes and crosses as ("0", "OO", "ORO", "KORK",
    "®", "[x]", "Xx"): capitals, digits and signs, at most one small letter (a real word such as "Box" has
    more); or any "word" more than two text lines high (``line_height``: the page's typical word height):
    Tesseract's reading of a column of boxes or crosses down several options ("OMX", "KORKRKKRRAR"), never
    text."""
    text = w.text
    if _spans_lines(w, line_height):
        return True
    return 0 < len(text) <= 5 and all(ch in _BOX_CHARS for ch in text) and sum(ch.islower() for ch in text) <= 1


def _spans_lines(w: eng.RawWord, line_height: float | None) -> bool:
    """Whether a "word" is more than two text lines high (``line_height``: the page's typical word height):
    Tesseract's reading of a column of boxes, crosses or counts, never text."""
    return bool(line_height) and w.bottom - w.top > 2 * line_height


def _text_height(raw: Sequence[eng.RawWord]) -> float | None:
    """The median height of a page's words of three or more letters (None without such words)."""
    heights = sorted(w.bottom - w.top for w in raw if len(w.text) >= 3 and w.text.isalpha())
    return float(heights[len(heights) // 2]) if heights else None


def _reads_box(w: eng.RawWord, box: InkMark) -> bool:
    """A short, unsure OCR word lying on a drawn box and not much bigger than it: Tesseract's reading of the
    box ("MN", "OD", "®"), not text (a box inside a long or surely read word, "Om", is a letter's loop)."""
    ix = max(0, min(w.x1, box.x1) - max(w.x0, box.x0))
    iy = max(0, min(w.bottom, box.bottom) - max(w.top, box.top))
    side_w, side_h = max(1, box.x1 - box.x0), max(1, box.bottom - box.top)
    return (len(w.text) <= 3 and w.conf < 75 and ix * iy >= 0.8 * side_w * side_h
            and (w.x1 - w.x0) <= 1.8 * side_w and (w.bottom - w.top) <= 1.8 * side_h)


def _overlaps(w: eng.RawWord, m: InkMark) -> bool:
    return w.x0 < m.x1 and m.x0 < w.x1 and w.top < m.bottom and m.top < w.bottom


def _box_overlap(m: InkMark, box: Sequence[int]) -> bool:
    return m.x0 < box[2] and box[0] < m.x1 and m.top < box[3] and box[1] < m.bottom


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


def read_pdf_ocr(path: Path, reason: str, dpi: int = DPI, root: Path | None = None) -> Extraction:
    """Extract the record of a scanned PDF (or one whose text layer is unreadable) by OCR.

    Tesseract and Leptonica write warnings straight to file descriptor 2: it is captured while they run.
    A page that cannot be rendered or recognised becomes an "ocr-failed" problem (page 1: a refusal)."""
    with eng.quiet_stderr():
        return _read_pdf_ocr(Path(path), reason, dpi, root)


def _read_pdf_ocr(path: Path, reason: str, dpi: int, root: Path | None) -> Extraction:
    pages = ocr_document(path, dpi, root)
    words = [w for p in pages for w in (*p.words, *p.marks)]
    labels = [form.year_label for form in catalogue(root).forms()]
    page_words = [w for p in pages for w in p.words]
    found = detect_form(str(path), detection_text(page_words, labels), root)
    # the year label's line misread ("2029"): the form's other mentions of the year decide, flagged
    elsewhere = printed_years(page_words, year_templates(found.form))
    label_year = year_on_label_line(page_words, found.form.year_label) or found.reported_year
    agreed = agreed_year(label_year, elsewhere)
    if agreed is not None and agreed != found.reported_year:
        found = detect_form(str(path), detection_text(page_words, labels, year=agreed), root)
    form, year = found.form, found.year
    layout = read_layout(words, form, year)
    fields = form.fields_for_year(year)
    by_page = {p.page: p for p in pages}
    readings: dict[str, Reading] = {}
    doubts: dict[str, str] = {}
    char_conf: dict[str, float] = {}
    for key, reading in layout.readings.items():
        conf = _confidence(reading, by_page)
        spec = fields.get(key)
        weakest = _confidence(reading, by_page, by_char=True)
        if weakest is not None:
            char_conf[key] = weakest
        wide = spec is not None and spec.type == "int" and _wider_than_read(reading)
        if spec is not None and spec.type in _NUMBER_TYPES and reading.bbox and conf is not None and \
                (spec.type != "int" or conf < 0.9 or (weakest or 1.0) < 0.8 or wide):
            reading, conf, doubt = _reread_number(by_page[reading.page], reading, conf, dpi, spec.type == "kr")
            if doubt:
                doubts[key] = doubt
        if wide and key not in doubts and _wider_than_read(reading):
            doubts[key] = f'bläcket är bredare än siffrorna "{reading.raw.strip()}" (en siffra kan saknas)'
        note = _notes(reading, by_page)
        if note:
            reading = replace(reading, note="; ".join(filter(None, [reading.note, note])))
        repaired = repair_reading(spec, reading) if spec is not None else reading
        bbox = reading.bbox
        if bbox is not None and reading.page in by_page:
            bbox = by_page[reading.page].original_box(bbox)
        readings[key] = replace(repaired, confidence=conf, bbox=bbox)
    year_key = form.identity.year_key
    if agreed is not None and year_key in readings and repair_year(readings[year_key].raw) != agreed:
        readings[year_key] = replace(readings[year_key], raw=str(agreed))
        doubts[year_key] = (f"året lästes som {label_year} på raden ”{form.year_label}” men {agreed} står på "
                            f"{elsewhere.count(agreed)} andra ställen i blanketten")
    problems: list[Problem] = list(layout.problems)
    problems += [Problem("ocr-failed", (), p.failure) for p in pages if p.failure is not None]
    unsure = [w for p in pages for w in p.unsure]
    unsure_keys: set[str] = set()
    if unsure:
        alt = read_layout(words + unsure, form, year)
        base = layout.readings
        unsure_keys = {k for k, r in alt.readings.items()  # a faint mark that would change a value, or fill a cell
                       if (r.marks, r.raw) != ((base[k].marks, base[k].raw) if k in base else ((), ""))}
    record, provenance, more = assemble(form, year, readings)
    problems += more
    problems += check_plausible(form, year, record, readings, unsure_keys, LOW_CONFIDENCE, doubts, char_conf)
    flagged = {key for p in problems for key in p.fields}
    problems += _unread_ink(layout.empty_areas, readings, by_page, flagged)
    flagged = {key for p in problems for key in p.fields}
    for key, why in consistency_problems(form, record.values):
        if key not in flagged and key in readings:
            flagged.add(key)
            problems.append(uncertain(key, readings[key].raw, why))
    source = Source(str(path), sha256_file(path), "pdf", f"ocr: {reason}", form.form, year)
    return found.finish(Extraction(record, source, provenance, tuple(problems)))


def _unread_ink(areas: Sequence[EmptyArea], readings: dict[str, Reading], pages: dict[int, OcrPage],
                flagged: Collection[str]) -> list[Problem]:
    """An answer read empty whose area holds a row of text no word explains (Tesseract lost the line): an
    "unread-value" problem naming the rows, so an empty answer is never one OCR dropped silently."""
    out: list[Problem] = []
    done = set(flagged)
    heights = typical_heights(w for p in pages.values() for w in p.words)
    for area in areas:
        page = pages.get(area.page)
        reading = readings.get(area.key)
        if page is None or page.image is None or area.key in done or area.page not in heights or \
                (reading is not None and (reading.raw.strip() or reading.marks)):
            continue
        k = page.frame.dpi / 72
        x0, top, x1, bottom = (max(0, round(v * k)) for v in area.box)
        x1, bottom = min(x1, page.image.width), min(bottom, page.image.height)
        if x1 <= x0 or bottom <= top:
            continue
        grey = np.asarray(page.image.crop((x0, top, x1, bottom)), dtype=np.uint8)
        covered = [(round(w.x0 * k) - x0, round(w.top * k) - top, round(w.x1 * k) - x0, round(w.bottom * k) - top)
                   for w in (*page.words, *page.marks, *page.unsure) if w.page == area.page]
        rows = text_rows(grey, covered, heights[area.page] * k)
        if rows:
            where = ", ".join(f"y {round((top + a) / k)}–{round((top + b) / k)} pt" for a, b in rows[:3])
            out.append(Problem(UNREAD_VALUE, (area.key,), f"{area.key}: det står skrift i svarsfältet som OCR inte "
                                                          f"kunde läsa (sida {area.page}, {where})"))
            done.add(area.key)
    return out


def _wider_than_read(reading: Reading) -> bool:
    """A count whose ink is much wider than the digits read ("22" read as "2" on a copy whose toner merged
    them): more than WIDE_DIGIT × its height per digit (print and scans measured at most 0.98; such misreads
    1.34 and more)."""
    digits = [ch for ch in reading.raw if ch.isdigit()]
    if not digits or reading.bbox is None:
        return False
    x0, top, x1, bottom = reading.bbox
    allowed = sum(WIDE_ONE if ch == "1" else WIDE_DIGIT for ch in digits)
    return bottom > top and (x1 - x0) / (bottom - top) > allowed


def _reread_number(page: OcrPage, reading: Reading, conf: float, dpi: int,
                   amount: bool = False) -> tuple[Reading, float, str]:
    """A number read again from its crop, enlarged, digits only (and for an amount also from a crop
    binarised at its own Otsu threshold). Returns the reading (replaced by the second read when Tesseract is
    surer of it), its confidence, and why it stays in doubt ("" when every read agrees)."""
    if page.image is None or reading.bbox is None:
        return reading, conf, ""
    k = dpi / 72
    x0, top, x1, bottom = reading.bbox
    pad = 4
    crop = page.image.crop((int((x0 - pad) * k), int((top - pad) * k), int((x1 + pad) * k), int((bottom + pad) * k)))
    crop = eng.without_rules(crop)  # a grid cell's borders round a count are not part of it
    crop = crop.resize((crop.width * 2, crop.height * 2), Image.Resampling.BICUBIC)
    first = _digits(repair_digits(reading.raw))
    text, again = eng.recognise_line(crop, "0123456789,. ", dpi=dpi * 2)
    again /= 100
    reads = [_digits(text)]
    if amount or reads[0] != first:
        third, _ = eng.recognise_line(eng.otsu(crop), "0123456789,. ", dpi=dpi * 2)
        reads.append(_digits(third))
    doubt = ""
    if any(r and r != first for r in reads):  # an empty second read says nothing
        shown = " / ".join(f'"{r}"' for r in dict.fromkeys([first, *reads]))
        doubt = f"olika läsningar av talet: {shown}"
    if text and again > conf and reads[0] != first and all(r == reads[0] for r in reads):
        note = f'OCR: omläst som siffror "{reading.raw}" → "{text}"'
        return replace(reading, raw=text, note="; ".join(filter(None, [reading.note, note]))), again, doubt
    return reading, max(conf, again) if not doubt else conf, doubt


def _digits(text: str) -> str:
    """The digits and decimal separators of a number as read (spaces and a trailing "kr" dropped)."""
    return "".join(ch for ch in text if ch.isdigit() or ch in ",.").strip(".,")


def _notes(reading: Reading, pages: dict[int, OcrPage]) -> str:
    if reading.bbox is None or reading.page not in pages:
        return ""
    page = pages[reading.page]
    x0, top, x1, bottom = reading.bbox
    return "; ".join(note for i, note in page.notes
                     if x0 - 0.5 <= page.words[i].xc <= x1 + 0.5 and top - 0.5 <= page.words[i].yc <= bottom + 0.5)


def _confidence(reading: Reading, pages: dict[int, OcrPage], by_char: bool = False) -> float | None:
    """Lowest OCR confidence of the words inside a reading's box, or with ``by_char`` of their least sure
    characters (1.0 for marks alone; None if empty)."""
    if reading.bbox is None or reading.page not in pages:
        return None
    page = pages[reading.page]
    x0, top, x1, bottom = reading.bbox
    per_word = page.char_confidence if by_char and page.char_confidence else page.confidence
    confs = [c for w, c in zip(page.words, per_word, strict=True)
             if x0 - 0.5 <= w.xc <= x1 + 0.5 and top - 0.5 <= w.yc <= bottom + 0.5]
    if confs:
        return min(confs)
    return 1.0 if reading.marks else None
