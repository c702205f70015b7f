"""Form versions as data: a new year's folder built in tmp_path (no code change) is detected, generated and read;
every submission is read by the version it was printed from and typed by the year it reports."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.base import Extraction, Source
from extractors.detect import detect_form
from extractors.registry import ReadOptions, extract
from extractors.version_convert import to_reported_year
from formgen.catalogue import catalogue
from formgen.errors import InputError, SpecError
from formgen.form_model import FormSpec
from formgen.generate import render_docx, render_pdf
from formgen.inbox import run_inbox
from formgen.pipeline import problem_findings
from formgen.problem_codes import READING_CODES
from formgen.record import Record, blank_record, record_from_json
from formgen.store import open_store
from formgen.validate import validate
from formgen.validate.messages import MESSAGES_FILE, reading_messages
from forms import FORMS_ROOT
from tests.helpers import SAMPLES, record_diffs, sample_record_json
from tests.record_strategies import records

NEW_FIELD = "ovrigt.samverkan_region"
OLD_YEAR_LABEL = "Statsbidrag avseende år"
NEW_YEAR_LABEL = "Redovisningen gäller bidragsåret"
OLD_MARKER = "Kontakt med verksamheten"
NEW_MARKER = "Klienternas kontaktorsaker"
REWORDED = {  # record key → (2020 label, 2021 label)
    "utbildning.erbjuden": ("Ombuden har erbjudits utbildning.", "Ombuden har fått utbildning under året."),
    "kontakt.kontaktperson": ("Kontaktperson", "Kontaktperson, namn"),
    "tillgang.prioritering_ordning": ("Om ja, rangordna prioriteringsordningen i er kommun",
                                      "Om ja, beskriv prioriteringsordningen i er kommun i rangordning"),
}


# ------------------------------------------------------------------ building versions as data


def _read_yaml(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _write_yaml(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


def _walk_fields(form: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every keyed entry (text/cells fields, choice rows) of a raw form.yaml by key."""
    found: dict[str, dict[str, Any]] = {}
    for section in form["sections"]:
        for block in section.get("blocks", []):
            entries = list(block.get("fields", [])) + list(block.get("rows", [])) + list(block.get("flags", []))
            entries = [e for entry in entries for e in (entry if isinstance(entry, list) else [entry])]
            found.update({e["key"]: e for e in entries if isinstance(e, dict) and "key" in e})
    return found


def _section(form: dict[str, Any], section_id: str) -> dict[str, Any]:
    return next(s for s in form["sections"] if s["id"] == section_id)


def build_2021(root: Path) -> Path:
    """forms/2020 and a forms/2021 made from it as a user would: labels, a detect marker and the year label
    (with its pattern) reworded, one new field, one section moved."""
    shutil.copytree(FORMS_ROOT / "2020", root / "2020")
    folder = root / "2021"
    shutil.copytree(FORMS_ROOT / "2020", folder)
    form = _read_yaml(folder / "form.yaml")
    form["version"] = form["valid_from"] = 2021
    fields = _walk_fields(form)
    for key, (old, new) in REWORDED.items():
        assert fields[key]["label"] == old
        fields[key]["label"] = new
    fields["ar"]["label"] = form["year_label"] = NEW_YEAR_LABEL
    form["detect"]["year_pattern"] = r"Redovisningen\s+gäller\s+bidragsåret\s*:?\s*(\d{4})"
    markers = form["detect"]["markers"]
    markers[markers.index(OLD_YEAR_LABEL)] = NEW_YEAR_LABEL
    markers[markers.index(OLD_MARKER)] = NEW_MARKER
    contact = _section(form, "kontaktorsaker")
    assert contact["title"] == f"3. {OLD_MARKER}"
    contact["title"] = f"3. {NEW_MARKER}"
    _section(form, "ovrigt")["blocks"][0]["fields"].append(
        {"key": NEW_FIELD, "type": "text", "label": "Beskriv samverkan med regionen under {{ ar }}."})
    moved = _section(form, "samhallsservice")
    form["sections"].remove(moved)
    form["sections"].insert(form["sections"].index(_section(form, "ekonomi")) + 1, moved)
    _write_yaml(folder / "form.yaml", form)
    return root


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_2021(tmp_path_factory.mktemp("forms"))


