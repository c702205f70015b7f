"""Matching the form's printed labels in text read from a document, tolerant of print quirks.

Pure functions over token lists: a label matches a run of tokens when enough of its tokens are found in
order. Tolerated: case, punctuation, footnote marks glued to words ("decimaler1:", "år2"), typing slips
("årk"), hyphenation and words merged or split by a narrow column. A Stream holds a document's words in
reading order with their tokens, for matching labels among words (where they stand: extractors.geometry).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from typing import TYPE_CHECKING

from extractors.text_repair import undo_glyph_damage

if TYPE_CHECKING:
    from extractors.pdf_words import Word

_TOKEN_RE = re.compile(r"[0-9a-zåäöéü]+", re.IGNORECASE)
_FOOTNOTE_TAIL = re.compile(r"^(?P<word>[a-zåäöéü]{2,})\d{1,2}$")


def fold(text: str) -> str:
    """Lower-case, NFC-normalised text with soft hyphens and zero-width characters removed, ligatures broken by
    a re-distill ("昀椀") written as letters."""
    text = unicodedata.normalize("NFC", undo_glyph_damage(text)).replace("\u00ad", "").replace("\u200b", "")
    return text.lower()


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[str, ...]:
    """The comparable words of a text: letters and digits, lower-cased, footnote digits cut off words."""
    out = []
    for tok in _TOKEN_RE.findall(fold(text)):
        m = _FOOTNOTE_TAIL.match(tok)
        out.append(m.group("word") if m else tok)
    return tuple(out)


_OCR_PAIRS = re.compile(r"rn|vv")  # two letters OCR reads for one ("m", "w")


def _one_letter(hit: re.Match[str]) -> str:
    return {"rn": "m", "vv": "w"}[hit.group()]


@lru_cache(maxsize=65536)
def token_similar(a: str, b: str) -> bool:
    """Whether two tokens are the same word allowing a one-letter slip ("årk" for "år") in words."""
    if a == b:
        return True
    if a.isdigit() or b.isdigit():
        return False
    if _OCR_PAIRS.sub(_one_letter, a) == _OCR_PAIRS.sub(_one_letter, b):
        return True  # "Komrnun" for "Kommun": two letters OCR reads for one are the same slip
    if a[:1] != b[:1] and min(len(a), len(b)) < 6:
        return False
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 2 and len(long_) == len(short) + 1 and long_.startswith(short):
        return True
    if len(short) < 4 or len(long_) - len(short) > 2:
        return False
    return SequenceMatcher(None, a, b).ratio() >= 0.8


@dataclass(frozen=True)
class Match:
    """Where a label was found in a token sequence: tokens [start, end), the share of label tokens found,
    the indices of the tokens that matched and how many text tokens were skipped inside the match."""

    start: int
    end: int
    score: float
    matched: tuple[int, ...] = ()
    skips: int = 0


def match_at(label: tuple[str, ...], seq: tuple[str, ...], start: int) -> Match | None:
    """Match a label's tokens greedily in order starting exactly at ``seq[start]``; None if it does not start."""
    if not label or start >= len(seq) or not _starts(label, seq, start):
        return None
    found = 0
    i = start
    j = 0
    skipped = 0
    skips = 0
    matched: list[int] = []
    while j < len(label) and i < len(seq):
        if seq[i] != label[j] and i + 1 < len(seq) and seq[i] + seq[i + 1] == label[j]:
            found += 1  # a word split by a narrow column ("Kvinno" / "r"): both pieces are the label's
            matched.extend((i, i + 1))
            i += 2
            j += 1
        elif token_similar(label[j], seq[i]):
            found += 1
            matched.append(i)
            i += 1
            j += 1
            skipped = 0
        elif j + 1 < len(label) and label[j] + label[j + 1] == seq[i]:
            found += 2
            matched.append(i)
            i += 1
            j += 2
        elif i + 1 < len(seq) and seq[i] + seq[i + 1] == label[j]:
            found += 1
            matched.extend((i, i + 1))
            i += 2
            j += 1
        elif j + 1 < len(label) and token_similar(label[j + 1], seq[i]):
            j += 1  # a label word missing from the text
        else:
            skipped += 1
            skips += 1
            if skipped > 2:
                break
            i += 1  # an extra word in the text (a footnote mark, a stray character)
    score = found / len(label)
    end = matched[-1] + 1 if matched else start + 1
    return Match(start, end, score, tuple(matched), skips)


def _starts(label: tuple[str, ...], seq: tuple[str, ...], i: int) -> bool:
    """Whether the label can start at seq[i]: its first word there, glued to the next, or split in two."""
    tok = seq[i]
    if tok[:1] != label[0][:1] and min(len(tok), len(label[0])) < 6:
        return False  # the common case, decided without the slower checks (token_similar would refuse too)
    return (token_similar(label[0], tok) or (len(label) > 1 and label[0] + label[1] == tok)
            or (i + 1 < len(seq) and tok + seq[i + 1] == label[0]))


