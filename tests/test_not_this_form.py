"""OCR only where it belongs: documents that are not this form are refused fast, in one Swedish line.

Through the CLI in a subprocess (exit status 2, stderr exactly one line, nothing from Tesseract or
Leptonica, no English from PDFium): a long English report with a good text layer, a number-heavy English
table (a layer with few letters), image-only pages of English text, blank image pages, a photograph, and an
image page whose crop box lies outside its media box. The seconds each refusal took are printed (run with -s
to see them; the speed target lives in benchmarks/bench_ocr.py, not in a timed assert). In process: PDFium's
load errors in Swedish, a Tesseract failure as a Swedish refusal on page 1 and a problem on a later page,
and Tesseract's writes to file descriptor 2 captured.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractors import ocr_engine as eng
from extractors.pdf_text import load_words
from extractors.registry import ReadOptions, read_pdf
from extractors.text_language import reads_as_language
from formgen.errors import InputError
from formgen.guard import pdfium_load_error
from tests.helpers import ROOT

ENGLISH = ("The committee reviewed the annual results of the project and found that the measurements taken "
           "during the year were consistent with the plan. This report describes the methods used for each of "
           "the test suites, the data that was collected and the conclusions drawn from it. ")
NUMBERS = "  ".join(f"{i:>6} {i * 37 % 1000:>5}.{i % 100:02d} {i * 13 % 97:>4}" for i in range(1, 9))


def _text_pdf(path: Path, pages: int, line: str) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    for p in range(pages):
        c.setFont("Helvetica-Bold", 14)
        c.drawString(56, 800, f"Chapter {p + 1}: Annual report of the test project")
        c.setFont("Helvetica", 10)
        for i in range(40):
            start = (i * 17 + p * 5) % max(1, len(line) - 90)
            c.drawString(56, 770 - i * 17, line[start:start + 90])
        c.showPage()
    c.save()
    return path


def _images_pdf(path: Path, images: list[Image.Image], dpi: int = 200) -> Path:
    images[0].save(path, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:])
    return path


def _rendered(src: Path, pages: int, dpi: int = 200) -> list[Image.Image]:
    doc = pdfium.PdfDocument(str(src))
    try:
        return [doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(pages)]
    finally:
        doc.close()


def _crop_outside(src: Path, out: Path) -> Path:
    writer = PdfWriter(clone_from=PdfReader(src))
    for page in writer.pages:
        page.cropbox = RectangleObject([2000, 2000, 2600, 2800])
    writer.write(out)
    return out


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("not-this-form")
    english = _text_pdf(d / "english-report.pdf", 60, ENGLISH * 4)
    image_pages = _rendered(english, 8)
    made = {
        "english-report.pdf": english,
        "english-table.pdf": _text_pdf(d / "english-table.pdf", 20, NUMBERS * 3),
        "image-text.pdf": _images_pdf(d / "image-text.pdf", image_pages),
        "blank-scan.pdf": _images_pdf(d / "blank-scan.pdf", [Image.new("L", (1654, 2339), 255)] * 5),
        "photo.pdf": _images_pdf(d / "photo.pdf", [Image.effect_noise((1654, 2339), 70).convert("L")] * 3),
    }
    made["crop-outside.pdf"] = _crop_outside(made["image-text.pdf"], d / "crop-outside.pdf")
    return made


REASONS = {
    "english-report.pdf": "inte en Redovisning-blankett",
    "english-table.pdf": "inte en Redovisning-blankett",
    "image-text.pdf": "sida 1 saknar blankettens rubriker (läst med OCR)",
    "blank-scan.pdf": "sida 1 har ingen text som OCR kan läsa",
    "photo.pdf": "sida 1",  # "är en bild utan text" or "har ingen text som OCR kan läsa", by its darkness
    "crop-outside.pdf": "sida 1 saknar blankettens rubriker (läst med OCR)",
}


def _cli(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "formgen.cli", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)
    return done, time.perf_counter() - t


@pytest.mark.parametrize("name", list(REASONS))
def test_refused_in_one_swedish_line(name: str, inputs: dict[str, Path], tmp_path: Path) -> None:
    path = inputs[name]
    done, seconds = _cli("extract", str(path), "-o", str(tmp_path / "out.json"))
    print(f"\n{name}: refused in {seconds:.2f} s (wall, CLI process start included)")
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr  # nothing from Tesseract, Leptonica or PDFium
    assert lines[0].startswith(f"formgen: {path}: ")
    assert REASONS[name] in lines[0] and "inte en Redovisning-blankett" in lines[0]
    assert "trasig" not in lines[0] and "Traceback" not in done.stderr
    assert done.stdout == ""
    assert not (tmp_path / "out.json").exists()


def test_readable_layers_are_language_and_never_ocr(inputs: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A readable English text layer is refused from the layer alone: OCR is never started."""
    def no_ocr(*_args: object, **_kw: object) -> None:
        raise AssertionError("OCR started on a readable text layer")

    monkeypatch.setattr("extractors.ocr.ocr_document", no_ocr)
    for name in ("english-report.pdf", "english-table.pdf"):
        assert reads_as_language(load_words(inputs[name]))
        with pytest.raises(InputError) as err:
            read_pdf(inputs[name], ReadOptions())
        assert err.value.code == "not-this-form"


