"""The grant year of a scanned form, read from the year label's own line (OCR words need not come in the
label-then-year order, and a digit of the year may be misread).

``year_on_label_line`` finds the line that carries the year label ("Statsbidrag avseende år") and reads the
first number after the label on that line; ``repair_year`` turns a token into a year only when every
character is a digit or an unambiguous look-alike ("2O2O", "2O20", "202O" → 2020; "l" and "I" → 1, "S" → 5,
"Z" → 2, "B" → 8) and the result is a plausible grant year. ``detection_text`` is the document's text in line
order with the repaired year placed right after the label, for form detection (extractors.detect).

The form prints the year in other places too ("… påverkat er användning av statsbidraget under 2020?"):
``year_templates`` finds the form's wording that carries it, ``printed_years`` reads the year after each such
wording found in the scan, and ``agreed_year`` overrules the year label's reading when those others agree on
another year (a photocopied "2020" read as "2029" on the label line while four questions say 2020).
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from extractors.geometry import Line, words_to_lines
from extractors.labels import find_label, tokens
from extractors.pdf_words import Word

__all__ = ["agreed_year", "detection_text", "printed_years", "repair_year", "year_on_label_line",
           "year_templates"]

_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1", "i": "1",
                             "!": "1", "Z": "2", "z": "2", "S": "5", "s": "5", "B": "8"})
FIRST_YEAR, LAST_YEAR = 2000, 2099  # grant years the form can report


def repair_year(token: str) -> int | None:
    """A year from an OCR token, when its characters are digits or unambiguous look-alikes; else None."""
    core = token.strip(" :;.,()[]?!")
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
    for line, line_tokens, word_of in _line_tokens(words):
        match = find_label(want, line_tokens)
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


def _line_tokens(words: Sequence[Word]) -> Iterator[tuple[Line, tuple[str, ...], list[int]]]:
    """Each text line with its comparable tokens and, per token, the index of its word in the line."""
    for line in words_to_lines(list(words)):
        line_tokens: list[str] = []
        word_of: list[int] = []
        for i, word in enumerate(line.words):
            for tok in tokens(word.text):
                line_tokens.append(tok)
                word_of.append(i)
        yield line, tuple(line_tokens), word_of


def detection_text(words: Sequence[Word], labels: Iterable[str], year: int | None = None) -> str:
    """The words in line order; where a year label's line has a (repaired) year, "<label> <year>" is added
    (with ``year``: "<label> <year>" for every label, the year agreed on elsewhere)."""
    text = " ".join(w.text for line in words_to_lines(list(words)) for w in line.words)
    extra = []
    for label in dict.fromkeys(labels):
        if not label:
            continue
        found = year if year is not None else year_on_label_line(words, label)
        if found is not None:
            extra.append(f"{label} {found}")
    return " ".join([*extra, text]) if extra else text


YEAR_PLACEHOLDER = re.compile(r"\{\{\s*ar\s*\}\}")
PREFIX_TOKENS = 3  # the words before the year that find its place ("statsbidraget under", "Har ni under")


def year_templates(form: object) -> list[tuple[str, ...]]:
    """The words printed just before the year (``{{ ar }}``) in each of the form's labels, as tokens
    (several labels may share them: each place counts once per line it is found on)."""
    out: list[tuple[str, ...]] = []
    for text in _texts(form):
        for hit in YEAR_PLACEHOLDER.finditer(text):
            before = tokens(text[:hit.start()])[-PREFIX_TOKENS:]
            if len(before) == PREFIX_TOKENS and before not in out:
                out.append(before)
    return out


def _texts(node: object) -> Iterator[str]:
    """Every string inside a form specification (its dataclasses, tuples, lists and dict values)."""
    if isinstance(node, str):
        yield node
    elif dataclasses.is_dataclass(node) and not isinstance(node, type):
        for f in dataclasses.fields(node):
            yield from _texts(getattr(node, f.name))
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _texts(item)
    elif isinstance(node, dict):
        for item in node.values():
            yield from _texts(item)


def printed_years(words: Sequence[Word], prefixes: Sequence[tuple[str, ...]]) -> list[int]:
    """The (repaired) year after each place in the scan where one of ``prefixes`` stands on a line."""
    years: list[int] = []
    for line, seq, word_of in _line_tokens(words):
        for prefix in prefixes:
            start = 0
            while (match := find_label(prefix, seq, start)) is not None:
                start = match.end
                after = line.words[word_of[match.end - 1] + 1:word_of[match.end - 1] + 2]
                year = repair_year(after[0].text) if after else None
                if year is not None:
                    years.append(year)
    return years


def agreed_year(label_year: int, elsewhere: Sequence[int]) -> int | None:
    """The year the form's other printed places agree on when it is not the year label's reading: at least
    two of them, and more than read ``label_year`` (the label's own reading counts for it); else None."""
    counts = Counter(elsewhere)
    if not counts:
        return None
    best, n = counts.most_common(1)[0]
    if best != label_year and n >= 2 and n > counts[label_year] + 1:
        return best
    return None
