"""From what a reader found per key (raw text, marks) to a typed record, with provenance and problems.

Every reader (flattened PDF, OCR, DOCX) hands over ``Reading`` objects; this module alone turns raw text
into typed values, so all inputs are parsed by the same rules (formgen.values). It never guesses: an
unreadable number or two marks on one question become a Problem on that key and the value stays null.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from extractors.base import BBox, Problem, Provenance
from extractors.text_repair import WRAP, Repaired, repair_text, unexpected_characters
from formgen import values as v
from formgen.record import Record, Value, blank_value
from formgen.spec import FieldSpec, FormSpec


@dataclass(frozen=True)
class Reading:
    """What a reader found for one key: raw text, or for choices/flags the values whose mark was seen."""

    raw: str = ""
    marks: tuple[str, ...] = ()
    page: int | None = None
    bbox: BBox | None = None
    confidence: float | None = None
    note: str | None = None
    exact: bool = False  # the raw text is the value exactly as typed (a tagged content control), not a print


UNEXPECTED_CHARACTERS = "unexpected-characters"  # a character outside Latin script, digits, punctuation, symbols
_LIST_SPLIT = re.compile(r"\s*(?:\n|;|,|\boch\b)\s*")


def assemble(form: FormSpec, year: int, readings: Mapping[str, Reading]) -> tuple[
        Record, dict[str, Provenance], list[Problem]]:
    """The record of a grant year from readings; keys without a reading are not answered."""
    fields = form.fields_for_year(year)
    values: dict[str, Value] = {}
    provenance: dict[str, Provenance] = {}
    problems: list[Problem] = []
    for key, spec in fields.items():
        if spec.derived_from is not None:
            continue
        reading = readings.get(key)
        if reading is None:
            values[key] = blank_value(spec)
            continue
        printed = reading.raw.replace(WRAP, "\n")
        reading, unexpected = repaired(key, reading)
        value, problem = typed_value(spec, reading)
        values[key] = value
        problems.extend(p for p in (problem, unexpected) if p is not None)
        if value not in (None, False, []) or problem is not None or reading.raw.strip():
            provenance[key] = Provenance(reading.page, reading.bbox, printed, reading.confidence, reading.note)
    values[form.identity.year_key] = year
    for spec in form.derived:
        if spec.key in fields and spec.derived_from:
            values[spec.key], problem = derived_value(spec, values.get(spec.derived_from))
            if problem:
                problems.append(problem)
    ordered = {k: values[k] for k in fields}
    return Record(form, year, ordered), provenance, problems


def repaired(key: str, reading: Reading) -> tuple[Reading, Problem | None]:
    """A reading's raw text after the unambiguous repairs of extractors.text_repair (line-end hyphens, the print's
    line wraps, broken ligatures; each named in the note), and a Problem naming any character no answer is
    expected to hold (the text is kept as it is). Text typed into a field (``exact``) is only checked."""
    if not reading.raw:
        return reading, None
    fixed = Repaired(reading.raw, (), unexpected_characters(reading.raw)) if reading.exact \
        else repair_text(reading.raw)
    note = "; ".join(filter(None, [reading.note, *fixed.notes])) or None
    problem = None
    if fixed.unexpected:
        shown = ", ".join(f"U+{ord(ch):04X} \"{ch}\"" if ch.isprintable() else f"U+{ord(ch):04X}"
                          for ch in fixed.unexpected)
        problem = Problem(UNEXPECTED_CHARACTERS, (key,),
                          f"{key}: tecken som inte hör till svensk text ({shown}); kontrollera värdet")
    return replace(reading, raw=fixed.text, note=note), problem


def typed_value(spec: FieldSpec, reading: Reading) -> tuple[Value, Problem | None]:
    """One key's typed value from its reading, or None and a Problem saying why it could not be read."""
    if spec.is_choice:
        return _choice_value(spec, reading)
    if spec.type == "flag":
        return bool(reading.marks), None
    raw = reading.raw
    if v.is_blank(raw):
        return blank_value(spec), None
    if reading.exact and spec.type == "text" and spec.format is None:
        return raw, None  # typed into a field: tabs, spaces and line breaks are the writer's own
    try:
        return _parse(spec, raw), None
    except v.ValueParseError as exc:
        return blank_value(spec), Problem("unreadable-value", (spec.key,), f"{spec.key}: {exc}")


def _parse(spec: FieldSpec, raw: str) -> Value:
    if spec.type == "int":
        return v.parse_int(raw)
    if spec.type == "kr":
        return v.parse_kr(raw)
    if spec.type == "fte":
        return v.parse_fte(raw)
    if spec.type == "date":
        parsed = v.parse_date(raw)
        return parsed.isoformat() if parsed else None
    if spec.type == "list":
        return [part for part in _LIST_SPLIT.split(v.normalise_spaces(raw)) if part]
    return clean_text(spec, raw)


def clean_text(spec: FieldSpec, raw: str) -> str | None:
    """Free text as written: email/phone unwrapped, lines kept, spaces normalised."""
    if spec.format == "email":
        return v.unwrap_email(raw) or None
    if spec.format == "phone":
        return v.normalise_phone(raw) or None
    lines = [v.normalise_spaces(line) for line in raw.splitlines()]
    text = "\n".join(line for line in lines if line)
    return text or None


def _choice_value(spec: FieldSpec, reading: Reading) -> tuple[Value, Problem | None]:
    marks = tuple(dict.fromkeys(reading.marks))
    if not marks:
        return None, None
    if len(marks) > 1:
        labels = " och ".join(_choice_label(spec, m) for m in marks)
        return None, Problem("conflicting-marks", (spec.key,),
                             f"{spec.key}: flera svar är markerade ({labels}); frågan lämnas obesvarad")
    return marks[0], None


def _choice_label(spec: FieldSpec, value: str) -> str:
    return spec.short_label(value)


def derived_value(spec: FieldSpec, source: Value) -> tuple[Value, Problem | None]:
    """A derived key's value (the signature date parsed from "Spånga den 15 januari 2021")."""
    if not isinstance(source, str):
        return None, None
    try:
        parsed = v.parse_date(source)
    except v.ValueParseError as exc:
        return None, Problem("unreadable-date", (spec.key, spec.derived_from or ""), f"{spec.key}: {exc}")
    return (parsed.isoformat() if parsed else None), None
