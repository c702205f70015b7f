"""formgen.generate.prefill: next year's record keeps what form.yaml's prefill.carry lists, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from formgen.errors import FormgenError
from formgen.generate import next_year_record
from formgen.generate.prefill import carried_by
from formgen.record import Record, record_from_json
from formgen.spec import load_form
from tests.helpers import sample_record_json


@pytest.fixture(scope="module")
def sample() -> Record:
    return record_from_json(sample_record_json())


def test_carried_keys_come_from_the_spec(sample: Record) -> None:
    record, summary = next_year_record(sample, 2021)
    assert record.year == 2021 and record.get("ar") == 2021
    for key, value in record.items():
        if key == "ar":
            continue
        if carried_by(record.form, key):
            assert value == sample.get(key), key
        else:
            assert value in (None, False, []), key
    answered = {k for k, v in sample.items() if v not in (None, False, []) and k != "ar"}
    assert set(summary.carried) | set(summary.cleared) | set(summary.dropped) == answered
    assert set(summary.carried) == {k for k in answered if carried_by(sample.form, k)}


def test_carry_follows_the_prefixes(sample: Record) -> None:
    record, _ = next_year_record(sample, 2021)
    assert record.get("kontakt.kommun") == sample.get("kontakt.kommun")
    assert record.get("ombud.tjanster") == "1.00" and record.get("ombud.antal.kvinnor") == 1
    assert record.get("tillgang.prioritering") == "ja" and record.get("tillgang.ko") is None
    assert record.get("ledningsgrupp.organisationer.brukar.vilka") == "RSMH, Schizofreniförbundet"
    assert record.get("utbildning.erbjuden") is None  # under section "ombud" but not under the key "ombud"
    assert record.get("klienter.totalt.kvinnor") is None and record.get("underskrift.datum") is None


def test_the_corona_section_is_only_on_the_2020_form(sample: Record) -> None:
    record, summary = next_year_record(sample, 2021)
    assert not any(k.startswith("corona") for k in record.values)
    assert {k for k in summary.dropped} == {k for k, v in sample.items()
                                           if k.startswith("corona") and v not in (None, False, [])}
    assert record.to_json().keys() == record_from_json({"ar": 2021}).to_json().keys()


def test_summary_is_swedish_and_gives_the_hint(sample: Record) -> None:
    _record, summary = next_year_record(sample, 2021)
    assert summary.continuing == (("Kvinnor", 23), ("Män", 34))
    text = summary.to_text()
    assert "Blanketten för 2021 är förifylld för Spånga-Tensta" in text
    assert "Överfört (22 svar)" in text and "8. Coronapandemin (6)" in text
    assert "Tips: 23 kvinnor och 34 män" in text and "väntas fortsätta under 2021" in text


def test_no_hint_without_counts(sample: Record) -> None:
    bare = sample.replace({"klienter.avslutade.kvinnor": None, "klienter.totalt.man": None})
    _record, summary = next_year_record(bare, 2021)
    assert summary.continuing == (("Kvinnor", None), ("Män", None)) and summary.hint() is None
    inconsistent = sample.replace({"klienter.avslutade.kvinnor": 99})
    assert next_year_record(inconsistent, 2021)[1].continuing[0] == ("Kvinnor", None)


def test_prefill_goes_forward_only(sample: Record) -> None:
    with pytest.raises(FormgenError) as info:
        next_year_record(sample, 2020)
    assert info.value.code == "prefill-not-later"


def test_a_later_year_skips_ahead(sample: Record) -> None:
    record, summary = next_year_record(sample, 2023)
    assert record.year == 2023 and summary.to_year == 2023 and "under 2023" in summary.to_text()


def test_withheld_answers_are_not_carried_and_leave_the_hint_out(sample: Record) -> None:
    record, summary = next_year_record(sample, 2021, withhold={"kontakt.telefon", "klienter.avslutade.man"})
    assert record.get("kontakt.telefon") is None and record.get("kontakt.epost") == sample.get("kontakt.epost")
    assert summary.withheld == ("kontakt.telefon",) and "kontakt.telefon" not in summary.carried
    assert summary.continuing == (("Kvinnor", 23), ("Män", None))
    text = summary.to_text()
    assert "Inte överfört eftersom förra årets svar hade fel (1 svar): Kontaktuppgifter" in text
    assert "Tips: 23 kvinnor var klienter under 2020" in text


def test_the_summary_wording_is_the_forms_not_code(sample: Record) -> None:
    source = (Path(__file__).parents[1] / "formgen" / "generate" / "prefill.py").read_text(encoding="utf-8")
    assert "väntas fortsätta" not in source and "Överfört" not in source
    _record, summary = next_year_record(sample, 2021)
    form = load_form(2021)
    assert summary.hint() == form.text("prefill_hint", 2021, continuing=[("Kvinnor", 23), ("Män", 34)],
                                       from_year=2020, to_year=2021, kommun=sample.kommun)
    assert summary.carried_text().startswith("Överfört (22 svar): Kontaktuppgifter")
