"""Words with boxes from a PDF's text layer (PDFium), and tick boxes drawn as paths turned into mark words.

Coordinates are PDF points with the origin at the page's top-left (like pdfplumber's ``top``/``bottom``).
A word's box is taken from its first and last character only: this keeps reading a 6-page form within a
few times PDFium's own text extraction time.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# Marks a drawn tick box becomes: the reader treats them like typed marks.
DRAWN_TICKED = "☒"
DRAWN_EMPTY = "☐"


@dataclass(frozen=True)
class Word:
    """A run of non-space characters on one page with its box (x0, top, x1, bottom)."""

    text: str
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    drawn: bool = False

    @property
    def xc(self) -> float:
        """Horizontal centre."""
        return (self.x0 + self.x1) / 2

    @property
    def yc(self) -> float:
        """Vertical centre."""
        return (self.top + self.bottom) / 2


@dataclass(frozen=True)
class PageWords:
    """The words of one page and the page's size."""

    page: int
    width: float
    height: float
    words: tuple[Word, ...]
    chars: int
    unmapped_chars: int


def page_words(page: pdfium.PdfPage, number: int) -> PageWords:
    """The words of a page's text layer, plus drawn tick boxes as mark words."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        words = list(_split_words(textpage, text, number, height))
        unmapped = sum(1 for ch in text if ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff" and not _is_symbol_mark(ch))
    finally:
        textpage.close()
    words.extend(drawn_boxes(page, number, height))
    return PageWords(number, width, height, tuple(words), count, unmapped)


# PDFium reports a hyphen that ends a line as U+FFFE and drops the line break after it ("Vård-" / "och"
# becomes "Vård\ufffeoch"): the word ends there, with its hyphen.
LINE_END_HYPHEN = "\ufffe"


def _split_words(textpage: pdfium.PdfTextPage, text: str, number: int, height: float) -> Iterator[Word]:
    rect = pdfium_c.FS_RECTF()
    raw_page = textpage.raw
    start = -1
    for i, ch in enumerate(text + " "):
        if ch.isspace() or ch == "\x00":
            if start >= 0:
                yield _word(raw_page, text, start, i - 1, number, height, rect)
                start = -1
        elif ch == LINE_END_HYPHEN:
            yield _word(raw_page, text, i if start < 0 else start, i, number, height, rect)
            start = -1
        elif start < 0:
            start = i


def _word(raw_page: object, text: str, first: int, last: int, number: int, height: float,
          rect: pdfium_c.FS_RECTF) -> Word:
    # Loose boxes (font ascent to descent) give every word of a line the same top and bottom.
    pdfium_c.FPDFText_GetLooseCharBox(raw_page, first, rect)
    x0, y_top, y_bottom = rect.left, rect.top, rect.bottom
    if last != first:
        pdfium_c.FPDFText_GetLooseCharBox(raw_page, last, rect)
        y_top, y_bottom = max(y_top, rect.top), min(y_bottom, rect.bottom)
    x1 = rect.right
    word = text[first:last + 1].replace(LINE_END_HYPHEN, "-")
    return Word(_symbol_to_mark(word), number, x0, height - y_top, x1, height - y_bottom)


# Symbol fonts (Wingdings) map their glyphs into the private-use area: boxed cross/tick = a mark.
_SYMBOL_TICKED = {"\uf0fd", "\uf0fe", "\uf0fb", "\uf0fc", "\uf078"}
_SYMBOL_EMPTY = {"\uf0a8", "\uf06f", "\uf071"}


def _is_symbol_mark(ch: str) -> bool:
    return ch in _SYMBOL_TICKED or ch in _SYMBOL_EMPTY


def _symbol_to_mark(text: str) -> str:
    if len(text) == 1 and text in _SYMBOL_TICKED:
        return DRAWN_TICKED
    if len(text) == 1 and text in _SYMBOL_EMPTY:
        return DRAWN_EMPTY
    return text


def drawn_boxes(page: pdfium.PdfPage, number: int, height: float) -> list[Word]:
    """Small square paths (check boxes) as mark words: ☒ when ink other than a frame is drawn inside, else ☐.

    A box is a square frame (a rectangle path: one move, three or four straight lines). Ink is any other
    path inside it: two diagonal lines (Word's legacy check box, the sample spanga-tensta-2020-checkboxes),
    a cross polygon (reportlab's check appearance), a tick. A white fill plus a frame is still empty.
    """
    small = [p for p in _paths(page.raw) if 2.0 <= p.x1 - p.x0 <= 24.0 and 2.0 <= p.y1 - p.y0 <= 24.0
             or p.x1 - p.x0 <= 24.0 and p.y1 - p.y0 <= 24.0 and not p.rect]
    boxes: list[Word] = []
    used = [False] * len(small)
    for i, frame in enumerate(small):
        w, h = frame.x1 - frame.x0, frame.y1 - frame.y0
        if used[i] or not frame.rect or w < 4.0 or abs(w - h) > 1.5:
            continue
        inside = [j for j, q in enumerate(small) if not used[j] and q.x0 >= frame.x0 - 0.8 and q.x1 <= frame.x1 + 0.8
                  and q.y0 >= frame.y0 - 0.8 and q.y1 <= frame.y1 + 0.8]
        for j in inside:
            used[j] = True
        ticked = any(not small[j].rect for j in inside)
        boxes.append(Word(DRAWN_TICKED if ticked else DRAWN_EMPTY, number, frame.x0, height - frame.y1, frame.x1,
                          height - frame.y0, drawn=True))
    return boxes


@dataclass(frozen=True)
class _Path:
    """A path object's bounds on the page (PDF space, origin bottom-left) and whether it is a rectangle."""

    x0: float
    y0: float
    x1: float
    y1: float
    rect: bool


Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _paths(raw_page: object, max_depth: int = 4) -> Iterator[_Path]:
    """Every path object of a page, inside form XObjects too (their bounds mapped to the page)."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    stack = [(raw_page, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, 0, _IDENTITY)]
    while stack:
        parent, count_fn, get_fn, depth, matrix = stack.pop()
        for i in range(count_fn(parent)):
            obj = get_fn(parent, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                if pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                    x0, y0, x1, y1 = _map_box(matrix, left.value, bottom.value, right.value, top.value)
                    small = x1 - x0 <= 24.0 and y1 - y0 <= 24.0
                    yield _Path(x0, y0, x1, y1, _is_rectangle(obj) if small else True)
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < max_depth:
                stack.append((obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, depth + 1,
                              _compose(_matrix_of(obj), matrix)))


def _matrix_of(obj: object) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return _IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _map_box(m: Matrix, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    if m == _IDENTITY:
        return x0, y0, x1, y1
    xs, ys = [], []
    for x, y in ((x0, y0), (x0, y1), (x1, y0), (x1, y1)):
        xs.append(m[0] * x + m[2] * y + m[4])
        ys.append(m[1] * x + m[3] * y + m[5])
    return min(xs), min(ys), max(xs), max(ys)


def _is_rectangle(obj: object) -> bool:
    """One move and three or four straight lines between two x and two y values: a frame or a fill."""
    count = pdfium_c.FPDFPath_CountSegments(obj)
    if count < 4 or count > 6:
        return False
    xs: set[float] = set()
    ys: set[float] = set()
    moves = 0
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(count):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == pdfium_c.FPDF_SEGMENT_BEZIERTO:
            return False
        moves += kind == pdfium_c.FPDF_SEGMENT_MOVETO
        pdfium_c.FPDFPathSegment_GetPoint(segment, x, y)
        xs.add(round(x.value, 1))
        ys.add(round(y.value, 1))
    return moves == 1 and len(xs) == 2 and len(ys) == 2
