"""Fonts, sizes, line wrapping and the printed form of values: what both PDF modes and the DOCX share.

The PDFs draw every text with DejaVu Sans, shipped in ``fonts/`` (licence there) and embedded as a subset
with a ToUnicode map by reportlab: names in Sámi, Polish, Turkish or Romani ("Ŋuorra-Čuđetić", "Łukasz
Świątek", "Şükrü") and signs such as ≥ and → print as typed and come back from text extraction.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase.pdfmetrics import getFont, registerFont, stringWidth
from reportlab.pdfbase.ttfonts import TTFont

from formgen.record import Record, Value
from formgen.spec import FieldSpec, FormSpec
from formgen.values import format_fte_sv, format_kr_sv

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
BODY = 9.0  # labels and values
LEADING = 11.5  # distance between two lines of BODY text
SMALL = 7.5  # footnote texts, sublabels
CELL_LABEL = 8.0  # the label at the top of a cell
CELL_LEADING = 9.5
MARK = 6.0  # footnote marks (superscript digits)
MARK_RISE = 3.5

SMALLEST = 6.0  # the least size a long unbreakable value (an e-mail address, a URL) shrinks to
MISSING = "\ufffd"  # drawn for a character the font has no glyph for

_PROSE_END = (".", "?", ":")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def _register_fonts() -> None:
    for name, file in FONT_FILES.items():
        registerFont(TTFont(name, str(FONT_DIR / file)))


_register_fonts()
_GLYPHS: frozenset[int] = frozenset(getFont(REGULAR).face.charToGlyph) & frozenset(getFont(BOLD).face.charToGlyph)


@lru_cache(maxsize=8192)
def printable(text: str) -> str:
    """Text the embedded font can draw: tabs become spaces, control characters go, a character without a
    glyph becomes "\ufffd" (so it shows as missing instead of vanishing)."""
    text = _CONTROL.sub("", text.replace("\t", " ").replace("\r", ""))
    if text.isascii():
        return text
    return "".join(ch if ord(ch) in _GLYPHS or ch == "\n" else MISSING for ch in text)


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


def fitting_size(text: str, max_width: float, size: float = BODY, font: str = REGULAR,
                 smallest: float = SMALLEST) -> float:
    """The largest size up to ``size`` at which the longest word of a text fits a width (an e-mail address or
    a URL in a narrow cell shrinks instead of running over the border); ``smallest`` at the least."""
    words = printable(text).split()
    if not words:
        return size
    longest = max(stringWidth(word, font, 1.0) for word in words)
    if longest * size <= max_width:
        return size
    return max(smallest, int(max_width / longest * 4) / 4)


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


def document_title(record: Record) -> str:
    """The title in a generated file's metadata: the form's name and the year ("Redovisning – … – 2021")."""
    return f"{record.form.text('form_name', record.year)} – {record.year}"


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
