"""Hypothesis strategies for valid records of a form year, built from the form definition's field types."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import strategies as st

from formgen.record import Record, blank_record
from formgen.spec import MONTHS_SV, FieldSpec, FormSpec, load_form

# Words that are not the form's own wording, so a printed answer can never pass for a label.
WORDS = ["Vi", "har", "haft", "många", "möten", "kring", "stödet", "under", "hösten", "Östra", "Åby", "älven",
         "samverkan", "fungerar", "väl", "<bra>", "&", '"citat"', "kostnad", "ökade", "resurser", "2 st",
         "Ängelholm", "kvartal", "riktlinjer", "fortsatt", "arbete", "nätverk", "brukare", "insatser"]
PLACES = ["Solna", "Sundbyberg", "Täby", "Österåker", "Älvdalen", "Åre", "Lidingö", "Nacka"]


def _text(min_words: int = 1, max_words: int = 24, paragraphs: bool = True) -> st.SearchStrategy[str]:
    line = st.lists(st.sampled_from(WORDS), min_size=min_words, max_size=max_words).map(" ".join)
    if not paragraphs:
        return line
    return st.lists(line, min_size=1, max_size=3).map("\n".join)


def _value(spec: FieldSpec) -> st.SearchStrategy[Any]:
    if spec.type == "flag":
        return st.booleans()
    if spec.is_choice:
        return st.sampled_from([c.value for c in spec.choices] + [None])
    if spec.type == "int":
        return st.one_of(st.none(), st.integers(0, 4000))
    if spec.type == "kr":
        return st.one_of(st.none(), st.integers(0, 9_999_999))
    if spec.type == "fte":
        return st.one_of(st.none(), st.integers(1, 999).map(lambda n: f"{n // 100}.{n % 100:02d}"))
    if spec.type == "list":
        return st.lists(st.sampled_from(PLACES), max_size=3, unique=True)
    if spec.format == "email":
        return st.one_of(st.none(), st.sampled_from(["anna.berg", "ombud", "po.team"]).flatmap(
            lambda u: st.sampled_from(["solna.se", "stockholm.se", "taby.se"]).map(lambda d: f"{u}@{d}")))
    if spec.format == "phone":
        return st.one_of(st.none(), st.integers(1000000, 99999999).map(lambda n: f"08-{n}"))
    if spec.format == "postnummer":
        return st.one_of(st.none(), st.integers(10000, 99999).map(lambda n: f"{n // 100} {n % 100:02d}"))
    short = spec.section in ("kontakt", "underskrift")
    return st.one_of(st.none(), _text(1, 4, paragraphs=False) if short else _text())


@st.composite
def records(draw: st.DrawFn, year: int = 2020, form: FormSpec | None = None) -> Record:
    """A valid record of a year (of the given form version, else the one in force): every field drawn from its
    type, the signature date consistent."""
    form = form or load_form(year)
    base = blank_record(year, form)
    changes: dict[str, Any] = {}
    for key, spec in form.fields_for_year(year).items():
        if key == form.identity.year_key or spec.derived_from:
            continue
        changes[key] = draw(_value(spec))
    if draw(st.booleans()):
        day = draw(st.dates(dt.date(year + 1, 1, 1), dt.date(year + 1, 2, 28)))
        place = draw(st.sampled_from(PLACES))
        changes["underskrift.ort_datum"] = f"{place} den {day.day} {MONTHS_SV[day.month - 1]} {day.year}"
        changes["underskrift.datum"] = day.isoformat()
    else:
        changes["underskrift.ort_datum"] = None
    return base.replace(changes)
