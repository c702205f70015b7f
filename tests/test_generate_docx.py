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
    """The text of a control as Word shows it: runs' text, w:tab as a tab, w:br or a new paragraph as a line
    break."""
    content = sdt.find(f"{W}sdtContent")
    paragraphs = content.findall(f"{W}p") or [content]
    lines = []
    for paragraph in paragraphs:
        out = []
        for node in paragraph.iter(f"{W}t", f"{W}tab", f"{W}br"):
            out.append(node.text or "" if node.tag == f"{W}t" else "\t" if node.tag == f"{W}tab" else "\n")
        lines.append("".join(out))
    return "\n".join(lines)


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
    brister = controls["samhallsservice.brister"]  # prose: a block-level control, one paragraph per line
    assert brister.find(f"{W}sdtPr/{W}text") is None and brister.getparent().tag == f"{W}body"
    assert [p.tag for p in brister.find(f"{W}sdtContent")] == [f"{W}p"] * len(sample.get("samhallsservice.brister")
                                                                              .split("\n"))
    assert not list(brister.iter(f"{W}br"))
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


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


def test_the_document_is_swedish(sample: Record) -> None:
    parts = _parts(render_docx(sample))
    styles = etree.fromstring(parts["word/styles.xml"])
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default.get(f"{W}val") == "sv-SE"
    langs = {el.get(f"{W}val") for part in ("word/styles.xml", "word/settings.xml", "word/document.xml")
             for el in etree.fromstring(parts[part]).iter(f"{W}lang", f"{W}themeFontLang")}
    assert langs == {"sv-SE"}
    assert b"<dc:language>sv-SE</dc:language>" in parts["docProps/core.xml"]
    assert len(parts) == len(set(parts))


def test_footer_has_the_forms_wording_around_page_fields(sample: Record) -> None:
    footer = etree.fromstring(_parts(render_docx(sample))["word/footer1.xml"])
    pieces = []
    for node in footer.iter(f"{W}t", f"{W}fldSimple"):
        if node.tag == f"{W}fldSimple":
            pieces.append(node.get(f"{W}instr").strip())
        elif node.getparent().getparent().tag != f"{W}fldSimple":
            pieces.append(node.text)
    assert pieces == ["Sida ", "PAGE", " av ", "NUMPAGES"]  # texts.page_footer: "Sida {{ page }} av {{ pages }}"


def _boxed(paragraph: etree._Element) -> bool:
    borders = paragraph.find(f"{W}pPr/{W}pBdr")
    return borders is not None and all(borders.find(f"{W}{e}") is not None for e in ("top", "left", "bottom", "right"))


def _in_bordered_cell(node: etree._Element) -> bool:
    while node is not None and node.tag != f"{W}tc":
        node = node.getparent()
    return node is not None and node.find(f"{W}tcPr/{W}tcBorders") is not None


def test_every_empty_answer_shows_a_box() -> None:
    blank = blank_record(2021)
    root = _body(render_docx(blank))
    seen = 0
    for tag, sdt in _controls(root).items():
        if "=" in tag or sdt.find(f"{W}sdtPr/{W14}checkbox") is not None:
            continue
        content = sdt.find(f"{W}sdtContent")
        paragraphs = content.findall(f"{W}p")
        if paragraphs:  # block level: bordered paragraphs, or the paragraphs of a bordered cell
            assert all(_boxed(p) for p in paragraphs) or _in_bordered_cell(sdt), tag
            assert _typed(sdt).strip() == ""
        else:  # run level: in a bordered paragraph or cell, or (after its label) a shaded run with spaces
            paragraph = sdt.getparent()
            shaded = content.find(f"{W}r/{W}rPr/{W}shd") is not None and _typed(sdt).strip() == ""
            assert _boxed(paragraph) or _in_bordered_cell(sdt) or shaded or tag == blank.form.identity.year_key, tag
        seen += 1
    assert seen > 60
    text_keys = [k for k, s in blank.form.fields_for_year(2021).items() if s.type == "text" and not s.derived_from]
    prose = [k for k in text_keys if len(_controls(root)[k].findall(f"{W}sdtContent/{W}p")) == 2]
    assert "samhallsservice.brister" in prose  # a blank prose answer has room for two lines


def test_headings_labels_and_header_rows_keep_with_next(sample: Record) -> None:
    root = _body(render_docx(sample))
    body = root.find(f"{W}body")
    for p in body.findall(f"{W}p"):
        bold = p.find(f"{W}r/{W}rPr/{W}b")
        if bold is not None and p.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None:  # a section title
            assert p.find(f"{W}pPr/{W}keepNext") is not None
    for tbl in body.iter(f"{W}tbl"):
        for tr in tbl.findall(f"{W}tr"):
            if tr.find(f"{W}trPr/{W}tblHeader") is not None:
                assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in tr.iter(f"{W}p"))
    children = list(body)
    for i, child in enumerate(children):  # a label right before its answer keeps with it
        if child.tag == f"{W}sdt" and i > 0 and children[i - 1].tag == f"{W}p":
            assert children[i - 1].find(f"{W}pPr/{W}keepNext") is not None


def test_a_long_address_shrinks_to_its_cell(sample: Record) -> None:
    url = "https://start.stockholm/forvaltningar/spanga-tensta-stadsdelsforvaltning"
    email = "forvaltningen.for.personligt.ombud@spanga-tensta.stockholm.se"
    controls = _controls(_body(render_docx(sample.replace({"kontakt.avdelning": url, "kontakt.epost": email}))))
    assert _typed(controls["kontakt.avdelning"]) == url
    size = int(controls["kontakt.avdelning"].find(f"{W}sdtContent/{W}r/{W}rPr/{W}sz").get(f"{W}val")) / 2
    assert 6 <= size < 9.5  # a quarter of the page's width: written smaller
    assert _typed(controls["kontakt.epost"]) == email
    tc = controls["kontakt.epost"].getparent().getparent()
    assert tc.find(f"{W}tcPr/{W}gridSpan").get(f"{W}val") == "4"  # alone in its row: the cell spans the row
    assert controls["kontakt.epost"].find(f"{W}sdtContent/{W}r/{W}rPr/{W}sz") is None  # so it keeps the body size


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
    office = shutil.which("soffice") or shutil.which("libreoffice")
    profile = (tmp_path / "lo-profile").as_uri()  # a private profile: other LibreOffice runs may be going on
    subprocess.run([office, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    text = subprocess.run(["pdftotext", str(tmp_path / "form.pdf"), "-"], capture_output=True, text=True).stdout
    assert "Spånga" in text and "402 638 kr" in text
