"""Label matching inside one paragraph or cell of a Word document, and reading tick marks.

Built on extractors.labels (the same tokens and tolerant matching as the PDF reader), adding what a
paragraph needs: where in the text a label starts and ends, so the text before it (a mark) and after it
(an inline value) can be cut out exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from extractors.labels import _FOOTNOTE_TAIL, _TOKEN_RE, match_at  # the tokenizer, shared on purpose
from formgen.values import TICK_MARKS, is_blank

MARK_TOKENS: frozenset[str] = frozenset({"x"})  # a typed "x"/"X" is a token; other marks are not
EMPTY_BOXES = "☐□◻❏❑"
_BRACKETS = "[]()"
_REST_LEAD = re.compile(r"^\s*(?:[:?!)\]]+|\.(?=\s|$))*\s*")


@dataclass(frozen=True)
class Tokens:
    """A text (NFC) with its label tokens and each token's character span in that text."""

    text: str
    toks: tuple[str, ...]
    spans: tuple[tuple[int, int], ...]


@lru_cache(maxsize=8192)
def tokenize(text: str) -> Tokens:
    """Tokens exactly as extractors.labels.tokens makes them, with their places in the NFC text."""
    text = unicodedata.normalize("NFC", text)
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        if ch in "\u00ad\u200b":
            continue
        for low in ch.lower():
            chars.append(low)
            where.append(i)
    folded = "".join(chars)
    toks: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _TOKEN_RE.finditer(folded):
        tail = _FOOTNOTE_TAIL.match(m.group())
        toks.append(tail.group("word") if tail else m.group())
        spans.append((where[m.start()], where[m.end() - 1] + 1))
    return Tokens(text, tuple(toks), tuple(spans))


def need(label: tuple[str, ...]) -> float:
    """The share of a label's tokens that must be found: short labels ("Ja", "Kommun") whole."""
    return 1.0 if len(label) <= 3 else 0.8


@dataclass(frozen=True)
class Hit:
    """A label found in the document: its first and last paragraph, the text before it and the value after it."""

    first: int
    last: int
    lead: str = ""
    rest: str = ""


@dataclass(frozen=True)
class LabelMatch:
    """A label found at the start of a text: the text before it and the text after it."""

    lead: str
    rest: str


def match_start(label: tuple[str, ...], tk: Tokens, *, lead_marks: bool = False) -> LabelMatch | None:
    """The label matched at the text's first token (or after typed "x" marks when ``lead_marks``)."""
    if not label or not tk.toks:
        return None
    starts = [0]
    if lead_marks:
        s = 0
        while s < min(2, len(tk.toks) - 1) and tk.toks[s] in MARK_TOKENS:
            s += 1
            starts.append(s)
    for s in starts:
        m = match_at(label, tk.toks, s)
        if m is not None and m.score >= need(label):
            return LabelMatch(tk.text[:tk.spans[s][0]], tk.text[tk.spans[m.end - 1][1]:])
    return None


def whole_match(label: tuple[str, ...], toks: tuple[str, ...]) -> bool:
    """Whether a text is the label and (almost) nothing else: a column header, a footnote, a stop."""
    m = match_at(label, toks, 0)
    if m is None or m.score < need(label):
        return False
    return len(toks) - m.end <= (0 if len(label) <= 3 else 2)


def rest_acceptable(label: tuple[str, ...], rest: str) -> bool:
    """Whether the text after a label still lets the paragraph count as that label.

    Long labels may be followed by their answer on the same line; a short label ("Kommun", "Titel") only
    by nothing, a mark, or a colon and a value ("Kommun: Spånga") - so "Kommun/kommuner" is not "Kommun".
    """
    if len(label) > 3 or not tokenize(rest).toks or mark_kind(rest) == "mark":
        return True
    return rest.lstrip().startswith(":")


def clean_rest(rest: str) -> str:
    """The value after a label on its line, without the separator (": 1,00" → "1,00")."""
    return _REST_LEAD.sub("", rest, count=1)


def strip_label(text: str, label: tuple[str, ...]) -> str | None:
    """``text`` without ``label`` at its start, or None when it does not start with the label."""
    m = match_start(label, tokenize(text))
    return clean_rest(m.rest) if m is not None else None


def mark_kind(text: str) -> str:
    """ "mark" for a tick mark ("x", "X", "☒", "✓" ...), "blank" for nothing or an empty box, else "other"."""
    stripped = "".join(ch for ch in text if ch not in EMPTY_BOXES).strip()
    parts = [p for p in (part.strip(_BRACKETS) for part in stripped.split()) if p]
    if not parts or is_blank(stripped):
        return "blank"
    return "mark" if all(part in TICK_MARKS for part in parts) else "other"


def has_mark(text: str) -> bool:
    """Whether a short text before or after an option's label holds a tick mark ("x", "[X]", "☒")."""
    return any(part.strip(_BRACKETS) in TICK_MARKS for part in text.split())
