"""Client counts: age bands (rule 1), parts of the total (rule 2), reasons within new clients (rule 3),
whole counts (rule 13)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formgen.record import Record
from formgen.validate import CODES, validate
from formgen.validate.rules import clients, counts
from tests.test_validate_helpers import blank, codes, fire, pairs, sample

BANDS = ("alder_18_29", "alder_30_49", "alder_50_64", "alder_65_plus")


# ------------------------------------------------------------------ rule 1: age bands sum to the total


def test_age_bands_not_firing_on_sample():
    assert fire(clients.age_band_sums, sample()) == []


def test_age_band_sum_mismatch_names_the_figures():
    found = fire(clients.age_band_sums, sample().replace({"klienter.nya.alder_18_29.kvinnor": 1}))
    assert codes(found) == ["age-band-sum-mismatch"]
    f = found[0]
    assert f.severity == "error"
    assert f.fields == ("klienter.nya.kvinnor", *(f"klienter.nya.{b}.kvinnor" for b in BANDS))
    assert f.message == "Åldersgrupperna för nya klienter (kvinnor) summerar till 13, men totalt anges 14."


def test_age_band_sum_per_gender_and_per_row():
    record = sample().replace({"klienter.totalt.man": 57, "klienter.avslutade.alder_65_plus.kvinnor": 0})
    assert {f.fields[0] for f in fire(clients.age_band_sums, record)} == {
        "klienter.totalt.man", "klienter.avslutade.kvinnor"}


def test_blank_bands_count_as_zero_and_are_named():
    record = sample().replace({"klienter.nya.alder_65_plus.kvinnor": None, "klienter.nya.alder_50_64.kvinnor": None})
    [f] = fire(clients.age_band_sums, record)
    assert f.code == "age-band-sum-mismatch"
    assert f.data["summa"] == 6
    assert f.message == ("Åldersgrupperna för nya klienter (kvinnor) summerar till 6, men totalt anges 14. "
                         "Tomma åldersgrupper har räknats som 0: 50–64 år och 65 år och över.")


def test_blank_bands_that_still_add_up_are_accepted():
    record = sample().replace({"klienter.nya.alder_65_plus.kvinnor": None, "klienter.nya.alder_50_64.kvinnor": 8})
    assert fire(clients.age_band_sums, record) == []


def test_total_without_any_band_is_info_only():
    record = sample().replace({f"klienter.totalt.{b}.man": None for b in BANDS})
    found = fire(clients.age_band_sums, record)
    assert [(f.code, f.severity) for f in found] == [("age-bands-not-given", "info")]
    assert found[0].message == "Totalt antal klienter (män) anges till 56 utan fördelning på åldersgrupper."


def test_nothing_given_or_zero_total_is_silent():
    assert fire(clients.age_band_sums, blank()) == []
    assert fire(clients.age_band_sums, blank().replace({"klienter.nya.kvinnor": 0})) == []


def test_bands_without_total_are_left_to_required_fields():
    record = blank().replace({"klienter.nya.alder_18_29.kvinnor": 3})
    assert fire(clients.age_band_sums, record) == []
    assert ("required-missing", ("klienter.nya.kvinnor",)) in pairs(validate(record))


# ------------------------------------------------------------------ rule 2: parts within the total


def test_parts_not_firing_on_sample_and_equal_is_allowed():
    assert fire(clients.part_of_total, sample()) == []
    assert fire(clients.part_of_total, sample().replace({"klienter.avslutade.kvinnor": 35})) == []


def test_new_clients_above_total():
    [f] = fire(clients.part_of_total, sample().replace({"klienter.nya.kvinnor": 40}))
    assert (f.code, f.severity, f.fields) == ("part-exceeds-total", "error",
                                              ("klienter.nya.kvinnor", "klienter.totalt.kvinnor"))
    assert f.message == "Nya klienter (kvinnor) är 40, fler än totalt antal klienter (35)."


def test_closed_and_children_above_total():
    record = sample().replace({"klienter.avslutade.man": 57, "klienter.hemmavarande_barn.man": 60})
    assert pairs(fire(clients.part_of_total, record)) == {
        ("part-exceeds-total", ("klienter.avslutade.man", "klienter.totalt.man")),
        ("part-exceeds-total", ("klienter.hemmavarande_barn.man", "klienter.totalt.man")),
    }


def test_part_with_unknown_total_is_silent():
    assert fire(clients.part_of_total, blank().replace({"klienter.nya.kvinnor": 4})) == []


# ------------------------------------------------------------------ rule 3: reasons within new clients


def test_reasons_above_new_clients_on_sample():
    found = fire(clients.reasons_within_new, sample())
    assert {f.severity for f in found} == {"warning"}
    assert {(f.fields[0], f.data["antal"], f.data["nya"]) for f in found} == {
        ("kontaktorsaker.ekonomi.kvinnor", 34, 14), ("kontaktorsaker.ekonomi.man", 53, 27),
        ("kontaktorsaker.struktur_i_vardagen.kvinnor", 30, 14), ("kontaktorsaker.struktur_i_vardagen.man", 45, 27),
        ("kontaktorsaker.bryta_isolering.kvinnor", 22, 14),
        ("kontaktorsaker.stod_myndighet.kvinnor", 35, 14), ("kontaktorsaker.stod_myndighet.man", 56, 27),
        ("kontaktorsaker.stod_sjukvard.kvinnor", 19, 14),
    }


def test_reasons_within_new_clients_are_silent():
    record = sample().replace({"klienter.nya.kvinnor": 35, "klienter.nya.man": 56})
    assert fire(clients.reasons_within_new, record) == []
    assert fire(clients.reasons_within_new, sample().replace({"klienter.nya.kvinnor": None,
                                                               "klienter.nya.man": None})) == []


# ------------------------------------------------------------------ rule 13: whole counts


def _bypassing(values: dict) -> Record:
    """A record built directly (as an extractor could), without the record model's checks."""
    base = sample()
    return Record(base.form, base.year, {**base.values, **values})


