"""``formgen validate``: text and JSON output, exit status 0/1/2, one-line refusals naming the file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from formgen.cli import main
from formgen.errors import InputError
from formgen.pipeline import load_for_validation
from tests.helpers import ROOT, SAMPLE_JSON, sample_record_json

FORMGEN = Path(sys.executable).with_name("formgen")


def run(*args: str):
    return CliRunner().invoke(main, ["validate", *args])


def write(tmp_path: Path, data, name: str = "post.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_text_output_for_a_handlaggare():
    result = run(str(SAMPLE_JSON))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Granskning av redovisning: Spånga-Tensta Stadsdelsförvaltning, Stockholms satd, "
                          "statsbidrag avseende år 2020\n")
    assert "VARNING (10)" in out and "FEL" not in out and "INFO" not in out
    assert "Fält: ekonomi.beviljade_arsanstallningar  [fte-decimals]" in out
    assert out.rstrip().endswith("Sammanfattning: 0 fel, 10 varningar, 0 info. Redovisningen har inga fel.")
    assert result.stderr == ""


def test_json_output():
    result = run(str(SAMPLE_JSON), "--format", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["summary"] == {"errors": 0, "warnings": 10, "infos": 0, "valid": True}
    assert set(report["findings"][0]) == {"code", "severity", "fields", "message"}
    assert [f["code"] for f in report["findings"]].count("fte-decimals") == 2


def test_errors_give_exit_status_1(tmp_path):
    data = sample_record_json()
    data["ekonomi"]["forbrukat_kr"] = 500000
    data["ledningsgrupp"]["myndigheter"]["psykiatri"] = "nej"
    result = run(str(write(tmp_path, data)))
    assert result.exit_code == 1
    assert "FEL (2)" in result.stdout and "VARNING (11)" in result.stdout
    assert "Redovisningen har fel som måste rättas." in result.stdout
    report = json.loads(run(str(write(tmp_path, data)), "--format", "json").stdout)
    assert report["summary"]["valid"] is False


def test_info_is_shown(tmp_path):
    data = sample_record_json()
    data["ekonomi"]["forbrukat_kr"] = 400000
    result = run(str(write(tmp_path, data)))
    assert result.exit_code == 0
    assert "INFO (1)" in result.stdout and "2 638 kr kan behöva betalas tillbaka" in result.stdout


def _refusal(result, path: Path) -> str:
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert str(path) in lines[0]
    return lines[0]


def test_invalid_json_is_refused_in_one_line(tmp_path):
    path = write(tmp_path, '{"ar": 2020,')
    assert "ogiltig JSON" in _refusal(run(str(path)), path)


def test_unknown_key_is_refused_in_one_line(tmp_path):
    data = sample_record_json()
    data["kontakt"]["fax"] = "08-1"
    path = write(tmp_path, data)
    assert "kontakt.fax" in _refusal(run(str(path)), path)


def test_wrong_type_is_refused_in_one_line(tmp_path):
    data = sample_record_json()
    data["klienter"]["nya"]["kvinnor"] = "14"
    path = write(tmp_path, data)
    assert "klienter.nya.kvinnor" in _refusal(run(str(path)), path)


def test_missing_file_and_year_without_form(tmp_path):
    missing = tmp_path / "finns-inte.json"
    assert "filen finns inte" in _refusal(run(str(missing)), missing)
    old = write(tmp_path, {"ar": 2015}, "gammal.json")
    assert "2015" in _refusal(run(str(old)), old)


@pytest.mark.parametrize("name", ["spanga-tensta-2020.pdf", "spanga-tensta-2020-checkboxes.pdf"])
def test_a_printed_pdf_validates_like_its_record(name):
    pdf = ROOT / "samples" / name
    result = run(str(pdf), "--format", "json")
    assert result.exit_code == 0, result.stderr
    codes = sorted(f["code"] for f in json.loads(result.stdout)["findings"])
    assert codes == sorted(["reason-exceeds-new-clients"] * 8 + ["fte-decimals"] * 2)


def test_a_file_that_is_not_a_submission_is_refused(tmp_path):
    html = tmp_path / "inte-en.pdf"
    html.write_text("<html><body>hej</body></html>", encoding="utf-8")
    assert "PDF" in _refusal(run(str(html)), html)
    with pytest.raises(InputError) as caught:
        load_for_validation(html)
    assert caught.value.code == "html-not-pdf"


def test_load_for_validation_returns_record_and_no_extra_findings():
    record, findings = load_for_validation(SAMPLE_JSON)
    assert record.kommun and record.year == 2020 and findings == []


def test_installed_command_in_a_subprocess():
    result = subprocess.run([str(FORMGEN), "validate", "samples/spanga-tensta-2020.json", "--format", "json"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["summary"]["valid"] is True
    assert {(f["code"], f["severity"]) for f in report["findings"]} == {
        ("reason-exceeds-new-clients", "warning"), ("fte-decimals", "warning")}
