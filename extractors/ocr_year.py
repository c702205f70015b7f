"""The grant year of a scanned form, read from the year label's own line (OCR words need not come in the
label-then-year order, and a digit of the year may be misread).

``year_on_label_line`` finds the line that carries the year label ("Statsbidrag avseende år") and reads the
first number after the label on that line; ``repair_year`` turns a token into a year only when every
character is a digit or an unambiguous look-alike ("2O2O", "2O20", "202O" → 2020; "l" and "I" → 1, "S" → 5,
"Z" → 2, "B" → 8) and the result is a plausible grant year. ``detection_text`` is the document's text in line
order with the repaired year placed right after the label, for form detection (extractors.detect).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from extractors.geometry import words_to_lines
from extractors.labels import find_label, tokens
from extractors.pdf_words import Word

__all__ = ["detection_text", "repair_year", "year_on_label_line"]

_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1", "i": "1",
                             "!": "1", "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8"})
FIRST_YEAR, LAST_YEAR = 2000, 2099  # grant years the form can report


def repair_year(token: str) -> int | None:
    """A year from an OCR token, when its characters are digits or unambiguous look-alikes; else None."""
    core = token.strip(" :;.,()[]")
    if not core or not any(ch.isdigit() for ch in core):
        return None
    fixed = core.translate(_LOOKALIKES)
    if not re.fullmatch(r"\d{4}", fixed):
        return None
    year = int(fixed)
    return year if FIRST_YEAR <= year <= LAST_YEAR else None


def year_on_label_line(words: Sequence[Word], label: str) -> int | None:
    """The year printed after ``label`` on the label's line (the first repairable token after it)."""
    want = tokens(label)
    if not want:
        return None
    for line in words_to_lines(list(words)):
        line_tokens: list[str] = []
        word_of: list[int] = []
        for i, word in enumerate(line.words):
            for tok in tokens(word.text):
                line_tokens.append(tok)
                word_of.append(i)
        match = find_label(want, tuple(line_tokens))
        if match is None:
            continue
        after = line.words[word_of[match.end - 1] + 1:] if match.end - 1 < len(word_of) else ()
        last = line.words[word_of[match.end - 1]].text if match.end - 1 < len(word_of) else ""
        glued = re.sub(r"^.*?år:?", "", last, flags=re.IGNORECASE)  # "år2020" read as one word
        for text in ([glued] if glued and glued != last else []) + [w.text for w in after]:
            year = repair_year(text)
            if year is not None:
                return year
    return None


def detection_text(words: Sequence[Word], labels: Iterable[str]) -> str:
    """The words in line order; where a year label's line has a (repaired) year, "<label> <year>" is added."""
    text = " ".join(w.text for line in words_to_lines(list(words)) for w in line.words)
    extra = []
    for label in dict.fromkeys(labels):
        if not label:
            continue
        year = year_on_label_line(words, label)
        if year is not None:
            extra.append(f"{label} {year}")
    return " ".join([*extra, text]) if extra else text
