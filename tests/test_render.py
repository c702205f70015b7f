"""Writers: fillable PDF, flattened PDF and DOCX from forms/, and the round trip back through the readers."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from lxml import etree
from pypdf import PdfReader

from extractors.registry import extract
from formgen.generate import render_docx, render_pdf
from formgen.record import Record, blank_record, record_from_json
from tests.helpers import ROOT, record_diffs, sample_record_json
from tests.record_strategies import records

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"


@pytest.fixture(scope="module")
def sample() -> Record:
    return record_from_json(sample_record_json())


def _read_back(tmp_path: Path, data: bytes, suffix: str) -> dict:
    path = tmp_path / f"form{suffix}"
    path.write_bytes(data)
    extraction = extract(path, sandbox=False)
    assert extraction.problems == (), [p.to_json() for p in extraction.problems]
    return extraction.record.to_json()


def test_fillable_pdf_round_trip_is_exact(tmp_path: Path, sample: Record) -> None:
    got = _read_back(tmp_path, render_pdf(sample, flatten=False), ".pdf")
    assert got == sample.to_json()


def test_flattened_pdf_round_trip(tmp_path: Path, sample: Record) -> None:
    got = _read_back(tmp_path, render_pdf(sample, flatten=True), ".pdf")
    assert record_diffs(sample.to_json(), got) == []


def test_docx_round_trip_is_exact(tmp_path: Path, sample: Record) -> None:
    tricky = sample.replace({"samhallsservice.atgarder": 'Tab\there <b> & "citat"\nny rad\n\tindrag',
                             "kontakt.ovriga_kommuner": ["Solna", "Sundbyberg"]})
    assert _read_back(tmp_path, render_docx(tricky), ".docx") == tricky.to_json()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=records())
def test_generated_records_round_trip_through_every_format(tmp_path: Path, record: Record) -> None:
    want = record.to_json()
    assert _read_back(tmp_path, render_pdf(record, flatten=False), ".pdf") == want
    assert _read_back(tmp_path, render_docx(record), ".docx") == want
    assert record_diffs(want, _read_back(tmp_path, render_pdf(record, flatten=True), ".pdf")) == []


def test_a_2021_record_round_trips_without_the_corona_section(tmp_path: Path) -> None:
    record = blank_record(2021).replace({"kontakt.kommun": "Täby", "klienter.totalt.kvinnor": 12,
                                        "tillgang.ko": "delvis", "tillgang.vantetid": "Två veckor"})
    for data, suffix in ((render_pdf(record, flatten=False), ".pdf"), (render_pdf(record, flatten=True), ".pdf"),
                         (render_docx(record), ".docx")):
        assert record_diffs(record.to_json(), _read_back(tmp_path, data, suffix)) == []


def test_fields_are_named_by_key_with_appearances(sample: Record) -> None:
    reader = PdfReader(io.BytesIO(render_pdf(sample, flatten=False)))
    fields = reader.get_fields()
    keys = set(sample.form.fields_for_year(2020)) - {"underskrift.datum"}
    assert keys <= set(fields)
    widgets = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])]
    assert widgets
    for widget in widgets:
        assert "." not in str(widget.get("/T", "")), "partial names must not contain a period"
        normal = widget["/AP"]["/N"]
        if widget.get("/FT") == "/Btn" or "/AS" in widget:
            states = set(normal.get_object().keys())
            assert "/Off" in states and len(states) == 2
            # a check box is field and widget in one; a radio button's field is its parent group
            field = widget if "/T" in widget else widget["/Parent"].get_object()
            value = field.get("/V")
            assert widget["/AS"] == value or (widget["/AS"] == "/Off" and value != widget["/AS"])
    assert fields["utbildning.erbjuden"]["/V"] == "/ja"
    assert fields["kontakt.kommun"]["/V"] == sample.get("kontakt.kommun")


@pytest.mark.skipif(shutil.which("qpdf") is None or shutil.which("pdftotext") is None, reason="needs qpdf")
def test_values_are_visible_as_a_viewer_draws_them(tmp_path: Path, sample: Record) -> None:
    pdf = tmp_path / "fill.pdf"
    pdf.write_bytes(render_pdf(sample, flatten=False))
    flat = tmp_path / "flat.pdf"
    subprocess.run(["qpdf", "--flatten-annotations=all", str(pdf), str(flat)], check=True)
    text = subprocess.run(["pdftotext", str(flat), "-"], capture_output=True, text=True, check=True).stdout
    assert "Spånga-Tensta" in text and "402 638" in text and "Enheten för Innovation" in text
    plain = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Tillgång till samhällsservice" in plain and "Övrigt" in plain


def test_flattened_pdf_has_no_fields(sample: Record) -> None:
    reader = PdfReader(io.BytesIO(render_pdf(sample, flatten=True)))
    assert not reader.get_fields()
    assert all("/Annots" not in page for page in reader.pages)


def test_docx_has_tagged_controls_and_check_boxes(sample: Record) -> None:
    data = render_docx(sample)
    Document(io.BytesIO(data))  # python-docx opens it
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    tags = {t.get(f"{W}val") for t in root.iter(f"{W}tag")}
    assert "kontakt.kommun" in tags and "tillgang.ko=delvis" in tags and "corona.effekter.annan" in tags
    checked = [b for b in root.iter(f"{W14}checkbox") if b.find(f"{W14}checked").get(f"{W14}val") == "1"]
    assert len(checked) == 17  # every "ja"/"nej" answered and every ticked effect of the sample
    assert len(root.findall(f".//{W}tbl")) >= 8


def test_cli_generates_next_year_from_last_years_pdf(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "formgen.cli", "generate", "--year", "2021", "--prefill",
                          str(ROOT / "samples" / "spanga-tensta-2020.pdf"), "--format", "both", "-o", str(tmp_path)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "väntas fortsätta" in run.stdout and "23 kvinnor och 34 män" in run.stdout
    pdf = tmp_path / "spanga-tensta-stadsdelsforvaltning-stockholms-satd-2021.pdf"
    assert pdf.exists() and pdf.with_suffix(".docx").exists()
    record = extract(pdf, sandbox=False).record
    assert record.year == 2021 and record.get("kontakt.postnummer") == "163 04"
    assert record.get("klienter.totalt.kvinnor") is None and record.get("tillgang.ko") is None
    assert record.get("tillgang.prioritering_ordning") == "Alla klienter som har underåriga barn"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "15 januari 2022" in text and "Coronapandemin" not in text and "8. Övrigt" in text


def test_cli_fill_and_blank(tmp_path: Path) -> None:
    sample = str(ROOT / "samples" / "spanga-tensta-2020.json")
    run = subprocess.run([sys.executable, "-m", "formgen.cli", "fill", sample, "--format", "pdf", "--flatten",
                          "-o", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    (printed,) = tmp_path.glob("*.pdf")
    assert record_diffs(sample_record_json(), extract(printed, sandbox=False).record.to_json()) == []
    blank = subprocess.run([sys.executable, "-m", "formgen.cli", "generate", "--year", "2022", "--format", "docx",
                            "-o", str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert blank.returncode == 0 and (tmp_path / "blankett-2022.docx").exists()
    assert extract(tmp_path / "blankett-2022.docx", sandbox=False).record.to_json() == blank_record(2022).to_json()


def test_a_filled_form_with_unknown_field_names_is_read_like_its_printout(tmp_path: Path, sample: Record) -> None:
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(render_pdf(sample, flatten=False))))

    def rename(refs: object) -> None:
        for ref in refs:  # type: ignore[attr-defined]
            field = ref.get_object()
            if "/T" in field:
                field[NameObject("/T")] = TextStringObject(f"Text{abs(hash(str(field['/T']))) % 10**6}")
            if "/Kids" in field:
                rename(field["/Kids"])

    rename(writer._root_object["/AcroForm"]["/Fields"])
    path = tmp_path / "okanda-falt.pdf"
    writer.write(path)
    extraction = extract(path, sandbox=False)
    assert extraction.source.method == "text"
    assert record_diffs(sample.to_json(), extraction.record.to_json()) == []


def test_generate_prefills_from_the_store(tmp_path: Path) -> None:
    from formgen.inbox import run_inbox
    from formgen.store import open_store

    inbox = tmp_path / "inkorg"
    inbox.mkdir()
    shutil.copy(ROOT / "samples" / "spanga-tensta-2020.pdf", inbox)
    db = tmp_path / "lager.sqlite"
    store = open_store(db)
    try:
        run_inbox(inbox, store, jobs=1)
    finally:
        store.close()
    out = tmp_path / "ut"
    kommun = sample_record_json()["kontakt"]["kommun"]
    run = subprocess.run([sys.executable, "-m", "formgen.cli", "generate", "--year", "2021", "--prefill-from-store",
                          "--kommun", kommun, "--store", str(db), "--format", "docx", "-o", str(out)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    (docx_file,) = out.glob("*.docx")
    record = extract(docx_file, sandbox=False).record
    assert record.year == 2021 and record.get("kontakt.kommun") == kommun and record.get("ekonomi.beviljat_kr") is None
    missing = subprocess.run([sys.executable, "-m", "formgen.cli", "generate", "--year", "2021",
                              "--prefill-from-store", "--kommun", "Ingenstans", "--store", str(db), "-o", str(out)],
                             capture_output=True, text=True, cwd=ROOT)
    assert missing.returncode == 2 and "Ingenstans" in missing.stderr
