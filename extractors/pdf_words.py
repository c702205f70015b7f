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
    """Small square paths (legacy Word check boxes) as mark words: ☒ when ink is drawn inside, else ☐."""
    squares: list[tuple[float, float, float, float, int]] = []
    for x0, y0, x1, y1, segments in _path_boxes(page.raw):
        w, h = x1 - x0, y1 - y0
        if 4.0 <= w <= 24.0 and 4.0 <= h <= 24.0:
            squares.append((x0, y0, x1, y1, segments))
    boxes: list[Word] = []
    used = [False] * len(squares)
    for i, (x0, y0, x1, y1, _seg) in enumerate(squares):
        if used[i] or abs((x1 - x0) - (y1 - y0)) > 1.5:
            continue
        inside = [j for j, s in enumerate(squares)
                  if not used[j] and s[0] >= x0 - 0.8 and s[2] <= x1 + 0.8 and s[1] >= y0 - 0.8 and s[3] <= y1 + 0.8]
        for j in inside:
            used[j] = True
        segments = sum(squares[j][4] for j in inside)
        ticked = len(inside) > 1 or segments > 6
        boxes.append(Word(DRAWN_TICKED if ticked else DRAWN_EMPTY, number, x0, height - y1, x1, height - y0,
                          drawn=True))
    return boxes


def _path_boxes(raw_page: object, max_depth: int = 4) -> Iterator[tuple[float, float, float, float, int]]:
    """Bounds and segment counts of every path object on a page (inside form XObjects too)."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    stack = [(raw_page, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject, 0)]
    while stack:
        parent, count_fn, get_fn, depth = stack.pop()
        for i in range(count_fn(parent)):
            obj = get_fn(parent, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
                if pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
                    yield left.value, bottom.value, right.value, top.value, pdfium_c.FPDFPath_CountSegments(obj)
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < max_depth:
                stack.append((obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, depth + 1))
