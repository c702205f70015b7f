"""Whether a PDF's text layer is real language (so that a document lacking the form's markers is "not this
form" at once) or garbage (glyphs mapped to the wrong letters, which only OCR can read).

A readable layer has the short function words every running text is full of; a garbage layer of
mapped-but-wrong glyphs has letters in the wrong places and almost none of them. Swedish, English and the
languages other test suites and office documents are written in are covered; the share needed is far below
what any real text reaches (25–45 % of words) and far above what a shifted or scrambled layer reaches.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from extractors.detect import detect_form
from extractors.geometry import words_to_lines
from extractors.labels import text_contains
from extractors.pdf_text import load_words
from extractors.pdf_words import PageWords
from formgen.catalogue import catalogue
from formgen.errors import InputError

__all__ = ["FUNCTION_WORDS", "HEAD_PAGES", "function_word_share", "page_has_markers", "reads_as_language",
           "refuse_readable_non_form", "refuse_unless_form"]
HEAD_PAGES = 3  # a readable layer whose first pages lack the form's headings is refused without reading on

_LANGUAGES = {
    "sv/da/no": "och att som för med av på i en ett det är till har inte om var den de vi kan ska eller från men "
                "og at for af er til ikke skal fra",
    "en": "the and of to in is for on that with as by be are this it or from at an not was which can all",
    "de/nl": "der die das und ist nicht mit von zu den im für auf ein eine sich het een en van op niet met",
    "fr/es/it/pt": "le la les et des du un une est pour que dans par sur el los las y del por con para il di che e",
    "fi": "ja on ei se että ovat kuin mutta",
}
FUNCTION_WORDS = frozenset(word for words in _LANGUAGES.values() for word in words.split())
_WORD = re.compile(r"[^\W\d_]+")


class _Page(Protocol):
    words: Sequence


def function_word_share(texts: Sequence[str]) -> tuple[int, float]:
    """How many word tokens are function words, and their share of all letter-only tokens."""
    toks = [t.lower() for text in texts for t in _WORD.findall(text)]
    hits = sum(t in FUNCTION_WORDS for t in toks)
    return hits, hits / len(toks) if toks else 0.0


def reads_as_language(pages: Sequence[_Page]) -> bool:
    """Whether a text layer reads as running text in some language (at least 8 function words, 8 %)."""
    hits, share = function_word_share([w.text for p in pages for w in p.words])
    return hits >= 8 and share >= 0.08


def refuse_unless_form(path: Path, pages: Sequence[_Page], root: Path | None = None) -> None:
    """InputError "not-this-form" when a readable text layer lacks the form's markers (nothing else: a layer
    with the markers, or without a year, is left to the caller's next step)."""
    words = [w for p in pages for w in p.words]
    text = " ".join(w.text for line in words_to_lines(words) for w in line.words)
    try:
        detect_form(str(path), text, root)
    except InputError as exc:
        if exc.code == "not-this-form":
            raise


def page_has_markers(words: Sequence, root: Path | None = None) -> bool:
    """Whether one page's words carry the form's headings: at least two markers of some form version."""
    text = " ".join(w.text for line in words_to_lines(list(words)) for w in line.words)
    for form in catalogue(root).forms():
        found = 0
        for marker in form.detect.markers:
            found += text_contains(text, marker)
            if found >= 2:
                return True
    return False


def _reads_as_text(pages: Sequence[_Page]) -> bool:
    """Running text in some language, or a table of figures (digits are never a garbled glyph mapping's
    usual output); a layer with glyphs outside Unicode is neither."""
    chars = sum(getattr(p, "chars", 0) for p in pages)
    unmapped = sum(getattr(p, "unmapped_chars", 0) for p in pages)
    if chars < 100 or unmapped > 0.05 * chars:
        return False
    text = "".join(w.text for p in pages for w in p.words)
    digits = sum(ch.isdigit() for ch in text)
    return reads_as_language(pages) or digits >= 0.3 * max(len(text), 1)


def refuse_readable_non_form(path: Path, root: Path | None = None) -> list[PageWords]:
    """InputError "not-this-form" when the first HEAD_PAGES pages have a readable text layer (running text
    or figures) and none of them carries the form's headings: a report of any length is refused after
    reading three pages, never OCR'd. Anything else (no layer, garbage, the headings found) returns the
    first pages it read, for the reader to go on from."""
    head = load_words(path, first=1)
    if head and page_has_markers(head[0].words, root):
        return head  # the common case, a print of the form: one page read, no more
    head = load_words(path, first=HEAD_PAGES)
    if not _reads_as_text(head) or any(page_has_markers(p.words, root) for p in head[1:]):
        return head
    shown = f"sidorna 1–{len(head)}" if len(head) > 1 else "sida 1"
    form = catalogue(root).forms()[-1]
    raise InputError(str(path), f"{form.text('not_this_form', form.valid_from)}: {shown} saknar blankettens "
                     "rubriker (textlagret är läsbart)", code="not-this-form")
