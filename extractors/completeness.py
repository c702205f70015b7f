"""The completeness guarantee of the layout reader: no text inside an answer area goes unreported.

Each reader of a value names its answer area (the space after a label up to the next one, a cell, a grid row's
band right of its label) with the words inside it. After reading, every such word that no value took becomes a
problem ``unread-value`` on the most precise key of its area, with its text and box: a null value then means
"the area is empty", never "the reader did not find it".

Noise is left out on a principle, not a list: a word with no letter or digit (punctuation, a stray dot, an
empty drawn box) unless it is a tick mark; a short word (one or two characters) whose box is less than half as
high as the page's typical word (specks a scanner or OCR turned into "i", "'" or "."); and a word lying mostly
on a check box the reader recognised by its ink (OCR reading the box's frame and cross as "MH", "DX", "[CJ").
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from extractors.base import Problem
from extractors.pdf_words import Word

UNREAD_VALUE = "unread-value"
_SPECK_HEIGHT = 0.5  # a short word lower than this share of the page's median word height is a speck
_SPECK_LENGTH = 2


@dataclass(frozen=True)
class AnswerArea:
    """Where one key's answer stands: the key and the words (not labels) found inside the area."""

    key: str
    words: tuple[Word, ...]


@dataclass(frozen=True)
class EmptyArea:
    """Where a key's answer would stand and no word was read: its page and box in points (x0, top, x1,
    bottom), from below its label to the next label. An OCR reader looks there for ink it could not read."""

    key: str
    page: int
    box: tuple[float, float, float, float]


def typical_heights(words: Iterable[Word]) -> dict[int, float]:
    """The median height of the words with letters or digits, per page."""
    heights: dict[int, list[float]] = {}
    for word in words:
        if any(ch.isalnum() for ch in word.text) and not word.drawn:
            heights.setdefault(word.page, []).append(word.bottom - word.top)
    return {page: statistics.median(hs) for page, hs in heights.items()}


def is_noise(word: Word, typical_height: float | None, marks: Collection[str]) -> bool:
    """Whether a word is no answer: no letter or digit (and no tick mark), or a speck (see the module)."""
    text = word.text.strip()
    if not any(ch.isalnum() for ch in text):
        return text not in marks
    height = word.bottom - word.top
    return len(text) <= _SPECK_LENGTH and typical_height is not None and height < _SPECK_HEIGHT * typical_height


def on_drawn_box(word: Word, boxes: Sequence[Word]) -> bool:
    """Whether at least half of a word's box lies on one of the drawn check boxes (``boxes``)."""
    area = max((word.x1 - word.x0) * (word.bottom - word.top), 0.01)
    for box in boxes:
        if box.page == word.page:
            dx = min(word.x1, box.x1 + 1) - max(word.x0, box.x0 - 1)
            dy = min(word.bottom, box.bottom + 1) - max(word.top, box.top - 1)
            if dx > 0 and dy > 0 and dx * dy >= 0.5 * area:
                return True
    return False


def unread_problems(areas: Sequence[AnswerArea], taken: Collection[int], heights: dict[int, float],
                    marks: Collection[str], boxes: Sequence[Word] = ()) -> list[Problem]:
    """One ``unread-value`` problem per area and line of words that no value took (``taken`` holds the ``id`` of
    every word a value or a label took); a word in several areas counts for the first (the most precise). Noise
    and words on a drawn check box (``boxes``) are left out (see the module)."""
    reported: set[int] = set()
    problems: list[Problem] = []
    for area in areas:
        lost = [w for w in area.words if id(w) not in taken and id(w) not in reported
                and not is_noise(w, heights.get(w.page), marks) and (w.drawn or not on_drawn_box(w, boxes))]
        if not lost:
            continue
        reported.update(id(w) for w in lost)
        for line in _lines(lost):
            text = " ".join(w.text for w in line)
            box = (min(w.x0 for w in line), min(w.top for w in line), max(w.x1 for w in line),
                   max(w.bottom for w in line))
            where = f"sida {line[0].page}, x {box[0]:.0f}–{box[2]:.0f}, y {box[1]:.0f}–{box[3]:.0f} pt"
            problems.append(Problem(UNREAD_VALUE, (area.key,),
                                    f'{area.key}: texten "{text}" står i svarsfältet men lästes inte ({where})',
                                    line[0].page, box))
    return problems


def _lines(words: Sequence[Word]) -> list[list[Word]]:
    """Words grouped by page and text line (overlapping half their height), each line left to right."""
    out: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.page, w.yc, w.x0)):
        last = out[-1][-1] if out else None
        if last is not None and last.page == word.page and \
                min(last.bottom, word.bottom) - max(last.top, word.top) >= 0.5 * (word.bottom - word.top):
            out[-1].append(word)
        else:
            out.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in out]
