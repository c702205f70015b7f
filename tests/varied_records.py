"""Deterministic varied records for the generated-form tests that run outside hypothesis (LibreOffice round
trips convert many files in one soffice call, the PDF text checks crop every answer's box).

Every record is valid for its year and drawn from a seed: multi-line free texts, lists of kommuner, names and
signs outside Latin-1 (Sámi, Polish, Turkish, Croatian, Romani: Ŋ Č đ Ł ś ş, ≥ →), long e-mail addresses,
unanswered questions and empty lists. Free text never uses the form's own wording, so an answer can never
pass for a label.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from formgen.record import Record, blank_record
from formgen.spec import MONTHS_SV, FieldSpec, load_form

NAMES = ["Áilu Ŋuorra-Čuđetić", "Łukasz Świątek", "Şükrü Yılmaz", "Đurđa Šćepanović", "Ánde Ŋuolja",
         "Mäkelä Päivi", "Zoë Øberg", "Jiří Dvořák", "Małgorzata Żółć", "Ölgün Ağaoğlu"]
WORDS = ["Vi", "har", "haft", "många", "möten", "kring", "stödet", "hösten", "Östra", "Åby", "älven", "samverkan",
         "fungerar", "väl", "kostnad", "ökade", "resurser", "≥", "3", "→", "nätverk", "brukare", "insatser",
         "Sámi", "giella", "Meänkieli", "Romani", "čhib", "Łódź", "Kuşadası", "Ŋ", "đ", "ś", "ş", "(a)", '"citat"',
         "&", "<bra>", "50 %", "kvartal", "riktlinjer"]
PLACES = ["Solna", "Sundbyberg", "Täby", "Österåker", "Älvdalen", "Åre", "Lidingö", "Nacka", "Jokkmokk",
          "Pajala", "Övertorneå", "Haparanda"]
DOMAINS = ["solna.se", "jokkmokk.se", "overtornea.se", "stadsdelsforvaltning.stockholm.se"]


def _line(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS + NAMES) for _ in range(rng.randint(low, high)))


def _text(rng: random.Random, short: bool) -> str | None:
    if rng.random() < 0.15:
        return None
    if short:
        return rng.choice(NAMES) if rng.random() < 0.5 else _line(rng, 1, 4)
    return "\n".join(_line(rng, 1, 16) for _ in range(rng.randint(1, 4)))


def _value(rng: random.Random, spec: FieldSpec) -> Any:
    if spec.type == "flag":
        return rng.random() < 0.5
    if spec.choices:
        return rng.choice([c.value for c in spec.choices] + [None])
    if spec.type == "int":
        return rng.choice([None, rng.randint(0, 4000)])
    if spec.type == "kr":
        return rng.choice([None, rng.randint(0, 9_999_999)])
    if spec.type == "fte":
        n = rng.randint(1, 999)
        return rng.choice([None, f"{n // 100}.{n % 100:02d}"])
    if spec.type == "list":
        return rng.sample([f"{p} kommun" for p in PLACES], rng.randint(0, 4))
    if spec.format == "email":
        user = rng.choice(["anna.berg", "ombud", "personligt.ombud.samordnare", "s.swiatek"])
        return f"{user}@{rng.choice(DOMAINS)}"
    if spec.format == "phone":
        return f"08-{rng.randint(1000000, 99999999)}"
    if spec.format == "postnummer":
        n = rng.randint(10000, 99999)
        return f"{n // 100} {n % 100:02d}"
    return _text(rng, short=spec.section in ("kontakt", "underskrift"))


def varied_record(seed: int, year: int = 2020) -> Record:
    """A valid record of a year drawn from ``seed``."""
    rng = random.Random(seed)
    form = load_form(year)
    changes: dict[str, Any] = {}
    for key, spec in form.fields_for_year(year).items():
        if key == form.identity.year_key or spec.derived_from:
            continue
        changes[key] = _value(rng, spec)
    changes["kontakt.kontaktperson"] = NAMES[seed % len(NAMES)]
    day = dt.date(year + 1, 1, 1) + dt.timedelta(days=rng.randint(0, 40))
    changes["underskrift.ort_datum"] = f"{rng.choice(PLACES)} den {day.day} {MONTHS_SV[day.month - 1]} {day.year}"
    changes["underskrift.datum"] = day.isoformat()
    return blank_record(year, form).replace(changes)


def text_values(record: Record) -> dict[str, str]:
    """The record's answered free-text values (lists one item a line), by key."""
    out = {}
    text_keys = {k for k, s in record.form.fields_for_year(record.year).items() if s.type == "text"}
    for key, value in record.items():
        if isinstance(value, list) and value:
            out[key] = "\n".join(value)
        elif isinstance(value, str) and value and key in text_keys:
            out[key] = value
    return out
