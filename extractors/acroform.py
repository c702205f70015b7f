"""Fillable PDFs: field values read by name, for forms whose fields are named by record keys.

Field names are the fully qualified names pypdf reports ("kontakt.kommun"). Radio groups give the chosen
option's export value; a check box is on when its value is an on-state listed in its widget's /AP /N
(whatever that state is called: "Yes", "On", "ja"), never by assuming a name. A form whose fields are not
named by record keys is not read here: the caller falls back to the layout reader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import IndirectObject

from extractors.assemble import Reading, assemble
from extractors.base import Extraction, Source
from extractors.pdf_text import sha256_of
from formgen.spec import FormSpec, load_form
from formgen.values import ValueParseError, parse_year

MIN_SHARE = 0.5  # at least this share of the year's keys must be fields for the form to be "ours"


def read_acroform_extraction(path: Path) -> Extraction | None:
    """The record of a filled form whose fields are named by record keys, or None for any other PDF."""
    try:
        reader = PdfReader(str(path), strict=False)
        fields = reader.get_fields() or {}
    except Exception:  # noqa: BLE001 - a PDF pypdf cannot read as a form is read by the other paths
        return None
    year = _year(fields)
    if year is None:
        return None
    try:
        form = load_form(year)
    except Exception:  # noqa: BLE001 - no form for that year: not ours
        return None
    keys = form.fields_for_year(year)
    named = [k for k in keys if k in fields]
    if len(named) < MIN_SHARE * len(keys):
        return None
    readings = read_fields(fields, form, year)
    record, provenance, problems = assemble(form, year, readings)
    source = Source(str(path), sha256_of(path), "pdf", "acroform", form.form, year)
    return Extraction(record, source, provenance, tuple(problems))


def _year(fields: dict[str, Any]) -> int | None:
    field = fields.get("ar")
    value = field.get("/V") if field is not None else None
    try:
        return parse_year(str(value)) if value not in (None, "") else None
    except ValueParseError:
        return None


def read_fields(fields: dict[str, Any], form: FormSpec, year: int) -> dict[str, Reading]:
    """A Reading per record key from the PDF's fields."""
    readings: dict[str, Reading] = {}
    for key, spec in form.fields_for_year(year).items():
        field = fields.get(key)
        if field is None or spec.derived_from is not None:
            continue
        value = field.get("/V")
        if spec.type in ("jn", "jdn", "jnk"):
            state = _state(value)
            on = state if state and state in _on_states(field) else None
            readings[key] = Reading(raw=state or "", marks=(on,) if on else ())
        elif spec.type == "flag":
            state = _state(value)
            ticked = bool(state) and state in _on_states(field)
            readings[key] = Reading(raw=state or "", marks=("ja",) if ticked else ())
        else:
            readings[key] = Reading(raw="" if value is None else str(value))
    return readings


def _state(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value)
    text = text[1:] if text.startswith("/") else text
    return None if text in ("", "Off") else text


def _on_states(field: Any) -> set[str]:
    """Every appearance state other than Off of a button field's widgets (the field itself or its kids)."""
    states: set[str] = {str(s).lstrip("/") for s in field.get("/_States_", [])}
    widgets = [field] + [k.get_object() if isinstance(k, IndirectObject) else k for k in field.get("/Kids", [])]
    for widget in widgets:
        ap = widget.get("/AP")
        normal = ap.get_object().get("/N") if ap is not None else None
        if normal is not None and hasattr(normal.get_object(), "keys"):
            states.update(str(s).lstrip("/") for s in normal.get_object())
    states.discard("Off")
    return states

