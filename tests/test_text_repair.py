"""Text repair where raw text becomes values (extractors.text_repair, used by extractors.assemble for every reader):
line-end hyphens joined, the print's wraps undone, Ghostscript's broken ligature map undone, any other character
outside Latin script, digits, punctuation and symbols flagged and kept. Then the same on whole prints: a ToUnicode
map written the way Ghostscript breaks it, and a real Ghostscript re-distill of a LibreOffice print."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from extractors.assemble import Reading, assemble
from extractors.labels import tokens
from extractors.pdf_text import read_pdf_text
from extractors.text_repair import WRAP, repair_text, shifted_letter, undo_glyph_damage, unexpected_characters
from formgen.record import Record
from tests.helpers import record_diffs
from tests.layout_factory import Style, render_pdf
from tests.test_pdf_layout_variants import _other

LIGATURE_TEXT = "Det finns flera officiella flöden och effektiva e-tjänster för fler kommuner."


# ------------------------------------------------------------------------------------------ the pure repairs


@pytest.mark.parametrize(("raw", "text"), [
    (f"Vi har e-{WRAP}tjänster", "Vi har e-tjänster"),
    (f"via A-{WRAP}kassan", "via A-kassan"),
    (f"covid-{WRAP}19-{WRAP}rutiner", "covid-19-rutiner"),
    (f"Vård-{WRAP}och omsorg", "Vård- och omsorg"),  # a suspended compound keeps its space
    (f"Social- {WRAP}eller fritid", "Social- eller fritid"),
    (f"sol\u00ad{WRAP}sken", "solsken"),  # a soft hyphen is the word processor's: no hyphen
    (f"två{WRAP}rader", "två rader"),
    (f"ett -{WRAP}två", "ett - två"),  # a dash between words is no hyphenated word
    ("Första stycket\nandra", "Första stycket\nandra"),  # the writer's line breaks stay
])
def test_line_end_hyphens_and_wraps(raw: str, text: str) -> None:
    assert repair_text(raw).text == text


def test_a_hyphen_join_is_named_in_the_notes() -> None:
    fixed = repair_text(f"e-{WRAP}tjänster och Vård-{WRAP}och omsorg")
    assert fixed.notes == ("rättat: ord avstavat vid radslut hopfogat utan mellanslag (e-tjänster)",)


def test_ghostscript_ligature_shift_is_undone() -> None:
    assert [shifted_letter(ch) for ch in "昀椀氀" + "a中"] == ["f", "i", "l", None, None]
    fixed = repair_text("Det 昀椀nns 昀氀era o昀昀iciella")
    assert fixed.text == "Det finns flera officiella"
    assert fixed.notes and "ligaturer" in fixed.notes[0] and fixed.unexpected == ()
    assert undo_glyph_damage("\ufb01nns \ufb02era \ufb00 \ufb03") == "finns flera ff ffi"


def test_labels_match_through_broken_ligatures() -> None:
    assert tokens("Verksamheten 昀椀nns") == tokens("Verksamheten finns")


@pytest.mark.parametrize("text", ["Åsa Öberg-Lindström", "Ŋ đ ŧ Ł ş ø ß", "≥ 3 → 4 – ½ x² § € ☒ ✓ “citat” …",
                                  "tab\tny rad\n", "Rad ett <b>fet</b> & \"citat\""])
def test_latin_digits_punctuation_and_symbols_are_expected(text: str) -> None:
    assert unexpected_characters(text) == ()


@pytest.mark.parametrize(("text", "flagged"), [
    ("Det 中文 finns", ("中", "文")), ("Glyf \ufffd utan Unicode", ("\ufffd",)), ("Privat \ue123", ("\ue123",)),
    ("Кириллица a", tuple(dict.fromkeys("Кириллица"))), ("ctrl\x07x", ("\x07",)), ("α-test", ("α",)),
])
def test_other_characters_are_flagged(text: str, flagged: tuple[str, ...]) -> None:
    assert unexpected_characters(text) == flagged


# ------------------------------------------------------------------------------------------ in assemble


def _assembled(readings: dict[str, Reading]) -> tuple[Record, dict, list]:
    form = _other().form
    return assemble(form, 2020, readings)


def test_assemble_repairs_and_records_it_in_the_provenance() -> None:
    record, provenance, problems = _assembled({
        "ovrigt.synpunkter": Reading(raw=f"Vi 昀椀nner e-{WRAP}tjänster bra", page=2, bbox=(1, 2, 3, 4)),
        "ombud.antal.kvinnor": Reading(raw=f"12{WRAP}034"),
    })
    assert record["ovrigt.synpunkter"] == "Vi finner e-tjänster bra"
    assert record["ombud.antal.kvinnor"] == 12034
    prov = provenance["ovrigt.synpunkter"]
    assert prov.raw == "Vi 昀椀nner e-\ntjänster bra"  # as printed, each printed line on its own
    assert "ligaturer" in (prov.note or "") and "e-tjänster" in (prov.note or "")
    assert problems == []


def test_unexpected_characters_are_kept_and_named() -> None:
    record, _, problems = _assembled({"ovrigt.synpunkter": Reading(raw="Bra \ufffd och 中")})
    assert record["ovrigt.synpunkter"] == "Bra \ufffd och 中"
    assert [(p.code, p.fields) for p in problems] == [("unexpected-characters", ("ovrigt.synpunkter",))]
    assert "U+FFFD" in problems[0].message and "中" in problems[0].message
    # the value is kept, so the finding is a warning for the handläggare to look at, not an error
    from formgen.pipeline import problem_findings

    assert [(f.code, f.severity) for f in problem_findings(problems)] == [("unexpected-characters", "warning")]


def test_text_typed_into_a_field_is_checked_but_not_repaired() -> None:
    record, provenance, problems = _assembled({"ovrigt.synpunkter": Reading(raw="昀椀 as typed", exact=True)})
    assert record["ovrigt.synpunkter"] == "昀椀 as typed"
    assert [p.code for p in problems] == ["unexpected-characters"]


# ------------------------------------------------------------------------------------------ whole prints


def _ligature_record() -> Record:
    return _other().replace({"ovrigt.synpunkter": LIGATURE_TEXT,
                             "ekonomi.farre_varfor": "Ett ombud fick flytta; det fanns inga fler medel."})


def _qpdf(*args: str) -> None:
    subprocess.run(["qpdf", *args], check=True, capture_output=True)


def _break_tounicode_like_ghostscript(src: Path, dst: Path) -> int:
    """Rewrite each ToUnicode entry of a ligature glyph (U+FB00–U+FB04) the way Ghostscript's pdfwrite writes
    it: each letter shifted into the high byte ("fi" → <6600 6900>). Returns how many entries were rewritten."""
    qdf = dst.with_suffix(".qdf.pdf")
    _qpdf("--qdf", "--object-streams=disable", str(src), str(qdf))
    letters = {"FB00": "ff", "FB01": "fi", "FB02": "fl", "FB03": "ffi", "FB04": "ffl"}
    data, count = re.subn(rb"<(FB0[0-4])>", lambda m: b"<" + "".join(
        f"{ord(ch):02X}00" for ch in letters[m.group(1).decode()]).encode() + b">", qdf.read_bytes())
    qdf.write_bytes(data)
    fixed = subprocess.run(["fix-qdf"], input=qdf.read_bytes(), capture_output=True, check=True).stdout
    dst.write_bytes(fixed)
    return count


@pytest.mark.skipif(shutil.which("fix-qdf") is None, reason="qpdf (fix-qdf) is not installed")
def test_print_with_ghostscripts_broken_ligature_map_reads_exactly(tmp_path: Path) -> None:
    record = _ligature_record()
    style = Style("dejavu-ligatures", font="DejaVuSans", ligatures=True, hyphen_breaks=True)
    broken = tmp_path / "broken.pdf"
    assert _break_tounicode_like_ghostscript(render_pdf(record, style, tmp_path / "print.pdf"), broken) >= 3
    extraction = read_pdf_text(broken)
    assert record_diffs(record.to_json(), extraction.record.to_json()) == []
    assert extraction.problems == ()
    prov = extraction.provenance["ovrigt.synpunkter"]
    assert "昀椀" in prov.raw and "ligaturer" in (prov.note or "")


def _docx_in_font(record: Record, font: str) -> bytes:
    """Our generator's DOCX of a record with its text font changed (Word's Normal style), as a kommun's copy."""
    from formgen.generate.docx import render_docx

    source = zipfile.ZipFile(io.BytesIO(render_docx(record)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/styles.xml":
                data = re.sub(rb'w:ascii="[^"]*" w:hAnsi="[^"]*"', f'w:ascii="{font}" w:hAnsi="{font}"'.encode(), data)
            target.writestr(item, data)
    return out.getvalue()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice makes the print with real ligatures")
def test_real_ghostscript_redistill_of_a_print_with_ligatures_reads_exactly(tmp_path: Path) -> None:
    """A print with real fi/fl ligature glyphs (LibreOffice, DejaVu Serif), re-distilled by Ghostscript
    (gs -sDEVICE=pdfwrite): its text layer has "昀椀"; every value reads exactly, the repair is recorded."""
    assert shutil.which("gs"), "Ghostscript (gs) is needed: apt-get install ghostscript"
    record = _ligature_record()
    docx = tmp_path / "print.docx"
    docx.write_bytes(_docx_in_font(record, "DejaVu Serif"))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(docx)], check=True, capture_output=True, timeout=300)
    redistilled = tmp_path / "gs.pdf"
    subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite",
                    f"-sOutputFile={redistilled}", str(tmp_path / "print.pdf")], check=True, timeout=300)
    extraction = read_pdf_text(redistilled)
    assert record_diffs(record.to_json(), extraction.record.to_json()) == []
    assert extraction.problems == ()
    prov = extraction.provenance["ovrigt.synpunkter"]
    assert "昀椀" in prov.raw and "ligaturer" in (prov.note or "")
