"""Flattened PDFs: the bundled samples extract exactly; what is not this form is refused; annotation draws."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractors.pdf_text import read_pdf_text
from extractors.registry import extract
from formgen.errors import InputError
from tests.helpers import ROOT, SAMPLES, record_diffs, sample_record_json

PRINTED = ["spanga-tensta-2020.pdf", "spanga-tensta-2020-grid.pdf", "spanga-tensta-2020-checkboxes.pdf"]
FORMGEN = [sys.executable, "-m", "formgen.cli"]


@pytest.mark.parametrize("name", PRINTED)
def test_printed_samples_extract_exactly(name: str) -> None:
    extraction = read_pdf_text(SAMPLES / name)
    assert record_diffs(sample_record_json(), extraction.record.to_json()) == []
    assert extraction.problems == ()
    assert extraction.source.year == 2020 and extraction.source.kind == "pdf"


def test_provenance_points_at_the_value_on_its_page() -> None:
    extraction = read_pdf_text(SAMPLES / "spanga-tensta-2020.pdf")
    prov = extraction.provenance["ekonomi.beviljat_kr"]
    assert prov.raw == "402 638 kr"
    assert prov.page is not None and prov.page >= 4
    x0, top, x1, bottom = prov.bbox
    assert 0 < x0 < x1 < 600 and 0 < top < bottom < 842
    assert extraction.provenance["utbildning.erbjuden"].raw in {"x", "X", "☒"}


def test_sandboxed_extract_gives_the_same_record() -> None:
    extraction = extract(SAMPLES / "spanga-tensta-2020-grid.pdf")
    assert record_diffs(sample_record_json(), extraction.record.to_json()) == []
    assert len(extraction.source.sha256) == 64


def _write_pdf(path: Path, lines: list[str]) -> None:
    c = canvas.Canvas(str(path), pagesize=A4)
    y = 800
    for line in lines:
        c.drawString(60, y, line)
        y -= 16
        if y < 60:
            c.showPage()
            y = 800
    c.save()


def test_a_narrative_report_is_not_this_form(tmp_path: Path) -> None:
    # a kommun's narrative report on personligt ombud (seed text): the subject's words, but not the form
    text = (Path(__file__).parent / "fixtures" / "000_b6c8b2903700a6b9.txt").read_text(encoding="utf-8")
    lines = [ln.strip()[:90] for ln in text.splitlines() if ln.strip()][:120]
    pdf = tmp_path / "berattelse.pdf"
    _write_pdf(pdf, [ln.encode("latin-1", "replace").decode("latin-1") for ln in lines])
    with pytest.raises(InputError) as err:
        read_pdf_text(pdf)
    assert err.value.code == "not-this-form"
    assert "not a Redovisning form" in err.value.reason


def test_cli_refuses_a_narrative_pdf_with_one_line_and_exit_2(tmp_path: Path) -> None:
    pdf = tmp_path / "rapport.pdf"
    _write_pdf(pdf, ["Årsrapport personligt ombud 2023"] + ["Verksamheten har utvecklats under året."] * 30)
    run = subprocess.run([*FORMGEN, "extract", str(pdf)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and str(pdf) in run.stderr
    assert "Traceback" not in run.stderr


def test_cli_extract_writes_json_and_annotation(tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    png = tmp_path / "x.png"
    run = subprocess.run([*FORMGEN, "extract", str(SAMPLES / "spanga-tensta-2020.pdf"), "-o", str(out),
                          "--annotate", str(png)], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"record", "source", "provenance", "problems"}
    assert record_diffs(sample_record_json(), data["record"]) == []
    assert data["provenance"]["kontakt.epost"]["raw"] == "mikael.illberg@stockholm.se"
    from PIL import Image

    with Image.open(png) as image:
        assert image.height > 6 * image.width  # six pages stacked
        # boxes are drawn in the annotation colour somewhere on the first page
        first_page = image.crop((0, 0, image.width, image.width * 1.4)).convert("RGB")
        colours = first_page.getcolors(maxcolors=1 << 22) or []
        assert any(rgb == (0, 110, 200) for _, rgb in colours)
