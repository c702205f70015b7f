"""extractors.pdf_form: a filled AcroForm read by field name gives back exactly the record it was made from."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from extractors.assemble import assemble
from extractors.pdf_form import acroform_year, read_acroform
from formgen.generate import blank_record, render_pdf
from formgen.record import Record, record_from_json
from formgen.values import is_blank
from tests.helpers import ROOT, sample_record_json
from tests.record_strategies import records

# Free text typed into a field: Swedish letters, markup characters, quotes, tabs, runs of spaces, line breaks.
TYPED = st.text(alphabet=st.sampled_from(list("abcåäöÅÄÖéxyz <>&\"'.,:;-()/\t\n0123456789")), min_size=1,
                max_size=80).filter(lambda s: not is_blank(s))


@pytest.fixture(scope="module")
def sample() -> Record:
    return record_from_json(sample_record_json())


def _read_back(tmp_path: Path, data: bytes) -> Record:
    path = tmp_path / "form.pdf"
    path.write_bytes(data)
    readings = read_acroform(path)
    assert readings is not None
    record, _provenance, problems = assemble(blank_record(acroform_year(path)).form, acroform_year(path), readings)
    assert problems == [], [p.to_json() for p in problems]
    return record


def test_sample_round_trips_exactly(tmp_path: Path, sample: Record) -> None:
    assert _read_back(tmp_path, render_pdf(sample, flatten=False)).to_json() == sample.to_json()


def test_readings_carry_page_and_box(tmp_path: Path, sample: Record) -> None:
    path = tmp_path / "form.pdf"
    path.write_bytes(render_pdf(sample, flatten=False))
    readings = read_acroform(path)
    assert readings is not None
    kommun = readings["kontakt.kommun"]
    assert kommun.page == 1 and kommun.exact and kommun.raw == sample.get("kontakt.kommun")
    x0, top, x1, bottom = kommun.bbox
    assert 0 < x0 < x1 < 595 and 0 < top < bottom < 842
    assert readings["tillgang.ko"].marks == ("nej",)
    assert readings["corona.effekter.okad_efterfragan"].marks == ("ja",)
    assert readings["corona.effekter.minskad_efterfragan"].marks == ()


def test_year_comes_from_the_field_ar(tmp_path: Path) -> None:
    path = tmp_path / "blank.pdf"
    path.write_bytes(render_pdf(blank_record(2021), flatten=False))
    assert acroform_year(path) == 2021
    readings = read_acroform(path)
    assert readings is not None and "corona.paverkat" not in readings
    assert _read_back(tmp_path, path.read_bytes()).to_json() == blank_record(2021).to_json()


def test_pdfs_without_our_fields_give_none(tmp_path: Path, sample: Record) -> None:
    flat = tmp_path / "flat.pdf"
    flat.write_bytes(render_pdf(sample, flatten=True))
    assert read_acroform(flat) is None
    assert read_acroform(ROOT / "samples" / "spanga-tensta-2020.pdf") is None


def test_on_states_are_looked_up_not_assumed(tmp_path: Path, sample: Record) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(render_pdf(sample, flatten=False))))
    renamed = 0
    for page in writer.pages:
        for ref in page["/Annots"]:
            widget = ref.get_object()
            normal = widget["/AP"]["/N"].get_object()
            if "/Yes" in normal:  # a check box: call its on-state "/På" as some tools would
                normal[NameObject("/På")] = normal.pop("/Yes")
                for key in ("/V", "/AS"):
                    if widget.get(key) == "/Yes":
                        widget[NameObject(key)] = NameObject("/På")
                renamed += 1
    assert renamed == 7
    out = tmp_path / "renamed.pdf"
    writer.write(out)
    readings = read_acroform(out)
    assert readings is not None
    assert readings["corona.effekter.okad_efterfragan"].marks == ("ja",)
    assert readings["corona.effekter.minskad_efterfragan"].marks == ()


def test_a_value_that_is_no_on_state_is_not_a_tick(tmp_path: Path, sample: Record) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(render_pdf(sample, flatten=False))))
    for page in writer.pages:
        for ref in page["/Annots"]:
            widget = ref.get_object()
            if widget.get("/T") == "okad_efterfragan":
                widget[NameObject("/V")] = NameObject("/Kanske")
    out = tmp_path / "odd.pdf"
    writer.write(out)
    readings = read_acroform(out)
    assert readings is not None and readings["corona.effekter.okad_efterfragan"].marks == ()


def test_radio_groups_with_numbered_states_are_mapped_through_opt(tmp_path: Path, sample: Record) -> None:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(render_pdf(sample, flatten=False))))
    acro = writer._root_object["/AcroForm"]
    tillgang = next(f.get_object() for f in acro["/Fields"] if f.get_object()["/T"] == "tillgang")
    ko = next(k.get_object() for k in tillgang["/Kids"] if k.get_object()["/T"] == "ko")
    ko[NameObject("/Opt")] = ArrayObject([TextStringObject(v) for v in ("ja", "delvis", "nej")])
    for i, kid in enumerate(ko["/Kids"]):
        normal: DictionaryObject = kid.get_object()["/AP"]["/N"].get_object()
        state = next(k for k in normal if k != "/Off")
        normal[NameObject(f"/{i}")] = normal.pop(state)
        if kid.get_object()["/AS"] != "/Off":
            kid.get_object()[NameObject("/AS")] = NameObject(f"/{i}")
            ko[NameObject("/V")] = NameObject(f"/{i}")
    out = tmp_path / "opt.pdf"
    writer.write(out)
    readings = read_acroform(out)
    assert readings is not None and readings["tillgang.ko"].marks == ("nej",)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=records(2020), typed=st.lists(TYPED, min_size=3, max_size=3))
def test_generated_records_round_trip_exactly(tmp_path: Path, record: Record, typed: list[str]) -> None:
    record = record.replace({"ovrigt.synpunkter": typed[0], "tillgang.vantetid": typed[1],
                             "ledningsgrupp.organisationer.annan.vilka": typed[2]})
    assert _read_back(tmp_path, render_pdf(record, flatten=False)).to_json() == record.to_json()


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=records(2021))
def test_generated_2021_records_round_trip_exactly(tmp_path: Path, record: Record) -> None:
    assert _read_back(tmp_path, render_pdf(record, flatten=False)).to_json() == record.to_json()
