"""The DOCX extractor: the two sample documents, varied documents from tests/docx_factory, odd and hostile input."""

from __future__ import annotations

import io
import random
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from extractors.base import Extraction
from extractors.docx_model import W, build_model, legacy_checkbox_state
from extractors.docx_reader import load_document_xml, read_docx
from formgen.errors import InputError
from formgen.generate import blank_record, render_docx
from formgen.record import Record, nest, record_from_json
from tests.docx_factory import (
    Variant,
    blank_values,
    build_form_docx,
    build_prose_docx,
    content_control,
    sample_values,
    text_controls_as_fillin,
    without_control_tags,
)
from tests.helpers import SAMPLES, record_diffs, sample_record_json
from tests.record_strategies import records

SAMPLE_DOCX = SAMPLES / "spanga-tensta-2020.docx"
LEGACY_DOCX = SAMPLES / "spanga-tensta-2020-legacy.docx"


def differing_keys(want: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """Keys whose values differ (free text compared with white space runs collapsed, the rest exactly)."""
    return [key for key, _, _ in record_diffs(want, got)]


def read_built(tmp_path: Path, values: dict[str, Any], variant: Variant | None = None,
               name: str = "f.docx") -> Extraction:
    """Build a form document from values in a variant and read it."""
    return read_docx(build_form_docx(tmp_path / name, values, variant or Variant()))


# ---------------------------------------------------------------------------------------------- samples


@pytest.mark.parametrize(("path", "method"), [(SAMPLE_DOCX, "docx: labels"),
                                              (LEGACY_DOCX, "docx: legacy form fields")])
def test_sample_documents_extract_to_the_sample_record(path: Path, method: str) -> None:
    extraction = read_docx(path)
    assert differing_keys(sample_record_json(), extraction.record.to_json()) == []
    # the only text no answer took: the sample's note under the last answer that it was signed digitally
    assert all(p.code == "unread-value" and p.fields == ("underskrift.epost",) and "digitalt" in p.message
               for p in extraction.problems)
    source = extraction.source
    assert (source.kind, source.method, source.form, source.year) == ("docx", method, "pombud-redovisning", 2020)
    assert len(source.sha256) == 64


def test_sample_provenance_says_where_each_value_stood() -> None:
    prov = read_docx(SAMPLE_DOCX).provenance
    assert prov["kontakt.kommun"].note == "tabell 1, rad 1, kolumn 1"
    assert prov["utbildning.erbjuden"].note == "tabell 3, rad 2, kolumn Ja"
    assert prov["tillgang.ko"].note == "tabell 8, rad 2, kolumn Nej"
    assert prov["klienter.totalt.man"].note == "tabell 5, rad 2, kolumn Män"
    assert prov["ekonomi.beviljat_kr"].raw == "402 638 kr"
    assert prov["ovrigt.synpunkter"].note.startswith("stycke ")
    assert prov["samhallsservice.brister"].note.startswith("stycke ") and "–" in prov["samhallsservice.brister"].note
    assert all(p.page is None and p.bbox is None for p in prov.values())


def test_footnote_between_answer_and_next_heading_does_not_leak() -> None:
    record = read_docx(SAMPLE_DOCX).record
    assert record["tendenser.orsaker"] == sample_record_json()["tendenser"]["orsaker"]


# ---------------------------------------------------------------------------------------------- varied documents


VARIANTS = {
    "plain": Variant(),
    "runs split, odd fonts and sizes": Variant(split_runs=True, seed=3),
    "Nej before Ja, extra empty column": Variant(swap_choices=True, extra_column=True),
    "marks X": Variant(mark="X"),
    "marks ☒": Variant(mark="☒"),
    "marks ✓": Variant(mark="✓"),
    "legacy FORMCHECKBOX and FORMTEXT": Variant(marks_as="legacy", text_as="legacy"),
    "content-control check boxes": Variant(marks_as="sdt"),
    "NBSP thousands": Variant(nbsp=True),
    "contact values in the row below": Variant(values_below=True),
    "contact values beside their labels": Variant(values_beside=True),
    "grid headers in tables of their own": Variant(header_apart=True, label_span=True),
    "footnotes inside the answers": Variant(footnotes_after="tendenser.orsaker"),
    "signature as a two-column table": Variant(table_sections=("underskrift",)),
    "grid label cells merged over two columns": Variant(label_span=True),
    "everything at once": Variant(split_runs=True, swap_choices=True, extra_column=True, marks_as="legacy",
                                  nbsp=True, values_below=True, seed=11),
}


@pytest.mark.parametrize("variant", VARIANTS.values(), ids=VARIANTS.keys())
def test_varied_documents_read_to_the_same_record(tmp_path: Path, variant: Variant) -> None:
    extraction = read_built(tmp_path, sample_values(), variant)
    assert differing_keys(nest(sample_values()), extraction.record.to_json()) == []
    assert extraction.problems == ()


def test_methods_name_the_path_that_read_the_file(tmp_path: Path) -> None:
    assert read_built(tmp_path, sample_values(), Variant(tagged=True)).source.method == "docx: content controls"
    # untagged check box controls are read by the labels around them, not by tag
    assert read_built(tmp_path, sample_values(), Variant(marks_as="sdt"), "s.docx").source.method == "docx: labels"
    legacy = read_built(tmp_path, sample_values(), Variant(marks_as="legacy"), "l.docx")
    assert legacy.source.method == "docx: legacy form fields"


def test_provenance_names_the_column_when_the_header_row_is_a_table_of_its_own(tmp_path: Path) -> None:
    prov = read_built(tmp_path, sample_values(), Variant(header_apart=True)).provenance
    assert prov["klienter.totalt.man"].note == "tabell 9, rad 1, kolumn Män"  # its header: tabell 8
    assert prov["tillgang.ko"].note.endswith("rad 1, kolumn Nej")


def test_nbsp_amount_is_read_and_kept_raw(tmp_path: Path) -> None:
    extraction = read_built(tmp_path, sample_values(), Variant(nbsp=True))
    assert extraction.provenance["ekonomi.beviljat_kr"].raw == "402\u00a0638 kr"
    assert extraction.record["ekonomi.beviljat_kr"] == 402638


@pytest.mark.parametrize("variant", [Variant(), Variant(marks_as="legacy", text_as="legacy"), Variant(tagged=True)],
                         ids=["plain", "legacy", "tagged"])
def test_empty_form_reads_as_unanswered(tmp_path: Path, variant: Variant) -> None:
    extraction = read_built(tmp_path, blank_values(), variant)
    assert differing_keys(nest(blank_values()), extraction.record.to_json()) == []
    assert extraction.record["kontakt.ovriga_kommuner"] == []
    assert extraction.record["corona.effekter.annan"] is False
    assert extraction.problems == ()


def test_both_ja_and_nej_ticked_is_a_conflict_not_a_guess(tmp_path: Path) -> None:
    ticks = {"tillgang.ko": ("ja", "nej"), "corona.paverkat": ("ja", "nej")}
    extraction = read_built(tmp_path, sample_values(), Variant(ticks=ticks))
    assert differing_keys(nest(sample_values()), extraction.record.to_json()) == sorted(ticks)
    assert extraction.record["tillgang.ko"] is None and extraction.record["corona.paverkat"] is None
    assert sorted((p.code, p.fields) for p in extraction.problems) == [
        ("conflicting-marks", ("corona.paverkat",)), ("conflicting-marks", ("tillgang.ko",))]
    assert extraction.provenance["tillgang.ko"].note == "tabell 8, rad 2, kolumn Ja, Nej"


def test_unreadable_count_is_a_problem_on_its_key(tmp_path: Path) -> None:
    extraction = read_built(tmp_path, sample_values(), Variant(raw={"klienter.totalt.kvinnor": "12a"}))
    assert differing_keys(nest(sample_values()), extraction.record.to_json()) == ["klienter.totalt.kvinnor"]
    assert [(p.code, p.fields) for p in extraction.problems] == [("unreadable-value", ("klienter.totalt.kvinnor",))]
    assert extraction.provenance["klienter.totalt.kvinnor"].raw == "12a"


def test_words_in_a_choice_column_are_not_marks(tmp_path: Path) -> None:
    extraction = read_built(tmp_path, sample_values(), Variant(mark="Ja", ticks={"tillgang.ko": ("nej",)}))
    assert extraction.record["tillgang.ko"] is None
    problems = [(p.code, p.fields) for p in extraction.problems]
    assert ("unread-value", ("tillgang.ko",)) in problems
    # every question answered by typing "Ja" into a column is left unanswered and named, never guessed
    assert {code for code, _ in problems} == {"unread-value"}
    assert all(extraction.record[key] in (None, False) for _, keys in problems for key in keys)
    unread = next(p for p in extraction.problems if p.fields == ("tillgang.ko",))
    assert unread.page is None and unread.bbox is None  # a DOCX has no pages: the place is in the document
    assert '"Ja"' in unread.message and "tabell 8, rad 2, kolumn Nej" in unread.message


def test_whole_form_inside_a_one_cell_table(tmp_path: Path) -> None:
    path = build_form_docx(tmp_path / "f.docx", sample_values())
    document = docx.Document(str(path))
    body = document.element.body
    items = [child for child in body if child.tag != qn("w:sectPr")]
    frame = document.add_table(rows=1, cols=1)
    cell = frame.cell(0, 0)._tc
    for child in items:
        cell.append(child)
    cell.append(OxmlElement("w:p"))
    document.save(str(path))
    extraction = read_docx(path)
    assert differing_keys(nest(sample_values()), extraction.record.to_json()) == []
    assert extraction.problems == ()


def test_label_broken_over_two_paragraphs_of_a_cell(tmp_path: Path) -> None:
    path = build_form_docx(tmp_path / "f.docx", sample_values())
    document = docx.Document(str(path))
    label = document.tables[0].cell(1, 3).paragraphs[0]
    assert label.text == "Telefon (inkl. riktnummer)"
    label.text = "Telefon"
    tail = OxmlElement("w:p")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "(inkl. riktnummer)"
    run.append(text)
    tail.append(run)
    label._p.addnext(tail)
    document.save(str(path))
    extraction = read_docx(path)
    assert extraction.record["kontakt.telefon"] == "08 508 03 000"
    assert differing_keys(nest(sample_values()), extraction.record.to_json()) == []


# ---------------------------------------------------------------------------------------------- content controls


SPECIAL = 'Rad ett <b>fet</b> & "citat"\nRad två\tmed tabb\n<script>alert("x")</script> &amp;'


def test_tagged_content_controls_are_read_exactly(tmp_path: Path) -> None:
    values = sample_values() | {"samhallsservice.brister": SPECIAL, "kontakt.namnd": None, "tillgang.ko": "delvis",
                                "corona.effekter.annan": True, "corona.annan_vad": "Annat & <mer>"}
    extraction = read_built(tmp_path, values, Variant(tagged=True))
    assert extraction.source.method == "docx: content controls"
    assert extraction.problems == ()
    prov = extraction.provenance["samhallsservice.brister"]
    assert prov.raw == SPECIAL
    assert prov.note.startswith('innehållskontroll "samhallsservice.brister", stycke ')
    got = extraction.record
    assert got["samhallsservice.brister"] == SPECIAL  # typed into a control: tabs and line breaks kept exactly
    assert got["kontakt.namnd"] is None  # placeholder showing
    expected = values | {"samhallsservice.brister": SPECIAL}
    assert differing_keys(nest(expected), got.to_json()) == []
    assert [k for k, v in expected.items() if got[k] != v] == []


def test_tagged_content_controls_need_no_labels(tmp_path: Path) -> None:
    path = build_form_docx(tmp_path / "f.docx", sample_values(), Variant(tagged=True))
    document = docx.Document(str(path))
    body = document.element.body
    items = [child for child in body if child.tag != qn("w:sectPr")]
    random.Random(5).shuffle(items)
    for child in items:
        body.remove(child)
        body.insert(len(body) - 1, child)
    document.save(str(path))
    extraction = read_docx(path)
    assert differing_keys(nest(sample_values()), extraction.record.to_json()) == []
    assert extraction.problems == ()


def test_two_tagged_boxes_ticked_is_a_conflict(tmp_path: Path) -> None:
    extraction = read_built(tmp_path, sample_values(), Variant(tagged=True, ticks={"tillgang.ko": ("ja", "nej")}))
    assert extraction.record["tillgang.ko"] is None
    assert [(p.code, p.fields) for p in extraction.problems] == [("conflicting-marks", ("tillgang.ko",))]


def _body(inner: str) -> Any:
    return etree.fromstring(
        f'<w:document xmlns:w="{W[1:-1]}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml">'
        f"<w:body>{inner}</w:body></w:document>")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r")
               | st.sampled_from("\n\t<>&\"'"), min_size=1, max_size=60))
