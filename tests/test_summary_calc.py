"""The inbox summary opened the way a handläggare opens it: in LibreOffice Calc (XLSX, and the CSV with a
Swedish list separator and locale), converted to PDF and back to XLSX and read there."""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from formgen.summary import row_for, summary_layout
from formgen.summary_csv import csv_bytes
from formgen.summary_xlsx import xlsx_bytes

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None or shutil.which("pdftotext") is None,
                                reason="LibreOffice Calc and Poppler are needed (.ci/run installs them)")
# LibreOffice's CSV import options: separator ";" (59), quote '"' (34), UTF-8 (76), from line 1, default
# column types, language sv-SE (1053): what a double-click does in a Swedish office.
SWEDISH_CSV = "CSV:59,34,76,1,,1053"


def _rows() -> list:
    record = json.loads((SAMPLES / "spanga-tensta-2020.json").read_text(encoding="utf-8"))
    other = {**record, "kontakt": {**record["kontakt"], "kommun": "Sollentuna kommun"},
             "ombud": {**record["ombud"], "tjanster": "2.25"},
             "ekonomi": {**record["ekonomi"], "beviljat_kr": 1360800, "forbrukat_kr": 1400000}}
    error = {"code": "spent-exceeds-granted", "severity": "error", "fields": ["ekonomi.forbrukat_kr"],
             "message": "Förbrukat statsbidrag är större än beviljat."}
    warning = {"code": "fte-decimals", "severity": "warning", "fields": ["ombud.tjanster"],
               "message": "Antal tjänster ska anges med två decimaler."}
    return [row_for("spanga-tensta-2020.pdf", record, [warning]),
            row_for("inkorg/sollentuna-2020.pdf", other, [error, warning]),
            row_for("=trasig.pdf", None, [{"code": "damaged", "severity": "error", "fields": [],
                                           "message": "Filen är trasig."}], unreadable=True)]


def _soffice(tmp_path: Path, source: Path, target: str, *infilter: str) -> Path:
    out = tmp_path / f"out-{target}-{source.suffix[1:]}"
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run([SOFFICE, f"-env:UserInstallation={profile}", "--headless", *infilter, "--convert-to", target,
                    "--outdir", str(out), str(source)], check=True, capture_output=True, timeout=180)
    converted = out / f"{source.stem}.{target}"
    assert converted.is_file(), f"LibreOffice wrote nothing for {source.name}"
    return converted


def _pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_calc_shows_the_xlsx_the_swedish_way(tmp_path: Path) -> None:
    layout = summary_layout()
    source = tmp_path / "summary.xlsx"
    source.write_bytes(xlsx_bytes(_rows()))
    text = _pdf_text(_soffice(tmp_path, source, "pdf"))
    for heading in ("Fil", "Kommun", "Status", "Antal fel", "Första felet", layout.heading("beviljat_kr")):
        assert heading in text
    for status in ("Godkänd med varningar", "Fel", "Oläslig"):
        assert status in text
    assert "1 360 800 kr" in text.replace("\u00a0", " ") and "1 400 000 kr" in text.replace("\u00a0", " ")
    assert "2,25" in text and "1,00" in text  # the decimals the kommun wrote, with a decimal comma
    assert "'=trasig.pdf" in text  # shown as text, never run as a formula
    # the findings sheet is printed too: every finding with its Swedish severity and message
    assert "Meddelande" in text and "Allvarlighet" in text
    assert text.count("Antal tjänster ska anges med två decimaler.") == 2 and "Varning" in text


def test_calc_reads_the_swedish_csv_into_columns_and_numbers(tmp_path: Path) -> None:
    layout = summary_layout()
    source = tmp_path / "summary.csv"
    source.write_bytes(csv_bytes(_rows()))
    sheet = openpyxl.load_workbook(_soffice(tmp_path, source, "xlsx", f"--infilter={SWEDISH_CSV}")).active
    header = [c.value for c in sheet[1]]
    assert header == [layout.heading(c) for c in layout.ids]  # one heading per column, not one long cell
    column = {c: i for i, c in enumerate(layout.ids)}
    second = [c.value for c in sheet[3]]
    assert second[column["kommun"]] == "Sollentuna kommun" and second[column["status"]] == "Fel"
    assert second[column["beviljat_kr"]] == 1360800  # a number, not text
    assert Decimal(str(second[column["ombud_tjanster"]])) == Decimal("2.25")  # "2,25" read as a number
    assert [c.value for c in sheet[4]][column["file"]] == "'=trasig.pdf"
    text = _pdf_text(_soffice(tmp_path, source, "pdf", f"--infilter={SWEDISH_CSV}"))
    assert "Sollentuna kommun" in text and "Godkänd med varningar" in text
