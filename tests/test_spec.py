"""The form as data: forms/2020 matches the field catalogue, later years reuse it, bad folders are refused."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml

from formgen.errors import SpecError
from formgen.spec import load_form
from formgen.spec_loader import load_form_dir
from forms import FORMS_ROOT

CATALOGUE = Path(__file__).parent / "fixtures" / "redovisning-2020.yaml"   # the field catalogue (interchange)
GENDERS = ("kvinnor", "man")
BANDS = ("alder_18_29", "alder_30_49", "alder_50_64", "alder_65_plus")


# ------------------------------------------------------------------ the 2020 form and the catalogue


def expand(key: str) -> list[str]:
    """A catalogue key with {kv} / {alder} written out."""
    if key.endswith("{kv}"):
        return [f"{key[:-4]}.{g}" for g in GENDERS]
    if key.endswith("{alder}"):
        return [f"{key[:-7]}.{b}.{g}" for b in BANDS for g in GENDERS]
    return [key]


def test_form_2020_describes_exactly_the_catalogue():
    fields = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))["fields"]
    want = {k: spec["type"] for key, spec in fields.items() for k in expand(key)}
    form = load_form(2020)
    got = {k: f.catalogue_type for k, f in form.fields_for_year(2020).items()}
    assert sorted(set(want) - set(got)) == [] and sorted(set(got) - set(want)) == []
    assert {k: t for k, t in got.items() if want[k] != t} == {}


def test_2021_uses_the_2020_form_without_the_corona_section():
    form = load_form(2021)
    assert form.version == 2020
    assert "corona" not in [s.id for s in form.active_sections(2021)]
    keys = form.fields_for_year(2021)
    assert not [k for k in keys if k.startswith("corona.")]
    assert set(load_form(2020).fields_for_year(2020)) - set(keys) == {
        k for k in load_form(2020).fields_for_year(2020) if k.startswith("corona.")}
    assert form.deadline(2021) == dt.date(2022, 1, 15)
    assert "15 januari 2022" in form.render(form.send_to, 2021)


def test_deadline_2020():
    assert load_form(2020).deadline(2020) == dt.date(2021, 1, 15)


def test_identity_choices_and_the_ticked_value_are_data():
    form = load_form(2020)
    assert (form.identity.year_key, form.identity.kommun_key) == ("ar", "kontakt.kommun")
    assert form.flag_value == "ja"
    ko = form.fields["tillgang.ko"]
    assert ko.is_choice and ko.choice_set == "jdn" and ko.catalogue_type == "jdn"
    assert [c.short for c in ko.choices] == ["Ja", "Delvis", "Nej"] and ko.short_label("delvis") == "Delvis"
    assert ko.choices[1].label.startswith("Delvis (t.ex.")
    assert form.text("form_name", 2020).startswith("Redovisning")


def test_no_form_before_2020():
    with pytest.raises(SpecError) as caught:
        load_form(2019)
    assert caught.value.code == "no-form-for-year"


# ------------------------------------------------------------------ refusals of a bad form folder


def bad_folder(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of forms/2020 with one text replacement in one file (the text must occur exactly once)."""
    folder = tmp_path / "2020"
    shutil.copytree(FORMS_ROOT / "2020", folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return folder


def test_unchanged_copy_loads(tmp_path):
    folder = tmp_path / "2020"
    shutil.copytree(FORMS_ROOT / "2020", folder)
    assert load_form_dir(folder).fields.keys() == load_form(2020).fields.keys()


@pytest.mark.parametrize(
    ("file", "old", "new", "named"),
    [
        pytest.param("form.yaml", "{key: kontakt.postort, type: text,", "{key: kontakt.postort, type: txt,",
                     ["kontakt.postort", "okänd typ 'txt'"], id="unknown-field-type"),
        pytest.param("form.yaml", "{key: kontakt.namnd,", "{key: kontakt.avdelning,",
                     ["nyckeln 'kontakt.avdelning' förekommer två gånger"], id="duplicate-key"),
        pytest.param("rules.yaml", "    - kontaktorsaker.bostad\n", "    - kontaktorsaker.bostader\n",
                     ["rules.yaml", "reasons_within_new.reasons[1]", "kontaktorsaker.bostader"],
                     id="rule-names-missing-field"),
        pytest.param("form.yaml", "- kind: flag_list", "- kind: flags",
                     ["okänd blocktyp 'flags'", "corona"], id="unknown-block-kind"),
        pytest.param("form.yaml", "  year: ar\n", "  year: arr\n", ["identity.year 'arr'"], id="identity-not-a-field"),
        pytest.param("form.yaml", "{key: kontakt.postort, type: text,", "{key: kontakt.postort, type: choice,",
                     ["kontakt.postort", "'choice'", "'choices'"], id="choice-without-its-set"),
        pytest.param("form.yaml", "{key: kontakt.postort, type: text,", "{key: kontakt.postort, type: jn,",
                     ["kontakt.postort", "okänd typ 'jn'"], id="a-set-name-is-not-a-type"),
        pytest.param("form.yaml", "orsaken till att klienter tar kontakt med personligt ombud under {{ ar }}?",
                     "orsaken till att klienter tar kontakt med personligt ombud under {{ year }}?",
                     ["tendenser.orsaker", "year", "undefined"], id="undefined-template-variable"),
    ],
)
def test_bad_form_folder_is_refused_with_a_clear_message(tmp_path, file, old, new, named):
    folder = bad_folder(tmp_path, file, old, new)
    with pytest.raises(SpecError) as caught:
        load_form_dir(folder)
    message = str(caught.value)
    for part in named:
        assert re.search(re.escape(part), message), f"{part!r} not in {message!r}"
