"""formgen.generate.sendout: forms addressed to each kommun's own Länsstyrelse, and a län's send-out."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from formgen.cli.generate_cmd import generate
from formgen.errors import FormgenError
from formgen.generate.prefill import carried_by, next_year_record
from formgen.generate.sendout import SendOutResult, next_year_form, plan_send_out, send_out
from formgen.pipeline import read_record
from formgen.places import kommuner_in, lan_named
from formgen.record import Record, record_from_json
from formgen.store import NewSubmission, Store, open_store
from tests.helpers import sample_record_json

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice missing")


def _sample(**changes: Any) -> Record:
    return record_from_json(sample_record_json()).replace(changes)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _pdf_text_poppler(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _pdf_text_pdfium(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        return document[0].get_textpage().get_text_range()
    finally:
        document.close()


def _docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


# ------------------------------------------------------------------------------- the recipient follows the kommun

KOMMUNER = [
    ("Malmö stad", "Länsstyrelsen i Skåne län", "skane@lansstyrelsen.se"),
    ("Luleå kommun", "Länsstyrelsen i Norrbottens län", "norrbotten@lansstyrelsen.se"),
    ("Rinkeby-Kista stadsdelsförvaltning, Stockholms stad", "Länsstyrelsen i Stockholms län",
     "stockholm@lansstyrelsen.se"),
]


@needs_poppler
@pytest.mark.parametrize(("kommun", "lansstyrelse", "email"), KOMMUNER)
def test_each_kommun_gets_a_form_addressed_to_its_own_lansstyrelse(kommun: str, lansstyrelse: str, email: str,
                                                                   tmp_path: Path) -> None:
    made = next_year_form(2021, _sample(**{"kontakt.kommun": kommun}), formats="both")
    line = f"Sänds till {lansstyrelse} ({email}) senast den 15 januari 2022."
    others = {"skane@", "norrbotten@", "stockholm@"} - {email.split("@")[0] + "@"}
    for text in (_pdf_text_poppler(made.files["pdf"], tmp_path), _pdf_text_pdfium(made.files["pdf"]),
                 _docx_text(made.files["docx"])):
        assert line in _squash(text)
        assert not any(other in text for other in others)
    assert PdfReader(io.BytesIO(made.files["pdf"])).metadata["/Keywords"] == f"Mottagare: {lansstyrelse} ({email})"
    core = Document(io.BytesIO(made.files["docx"])).core_properties
    assert core.keywords == f"Mottagare: {lansstyrelse} ({email})" and core.subject == kommun


@needs_poppler
def test_the_flattened_print_is_addressed_too(tmp_path: Path) -> None:
    made = next_year_form(2021, _sample(**{"kontakt.kommun": "Luleå kommun"}), formats="pdf", flatten=True)
    assert "Länsstyrelsen i Norrbottens län (norrbotten@lansstyrelsen.se)" in \
        _squash(_pdf_text_poppler(made.files["pdf"], tmp_path))


def test_a_blank_form_takes_the_lan_or_says_your_lan() -> None:
    norrbotten = next_year_form(2021, lan=lan_named("Norrbottens län"), formats="docx")
    assert "Sänds till Länsstyrelsen i Norrbottens län (norrbotten@lansstyrelsen.se)" in \
        _docx_text(norrbotten.files["docx"]) and norrbotten.stem == "blankett-2021"
    unknown = next_year_form(2021, formats="docx")
    assert unknown.addressee.lan is None
    text = _docx_text(unknown.files["docx"])
    assert "Sänds till Länsstyrelsen i ditt län senast den 15 januari 2022." in text and "@lansstyrelsen" not in text
    kommun = kommuner_in(lan_named("Skåne"))[0]
    for_kommun = next_year_form(2021, kommun=kommun, formats="pdf")
    assert for_kommun.addressee.lan == lan_named("Skåne") and for_kommun.record.kommun == kommun.name


def test_an_unknown_kommun_is_not_guessed_and_a_wrong_lan_is_refused() -> None:
    made = next_year_form(2021, _sample(**{"kontakt.kommun": "Personligt ombud Nordost"}), formats="pdf")
    assert made.addressee.lan is None and made.addressee.recipient == "Länsstyrelsen i ditt län"
    given = next_year_form(2021, _sample(**{"kontakt.kommun": "Personligt ombud Nordost"}),
                           lan=lan_named("Uppsala"), formats="pdf")
    assert given.addressee.lan == lan_named("Uppsala")
    with pytest.raises(FormgenError) as info:
        next_year_form(2021, _sample(**{"kontakt.kommun": "Malmö stad"}), lan=lan_named("Stockholm"))
    assert info.value.code == "lan-mismatch" and "Skåne" in info.value.reason


# ------------------------------------------------------------------------------------------------- the send-out

HASSELBY = "Stockholms stad, socialförvaltningen, stadsdelsförvaltning Hässelby-Vällingby"
SKARHOLMEN = "Stockholms stad, socialförvaltningen, stadsdelsförvaltning Skärholmen"


def _add(store: Store, record: Record, *, status: str = "ok", findings: list[dict[str, Any]] | None = None,
         tag: str = "") -> None:
    data = record.to_json()
    sha = hashlib.sha256(repr((data, tag)).encode()).hexdigest()
    store.add(NewSubmission(sha, f"{sha[:8]}.pdf", record.kommun, record.year, "2020", data, findings or [],
                            status, "test"))


@pytest.fixture(scope="module")
def county_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Last year's submissions of Stockholms län (two stadsdelar whose names share their first 60 letters, a
    record with errors, a bad e-post, a superseded record, a kommun covering another), and some noise."""
    path = tmp_path_factory.mktemp("store") / "formgen.sqlite3"
    with open_store(path) as store:
        _add(store, _sample(**{"kontakt.kommun": HASSELBY, "kontakt.kontaktperson": "=HYPERLINK(\"x\")"}))
        _add(store, _sample(**{"kontakt.kommun": SKARHOLMEN, "kontakt.epost": "ombud.skarholmen@stockholm.se"}))
        _add(store, _sample(**{"kontakt.kommun": "Solna stad", "kontakt.telefon": "08-abc"}), status="errors",
             findings=[{"code": "bad-phone", "severity": "error", "fields": ["kontakt.telefon"], "message": "x"},
                       {"code": "sum", "severity": "error", "fields": ["klienter.totalt.kvinnor"], "message": "y"},
                       {"code": "w", "severity": "warning", "fields": ["kontakt.postort"], "message": "z"}])
        _add(store, _sample(**{"kontakt.kommun": "Sollentuna kommun", "kontakt.kontaktperson": "Gammal Person"}))
        _add(store, _sample(**{"kontakt.kommun": "Sollentuna kommun", "kontakt.kontaktperson": "Ny Person",
                               "kontakt.epost": "sollentuna.se"}), tag="newer")
        _add(store, _sample(**{"kontakt.kommun": "Järfälla kommun", "kontakt.ovriga_kommuner": ["Upplands-Bro"]}))
        _add(store, _sample(**{"kontakt.kommun": "Malmö stad"}))  # Skåne: not in this send-out
        _add(store, _sample(**{"kontakt.kommun": "Personligt ombud Nordost"}))  # no kommun by that name
        this_year, _ = next_year_record(_sample(**{"kontakt.kommun": "Danderyds kommun"}), 2021)
        _add(store, this_year)  # this year's, not last year's
    return path


