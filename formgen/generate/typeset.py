"""Fonts, sizes, line wrapping and the printed form of values: what both PDF modes and the DOCX share."""

from __future__ import annotations

import re
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth

from formgen.record import Value
from formgen.spec import FieldSpec, FormSpec
from formgen.values import format_fte_sv, format_kr_sv

REGULAR = "Helvetica"
BOLD = "Helvetica-Bold"
BODY = 9.0  # labels and values
LEADING = 11.5  # distance between two lines of BODY text
SMALL = 7.5  # footnote texts, sublabels
CELL_LABEL = 8.0  # the label at the top of a cell
CELL_LEADING = 9.5
MARK = 6.0  # footnote marks (superscript digits)
MARK_RISE = 3.5

_PROSE_END = (".", "?", ":")
_NOT_WINANSI = re.compile(r"[^\n\x20-\x7e\xa0-\xff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                          r"\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030"
                          r"\u2039\u203a\u20ac\u2122]")


def printable(text: str) -> str:
    """Text the standard Helvetica (WinAnsiEncoding) can draw: tabs become spaces, other glyphs "?"."""
    return _NOT_WINANSI.sub("?", text.replace("\t", " ").replace("\r", ""))


def width(text: str, font: str = REGULAR, size: float = BODY) -> float:
    """The printed width of a text in points."""
    return stringWidth(text, font, size)


@lru_cache(maxsize=4096)
def wrap(text: str, font: str = REGULAR, size: float = BODY, max_width: float = 400.0) -> tuple[str, ...]:
    """Lines of a text wrapped to a width; paragraphs (line breaks) kept, over-long words cut."""
    lines: list[str] = []
    for para in printable(text).split("\n"):
        line = ""
        for word in para.split():
            candidate = f"{line} {word}" if line else word
            if stringWidth(candidate, font, size) <= max_width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            while stringWidth(word, font, size) > max_width:
                cut = _fitting_prefix(word, font, size, max_width)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return tuple(lines)


def _fitting_prefix(word: str, font: str, size: float, max_width: float) -> int:
    cut = len(word)
    while cut > 1 and stringWidth(word[:cut], font, size) > max_width:
        cut -= 1
    return cut


_RENDERED: dict[tuple[int, str, int], str] = {}


def render(form: FormSpec, template: str, year: int) -> str:
    """The form's wording for a year (cached: Jinja compiles each template once per year)."""
    if "{" not in template:
        return template
    key = (id(form), template, year)
    text = _RENDERED.get(key)
    if text is None:
        text = _RENDERED[key] = form.render(template, year)
    return text


def display(spec: FieldSpec, value: Value) -> str:
    """A value as written on the form: "402 638 kr", "1,00", counts as digits, one list item per line;
    "" when unanswered."""
    if value is None or value is False or value == []:
        return ""
    if spec.type == "kr" and isinstance(value, int):
        return format_kr_sv(value)
    if spec.type == "fte" and isinstance(value, str):
        return format_fte_sv(value)
    if isinstance(value, list):
        return "\n".join(value)
    if value is True:
        return "X"
    return str(value)


def is_prose(spec: FieldSpec, label: str) -> bool:
    """Whether an answer is written as sentences (a multi-line field): free text under a question."""
    if spec.type == "list":
        return True
    return spec.type == "text" and spec.format is None and (len(label) > 30 or label.endswith(_PROSE_END))


def min_lines(spec: FieldSpec, label: str) -> int:
    """Lines of space an answer gets on the blank form."""
    return 2 if is_prose(spec, label) else 1


def split_trailing_punctuation(text: str) -> tuple[str, str]:
    """("…decimaler", ":") from "…decimaler:": a footnote mark goes after the word, before punctuation."""
    stripped = text.rstrip(".:?!,;")
    return stripped, text[len(stripped):]


_SECTION_NUMBER = re.compile(r"^\d+\.\s")


def section_titles(form: FormSpec, year: int) -> dict[str, str]:
    """The printed title of each section of a year's form, numbered without gaps ("9. Övrigt" becomes
    "8. Övrigt" on a form without the 2020-only section 8)."""
    titles: dict[str, str] = {}
    number = 0
    for section in form.active_sections(year):
        if not section.title:
            continue
        title = render(form, section.title, year)
        if _SECTION_NUMBER.match(title):
            number += 1
            title = _SECTION_NUMBER.sub(f"{number}. ", title, count=1)
        titles[section.id] = title
    return titles