@pytest.fixture(scope="module")
def form_2021(root: Path) -> FormSpec:
    return catalogue(root).for_year(2021)


def _extract(path: Path, root: Path) -> Extraction:
    return extract(path, sandbox=False, options=ReadOptions(forms=root))


def _every_format(record: Record) -> dict[str, bytes]:
    return {"fillable.pdf": render_pdf(record, flatten=False), "print.pdf": render_pdf(record, flatten=True),
            "form.docx": render_docx(record)}


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ------------------------------------------------------------------ the catalogue and detection


def test_the_catalogue_holds_both_versions(root: Path, form_2021: FormSpec) -> None:
    cat = catalogue(root)
    assert cat.versions == (2020, 2021)
    assert form_2021.version == 2021 and cat.for_year(2020).version == 2020
    assert cat.last_year_of(cat.version(2020)) == 2020 and cat.last_year_of(form_2021) is None
    titles = [form_2021.section_title(s, 2021) for s in form_2021.active_sections(2021) if s.title]
    assert titles[titles.index("6. Ekonomi") + 1] == "7. Tillgång till samhällsservice"
    assert NEW_FIELD in form_2021.fields_for_year(2021)


def test_a_refusal_names_the_closest_versions_markers_found_and_missing(root: Path) -> None:
    text = "REDOVISNING Personliga ombud Klienter Något helt annat om verksamheten i kommunen"
    with pytest.raises(InputError) as caught:
        detect_form("x.pdf", text, root)
    reason = caught.value.reason
    assert caught.value.code == "not-this-form"
    assert "närmast blankettversion" in reason
    assert 'saknar "Statsbidrag till kommuner som bedriver verksamhet med personligt ombud"' in reason
    assert '"REDOVISNING"' in reason.split("hittade", 1)[1]


@pytest.mark.parametrize("name", ["spanga-tensta-2020.pdf", "spanga-tensta-2020-checkboxes.pdf",
                                  "spanga-tensta-2020-grid.pdf", "spanga-tensta-2020.docx",
                                  "spanga-tensta-2020-legacy.docx"])
def test_the_2020_samples_still_extract_exactly(root: Path, name: str) -> None:
    alone = extract(SAMPLES / name, sandbox=False)
    beside = _extract(SAMPLES / name, root)
    assert beside.record.form.version == 2020 and beside.record.year == 2020
    assert beside.record.to_json() == alone.record.to_json()
    assert [p.code for p in beside.problems] == [p.code for p in alone.problems]
    assert not {"old-form-version", "answer-without-field"} & {p.code for p in beside.problems}


# ------------------------------------------------------------------ a 2021 record through every format


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_2021_record_round_trips_through_every_format(tmp_path: Path, root: Path, form_2021: FormSpec,
                                                        data: st.DataObject) -> None:
    record = data.draw(records(2021, form_2021)).replace({NEW_FIELD: "Vi har regelbundna möten med regionen"})
    want = record.to_json()
    for name, blob in _every_format(record).items():
        got = _extract(_write(tmp_path, name, blob), root)
        assert got.record.form.version == 2021, name
        assert got.problems == (), (name, [p.to_json() for p in got.problems])
        assert record_diffs(want, got.record.to_json()) == [], name


# ------------------------------------------------------------------ last year's form filled in for 2021


def _old_form_for_2021(root: Path) -> Record:
    """The 2020 sample on the 2020 version, with 2021 written as the year (a kommun reusing last year's file)."""
    sample = record_from_json(sample_record_json(), catalogue(root).version(2020))
    return Record(sample.form, sample.year, {**sample.values, "ar": 2021})