def find_label(label: tuple[str, ...], seq: tuple[str, ...], start: int = 0, end: int | None = None,
               threshold: float | None = None) -> Match | None:
    """The first place at or after ``start`` (before ``end``) where the label matches well enough."""
    stop = len(seq) if end is None else min(end, len(seq))
    need = _threshold_for(label, threshold)
    if not label:
        return None
    first = label[0][:1]
    short = len(label[0]) < 6
    for i in range(start, stop):
        tok = seq[i]
        if tok[:1] != first and (short or len(tok) < 6):
            continue  # cannot start here (see _starts), skipped without a call
        m = match_at(label, seq, i)
        if m is not None and m.score >= need and m.end <= stop:
            return _tighter(label, seq, m, need) if m.skips else m
    return None


def _tighter(label: tuple[str, ...], seq: tuple[str, ...], first: Match, need: float) -> Match:
    """A match starting inside ``first`` that skips fewer text tokens (headers printed side by side)."""
    best = first
    for i in range(first.start + 1, first.end):
        m = match_at(label, seq, i)
        if m is not None and m.skips == 0 and m.score >= need and m.score >= best.score:
            return m
    return best


# The one threshold of label matching: the share of a label's words that must be found, in order. A label of up to
# SHORT_LABEL words must match whole ("Ja", "Kommun", "Antal män", "Om nej, ange varför"; each word allowing a
# typing slip): one word changed there makes another question. A longer label may have a fifth of its words
# changed or lost ("Om verksamheten ... ange orsaken" for "... ange varför").
LABEL_MATCH = 0.8
SHORT_LABEL = 4


def required_score(words: int) -> float:
    """The share of a label's words that must be found for a label of ``words`` words (see LABEL_MATCH)."""
    return 1.0 if words <= SHORT_LABEL else LABEL_MATCH


def _threshold_for(label: tuple[str, ...], threshold: float | None) -> float:
    return required_score(len(label)) if threshold is None else threshold


def find_all(label: tuple[str, ...], seq: tuple[str, ...], threshold: float | None = None) -> list[Match]:
    """Every non-overlapping place where the label matches (footnotes, repeated headers)."""
    found: list[Match] = []
    i = 0
    while True:
        m = find_label(label, seq, i, threshold=threshold)
        if m is None:
            return found
        found.append(m)
        i = m.end


def text_contains(haystack: str, needle: str, threshold: float | None = None) -> bool:
    """Whether a label occurs in a text, tolerantly (used for detecting the form's markers)."""
    return find_label(tokens(needle), tokens(haystack), threshold=threshold) is not None


@dataclass
class Stream:
    """All words of a document in reading order, with the label tokens of each word."""

    words: list[Word]
    seq: tuple[str, ...] = ()
    word_of: list[int] = field(default_factory=list)
    first_token: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        seq: list[str] = []
        for i, word in enumerate(self.words):
            self.first_token.append(len(seq))
            for tok in tokens(word.text):
                seq.append(tok)
                self.word_of.append(i)
        self.first_token.append(len(seq))
        self.seq = tuple(seq)


def without_footnotes(words: list[Word], notes: Sequence[tuple[str, str]]) -> list[Word]:
    """Words in reading order without the footnotes (``notes``: mark and text; printed at the bottom of a page,
    amid the values). The text is found tolerantly; the short word just before it is the note's mark when it
    is that mark or what a scan makes of it (a superscript "1" read as "I", "l", "|" or "!")."""
    stream = Stream(words)
    drop: set[int] = set()
    for mark, text in notes:
        for m in find_all(tokens(f"{mark} {text}"), stream.seq):  # the mark read as printed ("1Anges" too)
            drop.update(range(stream.word_of[m.start], stream.word_of[m.end - 1] + 1))
        for m in find_all(tokens(text), stream.seq):
            first = stream.word_of[m.start]
            before = words[first - 1].text.strip() if first > 0 else ""
            if before and (before == mark or before in _MARK_LOOKALIKES.get(mark, ())):
                first -= 1
            drop.update(range(first, stream.word_of[m.end - 1] + 1))
    return [w for i, w in enumerate(words) if i not in drop]


# What OCR reads a footnote's superscript mark as.
_MARK_LOOKALIKES: dict[str, tuple[str, ...]] = {
    "1": ("¹", "I", "l", "|", "!", "i", "1)", "*"),
    "2": ("²", "Z", "z", "2)", "**"),
    "3": ("³", "3)"),
}
