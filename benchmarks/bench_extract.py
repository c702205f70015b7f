"""Benchmark: median in-process extract() of a flattened 6-page submission vs the raw PDFium text floor.

Run by hand: .venv/bin/python benchmarks/bench_extract.py [PDF] [--runs N]
The floor is what PDFium itself needs to give every character's text and box (pypdfium2, one call per char).
"""

from __future__ import annotations

import argparse
import ctypes
import statistics
import time
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.registry import ReadOptions, read_pdf

ROOT = Path(__file__).resolve().parents[1]


def pdfium_floor(path: Path) -> None:
    """Open the PDF and read every page's text and every character's box."""
    doc = pdfium.PdfDocument(str(path))
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    for page in doc:
        textpage = page.get_textpage()
        count = textpage.count_chars()
        textpage.get_text_range(0, count)
        for i in range(count):
            pdfium_c.FPDFText_GetCharBox(textpage.raw, i, left, right, bottom, top)
        textpage.close()
    doc.close()


def median_ms(func, runs: int) -> float:  # noqa: ANN001 - any zero-argument callable
    """Median wall time of ``runs`` calls, in milliseconds (after one warm-up call)."""
    func()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pdf", nargs="?", default=str(ROOT / "samples" / "spanga-tensta-2020.pdf"))
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    path = Path(args.pdf)
    floor = median_ms(lambda: pdfium_floor(path), args.runs)
    full = median_ms(lambda: read_pdf(path, ReadOptions()), args.runs)
    pages = len(pdfium.PdfDocument(str(path)))
    print(f"file: {path.name} ({pages} pages), {args.runs} runs, medians")
    print(f"  PDFium text + char boxes (floor): {floor:7.1f} ms")
    print(f"  formgen extract() in-process:     {full:7.1f} ms")
    print(f"  ratio extract / floor:            {full / floor:7.2f}x   (target: <= 4x and <= 60 ms)")


if __name__ == "__main__":
    main()