@pytest.fixture(scope="module")
def sent(county_store: Path, tmp_path_factory: pytest.TempPathFactory) -> SendOutResult:
    return send_out(county_store, 2021, lan_named("Stockholm"), tmp_path_factory.mktemp("utskick"), "both")


def _row(result: SendOutResult, verksamhet: str | None, kommun: str | None = None) -> Any:
    return next(r for r in result.rows if r.verksamhet == verksamhet and (kommun is None or r.kommun == kommun))


def test_one_form_per_verksamhet_and_a_blank_one_for_every_other_kommun(sent: SendOutResult) -> None:
    verksamheter = {r.verksamhet for r in sent.rows if r.basis != "blank"}
    assert verksamheter == {HASSELBY, SKARHOLMEN, "Solna stad", "Sollentuna kommun", "Järfälla kommun"}
    blank = {r.kommun for r in sent.rows if r.basis == "blank"}
    covered = {"Stockholm", "Solna", "Sollentuna", "Järfälla", "Upplands-Bro"}
    assert blank == {k.name for k in kommuner_in(lan_named("Stockholm"))} - covered and "Danderyd" in blank
    assert len(sent.rows) == 26 and sent.unmatched == ("Personligt ombud Nordost",)
    names = [name for r in sent.rows for name in r.files.values()]
    assert len(names) == len(set(names)) == 52 and all(r.files.keys() == {"pdf", "docx"} for r in sent.rows)
    hasselby, skarholmen = _row(sent, HASSELBY).files["pdf"], _row(sent, SKARHOLMEN).files["pdf"]
    assert hasselby != skarholmen and hasselby.startswith("stockholms-stad-socialforvaltningen")
    assert sorted(p.name for p in sent.outdir.iterdir()) == sorted([*names, "utskick.csv", "utskick.xlsx"])


