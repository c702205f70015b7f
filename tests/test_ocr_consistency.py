"""Answers that repeat one another (extractors.ocr_consistency): an e-mail address one or two letters away from
its owner's name is flagged (both keys); equal spellings, spellings far apart and short parts are not. The pairs
come from the form's rules.yaml (``ocr_consistency``)."""

from __future__ import annotations

import pytest

from extractors.ocr_consistency import consistency_problems, edit_distance
from formgen.spec import load_form

FORM = load_form(2020)
BASE = {
    "kontakt.kommun": "Härnösands kommun",
    "kontakt.kontaktperson": "Lars Ekström",
    "kontakt.epost": "lars.ekstrom@harnosand.se",
    "underskrift.namnfortydligande": "Fredrik Dahl",
    "underskrift.epost": "fredrik.dahl@harnosand.se",
}


def _keys(**changed: str) -> set[str]:
    values = {**BASE, **{k.replace("__", "."): v for k, v in changed.items()}}
    return {key for key, _ in consistency_problems(FORM, values)}


def test_consistent_answers_raise_nothing() -> None:
    assert _keys() == set()


def test_name_part_misread_against_the_person() -> None:
    assert _keys(kontakt__epost="lars.ekstrorn@harnosand.se") == {"kontakt.epost", "kontakt.kontaktperson"}
    assert _keys(underskrift__epost="fredrik.dah1@harnosand.se") == {"underskrift.epost",
                                                                   "underskrift.namnfortydligande"}
    assert _keys(underskrift__namnfortydligande="Fredrik Dabl") == {"underskrift.epost",
                                                                    "underskrift.namnfortydligande"}


def test_the_reason_names_both_spellings() -> None:
    values = {**BASE, "kontakt.epost": "lars.ekstrorn@harnosand.se"}
    reasons = dict(consistency_problems(FORM, values))
    assert reasons["kontakt.epost"] == 'e-postadressens "ekstrorn" liknar namnets "ekstrom" men skiljer sig'


@pytest.mark.parametrize("email", ["info@harnosand.se", "fredrik@harnosand.se", "f.dahl@harnosand.se",
                                   "ombud@stockholm.se", "fd@gmail.com", "anna.berg@harnosand.se"])
def test_other_addresses_say_nothing(email: str) -> None:
    assert _keys(underskrift__epost=email) == set()


def test_diacritics_and_hyphens_compare_folded() -> None:
    keys = _keys(kontakt__kontaktperson="Per-Olof Nyström", kontakt__epost="per-olof.nystrom@upplandsvasby.se",
                 underskrift__namnfortydligande="Åsa Öberg", underskrift__epost="asa.oberg@ale.se")
    assert keys == set()


def test_missing_answers_are_skipped() -> None:
    assert _keys(kontakt__epost="", underskrift__namnfortydligande="") == set()
    assert consistency_problems(FORM, {}) == []


def test_edit_distance_is_capped() -> None:
    assert edit_distance("harnosand", "harmosand", 3) == 1
    assert edit_distance("harnosand", "hamosand", 3) == 2
    assert edit_distance("dahl", "dahl", 3) == 0
    assert edit_distance("stockholm", "harnosand", 3) == 3


@pytest.mark.parametrize("value", ["1", "| 1", "—"])
def test_identity_name_without_letters_is_flagged(value: str) -> None:
    assert _keys(kontakt__kommun=value) == {"kontakt.kommun"}
    assert _keys(kontakt__kontaktperson=value) == {"kontakt.kontaktperson"}


def test_identity_names_with_letters_pass() -> None:
    assert _keys(kontakt__kommun="Spånga-Tensta stadsdelsförvaltning", kontakt__kontaktperson="Å. Öberg") == set()
