"""OCR of scanned submissions: scans made from the samples (tests/scan_factory.py), read by extractors.ocr.

Three documents are OCR'd once each (module-scoped fixtures): a clean 200 dpi scan of the sample, the
checkbox sample scanned with the "@" of one e-mail erased, and a 1.5° rotated, speckled, blurred scan with
page 3 upside down. The Python binding is optional (skip); the tesseract program and Swedish data are not:
without them these tests fail, they do not skip.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("tesserocr")

from extractors import ocr_engine  # noqa: E402
from extractors.assemble import Reading  # noqa: E402
from extractors.base import Extraction  # noqa: E402
from extractors.ocr import ocr_available, ocr_words, read_pdf_ocr  # noqa: E402
from extractors.ocr_checks import repair_reading  # noqa: E402
from extractors.pdf_text import load_words, text_layer_problem  # noqa: E402
from formgen.spec import load_form  # noqa: E402
from tests.helpers import SAMPLES, flatten, record_diffs, sample_record_json  # noqa: E402
from tests.scan_factory import char_boxes, garbage_text_layer, ps_roundtrip, scan_pdf  # noqa: E402

SAMPLE = SAMPLES / "spanga-tensta-2020.pdf"
CHECKBOXES = SAMPLES / "spanga-tensta-2020-checkboxes.pdf"
MARK_TYPES = ("choice", "flag")


def _require_ocr() -> None:
    problem = ocr_available()
    assert problem is None, problem  # CI installs tesseract-ocr and tesseract-ocr-swe: fail, never skip


def _exact(ex: Extraction) -> tuple[float, list]:
    want = sample_record_json()
    diffs = record_diffs(want, ex.record.to_json())
    return 1 - len(diffs) / len(flatten(want)), diffs


def _mark_keys() -> list[str]:
    form = load_form(2020)
    return [k for k, spec in form.fields_for_year(2020).items() if spec.type in MARK_TYPES]


def _mark_diffs(ex: Extraction) -> list[tuple[str, object, object]]:
    want, got = flatten(sample_record_json()), flatten(ex.record.to_json())
    return [(k, want.get(k), got.get(k)) for k in _mark_keys() if want.get(k) != got.get(k)]


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scans")


@pytest.fixture(scope="module")
def clean(scans: Path) -> Extraction:
    _require_ocr()
    return read_pdf_ocr(scan_pdf(SAMPLE, scans / "clean.pdf", dpi=200), "no text layer")


@pytest.fixture(scope="module")
def checkboxes(scans: Path) -> Extraction:
    _require_ocr()
    at = [box for box in char_boxes(CHECKBOXES, 1, "@") if box[3] < 200 and box[2] > 300]  # kontakt.epost's "@"
    assert len(at) == 1
    pdf = scan_pdf(CHECKBOXES, scans / "checkboxes.pdf", dpi=200, rotate=0.5, speckle=0.0005, erase=at, seed=2)
    return read_pdf_ocr(pdf, "no text layer")


@pytest.fixture(scope="module")
def rotated(scans: Path) -> Extraction:
    _require_ocr()
    pdf = scan_pdf(SAMPLE, scans / "rotated.pdf", dpi=200, rotate=1.5, speckle=0.002, blur=0.6,
                   jpeg_quality=60, upside_down=[3], seed=1)
    return read_pdf_ocr(pdf, "text layer unreadable")


def test_clean_scan_reads_95_percent_exact(clean: Extraction) -> None:
    exact, diffs = _exact(clean)
    assert exact >= 0.95, diffs
    assert clean.source.method == "ocr: no text layer"


def test_clean_scan_marks_all_right(clean: Extraction) -> None:
    assert _mark_diffs(clean) == []


def test_values_carry_ocr_confidence_and_page_boxes(clean: Extraction) -> None:
    prov = clean.provenance["kontakt.postort"]
    assert prov.confidence is not None and 0 < prov.confidence <= 1
    assert prov.page == 1 and prov.bbox is not None
    assert all(0 <= v <= 842 for v in prov.bbox)


def test_wrong_values_are_flagged_not_silent(clean: Extraction) -> None:
    """Every count OCR got wrong in a grid with age bands is named by an "uncertain-ocr" problem."""
    flagged = {k for p in clean.problems for k in p.fields if p.code in ("uncertain-ocr", "unreadable-value")}
    _, diffs = _exact(clean)
    wrong_counts = [k for k, _, _ in diffs if k.startswith("klienter.") and not k.endswith("hemmavarande_barn")]
    assert set(wrong_counts) <= flagged
    assert all(p.message.startswith("osäker tolkning") for p in clean.problems if p.code == "uncertain-ocr")


def test_checkbox_scan_marks_all_right(checkboxes: Extraction) -> None:
    assert _mark_diffs(checkboxes) == []


def test_erased_at_sign_becomes_uncertain_ocr(checkboxes: Extraction) -> None:
    problems = [p for p in checkboxes.problems if p.code == "uncertain-ocr" and "kontakt.epost" in p.fields]
    assert problems, checkboxes.problems
    assert "osäker tolkning" in problems[0].message and "kontakt.epost" in problems[0].message
    assert checkboxes.record.get("kontakt.epost") != "mikael.illberg@stockholm.se" or problems


def test_rotated_speckled_scan_reads_90_percent_exact(rotated: Extraction) -> None:
    exact, diffs = _exact(rotated)
    assert exact >= 0.90, diffs
    assert rotated.source.method == "ocr: text layer unreadable"


def test_upside_down_page_is_read(rotated: Extraction) -> None:
    """Page 3 (section 3 and 4 marks and texts) was scanned upside down."""
    assert rotated.record.get("tillgang.ko") == "nej"
    assert rotated.record.get("tillgang.prioritering") == "ja"
    assert rotated.provenance["tillgang.prioritering_ordning"].page == 3


def test_ocr_words_in_original_page_points(scans: Path) -> None:
    _require_ocr()
    pdf = scan_pdf(SAMPLE, scans / "page1.pdf", dpi=200, upside_down=[1], pages=[1])
    words = {w.text: (w, c) for w, c in ocr_words(pdf)}
    word, conf = words["REDOVISNING"]
    # printed at the top left; scanned upside down it stands at the bottom right of the original page
    assert word.x0 > 400 and word.top > 750
    assert 0.5 < conf <= 1


def test_ocr_available_names_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ocr_engine, "TESSERACT_BINARY", "no-such-tesseract-binary")
    assert ocr_available() == "Tesseract saknas: installera tesseract-ocr och tesseract-ocr-swe"


def test_unreadable_text_layers_are_detected(tmp_path: Path) -> None:
    garbage = garbage_text_layer(SAMPLE, tmp_path / "garbage.pdf")
    assert text_layer_problem(load_words(garbage)) == "text layer unreadable"
    printed = ps_roundtrip(SAMPLE, tmp_path / "printed.pdf")
    assert text_layer_problem(load_words(printed)) in (None, "text layer unreadable")
    scanned = scan_pdf(SAMPLE, tmp_path / "scan.pdf", dpi=150, pages=[1])
    assert text_layer_problem(load_words(scanned)) == "no text layer"


def test_repairs_are_unambiguous_and_noted() -> None:
    fields = load_form(2020).fields_for_year(2020)
    kr = repair_reading(fields["ekonomi.beviljat_kr"], Reading(raw="4O2 638"))
    assert kr.raw == "402 638" and kr.note and "4O2 638" in kr.note
    email = repair_reading(fields["kontakt.epost"], Reading(raw="mikael.illberg(at)stockholm.se"))
    assert email.raw == "mikael.illberg@stockholm.se" and email.note
    count = repair_reading(fields["klienter.totalt.kvinnor"], Reading(raw="l5"))
    assert count.raw == "15"
    text = repair_reading(fields["kontakt.postort"], Reading(raw="SpOnga"))
    assert text.raw == "SpOnga" and text.note is None
