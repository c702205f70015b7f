"""Every finding code has a Swedish template, and every template renders with its rule's real data."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from formgen.errors import SpecError
from formgen.record import Record, blank_record
from formgen.validate import CODES, RuleContext, build_context, validate
from formgen.validate.messages import MESSAGES_FILE, compile_messages
from tests.test_validate_helpers import blank, sample

Case = Callable[[], tuple[Record, RuleContext]]


def _ctx(record: Record, **changes) -> tuple[Record, RuleContext]:
    return record, dataclasses.replace(build_context(record), **changes)


def _sample(changes: dict) -> Case:
    return lambda: _ctx(sample().replace(changes))


def _raw(changes: dict) -> Case:
    def case():
        base = sample()
        return _ctx(Record(base.form, base.year, {**base.values, **changes}))
    return case


def _previous() -> tuple[Record, RuleContext]:
    record = sample()
    before = blank_record(2019, record.form).replace({
        "klienter.totalt.kvinnor": 30, "klienter.avslutade.kvinnor": 1,
        "klienter.totalt.man": 40, "klienter.avslutade.man": 11})
    return record, build_context(record, before)


# One case per code: a record (and context) on which the rule emits that code.
CASES: dict[str, Case] = {
    "count-invalid": _raw({"klienter.totalt.kvinnor": -1}),
    "fte-invalid": _raw({"ombud.tjanster": "1,00"}),
    "value-invalid": _raw({"tillgang.ko": "kanske"}),
    "required-missing": lambda: _ctx(blank()),
    "choice-missing": lambda: _ctx(blank()),
    "choice-grid-none": _sample({"organisation.utforare.kommun": None}),
    "age-band-sum-mismatch": _sample({"klienter.nya.alder_18_29.kvinnor": None}),
    "age-bands-not-given": _sample({f"klienter.nya.{b}.man": None
                                    for b in ("alder_18_29", "alder_30_49", "alder_50_64", "alder_65_plus")}),
    "part-exceeds-total": _sample({"klienter.hemmavarande_barn.kvinnor": 36}),
    "reason-exceeds-new-clients": lambda: _ctx(sample()),
    "fte-decimals": lambda: _ctx(sample()),
    "fte-not-positive": _sample({"ekonomi.forbrukade_arsanstallningar": "0.00"}),
    "fte-exceeds-persons": _sample({"ombud.tjanster": "2.00"}),
    "used-exceeds-granted": _sample({"ekonomi.forbrukat_kr": 500000}),
    "grant-unused": _sample({"ekonomi.forbrukat_kr": 1}),
    "fewer-fte-unexplained": _sample({"ekonomi.forbrukade_arsanstallningar": "0.50"}),
    "granted-kr-mismatch": lambda: _ctx(sample(), grant_per_arsanstallning=302400),
    "conditional-answer-missing": _sample({"tillgang.prioritering_ordning": None}),
    "conditional-none-ticked": _sample({"corona.effekter.okad_efterfragan": False, "corona.effekter.okat_utbud": False,
                                        "corona.effekter.inga_utbildningar": False,
                                        "corona.effekter.ingen_handledning": False}),
    "ledningsgrupp-member-missing": _sample({"ledningsgrupp.myndigheter.forsakringskassan": "nej"}),
    "ledningsgrupp-missing-unexplained": _sample({"ledningsgrupp.myndigheter.arbetsformedlingen": "nej"}),
    "contact-missing": _sample({"kontakt.postort": None}),
    "postnummer-format": _sample({"kontakt.postnummer": "SE-16304"}),
    "email-invalid": _sample({"underskrift.epost": "margareta@"}),
    "phone-invalid": _sample({"kontakt.telefon": "ring växeln"}),
    "signed-date-unreadable": _sample({"underskrift.datum": None, "underskrift.ort_datum": "Spånga, januari"}),
    "signed-before-year-end": _sample({"underskrift.datum": "2020-06-30"}),
    "signed-after-deadline": _sample({"underskrift.datum": "2021-01-16"}),
    "carried-over-mismatch": _previous,
}


def test_every_code_has_a_case():
    assert set(CASES) == set(CODES)


@pytest.mark.parametrize("code", sorted(CODES))
def test_every_template_renders_with_real_data(code):
    record, ctx = CASES[code]()
    found = [f for f in validate(record, ctx=ctx) if f.code == code]
    assert found, f"{code} did not fire"
    for f in found:
        assert f.severity == CODES[code]
        assert f.message.endswith(".") and "{" not in f.message and "  " not in f.message, f.message
        assert f.message[0].isupper() or f.message[0] == "”", f.message


def test_the_messages_file_has_exactly_the_codes():
    form = sample().form
    assert set(compile_messages(form, 2020, CODES).templates) == set(CODES)


def _form_with_messages(tmp_path: Path, edit: Callable[[str], str]):
    form = sample().form
    folder = tmp_path / "2020"
    shutil.copytree(form.folder, folder)
    path = folder / MESSAGES_FILE
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    return dataclasses.replace(form, folder=folder)


def test_a_missing_template_is_refused(tmp_path):
    form = _form_with_messages(tmp_path, lambda t: t.replace("  grant-unused:", "  grant-unused-renamed:"))
    with pytest.raises(SpecError, match="saknar meddelande för grant-unused"):
        compile_messages(form, 2020, CODES)


def test_a_name_for_a_missing_field_is_refused(tmp_path):
    form = _form_with_messages(tmp_path, lambda t: t.replace("names:\n", "names:\n  klienter.gamla: x\n"))
    with pytest.raises(SpecError, match="klienter.gamla"):
        compile_messages(form, 2020, CODES)


def test_a_broken_template_is_refused(tmp_path):
    form = _form_with_messages(tmp_path, lambda t: t.replace("Kontaktuppgifterna saknar", "{% if %}"))
    with pytest.raises(SpecError, match="contact-missing"):
        compile_messages(form, 2020, CODES)