def test_pdfium_password_error_in_swedish(tmp_path: Path, inputs: dict[str, Path]) -> None:
    writer = PdfWriter(clone_from=PdfReader(inputs["english-table.pdf"]))
    writer.encrypt(user_password="hemligt", owner_password="ägare", algorithm="AES-256")
    locked = tmp_path / "locked.pdf"
    writer.write(locked)
    with pytest.raises(pdfium.PdfiumError) as raw:
        pdfium.PdfDocument(str(locked))
    assert "password" in str(raw.value).lower()  # what PDFium says itself
    mapped = pdfium_load_error(locked, raw.value)
    assert mapped.code == "encrypted" and "lösenordsskyddad" in mapped.reason
    with pytest.raises(InputError) as err:
        load_words(locked)
    assert err.value.code == "encrypted" and "password" not in err.value.reason.lower()
    broken = pdfium_load_error(locked, pdfium.PdfiumError("Data format error", err_code=3))
    assert broken.code == "damaged-pdf" and "Data format" not in broken.reason


def test_tesseract_failure_on_page_1_is_a_swedish_refusal(inputs: dict[str, Path],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    def fails(*_args: object, **_kw: object) -> list:
        raise eng.OcrError("No text returned")

    monkeypatch.setattr(eng, "recognise", fails)
    with pytest.raises(InputError) as err:
        read_pdf(inputs["image-text.pdf"], ReadOptions())
    assert err.value.code == "ocr-failed"
    assert err.value.reason.startswith("OCR misslyckades på sida 1")
    assert "trasig" not in err.value.reason


def test_tesseract_writes_to_fd2_are_captured(inputs: dict[str, Path], monkeypatch: pytest.MonkeyPatch,
                                             capfd: pytest.CaptureFixture[str]) -> None:
    real = eng.recognise

    def noisy(*args: object, **kw: object) -> list:
        os.write(2, b"Error in pixScanForForeground: invalid box\nEstimating resolution as 287\n")
        return real(*args, **kw)

    monkeypatch.setattr(eng, "recognise", noisy)
    with pytest.raises(InputError):
        read_pdf(inputs["image-text.pdf"], ReadOptions())
    out, err = capfd.readouterr()
    assert err == "" and out == ""


def test_quiet_stderr_restores_fd2(capfd: pytest.CaptureFixture[str]) -> None:
    with eng.quiet_stderr() as captured:
        os.write(2, b"leptonica noise\n")
    os.write(2, b"after\n")
    assert "leptonica noise" in captured[0]
    assert capfd.readouterr().err == "after\n"


def test_image_inputs_have_no_text_layer(inputs: dict[str, Path]) -> None:
    """The image-only inputs really have no text layer: what sends them to OCR and its page-1 gate."""
    for name in ("image-text.pdf", "blank-scan.pdf", "photo.pdf", "crop-outside.pdf"):
        assert sum(p.chars for p in load_words(inputs[name])) == 0