def test_the_forms_extract_back_with_the_carried_fields(sent: SendOutResult) -> None:
    for verksamhet in (SKARHOLMEN, "Sollentuna kommun", "Solna stad"):
        row = _row(sent, verksamhet)
        for name in row.files.values():
            got = read_record(sent.outdir / name)
            assert got.year == 2021 and got.kommun == verksamhet, name
            for key, value in got.items():
                if key != "ar" and not carried_by(got.form, key):
                    assert value in (None, False, []), (name, key)
            assert got.get("ombud.tjanster") == "1.00" and got.get("kontakt.postort") == "Spånga"
            assert got.get("klienter.totalt.kvinnor") is None
    assert read_record(sent.outdir / _row(sent, SKARHOLMEN).files["docx"]).get("kontakt.epost") == \
        "ombud.skarholmen@stockholm.se"
    assert read_record(sent.outdir / _row(sent, "Sollentuna kommun").files["pdf"]).get(
        "kontakt.kontaktperson") == "Ny Person"  # the current record, not the superseded one


def test_a_record_with_errors_carries_only_what_had_none(sent: SendOutResult) -> None:
    row = _row(sent, "Solna stad")
    assert row.basis == "prefilled-errors"
    assert row.hint is not None and row.hint.startswith("Tips: 34 män var")  # the count with an error left out
    assert any("hade 2 fel" in note and "inte överfört: Kontaktuppgifter" in note for note in row.notes), row.notes
    got = read_record(sent.outdir / row.files["pdf"])
    assert got.get("kontakt.telefon") is None and got.get("kontakt.kontaktperson") == "Mikael Ilberg"
    assert _row(sent, SKARHOLMEN).basis == "prefilled" and "Tips: 23 kvinnor och 34 män" in _row(sent, SKARHOLMEN).hint


def test_an_e_post_that_is_no_address_is_left_out_with_a_reason(sent: SendOutResult) -> None:
    row = _row(sent, "Sollentuna kommun")
    assert row.epost is None and row.kontaktperson == "Ny Person"
    assert any("sollentuna.se" in note and "ingen e-postadress" in note for note in row.notes)
    assert _row(sent, "Järfälla kommun").epost == "mikael.illberg@stockholm.se"


def test_blank_forms_are_addressed_to_their_kommun(sent: SendOutResult) -> None:
    row = _row(sent, None, "Danderyd")
    assert row.basis == "blank" and row.epost is None and row.carried is None
    assert any("Ingen redovisning för 2020" in n for n in row.notes)
    got = read_record(sent.outdir / row.files["docx"])
    assert got.kommun == "Danderyd" and all(v in (None, False, []) for k, v in got.items()
                                             if k not in ("ar", "kontakt.kommun"))
    text = _pdf_text_pdfium((sent.outdir / row.files["pdf"]).read_bytes())
    assert "Länsstyrelsen i Stockholms län (stockholm@lansstyrelsen.se)" in _squash(text)


