"""The signature date (rule 12) and the cross-year rule: clients carried over from last year."""

from __future__ import annotations

import pytest

from formgen.record import blank_record
from formgen.validate import validate
from formgen.validate.rules import cross_year, dates
from tests.test_validate_helpers import blank, codes, fire, sample

# ------------------------------------------------------------------ rule 12: signature date


def test_signed_on_the_deadline_is_silent():
    assert fire(dates.signature_date, sample()) == []
    assert fire(dates.signature_date, blank()) == []


def test_signed_after_the_deadline():
    [f] = fire(dates.signature_date, sample().replace({"underskrift.datum": "2021-02-01"}))
    assert (f.code, f.severity) == ("signed-after-deadline", "warning")
    assert f.fields == ("underskrift.ort_datum", "underskrift.datum")
    assert f.message == ("Redovisningen är undertecknad 1 februari 2021, 17 dagar efter sista dag för inlämning "
                         "(15 januari 2021).")


def test_signed_before_the_grant_year_ended():
    [f] = fire(dates.signature_date, sample().replace({"underskrift.datum": "2020-12-31"}))
    assert (f.code, f.severity) == ("signed-before-year-end", "warning")
    assert f.fields == ("underskrift.ort_datum", "underskrift.datum", "ar")
    assert f.message == ("Redovisningen är undertecknad 31 december 2020, innan bidragsåret 2020 är slut; "
                         "kontrollera året och datumet.")
    assert fire(dates.signature_date, sample().replace({"underskrift.datum": "2021-01-01"})) == []


def test_written_date_that_could_not_be_read():
    record = sample().replace({"underskrift.datum": None, "underskrift.ort_datum": "Spånga i januari"})
    [f] = fire(dates.signature_date, record)
    assert (f.code, f.severity) == ("signed-date-unreadable", "warning")
    assert f.message == "Datumet vid underskriften (”Spånga i januari”) kan inte tolkas som ett datum."


def test_written_date_is_read_when_the_derived_date_is_missing():
    record = sample().replace({"underskrift.datum": None, "underskrift.ort_datum": "Spånga den 2 februari 2021"})
    assert codes(fire(dates.signature_date, record)) == ["signed-after-deadline"]
    assert fire(dates.signature_date, sample().replace({"underskrift.datum": None})) == []


def test_deadline_of_2021_record_is_2022():
    record = blank(2021).replace({"underskrift.datum": "2022-01-16", "underskrift.ort_datum": "16/1 2022"})
    assert codes(fire(dates.signature_date, record)) == ["signed-after-deadline"]
    assert fire(dates.signature_date, record.replace({"underskrift.datum": "2022-01-15"})) == []


# ------------------------------------------------------------------ cross-year: carried over


def last_year(**counts: int):
    """A 2019 record (on the 2020 form) with klienter totalt/avslutade per gender."""
    form = sample().form
    return blank_record(2019, form).replace({
        "klienter.totalt.kvinnor": counts.get("tk", 30), "klienter.avslutade.kvinnor": counts.get("ak", 9),
        "klienter.totalt.man": counts.get("tm", 40), "klienter.avslutade.man": counts.get("am", 11),
    })


def test_carried_over_matches_last_year():
    # this year: 35 − 14 = 21 women, 56 − 27 = 29 men; last year 30 − 9 = 21, 40 − 11 = 29
    assert [f for f in validate(sample(), last_year()) if f.code == "carried-over-mismatch"] == []


def test_carried_over_differs_from_last_year():
    found = [f for f in validate(sample(), last_year(am=12)) if f.code == "carried-over-mismatch"]
    assert [(f.severity, f.fields) for f in found] == [("warning", ("klienter.totalt.man", "klienter.nya.man"))]
    assert found[0].message == ("Kvarstående klienter (män) stämmer inte med 2019: i år totalt − nya = "
                                "56 − 27 = 29, men 2019 totalt − avslutade = 40 − 12 = 28.")


def test_carried_over_needs_last_year():
    assert fire(cross_year.carried_over, sample()) == []
    assert "carried-over-mismatch" not in codes(validate(sample()))


def test_carried_over_skips_unknown_counts():
    previous = last_year().replace({"klienter.avslutade.man": None})
    assert [f for f in validate(sample(), previous) if f.code == "carried-over-mismatch"] == []


def test_previous_must_be_the_year_before():
    with pytest.raises(ValueError, match="2019"):
        validate(sample(), sample())