@settings(max_examples=60, deadline=None)
def test_tagged_text_comes_back_exactly(text: str) -> None:
    root = _body("")
    root[0].append(content_control("ovrigt.synpunkter", text=text, block=True))
    model = build_model(etree.fromstring(etree.tostring(root)))
    assert [(c.tag, c.text) for c in model.controls] == [("ovrigt.synpunkter", text)]


def test_check_box_state_comes_from_the_control_not_its_glyph() -> None:
    box = content_control("corona.effekter.annan", checked=False)
    box.find(f"{W}sdtContent").find(f"{W}r").find(f"{W}t").text = "☒"
    root = _body("")
    p = etree.SubElement(root[0], f"{W}p")
    p.append(box)
    model = build_model(root)
    assert model.paras[0].text == "☐"
    assert model.controls[0].checked is False


@pytest.mark.parametrize(("state", "ticked"), [
    ("<w:checked/>", True), ('<w:checked w:val="1"/>', True), ('<w:checked w:val="true"/>', True),
    ('<w:default w:val="1"/>', True), ('<w:default w:val="0"/>', False),
    ('<w:default w:val="1"/><w:checked w:val="0"/>', False), ("", False)])
def test_legacy_check_box_states(state: str, ticked: bool) -> None:
    ff = etree.fromstring(f'<w:ffData xmlns:w="{W[1:-1]}"><w:checkBox><w:sizeAuto/>{state}</w:checkBox></w:ffData>')
    assert legacy_checkbox_state(ff) is ticked


