"""Reading a filled AcroForm PDF by field name (pypdf): the fully qualified field name is the record key.

Text fields give their text exactly as typed (``Reading.raw``, ``exact``); radio groups the chosen export
value (``Reading.marks``); check boxes are marked with the form's ``flag_value`` when on. The on-state of a
button is looked up in its widget's /AP /N (it may be "Yes", "On", "ja", "1" ...), never assumed. A PDF whose
fields are not named by record keys gives None, so the caller falls back to reading the page like a person
(the layout reader).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from extractors.assemble import Reading
from formgen import values as v
from formgen.catalogue import FormCatalogue, catalogue
from formgen.errors import InputError, SpecError
from formgen.form_model import FieldSpec, FormSpec

MAX_DEPTH = 24  # field trees deeper than this are refused (a loop or a hostile file)
MAX_FIELDS = 20000
FF_RADIO = 1 << 15
FF_PUSHBUTTON = 1 << 16


@dataclass(frozen=True)
class FormField:
    """A terminal field: its qualified name, type, value and widgets (with the page each is on)."""

    name: str
    ftype: str
    flags: int
    value: Any
    widgets: tuple[DictionaryObject, ...]
    options: tuple[str, ...] = ()


def read_acroform(path: str | Path, forms: FormCatalogue | None = None, form: FormSpec | None = None,
                  year: int | None = None) -> dict[str, Reading] | None:
    """Readings by record key from a PDF's AcroForm fields, or None when no field is named by a record key.

    The year is read from the form's year field when not given; the form is the version for that year in the
    catalogue (default: the versions shipped with formgen)."""
    forms = forms or catalogue()
    reader = _open(path)
    fields = list(form_fields(reader))
    if not fields:
        return None
    if year is None:
        year = _year_of(fields, forms)
        if year is None:
            return None
    try:
        form = form or forms.for_year(year)
    except SpecError:
        return None
    keys = form.fields_for_year(year)
    if not any(f.name in keys and f.name != form.identity.year_key for f in fields):
        return None
    pages = _widget_pages(reader)
    readings: dict[str, Reading] = {}
    for field in fields:
        spec = keys.get(field.name)
        if spec is None or spec.derived_from is not None:
            continue
        readings[field.name] = _reading(form, spec, field, pages)
    return readings


def acroform_year(path: str | Path, forms: FormCatalogue | None = None) -> int | None:
    """The grant year written in the year field (``identity.year_key`` of the catalogue's versions), or None
    (no such field, not a year)."""
    return _year_of(list(form_fields(_open(path))), forms or catalogue())


def acroform_names(path: str | Path) -> frozenset[str]:
    """The qualified names of a PDF's terminal form fields (what form version and year it was made for)."""
    return frozenset(f.name for f in form_fields(_open(path)))


def _open(path: str | Path) -> PdfReader:
    try:
        return PdfReader(str(path), strict=False)
    except (PdfReadError, OSError, ValueError) as exc:
        raise InputError(str(path), f"PDF-filen kan inte läsas: {exc}", code="unreadable-pdf") from None


def _year_of(fields: list[FormField], forms: FormCatalogue) -> int | None:
    year_keys = {form.identity.year_key for form in forms.forms()}
    for field in fields:
        if field.name in year_keys:
            try:
                return v.parse_year(_text(field.value))
            except v.ValueParseError:
                return None
    return None


# ---------------------------------------------------------------------------------------------- the tree


def form_fields(reader: PdfReader) -> Iterator[FormField]:
    """Every terminal field of the document's AcroForm with its fully qualified name, in document order."""
    root = reader.trailer.get("/Root")
    acro = root.get_object().get("/AcroForm") if root is not None else None
    if acro is None:
        return
    top = acro.get_object().get("/Fields")
    if not isinstance(top, ArrayObject | IndirectObject):
        return
    seen: set[int] = set()
    count = 0
    for item in top.get_object():
        for found in _walk(item, "", {}, seen, 0):
            count += 1
            if count > MAX_FIELDS:
                return
            yield found


def _walk(item: Any, prefix: str, inherited: dict[str, Any], seen: set[int], depth: int) -> Iterator[FormField]:
    if depth > MAX_DEPTH:
        return
    if isinstance(item, IndirectObject):
        if item.idnum in seen:
            return
        seen.add(item.idnum)
    node = item.get_object()
    if not isinstance(node, DictionaryObject):
        return
    part = node.get("/T")
    name = f"{prefix}.{part}" if prefix and part is not None else (str(part) if part is not None else prefix)
    here = dict(inherited)
    for key in ("/FT", "/Ff", "/V", "/Opt"):
        if key in node:
            here[key] = node[key]
    kids = node.get("/Kids")
    kid_nodes = [k for k in kids.get_object()] if isinstance(kids, ArrayObject | IndirectObject) else []
    field_kids = [k for k in kid_nodes if isinstance(k.get_object(), DictionaryObject) and "/T" in k.get_object()]
    if field_kids:
        for kid in field_kids:
            yield from _walk(kid, name, here, seen, depth + 1)
        return
    widgets = tuple(k.get_object() for k in kid_nodes if isinstance(k.get_object(), DictionaryObject))
    if not widgets and node.get("/Subtype") == "/Widget":
        widgets = (node,)
    options = tuple(_text(o[0] if isinstance(o, ArrayObject) and o else o) for o in here.get("/Opt", ()) or ())
    yield FormField(name, str(here.get("/FT", "")), _int(here.get("/Ff", 0)), here.get("/V"), widgets, options)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(_text(x) for x in value)
    return str(value.get_object() if isinstance(value, IndirectObject) else value)


def _widget_pages(reader: PdfReader) -> dict[int, tuple[int, float]]:
    """id() of each widget dictionary → (1-based page number, page height), through the pages' /Annots."""
    found: dict[int, tuple[int, float]] = {}
    for number, page in enumerate(reader.pages, start=1):
        annots = page.get("/Annots")
        if annots is None:
            continue
        height = float(page.mediabox.top)
        for annot in annots.get_object():
            found[id(annot.get_object())] = (number, height)
    return found


# ---------------------------------------------------------------------------------------------- values


def on_states(widget: DictionaryObject) -> tuple[str, ...]:
    """The on-state names of a button widget: the keys of /AP /N other than /Off."""
    ap = widget.get("/AP")
    normal = ap.get_object().get("/N") if isinstance(ap, DictionaryObject | IndirectObject) else None
    normal = normal.get_object() if normal is not None else None
    if not isinstance(normal, DictionaryObject):
        return ()
    return tuple(str(k)[1:] for k in normal if k != "/Off")


def _chosen_states(field: FormField) -> list[str]:
    """The on-states a button field shows as chosen: its /V, or (no /V) the widgets' /AS."""
    states = [s for w in field.widgets for s in on_states(w)]
    value = field.value
    if value is not None:
        name = str(value)[1:] if str(value).startswith("/") else _text(value)
        return [name] if name in states else []
    return [str(w["/AS"])[1:] for w in field.widgets if "/AS" in w and str(w["/AS"])[1:] in states]


def _reading(form: FormSpec, spec: FieldSpec, field: FormField, pages: dict[int, tuple[int, float]]) -> Reading:
    page, bbox = _where(field, pages)
    ticked = (form.flag_value,)
    if field.ftype == "/Btn" and not field.flags & FF_PUSHBUTTON:
        chosen = _chosen_states(field)
        if spec.type == "flag":
            return Reading(raw="X" if chosen else "", marks=ticked if chosen else (), page=page, bbox=bbox)
        if spec.is_choice:
            marks, unknown = _choice_marks(spec, field, chosen)
            note = f"okänt val i fältet: {', '.join(unknown)}" if unknown else None
            return Reading(raw=", ".join(unknown), marks=marks, page=page, bbox=bbox, note=note)
        return Reading(raw=", ".join(chosen), page=page, bbox=bbox)
    raw = _text(field.value).replace("\r\n", "\n").replace("\r", "\n")  # viewers store line breaks as CR
    if spec.type == "flag":
        return Reading(raw=raw, marks=ticked if _is_tick(form, raw) else (), page=page, bbox=bbox)
    if spec.is_choice:
        marks, _unknown = _choice_marks(spec, field, [raw.strip()] if raw.strip() else [])
        return Reading(raw=raw, marks=marks, page=page, bbox=bbox)
    return Reading(raw=raw, page=page, bbox=bbox, exact=field.ftype == "/Tx")


def _choice_marks(spec: FieldSpec, field: FormField, chosen: list[str]) -> tuple[tuple[str, ...], list[str]]:
    """Chosen states as choice values: the value itself, its label ("Ja"), or its /Opt export value."""
    by_name = {c.value: c.value for c in spec.choices}
    by_name.update({c.label.casefold(): c.value for c in spec.choices})
    by_name.update({c.short.casefold(): c.value for c in spec.choices})
    all_states = [s for w in field.widgets for s in on_states(w)]
    marks: list[str] = []
    unknown: list[str] = []
    for state in chosen:
        value = by_name.get(state) or by_name.get(state.casefold())
        if value is None and field.options and state in all_states:
            index = all_states.index(state)
            if index < len(field.options):
                value = by_name.get(field.options[index]) or by_name.get(field.options[index].casefold())
        if value is None:
            unknown.append(state)
        else:
            marks.append(value)
    return tuple(dict.fromkeys(marks)), unknown


def _is_tick(form: FormSpec, raw: str) -> bool:
    try:
        return v.parse_choice_mark(raw)
    except v.ValueParseError:
        return raw.strip().casefold() in (form.flag_value.casefold(), "yes", "on", "true", "1")


def _where(field: FormField, pages: dict[int, tuple[int, float]]) -> tuple[int | None, tuple[float, ...] | None]:
    """Page and box (x0, top, x1, bottom from the page's top-left) of a field's first widget on a page."""
    for widget in field.widgets:
        place = pages.get(id(widget))
        rect = widget.get("/Rect")
        if place is None or rect is None:
            continue
        number, height = place
        x0, y0, x1, y1 = (float(c) for c in rect)
        return number, (min(x0, x1), height - max(y0, y1), max(x0, x1), height - min(y0, y1))
    return None, None
