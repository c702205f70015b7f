"""formgen.generate.docx: the form in Word, every answer a content control tagged by its key."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from formgen.generate import blank_record, render_docx
from formgen.record import Record, record_from_json
from tests.helpers import sample_record_json

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
TRICKY = 'Tab\there <b> & "citat"\nny rad\n\tindrag  två  mellanslag'


@pytest.fixture(scope="module")
def sample() -> Record:
    return record_from_json(sample_record_json())


def _body(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return etree.fromstring(package.read("word/document.xml"))


def _controls(root: etree._Element) -> dict[str, etree._Element]:
    return {sdt.find(f"{W}sdtPr/{W}tag").get(f"{W}val"): sdt for sdt in root.iter(f"{W}sdt")}


def _typed(sdt: etree._Element) -> str:
    """The text of a control as Word shows it: runs' text, w:tab as a tab, w:br as a line break."""
    out = []
    for node in sdt.find(f"{W}sdtContent").iter(f"{W}t", f"{W}tab", f"{W}br"):
        out.append(node.text or "" if node.tag == f"{W}t" else "\t" if node.tag == f"{W}tab" else "\n")
    return "".join(out)


def test_opens_in_python_docx_with_tables_and_header_rows(sample: Record) -> None:
    document = Document(io.BytesIO(render_docx(sample)))
    assert document.paragraphs[0].text == "REDOVISNING"
    headers = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert ["", "Antal kvinnor", "Antal män"] in headers
    assert ["", "Kvinnor", "Män"] in headers and ["Kontaktorsak", "Kvinnor", "Män"] in headers
    assert ["", "Ja", "Delvis (t.ex. om det är kö i 3 av 12 kommuner)", "Nej"] in headers
    assert ["", "Ja", "Nej", "Om ja, ange vilken/vilka:"] in headers
    for table in document.tables[1:]:
        assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None


def test_every_key_is_a_tagged_control(sample: Record) -> None:
    controls = _controls(_body(render_docx(sample)))
    form = sample.form
    for key, spec in form.fields_for_year(2020).items():
        if spec.derived_from:
            assert key not in controls
        elif spec.choices:
            assert {f"{key}={c.value}" for c in spec.choices} <= set(controls)
        else:
            assert key in controls, key
    assert controls["kontakt.kommun"].find(f"{W}sdtPr/{W}text") is not None
    assert controls["samhallsservice.brister"].find(f"{W}sdtPr/{W}text").get(f"{W}multiLine") == "1"
    assert _typed(controls["ekonomi.beviljat_kr"]) == "402 638 kr"
    assert _typed(controls["ombud.tjanster"]) == "1,00"
    assert _typed(controls["klienter.totalt.man"]) == "56"
    assert _typed(controls["ombud.antal.man"]).strip() == ""
    assert controls["ar"].find(f"{W}sdtPr/{W}lock").get(f"{W}val") == "sdtContentLocked"


def test_choices_and_flags_are_check_boxes(sample: Record) -> None:
    controls = _controls(_body(render_docx(sample)))

    def state(tag: str) -> tuple[str, str]:
        box = controls[tag].find(f"{W}sdtPr/{W14}checkbox")
        return box.find(f"{W14}checked").get(f"{W14}val"), _typed(controls[tag])

    assert state("tillgang.ko=nej") == ("1", "☒")
    assert state("tillgang.ko=delvis") == ("0", "☐")
    assert state("corona.paverkat=ja") == ("1", "☒")
    assert state("corona.effekter.okad_efterfragan") == ("1", "☒")
    assert state("corona.effekter.minskad_efterfragan") == ("0", "☐")
    checked = [b for b in _body(render_docx(sample)).iter(f"{W14}checkbox")
               if b.find(f"{W14}checked").get(f"{W14}val") == "1"]
    assert len(checked) == 17


def test_free_text_survives_as_typed(sample: Record) -> None:
    record = sample.replace({"samhallsservice.atgarder": TRICKY, "kontakt.ovriga_kommuner": ["Solna", "Åre"],
                             "ovrigt.synpunkter": "kontroll\x07tecken"})
    controls = _controls(_body(render_docx(record)))
    assert _typed(controls["samhallsservice.atgarder"]) == TRICKY
    assert _typed(controls["kontakt.ovriga_kommuner"]) == "Solna\nÅre"
    assert _typed(controls["ovrigt.synpunkter"]) == "kontrolltecken"  # XML cannot hold a BEL


def test_blank_2021_form(tmp_path: Path) -> None:
    data = render_docx(blank_record(2021))
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "senast den 15 januari 2022" in text and "Coronapandemin" not in text and "8. Övrigt" in text
    assert not any(tag.startswith("corona") for tag in _controls(_body(data)))


def test_output_is_deterministic(sample: Record) -> None:
    assert render_docx(sample) == render_docx(sample)


@pytest.mark.skipif(shutil.which("libreoffice") is None and shutil.which("soffice") is None,
                    reason="libreoffice is not installed")
def test_libreoffice_converts_it_to_pdf(tmp_path: Path, sample: Record) -> None:
    source = tmp_path / "form.docx"
    source.write_bytes(render_docx(sample))
    office = shutil.which("libreoffice") or shutil.which("soffice")
    subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=120)
    text = subprocess.run(["pdftotext", str(tmp_path / "form.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Spånga" in text and "402 638 kr" in text
