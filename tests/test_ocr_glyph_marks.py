"""Marks typed as glyphs other than "x", read by OCR: a check mark "✓" (Tesseract reads it as "v", "/", "€",
"7" or nothing; the ink finder knows it by its shape, extractors.ocr_marks._check_shaped) and a ballot box
"☒" in a large font (Tesseract reads it as a sure "M", which must not hide the box the ink finder found).

Each print style is printed from a varied record (tests.scan_factory.varied_record, seeds no other test
uses), scanned as an office scan shape and read by OCR. Asserted: every choice and flag value is right or
flagged, at least 95 % of all fields are exact, and no field is wrong without a flag. The shape test of
the check mark itself runs on drawn glyphs: "✓" and "✔" of DejaVu Sans (the test prints' tick font; regular
and bold, three sizes) are check-shaped; an "x", a "v", a "7", a "4", a "/" and others are not. (A monospace
"✓" has too short an arm to tell from a "/": not claimed.)"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.ocr_marks import _check_shaped
from tests.layout_factory import Style

pytest.importorskip("tesserocr")

DEJAVU = "/usr/share/fonts/truetype/dejavu/"
PRINTS = {
    "check-times-12": (Style("check-times-12", font="Times-Roman", size=12, tick="✓", cells_per_row=2, col_width=80),
                       "jpeg150", 1701),
    "ballot-dejavu-13": (Style("ballot-dejavu-13", font="DejaVuSans", size=13, tick="☒", col_width=50,
                               cells_per_row=2, borders=False), "jpeg150", 1714),
    "heavy-check-serif-8": (Style("heavy-check-serif-8", font="DejaVuSerif", size=8, tick="✔", superscript=False),
                            "grey200", 1722),
}


def _glyph(text: str, font: str, px: int = 30) -> np.ndarray:
    img = Image.new("L", (px * 3, px * 3), 255)
    ImageDraw.Draw(img).text((px // 2, px // 2), text, font=ImageFont.truetype(DEJAVU + font, px), fill=0)
    ink = np.asarray(img) < 128
    ys, xs = np.nonzero(ink)
    return ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


@pytest.mark.parametrize("font", ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"])
@pytest.mark.parametrize("px", [24, 30, 40])
def test_check_marks_are_check_shaped(font: str, px: int) -> None:
    assert _check_shaped(_glyph("✓", font, px)) and _check_shaped(_glyph("✔", font, px))


@pytest.mark.parametrize("text", ["x", "X", "v", "V", "7", "4", "/", "y", "J", "M"])
def test_letters_digits_and_crosses_are_not_check_shaped(text: str) -> None:
    assert not _check_shaped(_glyph(text, "DejaVuSans.ttf"))


@pytest.mark.parametrize("name", list(PRINTS))
def test_glyph_marks_are_read_or_flagged(name: str, tmp_path: Path) -> None:
    from extractors.ocr import ocr_available, read_pdf_ocr
    from tests.layout_factory import render_pdf
    from tests.ocr_score import score
    from tests.scan_factory import scan_shape, varied_record

    assert ocr_available() is None, ocr_available()
    style, shape, seed = PRINTS[name]
    record = varied_record(seed)
    printed = render_pdf(record, style, tmp_path / "print.pdf")
    extraction = read_pdf_ocr(scan_shape(printed, tmp_path / "scan.pdf", shape, seed), "no text layer")
    s = score(record, extraction)
    print(f"\n{name} ({shape}): {s.line()}")
    for key, want, got in s.wrong_keys:
        print(f"   {'SILENT' if (key, want, got) in s.silent_keys else 'flagged'} {key}: {want!r} -> {got!r}")
    assert s.silent_keys == []
    assert s.exact_share >= 0.95