@pytest.mark.parametrize("kind", ["print.pdf", "fillable.pdf", "form.docx"])
def test_the_2020_form_filled_in_for_2021_is_read_by_its_own_labels(tmp_path: Path, root: Path, kind: str) -> None:
    old = _old_form_for_2021(root)
    blob = _every_format(old)[kind]
    got = _extract(_write(tmp_path, kind, blob), root)
    record = got.record
    assert record.form.version == 2021 and record.year == 2021 and record.get("ar") == 2021
    by_code: dict[str, list] = {}
    for p in got.problems:
        by_code.setdefault(p.code, []).append(p)
    assert set(by_code) == {"old-form-version", "answer-without-field", "field-not-on-printed-form"}, \
        [p.to_json() for p in got.problems]
    [notice] = by_code["old-form-version"]
    assert "2020" in notice.message and "2021" in notice.message
    # every key both versions have carries over, reworded labels included (read by the 2020 labels)
    shared = {k: v for k, v in old.values.items() if k in record.values and k != "ar"}
    assert record_diffs({k: record.get(k) for k in shared}, shared) == []
    for key in REWORDED:
        assert record.get(key) == old.get(key) and old.get(key) is not None
    # the corona answers the 2021 form has no field for are reported, each with its value
    kept = " ".join(p.message for p in by_code["answer-without-field"])
    answered = {k: v for k, v in old.values.items() if k.startswith("corona.") and v not in (None, False)}
    assert answered and len(by_code["answer-without-field"]) == len(answered)
    for key in answered:
        assert key in kept
    assert "Ja" in kept and "ikryssad" in kept and "anpassa verksamheten" in kept
    assert not [k for k in record.values if k.startswith("corona.")]
    # the new field is null and named
    [lacking] = by_code["field-not-on-printed-form"]
    assert record.get(NEW_FIELD) is None and lacking.fields == (NEW_FIELD,)
    # as findings: warnings only
    assert {f.severity for f in problem_findings(got.problems)} == {"warning"}


@pytest.mark.parametrize("kind", ["print.pdf", "fillable.pdf", "form.docx"])
def test_with_one_version_last_years_form_is_read_for_its_year_and_its_corona_answers_kept(
        tmp_path: Path, kind: str) -> None:
    """Only forms/2020 (in force for 2021 without its corona section): the 2020 form reused for 2021 is read by
    its 2020 wording and sections, not by the 2021 wording."""
    sample = record_from_json(sample_record_json())
    old = Record(sample.form, 2020, {**sample.values, "ar": 2021})
    got = extract(_write(tmp_path, kind, _every_format(old)[kind]), sandbox=False)
    codes = [p.code for p in got.problems]
    assert got.record.year == 2021 and codes[0] == "old-form-version" and set(codes) == {
        "old-form-version", "answer-without-field"}, [p.to_json() for p in got.problems]
    assert "blanketten för 2020" in got.problems[0].message
    assert record_diffs({k: v for k, v in old.values.items() if k in got.record.values and k != "ar"},
                        {k: v for k, v in got.record.values.items() if k != "ar"}) == []


def test_the_inbox_reads_by_a_given_forms_root(tmp_path: Path, root: Path, form_2021: FormSpec) -> None:
    inbox = tmp_path / "in"
    inbox.mkdir()
    old = record_from_json(sample_record_json(), catalogue(root).version(2020))
    new_2021 = blank_record(2021, form_2021).replace({"kontakt.kommun": "Solna stad", NEW_FIELD: "Möten varje månad"})
    _write(inbox, "a-2021.pdf", render_pdf(new_2021, flatten=True))
    _write(inbox, "b-old.pdf", render_pdf(Record(old.form, 2020, {**old.values, "ar": 2021}), flatten=True))
    with open_store(tmp_path / "s.db") as store:
        result = run_inbox(inbox, store, jobs=1, forms=root)
    first, second = (r.payload or {} for r in result.results)
    assert first["record"]["ovrigt"]["samverkan_region"] == "Möten varje månad"
    assert "old-form-version" in [f["code"] for f in second["findings"]]
    assert second["record"]["ar"] == 2021 and "corona" not in second["record"]


