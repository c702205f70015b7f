"""formgen.generate: the fillable and the flattened PDF from one layout."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from pypdf import PdfReader

from formgen.generate import blank_record, render_pdf
from formgen.generate import typeset as ts
from formgen.generate.blocks import BlockWriter
from formgen.generate.docx import DocxWriter
from formgen.generate.layout import LEFT, RIGHT, Text, layout, slot_lines
from formgen.record import Record, record_from_json
from formgen.spec import BLOCK_KINDS
from tests.helpers import sample_record_json


@pytest.fixture(scope="module")
def sample() -> Record:
    return record_from_json(sample_record_json())


@pytest.fixture(scope="module")
def fillable(sample: Record) -> bytes:
    return render_pdf(sample, flatten=False)


@pytest.fixture(scope="module")
def flattened(sample: Record) -> bytes:
    return render_pdf(sample, flatten=True)


def _text(data: bytes, tmp_path: Path, *, layout_mode: bool = True) -> str:
    path = tmp_path / "f.pdf"
    path.write_bytes(data)
    args = ["pdftotext", *(["-layout"] if layout_mode else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def test_every_block_kind_has_a_writer() -> None:
    for owner in (BlockWriter, DocxWriter):
        assert [k for k in BLOCK_KINDS if not callable(getattr(owner, f"block_{k}", None))] == []


def test_field_names_are_the_record_keys_in_a_real_hierarchy(sample: Record, fillable: bytes) -> None:
    reader = PdfReader(io.BytesIO(fillable))
    names = set(reader.get_fields())
    keys = {k for k, spec in sample.form.fields_for_year(2020).items() if spec.derived_from is None}
    assert keys <= names
    assert names - keys <= {k.rsplit(".", n)[0] for k in keys for n in range(1, 5)}  # only parent nodes
    for page in reader.pages:
        for ref in page["/Annots"]:
            widget = ref.get_object()
            node = widget
            while node is not None:
                assert "." not in str(node.get("/T", "")), "a partial name must not contain a period"
                node = node.get("/Parent").get_object() if "/Parent" in node else None


def test_every_widget_has_its_appearances(fillable: bytes) -> None:
    reader = PdfReader(io.BytesIO(fillable))
    assert "/NeedAppearances" not in reader.trailer["/Root"]["/AcroForm"]
    for page in reader.pages:
        for ref in page["/Annots"]:
            widget = ref.get_object()
            normal = widget["/AP"]["/N"].get_object()
            if "/AS" not in widget:
                assert normal.get("/Subtype") == "/Form"  # a text field's stream
                continue
            states = set(normal)
            assert "/Off" in states and len(states) == 2
            field = widget if "/FT" in widget else widget["/Parent"].get_object()
            value = field.get("/V")
            assert widget["/AS"] == (value if value in states else "/Off")


def test_values_and_choices_as_exported(sample: Record, fillable: bytes) -> None:
    fields = PdfReader(io.BytesIO(fillable)).get_fields()
    assert fields["kontakt.kommun"]["/V"] == sample.get("kontakt.kommun")
    assert fields["ekonomi.beviljat_kr"]["/V"] == "402 638 kr"
    assert fields["ombud.tjanster"]["/V"] == "1,00"
    assert fields["klienter.totalt.kvinnor"]["/V"] == "35"
    assert fields["tillgang.ko"]["/V"] == "/nej"
    assert set(fields["tillgang.ko"]["/_States_"]) == {"/ja", "/delvis", "/nej", "/Off"}
    assert fields["corona.effekter.okad_efterfragan"]["/V"] == "/Yes"
    assert fields["corona.effekter.minskad_efterfragan"]["/V"] == "/Off"
    assert "/V" not in fields["ombud.antal.man"]  # unanswered: no value at all
    assert fields["samhallsservice.brister"]["/Ff"] & 4096  # prose is multi-line


@pytest.mark.skipif(shutil.which("qpdf") is None or shutil.which("pdftotext") is None, reason="needs qpdf")
def test_a_viewer_shows_the_values(tmp_path: Path, fillable: bytes) -> None:
    src, out = tmp_path / "in.pdf", tmp_path / "out.pdf"
    src.write_bytes(fillable)
    subprocess.run(["qpdf", "--flatten-annotations=all", str(src), str(out)], check=True)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Spånga" in text and "402 638" in text and "Enheten för Innovation" in text


def test_pdfium_draws_the_field_appearances(fillable: bytes) -> None:
    pdf = pdfium.PdfDocument(fillable)
    pdf.init_forms()
    page = pdf[0]
    assert pdfium_c.FPDFPage_Flatten(page, pdfium_c.FLAT_PRINT) == pdfium_c.FLATTEN_SUCCESS
    page.close()
    text = pdf[0].get_textpage().get_text_range()
    assert "Spånga-Tensta" in text and "mikael.illberg@stockholm.se" in text


def test_flattened_pdf_has_no_fields_at_all(flattened: bytes) -> None:
    reader = PdfReader(io.BytesIO(flattened))
    assert not reader.get_fields()
    assert "/AcroForm" not in reader.trailer["/Root"]
    assert all("/Annots" not in page for page in reader.pages)


@needs_poppler
def test_flattened_page_follows_the_printed_conventions(tmp_path: Path, flattened: bytes) -> None:
    text = _text(flattened, tmp_path)
    lines = [line.strip() for line in text.splitlines()]
    text = "\n".join(lines)
    assert "Statsbidrag avseende år 2020" in lines
    assert "Ange antal tjänster med 2 decimaler1: 1,00" in lines  # superscript mark, then the value inline
    assert re.search(r"^Kvinnor\s+Män$", text, re.M)
    assert re.search(r"^Totalt antal klienter\s+35\s+56$", text, re.M)
    assert re.search(r"^Ange antalet personliga ombud\s+1$", text, re.M)  # nothing printed for Antal män
    assert re.search(r"^Ja\s+Delvis \(t\.ex\. om det är kö i 3 av 12 kommuner\)\s+Nej$", text, re.M)
    assert re.search(r"^Brukarorganisationer\s+X\s+RSMH, Schizofreniförbundet$", text, re.M)
    assert "X Ja" in lines and "Nej" in lines  # a choice list: box, mark, option
    assert "402 638 kr" in lines and "1,0" in lines
    i = lines.index("Om ja, rangordna prioriteringsordningen i er kommun")
    assert lines[i + 1] == "Alla klienter som har underåriga barn"
    assert "Sida 1 av 6" in lines


def test_marks_and_counts_sit_under_their_column_headers(sample: Record) -> None:
    labels = {c.value: c.label for choices in sample.form.choice_sets.values() for c in choices}
    labels.update({c.value: c.label for c in sample.form.genders})
    checked = 0
    for page in layout(sample, flatten=True):
        headers = [t for t in page.items if isinstance(t, Text) and t.align == "center"]
        for slot in page.slots:
            x0, top, x1, bottom = slot.box
            assert LEFT - 1 <= x0 < x1 <= RIGHT + 1 and top < bottom
            column = slot.export if slot.kind == "radio" else slot.key.rsplit(".", 1)[-1]
            if slot.align != "center" or slot.size != 9.0 or column not in labels:
                continue
            above = [t for t in headers if t.y < top and labels[column].casefold() in t.text.casefold()]
            header = max(above, key=lambda t: t.y)
            assert abs((x0 + x1) / 2 - header.x) < 0.01
            for dx, baseline, _ in slot_lines(slot):
                assert abs(x0 + dx + ts.width(slot.lines[0]) / 2 - header.x) < 0.01  # centred under it
                row_labels = [t for t in page.items if isinstance(t, Text) and t.x < x0 and t.align == "left"
                              and top <= t.y <= bottom]
                assert abs(top + baseline - min(t.y for t in row_labels)) < 0.01  # on the row's first line
            checked += 1
    assert checked > 80


@needs_poppler
def test_blank_2021_form_has_the_years_wording_and_no_corona(tmp_path: Path) -> None:
    blank = blank_record(2021)
    text = _text(render_pdf(blank, flatten=False), tmp_path, layout_mode=False)
    assert "Sänds till stockholm@lansstyrelsen.se senast den 15 januari 2022." in text
    assert "under 2021" in text and "under 2020" not in text
    assert "Coronapandemin" not in text and "8. Övrigt" in text and "9. Underskrift" in text
    fields = PdfReader(io.BytesIO(render_pdf(blank, flatten=False))).get_fields()
    assert fields["ar"]["/V"] == "2021" and fields["ar"]["/Ff"] & 1  # the year is read-only
    assert not any(name.startswith("corona") for name in fields)
    flat = _text(render_pdf(blank, flatten=True), tmp_path)
    assert not re.search(r"\b0\b|–", flat.replace("2021", "").replace("2022", "")), "blank prints nothing"


def test_a_long_answer_continues_on_the_next_page_when_printed(sample: Record) -> None:
    long = "\n".join(f"Rad {i}: insatser och samverkan med brukare" for i in range(90))
    record = sample.replace({"samhallsservice.brister": long})
    printed = [s for p in layout(record, flatten=True) for s in p.slots if s.key == "samhallsservice.brister"]
    assert len(printed) >= 2 and sum(len(s.lines) for s in printed) == 90
    fillable = [s for p in layout(record, flatten=False) for s in p.slots if s.key == "samhallsservice.brister"]
    assert len(fillable) == 1 and fillable[0].value == long  # one field; its value is whole


def test_characters_outside_winansi_do_not_break_the_pdf(sample: Record) -> None:
    record = sample.replace({"ovrigt.synpunkter": "Łódź – “citat” ✓ 😀 € tab\there"})
    data = render_pdf(record, flatten=False)
    assert PdfReader(io.BytesIO(data)).get_fields()["ovrigt.synpunkter"]["/V"] == record.get("ovrigt.synpunkter")
    assert render_pdf(record, flatten=True).startswith(b"%PDF")
