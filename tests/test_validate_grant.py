"""Årsanställningar (rule 4) and the grant: förbrukat ≤ beviljat (5), fewer explained (6), kr per
årsanställning (7)."""

from __future__ import annotations

import dataclasses

from formgen.record import Record
from formgen.validate import build_context, validate
from formgen.validate.rules import fte, grant
from tests.test_validate_helpers import blank, fire, pairs, sample


def exact(record: Record) -> Record:
    """The sample's FTE values written with two decimals."""
    return record.replace({"ekonomi.beviljade_arsanstallningar": "1.00", "ekonomi.forbrukade_arsanstallningar": "1.00"})


# ------------------------------------------------------------------ rule 4: FTE values


def test_fte_written_with_one_decimal_on_sample():
    found = fire(fte.fte_values, sample())
    assert pairs(found) == {("fte-decimals", ("ekonomi.beviljade_arsanstallningar",)),
                            ("fte-decimals", ("ekonomi.forbrukade_arsanstallningar",))}
    assert {f.severity for f in found} == {"warning"}


def test_fte_with_two_decimals_is_silent():
    assert fire(fte.fte_values, exact(sample())) == []
    assert fire(fte.fte_values, blank()) == []


def test_fte_without_decimals_gets_a_suggestion():
    [f] = fire(fte.fte_values, exact(sample()).replace({"ombud.tjanster": "1"}))
    assert f.message == ("Antal ombudstjänster är skrivet ”1” med 0 decimaler; blanketten begär 2 decimaler, "
                         "t.ex. ”1,00”.")


def test_fte_zero_is_not_positive():
    [f] = fire(fte.fte_values, exact(sample()).replace({"ombud.tjanster": "0.00"}))
    assert (f.code, f.severity, f.fields) == ("fte-not-positive", "warning", ("ombud.tjanster",))
    assert f.message == "Antal ombudstjänster anges till 0,00, men ska vara större än 0."


def test_fte_above_number_of_ombud():
    [f] = fire(fte.fte_values, exact(sample()).replace({"ombud.tjanster": "1.50"}))
    assert f.code == "fte-exceeds-persons"
    assert f.fields == ("ombud.tjanster", "ombud.antal.kvinnor", "ombud.antal.man")
    assert f.message == "Antal ombudstjänster (1,50) är fler än antalet personliga ombud (1)."


def test_fte_within_number_of_ombud_or_number_unknown():
    record = exact(sample()).replace({"ombud.tjanster": "1.50"})
    assert fire(fte.fte_values, record.replace({"ombud.antal.man": 1})) == []
    assert fire(fte.fte_values, record.replace({"ombud.antal.kvinnor": None})) == []


# ------------------------------------------------------------------ rule 5: förbrukat ≤ beviljat


def test_used_equal_to_granted_is_silent():
    assert fire(grant.grant_used, sample()) == []
    assert fire(grant.grant_used, blank().replace({"ekonomi.beviljat_kr": 100})) == []


def test_used_above_granted_is_an_error():
    [f] = fire(grant.grant_used, sample().replace({"ekonomi.forbrukat_kr": 402639}))
    assert (f.code, f.severity, f.fields) == ("used-exceeds-granted", "error",
                                              ("ekonomi.forbrukat_kr", "ekonomi.beviljat_kr"))
    assert f.message == "Förbrukat statsbidrag (402 639 kr) är större än beviljat statsbidrag (402 638 kr)."


def test_used_below_granted_tells_what_may_be_paid_back():
    [f] = fire(grant.grant_used, sample().replace({"ekonomi.forbrukat_kr": 400000}))
    assert (f.code, f.severity) == ("grant-unused", "info")
    assert f.data["skillnad"] == 2638
    assert f.message == ("Förbrukat statsbidrag (400 000 kr) är mindre än beviljat (402 638 kr); "
                         "2 638 kr kan behöva betalas tillbaka.")


# ------------------------------------------------------------------ rule 6: fewer årsanställningar explained


def test_fewer_fte_without_reason_is_an_error():
    record = sample().replace({"ekonomi.forbrukade_arsanstallningar": "0.80"})
    [f] = fire(grant.fewer_fte_explained, record)
    assert (f.code, f.severity) == ("fewer-fte-unexplained", "error")
    assert f.fields == ("ekonomi.forbrukade_arsanstallningar", "ekonomi.beviljade_arsanstallningar",
                        "ekonomi.farre_varfor")
    assert f.message == ("Förbrukade årsanställningar (0,80) är färre än beviljade (1,0), "
                         "men det är inte angivet varför.")


def test_fewer_fte_with_reason_or_same_value_other_precision_is_silent():
    record = sample().replace({"ekonomi.forbrukade_arsanstallningar": "0.80", "ekonomi.farre_varfor": "Sjukskrivning"})
    assert fire(grant.fewer_fte_explained, record) == []
    same = sample().replace({"ekonomi.beviljade_arsanstallningar": "1.00"})  # "1.0" used vs "1.00" granted
    assert fire(grant.fewer_fte_explained, same) == []


# ------------------------------------------------------------------ rule 7: beviljat kr × rate


def test_rate_unknown_for_2020_so_silent():
    record = sample()
    assert build_context(record).grant_per_arsanstallning is None
    assert fire(grant.granted_kr_rate, record) == []


def test_granted_kr_checked_against_rate_from_context():
    record = exact(sample())
    ctx = dataclasses.replace(build_context(record), grant_per_arsanstallning=302400)
    [f] = fire(grant.granted_kr_rate, record, ctx)
    assert (f.code, f.severity) == ("granted-kr-mismatch", "warning")
    assert f.fields == ("ekonomi.beviljat_kr", "ekonomi.beviljade_arsanstallningar")
    assert f.message == ("Beviljat statsbidrag (402 638 kr) stämmer inte med 1,00 årsanställningar "
                         "× 302 400 kr = 302 400 kr.")
    assert fire(grant.granted_kr_rate, record.replace({"ekonomi.beviljat_kr": 302400}), ctx) == []
    within_tolerance = record.replace({"ekonomi.beviljat_kr": 305000})  # 0.86 % off, tolerance 1 %
    assert fire(grant.granted_kr_rate, within_tolerance, ctx) == []


def test_granted_kr_rate_read_from_form_parameters():
    base = exact(sample())
    params = {**base.form.parameters, "grant_per_arsanstallning": {2020: 302400}}
    form = dataclasses.replace(base.form, parameters=params)
    record = Record(form, 2020, base.values)
    assert [f.data["vantat"] for f in validate(record) if f.code == "granted-kr-mismatch"] == [302400]
    # 1.33 × 302 400 = 402 192 kr, 446 kr (0.1 %) from the 402 638 kr granted: within the tolerance
    assert fire(grant.granted_kr_rate, record.replace({"ekonomi.beviljade_arsanstallningar": "1.33"})) == []
