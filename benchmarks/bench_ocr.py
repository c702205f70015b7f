"""Benchmark: OCR of a scanned 6-page submission, per page and per submission, one core and a process pool.

Run by hand: .venv/bin/python benchmarks/bench_ocr.py [PDF] [--dpi 200] [--workers 2]
Without a PDF, a 200 dpi scan of samples/spanga-tensta-2020.pdf is made first (tests/scan_factory.py).
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
from concurrent.futures import ProcessPoolExecutor  # noqa: E402
from pathlib import Path  # noqa: E402

import pypdfium2 as pdfium  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors.ocr import DPI, ocr_page, read_pdf_ocr  # noqa: E402


def _page_times(path: Path, dpi: int) -> list[float]:
    doc = pdfium.PdfDocument(str(path))
    try:
        ocr_page(doc[0], 1, dpi)  # warm-up: engine initialisation
        times = []
        for i, page in enumerate(doc):
            t = time.perf_counter()
            ocr_page(page, i + 1, dpi)
            times.append(time.perf_counter() - t)
        return times
    finally:
        doc.close()


def _one_submission(args: tuple[str, int]) -> float:
    path, dpi = args
    t = time.perf_counter()
    read_pdf_ocr(Path(path), "no text layer", dpi)
    return time.perf_counter() - t


def main() -> None:
    """Print per-page and per-submission OCR times."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pdf", nargs="?", type=Path)
    ap.add_argument("--dpi", type=int, default=DPI)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--submissions", type=int, default=4, help="submissions OCR'd by the pool")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.pdf
        if path is None:
            from tests.scan_factory import scan_pdf

            path = scan_pdf(ROOT / "samples" / "spanga-tensta-2020.pdf", Path(tmp) / "scan.pdf", dpi=200)
        pages = _page_times(path, args.dpi)
        print(f"{path.name} at {args.dpi} dpi, one core")
        print("  per page:  " + "  ".join(f"{t:.2f}s" for t in pages)
              + f"   median {statistics.median(pages):.2f}s, max {max(pages):.2f}s")
        _one_submission((str(path), args.dpi))  # warm-up
        one = _one_submission((str(path), args.dpi))
        print(f"  per {len(pages)}-page submission (read_pdf_ocr): {one:.2f}s")
        jobs = [(str(path), args.dpi)] * args.submissions
        for workers in sorted({1, args.workers}):
            t = time.perf_counter()
            with ProcessPoolExecutor(workers) as pool:
                list(pool.map(_one_submission, jobs))
            wall = time.perf_counter() - t
            print(f"  {args.submissions} submissions, {workers} process(es): {wall:.1f}s wall, "
                  f"{wall / args.submissions:.2f}s per submission, "
                  f"{wall / (args.submissions * len(pages)):.2f}s per page")


if __name__ == "__main__":
    main()
