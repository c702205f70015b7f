"""Safe file names built from untrusted text (kommun names): ASCII, no separators, no "..", capped, unique."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_STEM = 60
FALLBACK = "okand"
_NON_WORD = re.compile(r"[^a-z0-9]+")
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "þ": "th", "œ": "oe"})
# Names Windows refuses whatever the extension (CON.json is still CON).
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


def ascii_fold(text: str) -> str:
    """Lower-case ASCII: "Spånga-Tensta" → "spanga-tensta" (letters without an ASCII base are dropped)."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    return text.encode("ascii", "ignore").decode("ascii")


def safe_stem(text: str | None, *, max_len: int = MAX_STEM) -> str:
    """A file-name stem of [a-z0-9-] only: never empty, never "." or "..", never a reserved device name."""
    stem = _NON_WORD.sub("-", ascii_fold(text or "")).strip("-")
    stem = stem[:max_len].rstrip("-")
    if not stem:
        return FALLBACK
    if stem in _RESERVED:
        stem += "-x"
    return stem


def unique_stem(stem: str, taken: set[str], *, max_len: int = MAX_STEM + 8) -> str:
    """``stem`` or ``stem-2``, ``stem-3`` … whichever is not in ``taken`` (case-insensitively); adds it."""
    lowered = {t.casefold() for t in taken}
    candidate, n = stem[:max_len], 2
    while candidate.casefold() in lowered:
        suffix = f"-{n}"
        candidate = stem[: max_len - len(suffix)] + suffix
        n += 1
    taken.add(candidate)
    return candidate


def submission_stem(kommun: str | None, year: int | None, taken: set[str] | None = None) -> str:
    """``<kommun>-<år>`` made safe; unique within ``taken`` when given."""
    stem = safe_stem(kommun)
    if year is not None:
        stem = f"{stem}-{int(year)}"
    return stem if taken is None else unique_stem(stem, taken)


def stems_for(pairs: Iterable[tuple[str | None, int | None]]) -> list[str]:
    """Unique stems for several (kommun, year) pairs, in order."""
    taken: set[str] = set()
    return [submission_stem(k, y, taken) for k, y in pairs]