def test_bad_counts_and_fte_are_errors():
    record = _bypassing({"klienter.totalt.kvinnor": -1, "ekonomi.beviljat_kr": 1.5, "klienter.nya.man": "12",
                         "ombud.antal.kvinnor": True, "ombud.tjanster": "1,00"})
    found = fire(counts.whole_counts, record)
    assert pairs(found) == {
        ("count-invalid", ("klienter.totalt.kvinnor",)), ("count-invalid", ("klienter.nya.man",)),
        ("count-invalid", ("ombud.antal.kvinnor",)), ("count-invalid", ("ekonomi.beviljat_kr",)),
        ("fte-invalid", ("ombud.tjanster",)),
    }
    assert {f.severity for f in found} == {"error"}
    by_key = {f.fields[0]: f.message for f in found}
    assert by_key["klienter.totalt.kvinnor"] == (
        "Totalt antal klienter (kvinnor) har värdet ”-1”, men ska vara ett heltal som är 0 eller större.")


def test_whole_counts_silent_on_sample_and_blank():
    assert fire(counts.whole_counts, sample()) == []
    assert fire(counts.whole_counts, blank()) == []


def test_other_rules_survive_bad_values():
    record = _bypassing({"klienter.totalt.kvinnor": "many", "klienter.nya.kvinnor": -3,
                         "ekonomi.forbrukade_arsanstallningar": "x"})
    assert {"count-invalid", "fte-invalid"} <= set(codes(validate(record)))


_KEYS = sorted(sample().values)
_GARBAGE = st.one_of(st.none(), st.integers(-5, 10**7), st.text(max_size=6), st.booleans(),
                     st.floats(allow_nan=True), st.lists(st.text(max_size=3), max_size=2))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(_KEYS), _GARBAGE, max_size=12))
def test_validate_never_crashes_on_extracted_values(changes):
    found = validate(_bypassing(changes))
    assert all(f.code in CODES and f.severity == CODES[f.code] and f.message for f in found)