def test_legacy_text_field_showing_its_default_text_is_empty() -> None:
    run = '<w:r><w:fldChar w:fldCharType="{}"/></w:r>'
    root = _body(
        '<w:p><w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:textInput><w:default w:val="Skriv här"/>'
        '</w:textInput></w:ffData></w:fldChar></w:r><w:r><w:instrText> FORMTEXT </w:instrText></w:r>'
        + run.format("separate") + "<w:r><w:t>Skriv här</w:t></w:r>" + run.format("end") + "</w:p>")
    model = build_model(root)
    assert model.paras[0].text == "" and model.legacy_fields == 1


def test_symbol_ticks_tracked_changes_and_footnote_marks() -> None:
    root = _body(
        '<w:p><w:r><w:sym w:font="Wingdings" w:char="F0FE"/></w:r><w:r><w:t xml:space="preserve"> Ja</w:t></w:r></w:p>'
        '<w:p><w:r><w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr><w:t>¨</w:t></w:r>'
        '<w:r><w:t xml:space="preserve"> Nej</w:t></w:r></w:p>'
        '<w:p><w:del><w:r><w:delText>gammalt </w:delText></w:r></w:del><w:ins><w:r><w:t>nytt</w:t></w:r></w:ins>'
        '<w:r><w:t>svar</w:t></w:r><w:r><w:tab/><w:t>efter</w:t><w:br/><w:t>rad</w:t></w:r></w:p>'
        '<w:p><w:r><w:t>decimaler</w:t></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        '<w:t>1</w:t></w:r><w:r><w:t>: 1,00</w:t></w:r></w:p>')
    assert [p.text for p in build_model(root).paras] == ["☑ Ja", "☐ Nej", "nyttsvar\tefter\nrad", "decimaler: 1,00"]


# ---------------------------------------------------------------------------------------------- refusals


def test_prose_is_not_this_form(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        read_docx(build_prose_docx(tmp_path / "berattelse.docx"))
    assert err.value.code == "not-this-form"
    assert '"Kontakt med verksamheten"' in err.value.reason


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(("data", "code"), [
    (b"PK\x03\x04" + b"\x00" * 200, "damaged-docx"),
    (SAMPLE_DOCX.read_bytes()[:20000], "damaged-docx"),
    (_zip({"word/other.xml": b"<x/>"}), "not-a-docx"),
    (_zip({"word/document.xml": b"<w:document xmlns:w='x'><w:body>"}), "damaged-docx"),
], ids=["not a zip", "truncated", "no document part", "broken XML"])
def test_damaged_documents_are_refused_in_swedish(tmp_path: Path, data: bytes, code: str) -> None:
    path = tmp_path / "trasig.docx"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        read_docx(path)
    assert err.value.code == code
    assert "Word-filen" in err.value.one_line() and "\n" not in err.value.one_line()


def test_deeply_nested_tables_are_refused(tmp_path: Path) -> None:
    inner = "<w:p/>"
    for _ in range(200):
        inner = f"<w:tbl><w:tr><w:tc>{inner}</w:tc></w:tr></w:tbl>"
    xml = f'<w:document xmlns:w="{W[1:-1]}"><w:body>{inner}</w:body></w:document>'.encode()
    path = tmp_path / "djup.docx"
    path.write_bytes(_zip({"word/document.xml": xml}))
    with pytest.raises(InputError) as err:
        read_docx(path)
    assert err.value.code in ("damaged-docx", "not-this-form")


def test_entities_are_not_resolved(tmp_path: Path) -> None:
    xml = (b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">'
           b'<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
           b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           b"<w:p><w:r><w:t>&x;&b;</w:t></w:r></w:p></w:body></w:document>")
    path = tmp_path / "entity.docx"
    path.write_bytes(_zip({"word/document.xml": xml}))
    with pytest.raises(InputError) as err:
        read_docx(path)
    assert err.value.code == "not-this-form"
    assert "root:" not in err.value.reason and "aaaa" not in err.value.reason


# ---------------------------------------------------------------------------------------------- re-saved


@pytest.mark.parametrize("resave", [without_control_tags, text_controls_as_fillin], ids=["tags stripped", "FILLIN"])
def test_generated_form_resaved_without_tags_is_read_by_its_labels(tmp_path: Path, resave: Any) -> None:
    record = record_from_json(sample_record_json())
    path = tmp_path / "f.docx"
    path.write_bytes(resave(render_docx(record)))
    assert not any(c.tag for c in build_model(load_document_xml(path)).controls)
    extraction = read_docx(path)
    assert extraction.source.method == "docx: labels"
    assert differing_keys(record.to_json(), extraction.record.to_json()) == []
    assert extraction.problems == ()
    assert extraction.provenance["tillgang.ko"].note.startswith("tabell ")
    assert extraction.provenance["tillgang.ko"].note.endswith(", kolumn Nej")


def test_blank_generated_form_without_tags_reads_as_unanswered(tmp_path: Path) -> None:
    path = tmp_path / "f.docx"
    path.write_bytes(without_control_tags(render_docx(blank_record(2020))))
    extraction = read_docx(path)
    assert differing_keys(nest(blank_values()), extraction.record.to_json()) == []
    assert extraction.problems == ()


def test_some_tags_left_reads_the_rest_by_labels(tmp_path: Path) -> None:
    record = record_from_json(sample_record_json())
    data = render_docx(record)
    stripped = zipfile.ZipFile(io.BytesIO(without_control_tags(data))).read("word/document.xml")
    kept = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    for tag in list(kept.iter(f"{W}tag")):  # the contact cells keep their tags, the rest lost them
        if not (tag.get(f"{W}val") or "").startswith("kontakt."):
            tag.getparent().remove(tag)
    assert etree.tostring(kept) != stripped
    members = {n: zipfile.ZipFile(io.BytesIO(data)).read(n) for n in zipfile.ZipFile(io.BytesIO(data)).namelist()}
    members["word/document.xml"] = etree.tostring(kept, xml_declaration=True, encoding="UTF-8", standalone=True)
    path = tmp_path / "f.docx"
    path.write_bytes(_zip(members))
    extraction = read_docx(path)
    assert extraction.source.method == "docx: content controls + labels"
    assert differing_keys(record.to_json(), extraction.record.to_json()) == []
    assert extraction.provenance["kontakt.kommun"].note.startswith('innehållskontroll "kontakt.kommun"')
    assert extraction.provenance["klienter.totalt.man"].note.endswith("kolumn Män")


@settings(max_examples=5, deadline=None)
@given(record=records(2020))
def test_generated_records_without_tags_read_by_labels(record: Record) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.docx"
        path.write_bytes(without_control_tags(render_docx(record)))
        extraction = read_docx(path)
    assert extraction.source.method == "docx: labels"
    assert differing_keys(record.to_json(), extraction.record.to_json()) == []
