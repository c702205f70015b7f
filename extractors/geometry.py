"""Small pure functions over word boxes: lines, bounding boxes, bands and columns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from extractors.base import BBox
from extractors.pdf_words import Word


@dataclass(frozen=True)
class Line:
    """Words of one page that share a text line, left to right."""

    page: int
    top: float
    bottom: float
    words: tuple[Word, ...]

    @property
    def height(self) -> float:
        """Line height in points."""
        return self.bottom - self.top


def words_to_lines(words: Iterable[Word]) -> list[Line]:
    """Group words into lines (per page, top to bottom): a word joins a line it overlaps half its height."""
    ordered = sorted(words, key=lambda w: (w.page, w.yc, w.x0))
    lines: list[list[Word]] = []
    bounds: list[tuple[int, float, float]] = []
    for word in ordered:
        if lines:
            page, top, bottom = bounds[-1]
            overlap = min(bottom, word.bottom) - max(top, word.top)
            smaller = min(bottom - top, word.bottom - word.top) or 1.0
            if page == word.page and overlap >= 0.5 * smaller:
                lines[-1].append(word)
                bounds[-1] = (page, min(top, word.top), max(bottom, word.bottom))
                continue
        lines.append([word])
        bounds.append((word.page, word.top, word.bottom))
    return [Line(p, t, b, tuple(sorted(ws, key=lambda w: w.x0))) for ws, (p, t, b) in zip(lines, bounds, strict=True)]


def words_bbox(words: Sequence[Word]) -> BBox:
    """The box around words (all on one page)."""
    return (min(w.x0 for w in words), min(w.top for w in words), max(w.x1 for w in words),
            max(w.bottom for w in words))


def lines_text(lines: Sequence[Line], *, paragraph_gap: float = 1.6) -> str:
    """Text of lines: words joined by spaces, a line break where a vertical gap or a page starts a paragraph."""
    out: list[str] = []
    previous: Line | None = None
    for line in lines:
        text = " ".join(w.text for w in line.words)
        if previous is not None:
            gap = line.top - previous.bottom
            new_paragraph = line.page != previous.page or gap > paragraph_gap * max(previous.height, 1.0) * 0.5
            out.append("\n" if new_paragraph else " ")
        out.append(text)
        previous = line
    return "".join(out)


def tight_lines(lines: Sequence[Line], gap_factor: float = 1.0) -> list[Line]:
    """The first lines that follow each other closely (one value wrapped over lines), up to a wider gap."""
    kept: list[Line] = []
    for line in lines:
        if kept:
            prev = kept[-1]
            if line.page != prev.page or line.top - prev.bottom > gap_factor * max(prev.height, 1.0):
                break
        kept.append(line)
    return kept


def nearest_column(x: float, centres: Sequence[float], reach: float) -> int | None:
    """Index of the column centre nearest to x, or None when none is within ``reach`` points."""
    best: int | None = None
    best_distance = reach
    for i, centre in enumerate(centres):
        distance = abs(x - centre)
        if distance <= best_distance:
            best, best_distance = i, distance
    return best


def column_reach(centres: Sequence[float]) -> float:
    """How far from a column centre a value may stand: just under half the narrowest gap between columns."""
    ordered = sorted(centres)
    gaps = [b - a for a, b in zip(ordered, ordered[1:], strict=False)]
    return 0.55 * min(gaps) if gaps else 40.0
