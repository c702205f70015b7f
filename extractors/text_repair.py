"""Repairs of printed text that are unambiguous, and the characters no form answer is expected to hold.

A reader of a print marks every line break that the page or a narrow cell made inside one paragraph with
``WRAP`` (the writer did not type it). ``repair_text`` (called where raw text becomes a value, in
extractors.assemble, for every reader) then:
- joins a word hyphenated at a line end without a space ("e-" / "tjänster" → "e-tjänster"): Word does not
  hyphenate by itself, so the hyphen is the writer's; before "och", "eller", … the hyphen is a suspended
  compound ("Vård- och omsorg") and the space stays;
- undoes the ligature map Ghostscript writes on re-distilling: each letter of an "fi"/"fl"/"ff" ligature shifted
  into the high byte of a CJK code point ("昀椀" = U+6600 U+6900 → "fi"), and presentation-form ligatures
  (U+FB00–U+FB06, "ﬁ") are written out as letters;
- names every other character outside Latin script (with its extensions), digits, punctuation and symbols
  (``unexpected_characters``): such text is kept, never dropped, and the caller reports it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

WRAP = "\u2028"  # LINE SEPARATOR: a line break of the print inside one paragraph

# Words after which a line-end hyphen is a suspended compound's ("Vård- och omsorgsförvaltningen").
_SUSPENDING = frozenset({"och", "eller", "samt", "resp", "respektive", "som", "till", "men", "utan", "med"})
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st",
              "\ufb06": "st"}
_WRAP_AFTER_HYPHEN = re.compile(rf"(?P<head>[^\W_]+)-\s*{WRAP}\s*(?=(?P<next>[^\W_]+))")
_SOFT_HYPHEN_WRAP = re.compile(rf"\u00ad[ \t]*{WRAP}[ \t]*")
_WRAP_ANY = re.compile(rf"[ \t]*{WRAP}[ \t]*")


def shifted_letter(ch: str) -> str | None:
    """The ASCII letter Ghostscript's broken ligature map shifted into ``ch``'s high byte, or None."""
    code = ord(ch)
    if code & 0xFF or not 0x4100 <= code <= 0x7A00:
        return None
    letter = chr(code >> 8)
    return letter if letter.isascii() and letter.isalpha() else None


@lru_cache(maxsize=4096)
def undo_glyph_damage(text: str) -> str:
    """Text with Ghostscript's shifted ligature letters and ligature code points written as plain letters."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        letter = shifted_letter(ch)
        out.append(letter if letter is not None else _LIGATURES.get(ch, ch))
    return "".join(out)


def join_wraps(text: str, joined: list[str] | None = None) -> str:
    """Text with the print's line breaks inside paragraphs undone: a line-end hyphen inside a word joins
    without a space (each such word appended to ``joined``), every other wrap becomes a space."""
    def hyphen(m: re.Match[str]) -> str:
        if m.group("next").lower() in _SUSPENDING:
            return f"{m.group('head')}- "
        if joined is not None:
            joined.append(f"{m.group('head')}-{m.group('next')}")
        return f"{m.group('head')}-"

    text = _SOFT_HYPHEN_WRAP.sub("", text)  # a soft hyphen is the word processor's own: no hyphen, no space
    return _WRAP_ANY.sub(" ", _WRAP_AFTER_HYPHEN.sub(hyphen, text))


@dataclass(frozen=True)
class Repaired:
    """Text after the unambiguous repairs, what was repaired (Swedish, for the provenance) and the characters
    left that no answer is expected to hold."""

    text: str
    notes: tuple[str, ...]
    unexpected: tuple[str, ...]


def repair_text(raw: str) -> Repaired:
    """``raw`` with line-end hyphens joined, wraps made spaces and broken ligatures undone (see the module)."""
    notes = []
    fixed = undo_glyph_damage(raw)
    if fixed != raw:
        broken = "".join(dict.fromkeys(ch for ch in raw if shifted_letter(ch) or ch in _LIGATURES))
        notes.append(f'rättat: ligaturer "{broken}" skrivna som bokstäver')
    hyphenated: list[str] = []
    text = join_wraps(fixed, hyphenated)
    if hyphenated:
        notes.append(f"rättat: ord avstavat vid radslut hopfogat utan mellanslag ({', '.join(hyphenated)})")
    return Repaired(text, tuple(notes), unexpected_characters(text))


def unexpected_characters(text: str) -> tuple[str, ...]:
    """The distinct characters of ``text`` outside Latin script and its extensions, digits, punctuation,
    symbols and white space: a glyph with no Unicode (U+FFFD, private use), another script, control codes."""
    return tuple(ch for ch in dict.fromkeys(text) if not _expected(ch))


@lru_cache(maxsize=4096)
def _expected(ch: str) -> bool:
    if ch.isascii():
        return ch.isprintable() or ch in "\n\t\r"
    if ch == WRAP or "\u00a0" <= ch <= "\u00ff":  # Latin-1: å ä ö é ü, §, ½, NBSP ...
        return True
    category = unicodedata.category(ch)
    name = unicodedata.name(ch, "")
    if category[0] in "LM":
        return "LATIN" in name or category == "Mn" and "COMBINING" in name
    if category[0] == "N":  # other digits than 0-9 only as footnote marks and fractions ("²", "½")
        return any(word in name for word in ("SUPERSCRIPT", "SUBSCRIPT", "FRACTION", "ROMAN NUMERAL"))
    if category[0] in "PS":  # punctuation and symbols ("–", "≥", "→", "€", "☒"), not CJK or full-width forms
        return ord(ch) < 0x2E80 or 0x1F000 <= ord(ch) <= 0x1FAFF
    if category == "Zs":
        return True
    if category == "Cf":
        return ch in "\u00ad\u200b\u200c\u200d\u2060\ufeff"  # soft hyphen, zero-width joins: invisible, harmless
    return False