def test_an_answer_the_new_choice_set_does_not_allow_is_kept_not_forced(tmp_path: Path) -> None:
    """2021 asks tillgang.ko as Ja/Nej only: last year's "Delvis" is reported with its value, the key left null."""
    root = build_2021(tmp_path)
    folder = root / "2021"
    form = _read_yaml(folder / "form.yaml")
    grid = next(b for b in _section(form, "tillgang")["blocks"] if b.get("choices") == "jdn")
    grid["choices"] = "jn"
    _write_yaml(folder / "form.yaml", form)
    sample = record_from_json(sample_record_json(), catalogue(root).version(2020))
    printed = sample.replace({"tillgang.ko": "delvis"})
    source = Source("x.pdf", "0" * 64, "pdf", "text", printed.form.form, 2020)
    got = to_reported_year(Extraction(printed, source), catalogue(root).for_year(2021), 2021)
    [misfit] = [p for p in got.problems if p.code == "answer-does-not-fit"]
    assert misfit.fields == ("tillgang.ko",) and "Delvis" in misfit.message and got.record.get("tillgang.ko") is None
    assert got.source.year == 2021 and got.record.get("ar") == 2021


def test_every_reading_code_has_its_message_and_a_missing_one_is_refused(tmp_path: Path) -> None:
    form = catalogue().for_year(2020)
    assert set(reading_messages(form, 2020).codes()) == set(READING_CODES)
    shutil.copytree(FORMS_ROOT / "2020", tmp_path / "2020")
    path = tmp_path / "2020" / MESSAGES_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  answer-does-not-fit: >-", "  answer-doesnt-fit: >-"), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        reading_messages(catalogue(tmp_path).for_year(2020), 2020)
    assert "answer-does-not-fit" in str(caught.value)


# ------------------------------------------------------------------ a third gender column


def build_third_gender(root: Path) -> Path:
    """A version whose client grids have a third column, "Annan könstillhörighet" (as reported until 2017)."""
    folder = root / "2020"
    shutil.copytree(FORMS_ROOT / "2020", folder)
    form = _read_yaml(folder / "form.yaml")
    form["genders"].append({"key": "annan", "label": "Annan könstillhörighet"})
    _write_yaml(folder / "form.yaml", form)
    return root


@settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_third_gender_column_generates_reads_back_and_validates(tmp_path_factory: pytest.TempPathFactory,
                                                                  data: st.DataObject) -> None:
    root = build_third_gender(tmp_path_factory.mktemp("forms3"))
    form = catalogue(root).for_year(2020)
    assert "klienter.totalt.annan" in form.fields and "klienter.totalt.alder_18_29.annan" in form.fields
    assert "ombud.antal.annan" not in form.fields   # that grid names its own columns
    record = data.draw(records(2020, form)).replace({
        "klienter.totalt.kvinnor": 10, "klienter.totalt.man": 10, "klienter.totalt.annan": 3,
        "klienter.nya.annan": 5})
    want = record.to_json()
    out = tmp_path_factory.mktemp("out")
    for name, blob in _every_format(record).items():
        got = _extract(_write(out, name, blob), root)
        assert got.problems == (), (name, [p.to_json() for p in got.problems])
        assert record_diffs(want, got.record.to_json()) == [], name
        findings = validate(got.record)
        exceeded = [f for f in findings if f.code == "part-exceeds-total" and "klienter.nya.annan" in f.fields]
        assert exceeded and "annan könstillhörighet" in exceeded[0].message, name
