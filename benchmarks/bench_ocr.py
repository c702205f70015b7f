"""Benchmark: OCR accuracy and speed per office scan shape, and how fast documents that are not the form are
refused.

Run by hand: .venv/bin/python benchmarks/bench_ocr.py [--per-shape 3] [--shapes grey200,bitonal300,...]
             [--nonform-pages 100] [--skip-accuracy] [--skip-nonform]

For each shape of tests.scan_factory.SHAPES, ``--per-shape`` varied records (tests.scan_factory.varied_record,
seeds unlike the tests') are printed by the independent test renderer in the print styles below in turn (typed
"x" and "X", bordered grids, drawn boxes, check marks "✓", ballot boxes "☒"), scanned in
that shape and read by extractors.ocr.read_pdf_ocr. Printed per shape: fields exact, wrong values without a
flag ("silent"; kr separately), flags on right values (tests.ocr_score), and time per page: CPU time of this
process (time.process_time: what one core spends, far less disturbed by other work on a shared machine than
wall time) and wall time. "per page" is a whole document's read (render, OCR, marks, the label reader, the
re-reads of numbers, the checks) divided by its pages, median and slowest document; "page pass" is the
slowest single page's own pass (extractors.ocr.ocr_page: render to words and marks). A Markdown table of
the figures closes the run (what the README quotes). Then non-form documents: a long English report with a
text layer and image-only pages of English text, refused by extractors.registry.read_pdf (CPU and wall).
Tesseract's own threads are limited to one (OMP_THREAD_LIMIT=1) so that "one core" means one core.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import pypdfium2 as pdfium  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors import ocr as ocr_module  # noqa: E402
from extractors.ocr import read_pdf_ocr  # noqa: E402
from extractors.registry import ReadOptions, read_pdf  # noqa: E402
from formgen.errors import InputError  # noqa: E402
from formgen.record import Record  # noqa: E402
from tests.layout_factory import DRAWN, Style, WordTooWide, render_pdf  # noqa: E402
from tests.ocr_score import Score, score, total  # noqa: E402
from tests.scan_factory import SHAPES, scan_shape, varied_record  # noqa: E402

STYLES = [
    Style("word-x", column_jitter=(0, -40, 25)),
    Style("grid-X-borders", font="DejaVuSans", size=9, borders=True, tick="X", col_width=50, label_width=260,
          margins=(40, 40, 40, 40)),
    Style("serif-boxes", font="DejaVuSerif", size=11, tick=DRAWN, borders=True, col_width=56),
    Style("times-12", font="Times-Roman", size=12, tick="X", margins=(60, 50, 60, 50)),
    Style("check-times-12", font="Times-Roman", size=12, tick="✓", cells_per_row=2, col_width=80),
    Style("ballot-dejavu-13", font="DejaVuSans", size=13, tick="☒", col_width=50, cells_per_row=2),
]
SEED0 = 100  # the tests use seeds 11–14
SHAPE_ORDER = list(SHAPES)  # a shape's seeds stay the same whichever shapes are asked for


class PageClock:
    """Wraps extractors.ocr.ocr_page to time every page (CPU and wall)."""

    def __init__(self) -> None:
        self.cpu: list[float] = []
        self.wall: list[float] = []
        self._real = ocr_module.ocr_page

    def __enter__(self) -> PageClock:
        def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            c, w = time.process_time(), time.perf_counter()
            try:
                return self._real(*args, **kwargs)
            finally:
                self.cpu.append(time.process_time() - c)
                self.wall.append(time.perf_counter() - w)

        ocr_module.ocr_page = timed
        return self

    def __exit__(self, *exc: object) -> None:
        ocr_module.ocr_page = self._real


def _printed(seed: int, style: Style, out: Path) -> tuple[Record, Path]:
    """A varied record printed in ``style``: the seed's, or the next (by 1000) whose words fit the style's cells."""
    for attempt in range(seed, seed + 10_000, 1000):
        record = varied_record(attempt)
        try:
            return record, render_pdf(record, style, out)
        except WordTooWide:
            continue
    raise RuntimeError(f"no record of seed {seed}… fits style {style.name}")


def _accuracy(shapes: list[str], per_shape: int, tmp: Path) -> None:
    print(f"OCR per scan shape ({per_shape} varied records each; CPU = time.process_time of this process)")
    everything: list[Score] = []
    rows: list[str] = []
    for shape in shapes:
        scores = []
        doc_cpu: list[float] = []  # per document: CPU of the whole read / its pages
        with PageClock() as clock:
            for i in range(per_shape):
                seed = SEED0 + 10 * SHAPE_ORDER.index(shape) + i
                style = STYLES[(per_shape * SHAPE_ORDER.index(shape) + i) % len(STYLES)]  # every style in turn
                record, printed = _printed(seed, style, tmp / f"{shape}-{i}-print.pdf")
                pdf = scan_shape(printed, tmp / f"{shape}-{i}.pdf", shape, seed)
                pages_before, c = len(clock.cpu), time.process_time()
                scores.append(score(record, read_pdf_ocr(pdf, "no text layer")))
                doc_cpu.append((time.process_time() - c) / max(1, len(clock.cpu) - pages_before))
        s = total(scores)
        everything.append(s)
        print(f"  {shape:11s} {s.line()}; silent kr {len(s.silent_kr)}")
        print(f"  {'':11s} per page CPU median {statistics.median(doc_cpu):.2f}s max {max(doc_cpu):.2f}s "
              f"(whole read / pages); page pass CPU median {statistics.median(clock.cpu):.2f}s "
              f"max {max(clock.cpu):.2f}s, wall median {statistics.median(clock.wall):.2f}s "
              f"max {max(clock.wall):.2f}s ({len(clock.cpu)} pages)")
        for key, want, got in s.silent_keys:
            print(f"  {'':11s} silent: {key}: {want!r} -> {got!r}")
        rows.append(f"| {shape} | {s.exact_share:.1%} | {s.silent_share:.2%} ({s.silent}) | "
                    f"{s.flagged_right_share:.1%} | {statistics.median(doc_cpu):.2f} s / {max(doc_cpu):.2f} s | "
                    f"{max(clock.cpu):.2f} s |")
    a = total(everything)
    print(f"  {'all':11s} {a.line()}")
    print()
    print(f"| shape ({per_shape} varied records each) | fields exact | wrong without flag | right values flagged | "
          "CPU per page median / max | slowest page pass |")
    print("|---|---|---|---|---|---|")
    print("\n".join(rows))
    print(f"| all | {a.exact_share:.1%} | {a.silent_share:.2%} ({a.silent}) | {a.flagged_right_share:.1%} | | |")


def _english_pdf(path: Path, pages: int) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    line = ("The committee reviewed the annual results of the project and found that the measurements taken "
            "during the year were consistent with the plan, as described in the tables of this report. ") * 3
    c = canvas.Canvas(str(path), pagesize=A4)
    for p in range(pages):
        c.setFont("Helvetica", 10)
        for i in range(45):
            start = (i * 17 + p * 5) % 200
            c.drawString(56, 790 - i * 16, line[start:start + 92])
        c.showPage()
    c.save()
    return path


def _image_pdf(src: Path, path: Path, pages: int) -> Path:
    doc = pdfium.PdfDocument(str(src))
    try:
        images = [doc[i % len(doc)].render(scale=200 / 72, grayscale=True).to_pil().convert("L") for i in range(pages)]
    finally:
        doc.close()
    images[0].save(path, "PDF", resolution=200.0, save_all=True, append_images=images[1:])
    return path


def _nonform(pages: int, tmp: Path) -> None:
    print(f"Documents that are not the form ({pages} pages each), refused by read_pdf in this process")
    english = _english_pdf(tmp / "english.pdf", pages)
    cases = {"English report, text layer": english,
             "English text as page images": _image_pdf(english, tmp / "english-images.pdf", min(pages, 30))}
    for name, path in cases.items():
        c, w = time.process_time(), time.perf_counter()
        try:
            read_pdf(path, ReadOptions())
            outcome = "READ (wrong!)"
        except InputError as exc:
            outcome = f"{exc.code}: {exc.reason[:70]}"
        print(f"  {name}: CPU {time.process_time() - c:.2f}s, wall {time.perf_counter() - w:.2f}s — {outcome}")


def main() -> None:
    """Print accuracy and timing per scan shape, then non-form refusal times."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--per-shape", type=int, default=3)
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--nonform-pages", type=int, default=100)
    ap.add_argument("--skip-accuracy", action="store_true")
    ap.add_argument("--skip-nonform", action="store_true")
    args = ap.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_accuracy:
            _accuracy(args.shapes.split(","), args.per_shape, Path(tmp))
        if not args.skip_nonform:
            _nonform(args.nonform_pages, Path(tmp))
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
