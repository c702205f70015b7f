"""The grant year of a scan checked against the form's other printed mentions of it (extractors.ocr_year):
the year label's line read as "2029" while the questions that print the year ("… statsbidraget under
2020?") say 2020 gives 2020, flagged "osäker tolkning" naming both readings; one dissenting mention
changes nothing. End to end: a print whose year label's year was overprinted "2029" (the questions keep
2020), scanned, read by OCR."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from extractors.ocr_year import agreed_year, printed_years, repair_year, year_templates
from extractors.pdf_words import Word
from formgen.catalogue import catalogue


def _line(texts: list[str], page: int = 1, top: float = 100.0) -> list[Word]:
    words, x = [], 50.0
    for text in texts:
        words.append(Word(text, page, x, top, x + 6 * len(text), top + 10))
        x += 6 * len(text) + 4
    return words


def test_the_forms_wording_before_the_year_is_found() -> None:
    prefixes = year_templates(catalogue().forms()[0])
    assert ("av", "statsbidraget", "under") in prefixes  # "… användning av statsbidraget under {{ ar }}?"
    assert ("har", "ni", "under") in prefixes            # "Har ni under {{ ar }} haft kö …"
    assert all(len(p) == 3 for p in prefixes)


def test_printed_years_reads_the_year_after_each_wording_on_its_line() -> None:
    prefixes = [("av", "statsbidraget", "under"), ("har", "ni", "under")]
    words = [*_line(["användning", "av", "statsbidraget", "under", "2020?"], top=100),
             *_line(["Har", "ni", "under", "2O20", "haft", "kö"], top=200),       # a repaired look-alike
             *_line(["Har", "ni", "under", "året", "haft", "kö"], top=300),       # no year after it
             *_line(["statsbidraget", "under", "2020"], top=400)]                 # too little of the wording
    assert printed_years(words, prefixes) == [2020, 2020]


def test_question_mark_after_a_year_is_stripped() -> None:
    assert repair_year("2020?") == 2020


@pytest.mark.parametrize(("label_year", "elsewhere", "want"), [
    (2029, [2020, 2020, 2020], 2020),   # three questions against the label's reading
    (2029, [2020, 2020], 2020),
    (2029, [2020], None),               # one mention is not enough
    (2020, [2020, 2029], None),         # the label agrees with one of them
    (2020, [2021, 2021], 2021),         # two against the label alone
    (2020, [2021, 2021, 2020], None),   # two against two (the label and one question): not more
    (2020, [], None),
])
def test_agreed_year(label_year: int, elsewhere: list[int], want: int | None) -> None:
    assert agreed_year(label_year, elsewhere) == want


def _overprint_label_year(src: Path, out: Path, wrong: str) -> Path:
    """``src`` with the year on its year label's line whitened and ``wrong`` printed in its place."""
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    from tests.scan_factory import char_boxes

    boxes = sorted(char_boxes(src, 1, "2020"), key=lambda b: b[2])
    _, x0, top, x1, bottom = boxes[0]  # the first "2020" of page 1: "Statsbidrag avseende år 2020"
    reader = PdfReader(src)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height))
    c.setFillGray(1)
    c.rect(x0 - 1, height - bottom - 1, x1 - x0 + 2, bottom - top + 2, stroke=0, fill=1)
    c.setFillGray(0)
    c.setFont("Helvetica-Bold", (bottom - top) * 0.95)
    c.drawString(x0, height - bottom + (bottom - top) * 0.22, wrong)
    c.save()
    writer = PdfWriter(clone_from=reader)
    writer.pages[0].merge_page(PdfReader(io.BytesIO(buf.getvalue())).pages[0])
    writer.write(out)
    return out


def test_misread_label_year_is_overruled_by_the_forms_other_mentions(tmp_path: Path) -> None:
    pytest.importorskip("tesserocr")
    from extractors.ocr import ocr_available, read_pdf_ocr
    from tests.layout_factory import Style, render_pdf
    from tests.scan_factory import scan_pdf, varied_record

    assert ocr_available() is None, ocr_available()
    record = varied_record(41)
    printed = render_pdf(record, Style("plain"), tmp_path / "print.pdf")
    wrong = _overprint_label_year(printed, tmp_path / "wrong-year.pdf", "2029")
    extraction = read_pdf_ocr(scan_pdf(wrong, tmp_path / "scan.pdf", dpi=200, seed=3), "no text layer")
    assert extraction.record.values["ar"] == 2020
    assert extraction.record.values.get("corona.paverkat") == record.values.get("corona.paverkat")  # 2020's section
    flags = [p for p in extraction.problems if "ar" in p.fields and p.code == "uncertain-ocr"]
    assert flags and "2029" in flags[0].message and "2020" in flags[0].message
