"""Which path reads a PDF: text layer, OCR when it is missing or unusable, and the --ocr override."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader, PdfWriter

from extractors import registry
from extractors.registry import ReadOptions, extract
from formgen.errors import InputError
from tests.helpers import ROOT, SAMPLES
from tests.scan_factory import ps_roundtrip, scan_pdf


@pytest.fixture(scope="module")
def first_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("route") / "page1.pdf"
    writer = PdfWriter()
    writer.add_page(PdfReader(SAMPLES / "spanga-tensta-2020.pdf").pages[0])
    writer.write(out)
    return out


@pytest.fixture(scope="module")
def scanned(first_page: Path) -> Path:
    return scan_pdf(first_page, first_page.with_name("scan.pdf"), dpi=200, rotate=0.6, speckle=0.001)


def test_a_scan_is_read_by_ocr_and_says_why(scanned: Path) -> None:
    extraction = extract(scanned, sandbox=False)
    assert extraction.source.method == "ocr: no text layer"
    assert extraction.record.get("kontakt.postnummer") == "163 04"
    assert extraction.record.get("kontakt.postort") == "Spånga"
    assert extraction.provenance["kontakt.postort"].confidence is not None


def test_a_glyphs_without_unicode_print_is_read_by_ocr(first_page: Path) -> None:
    printed = ps_roundtrip(first_page, first_page.with_name("ps.pdf"))
    extraction = extract(printed, sandbox=False)
    assert extraction.source.method == "ocr: text layer unreadable"
    assert extraction.record.get("kontakt.utdelningsadress") == "Box 4066"


def test_ocr_never_refuses_a_scan_with_one_swedish_line(scanned: Path) -> None:
    with pytest.raises(InputError) as err:
        extract(scanned, sandbox=False, options=ReadOptions(ocr="never"))
    assert err.value.code == "no-text-layer" and "OCR" in err.value.reason
    run = subprocess.run([sys.executable, "-m", "formgen.cli", "extract", "--ocr", "never", str(scanned)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2 and len(run.stderr.splitlines()) == 1 and str(scanned) in run.stderr


def test_without_tesseract_a_scan_is_refused_saying_what_to_install(scanned: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import extractors.ocr as ocr

    monkeypatch.setattr(ocr, "ocr_available", lambda: "Tesseract saknas: installera tesseract-ocr")
    with pytest.raises(InputError) as err:
        registry.read_pdf(scanned, ReadOptions())
    assert err.value.code == "ocr-unavailable"
    assert "installera tesseract-ocr" in err.value.reason


def test_a_text_pdf_never_goes_to_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_ocr(*_args: object) -> None:
        raise AssertionError("OCR must not run on a readable text layer")

    monkeypatch.setattr(registry, "_read_by_ocr", no_ocr)
    extraction = registry.read_pdf(SAMPLES / "spanga-tensta-2020-grid.pdf", ReadOptions())
    assert extraction.source.method == "text"


def test_ocr_always_reads_even_a_text_pdf(first_page: Path) -> None:
    extraction = extract(first_page, sandbox=False, options=ReadOptions(ocr="always"))
    assert extraction.source.method.startswith("ocr")
    assert len(pdfium.PdfDocument(str(first_page))) == 1


def test_unknown_ocr_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="ocr"):
        ReadOptions(ocr="sometimes")


def test_annotation_colours_uncertain_ocr_values_apart(scanned: Path, tmp_path: Path) -> None:
    from dataclasses import replace

    from PIL import Image

    from extractors.base import Problem
    from formgen.annotate import COLOURS, write_annotated

    extraction = extract(scanned, sandbox=False)
    marked = replace(extraction, problems=(Problem("uncertain-ocr", ("kontakt.postort",), "osäker tolkning"),))
    out = tmp_path / "ann.png"
    out.write_bytes(write_annotated(scanned, marked, out))
    with Image.open(out) as image:
        colours = {rgb for _, rgb in image.convert("RGB").getcolors(maxcolors=1 << 22) or []}
    assert COLOURS["uncertain"] in colours and COLOURS["problem"] not in colours


def test_a_page_scanned_sideways_is_turned_upright(first_page: Path) -> None:
    from PIL import Image

    from tests.scan_factory import images_to_pdf, render_page, scan_image

    doc = pdfium.PdfDocument(str(first_page))
    try:
        image = scan_image(render_page(doc[0], 200), speckle=0.001).transpose(Image.Transpose.ROTATE_90)
    finally:
        doc.close()
    sideways = images_to_pdf([image], first_page.with_name("sideways.pdf"), 200)
    record = extract(sideways, sandbox=False).record
    assert record.get("kontakt.postnummer") == "163 04" and record.get("kontakt.postort") == "Spånga"
    assert record.get("utbildning.erbjuden") == "ja"


def test_an_empty_box_a_faint_smudge_and_a_clear_cross_are_told_apart(tmp_path: Path) -> None:
    from PIL import ImageDraw

    from tests.scan_factory import images_to_pdf, render_page, scan_image

    doc = pdfium.PdfDocument(str(SAMPLES / "spanga-tensta-2020-checkboxes.pdf"))
    try:
        image = render_page(doc[0], 200)
        # the first empty drawn box of the page: Nej of "Ombuden har erbjudits utbildning." (its Ja is crossed)
        box = next(w for w in _page_words(doc, 0) if w.drawn and w.text == "☐")
    finally:
        doc.close()
    k = 200 / 72
    x, y = box.xc * k, box.yc * k
    ImageDraw.Draw(image).line([(x - 6, y - 4), (x + 2, y + 2)], fill=185, width=2)  # a faint pencil stroke
    scan = images_to_pdf([scan_image(image, speckle=0.0005)], tmp_path / "faint.pdf", 200)
    extraction = extract(scan, sandbox=False)
    assert extraction.record.get("utbildning.erbjuden") == "ja"  # the smudge is not read as a second mark
    assert extraction.record.get("handledning.erbjuden") == "ja"
    flagged = [p for p in extraction.problems if p.code == "uncertain-ocr" and "utbildning.erbjuden" in p.fields]
    assert flagged, "a faint mark must be pointed out for the handläggare to check"


def _page_words(doc: pdfium.PdfDocument, index: int) -> list:
    from extractors.pdf_words import page_words

    return list(page_words(doc[index], index + 1).words)
