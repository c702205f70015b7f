"""OCR accuracy on the four office scan shapes, measured on records the samples never had.

Each shape of tests.scan_factory.SHAPES (200 dpi greyscale with rotation and speckle, 300 dpi bitonal,
150 dpi JPEG, a dark photocopy skewed 2–3°) scans one varied record (tests.scan_factory.varied_record, a
different kommun and seed per shape) printed by the independent test renderer in a different print style
(typed "x"/"X" marks, bordered grids, drawn boxes). Measured per shape (tests.ocr_score): fields exact,
wrong values without a flag ("silent") and flags on right values; the figures are printed (pytest -s).
The benchmark (benchmarks/bench_ocr.py) measures the same on more scans per shape.

Asserted (the issue's targets): at least 95 % of fields exact on every shape, never an amount in kr wrong
without a flag, at most 0.5 % of all fields wrong without a flag over the four shapes, at most 10 % of the
right values flagged, and every flag an "osäker tolkning" or another extraction problem. One scan also has
its crop box moved outside the page (as some scanners write it): it must still be read (PDFium's crop is
reset to the media box), never refused as damaged.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("tesserocr")

from extractors.base import Extraction  # noqa: E402
from extractors.ocr import ocr_available, read_pdf_ocr  # noqa: E402
from extractors.ocr_year import repair_year  # noqa: E402
from formgen.record import Record  # noqa: E402
from tests.layout_factory import DRAWN, Style, render_pdf  # noqa: E402
from tests.ocr_score import Score, score, total  # noqa: E402
from tests.scan_factory import SHAPES, scan_shape, varied_record  # noqa: E402

PRINTS = {
    "grey200": (11, Style("word-x", column_jitter=(0, -40, 25))),
    "bitonal300": (12, Style("grid-X-borders", font="DejaVuSans", size=9, borders=True, tick="X", col_width=50,
                             label_width=260, margins=(40, 40, 40, 40))),
    "jpeg150": (13, Style("serif-boxes", font="DejaVuSerif", size=11, tick=DRAWN, borders=True, col_width=56)),
    "photocopy": (14, Style("times-12", font="Times-Roman", size=12, tick="X", margins=(60, 50, 60, 50))),
}
MIN_EXACT = {"grey200": 0.95, "bitonal300": 0.95, "jpeg150": 0.95, "photocopy": 0.95}
MAX_SILENT = 0.005        # of all fields over the four shapes
MAX_FLAGGED_RIGHT = 0.10  # of the right values
_RESULTS: dict[str, tuple[Record, Extraction, Score]] = {}


def _crop_outside(path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject

    writer = PdfWriter(clone_from=PdfReader(path))
    for page in writer.pages:
        page.cropbox = RectangleObject([3000, 3000, 3600, 3800])
    out = path.with_name(path.stem + "-crop.pdf")
    writer.write(out)
    return out


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert ocr_available() is None, ocr_available()  # CI installs tesseract-ocr(-swe): fail, never skip
    return tmp_path_factory.mktemp("shapes")


def _read(shape: str, scans: Path) -> tuple[Record, Extraction, Score]:
    if shape not in _RESULTS:
        seed, style = PRINTS[shape]
        record = varied_record(seed)
        printed = render_pdf(record, style, scans / f"{shape}-print.pdf")
        pdf = scan_shape(printed, scans / f"{shape}.pdf", shape, seed)
        if shape == "jpeg150":
            pdf = _crop_outside(pdf)
        extraction = read_pdf_ocr(pdf, "no text layer")
        _RESULTS[shape] = (record, extraction, score(record, extraction))
    return _RESULTS[shape]


@pytest.mark.parametrize("shape", list(SHAPES))
def test_shape_reads_95_percent_exact(shape: str, scans: Path) -> None:
    record, extraction, s = _read(shape, scans)
    print(f"\n{shape}: {s.line()}")
    for key, want, got in s.wrong_keys:
        print(f"   {'SILENT' if (key, want, got) in s.silent_keys else 'flagged'} {key}: {want!r} -> {got!r}")
    assert extraction.source.method == "ocr: no text layer"
    assert extraction.record.get("kontakt.kommun") == record.get("kontakt.kommun")
    assert s.exact_share >= MIN_EXACT[shape], s.wrong_keys


@pytest.mark.parametrize("shape", list(SHAPES))
def test_no_amount_in_kr_is_silently_wrong(shape: str, scans: Path) -> None:
    _, extraction, s = _read(shape, scans)
    assert s.silent_kr == []
    flagged = [p for p in extraction.problems if p.code == "uncertain-ocr"]
    assert all(p.message.startswith("osäker tolkning") for p in flagged)


def test_silent_errors_are_rare_over_all_shapes(scans: Path) -> None:
    scores = [_read(shape, scans)[2] for shape in SHAPES]
    overall = total(scores)
    print(f"\nall shapes: {overall.line()}")
    assert overall.silent <= MAX_SILENT * overall.fields, overall.silent_keys
    assert overall.flagged_right_share <= MAX_FLAGGED_RIGHT


def test_crop_box_outside_the_page_is_read(scans: Path) -> None:
    _, extraction, s = _read("jpeg150", scans)
    assert not [p for p in extraction.problems if p.code == "ocr-failed"]
    assert s.exact_share >= 0.95


def test_year_repair_is_unambiguous_only() -> None:
    assert repair_year("2O2O") == 2020
    assert repair_year("202l:") == 2021
    assert repair_year("2O2") is None          # three digits: not a year
    assert repair_year("Z0Z0") == 2020
    assert repair_year("ZOZO") is None         # no real digit at all: a word, not a year
    assert repair_year("1850") is None         # not a grant year
    assert repair_year("20x0") is None         # "x" is not a digit look-alike
