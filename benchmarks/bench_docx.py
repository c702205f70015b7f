"""Benchmark: in-process extraction of the DOCX samples, and where the time goes (the label-reader path).

Run by hand: .venv/bin/python benchmarks/bench_docx.py [DOCX ...] [--runs N]
Wall time is the median of N calls; CPU time is the fastest call (process time), steadier on a busy machine.
Stages: unzip + XML parse, the document model, the words laid out (extractors.docx_words), the shared
layout reader, and the whole read_docx (detection, provenance places, typing the record, the file's hash).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from extractors.detect import detect_form
from extractors.docx_model import build_model
from extractors.docx_reader import load_document_xml, read_docx
from extractors.docx_words import docx_words
from extractors.layout_reader import read_layout

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = [ROOT / "samples" / "spanga-tensta-2020.docx", ROOT / "samples" / "spanga-tensta-2020-legacy.docx"]


def timed(func: Callable[[], object], runs: int) -> tuple[float, float]:
    """(median wall ms, fastest CPU ms) of ``runs`` calls after one warm-up call."""
    func()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), min(cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("docx", nargs="*", default=[str(p) for p in SAMPLES])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    for name in args.docx:
        bench_file(Path(name), args.runs)


def bench_file(path: Path, runs: int) -> None:
    """Print each stage's time for one document."""
    root = load_document_xml(path)
    model = build_model(root)
    found = detect_form(str(path), model.text())
    words = list(docx_words(model).words)
    stages: dict[str, Callable[[], object]] = {
        "unzip + parse XML": lambda: load_document_xml(path),
        "document model": lambda: build_model(root),
        "words laid out": lambda: docx_words(model),
        "layout reader": lambda: read_layout(words, found.form, found.year),
        "read_docx (all)": lambda: read_docx(path),
    }
    print(f"{path.name}: {len(words)} words, {runs} runs")
    for stage, func in stages.items():
        wall, cpu = timed(func, runs)
        print(f"  {stage:20s} wall {wall:7.1f} ms   cpu {cpu:7.1f} ms")

if __name__ == "__main__":
    main()