def _csv_rows(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_the_list_matches_the_forms(sent: SendOutResult) -> None:
    rows = _csv_rows(sent.outdir / "utskick.csv")
    head = rows[0]
    assert head[:6] == ["Kommun", "Verksamhet", "Kontaktperson", "E-post", "Blankett (PDF)", "Blankett (Word)"]
    assert head[6:] == ["Underlag", "Överfört", "Tips", "Anmärkning"]
    assert len(rows) == 1 + len(sent.rows)
    for line, row in zip(rows[1:], sent.rows, strict=True):
        assert line[0] == row.kommun and line[1] == (row.verksamhet or "")
        assert line[3] == (row.epost or "") and line[4:6] == [row.files["pdf"], row.files["docx"]]
        assert (sent.outdir / line[4]).is_file() and (sent.outdir / line[5]).is_file()
    by_verksamhet = {line[1]: line for line in rows[1:]}
    assert by_verksamhet[HASSELBY][2] == "'=HYPERLINK(\"x\")"  # neutralised, never a formula
    assert by_verksamhet["Solna stad"][6] == "Förifylld, förra året med fel"
    assert by_verksamhet[SKARHOLMEN][7].startswith("Överfört (") and by_verksamhet[SKARHOLMEN][8].startswith("Tips:")
    sheet = load_workbook(sent.outdir / "utskick.xlsx", read_only=True)["Utskick 2021"]
    cells = [["" if v is None else v for v in r] for r in sheet.iter_rows(values_only=True, max_col=len(head))]
    assert cells == rows


def test_two_processes_write_the_same_files(county_store: Path, sent: SendOutResult, tmp_path: Path) -> None:
    forked = send_out(county_store, 2021, lan_named("Stockholm"), tmp_path, "both", jobs=2)
    assert forked.rows == sent.rows
    for name in ("utskick.csv", *(n for r in sent.rows[:4] for n in r.files.values())):
        assert (tmp_path / name).read_bytes() == (sent.outdir / name).read_bytes(), name


def test_the_plan_counts_before_writing(county_store: Path) -> None:
    plan = plan_send_out(county_store, 2021, lan_named("Skåne"))
    prefilled = [i for i in plan.items if i.last is not None]
    assert len(plan) == len(kommuner_in(lan_named("Skåne"))) and [i.kommun.name for i in prefilled] == ["Malmö"]


# ---------------------------------------------------------------------------------------------------- the CLI

def test_cli_send_out_with_progress_bar(county_store: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(generate, ["--year", "2021", "--from-store", "--lan", "Stockholm", "--store",
                                           str(county_store), "--format", "pdf", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Utskick 2021, Länsstyrelsen i Stockholms län" in result.stderr
    assert "26 blanketter (5 förifyllda, varav 1 från redovisningar med fel; 21 tomma" in result.stdout
    assert "Personligt ombud Nordost: finns inte i kommunlistan" in result.stderr
    assert len(list(tmp_path.glob("*.pdf"))) == 26 and not list(tmp_path.glob("*.docx"))
    assert len(_csv_rows(tmp_path / "utskick.csv")[0]) == 9  # one file column


def test_cli_one_kommun_from_the_store_withholds_what_had_errors(county_store: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(generate, ["--year", "2021", "--prefill-from-store", "--kommun", "Solna stad",
                                           "--store", str(county_store), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Inte överfört eftersom förra årets svar hade fel (1 svar)" in result.stdout
    assert "Mottagare: Länsstyrelsen i Stockholms län (stockholm@lansstyrelsen.se)" in result.stdout
    fields = PdfReader(tmp_path / "solna-stad-2021.pdf").get_fields()
    assert "/V" not in fields["kontakt.telefon"] and fields["kontakt.postort"]["/V"] == "Spånga"


@pytest.mark.parametrize(("args", "message"), [
    (["--from-store"], "--from-store kräver --lan"),
    (["--from-store", "--lan", "Atlantis"], "Okänt län"),
    (["--from-store", "--lan", "Skåne", "--kommun", "Malmö"], "ange inte --prefill"),
    (["--from-store", "--lan", "Skåne", "--store", "/nonexistent/formgen.sqlite3"], "lagret finns inte"),
    (["--kommun", "Atlantis"], "Atlantis: ingen kommun med det namnet"),
])
def test_cli_refusals_are_one_swedish_line(args: list[str], message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(generate, ["--year", "2021", *args, "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and message in result.output and result.output.count("\n") == 1, result.output
    assert not (tmp_path / "out").exists()


@needs_soffice
def test_libreoffice_reads_the_recipient_from_the_docx(tmp_path: Path) -> None:
    made = next_year_form(2021, _sample(**{"kontakt.kommun": "Luleå kommun"}), formats="docx")
    (tmp_path / "form.docx").write_bytes(made.files["docx"])
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                    "txt:Text (encoded):UTF8", "--outdir", str(tmp_path), str(tmp_path / "form.docx")],
                   check=True, capture_output=True, timeout=180)
    text = (tmp_path / "form.txt").read_text(encoding="utf-8-sig")
    assert "Sänds till Länsstyrelsen i Norrbottens län (norrbotten@lansstyrelsen.se) senast den 15 januari 2022." \
        in _squash(text)
