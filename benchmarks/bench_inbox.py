"""Benchmark ``formgen inbox``: 300 flattened submissions, cold run, warm rerun, peak memory.

Usage: ``python benchmarks/bench_inbox.py [--files 300] [--jobs N] [--keep]``

Inputs: 300 flattened submissions, three in four rendered by ``formgen.generate.render_pdf(record,
flatten=True)`` from records with varied kommun names and figures, one in four a bundled sample print
(three layouts) with a varied document /Subject (distinct bytes and sha256).
Targets on 2 cores: cold ≤ 20 s, warm ≤ 2 s, peak ≤ 500 MB (sum of the parent's and its largest child's
peak RSS, from ``resource.getrusage``; the children's figure is the largest single child, not a sum).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
LAYOUTS = ("spanga-tensta-2020.pdf", "spanga-tensta-2020-grid.pdf", "spanga-tensta-2020-checkboxes.pdf")


def build_inbox(dest: Path, count: int) -> str:
    """Write ``count`` distinct flattened PDFs into ``dest``; return how they were made."""
    dest.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(ROOT))
    from pypdf import PdfWriter

    from formgen.generate import render_pdf
    from formgen.record import record_from_json

    base = json.loads((SAMPLES / "spanga-tensta-2020.json").read_text(encoding="utf-8"))
    for i in range(count):
        if i % 4 != 3:
            data = json.loads(json.dumps(base))
            data["kontakt"]["kommun"] = f"Kommun {i:03d}"
            data["ekonomi"]["beviljat_kr"] += i
            data["ekonomi"]["forbrukat_kr"] += i
            (dest / f"kommun-{i:03d}.pdf").write_bytes(render_pdf(record_from_json(data), flatten=True))
            continue
        writer = PdfWriter(clone_from=str(SAMPLES / LAYOUTS[i % len(LAYOUTS)]))
        writer.add_metadata({"/Subject": f"Inskick nr {i}"})
        buffer = io.BytesIO()
        writer.write(buffer)
        (dest / f"inskick-{i:03d}.pdf").write_bytes(buffer.getvalue())
    return "rendered forms (varied kommun and figures) and sample prints (3 layouts) with a varied /Subject"


def run(cmd: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"formgen inbox failed ({done.returncode}): {done.stderr}")
    return elapsed, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-inbox-"))
    inbox, out, db = work / "inkorg", work / "ut", work / "store.db"
    started = time.perf_counter()
    how = build_inbox(inbox, args.files)
    print(f"inbox: {args.files} files ({how}), built in {time.perf_counter() - started:.1f} s")
    cmd = [sys.executable, "-m", "formgen", "inbox", str(inbox), "--out", str(out), "--store", str(db),
           "--jobs", str(args.jobs)]
    cold, rc = run(cmd)
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    warm, rc2 = run(cmd)
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak = child_peak + self_peak
    print(f"cores: {os.cpu_count()}  jobs: {args.jobs}")
    print(f"cold: {cold:6.2f} s  ({args.files / cold:.1f} files/s, exit {rc})   target ≤ 20 s")
    print(f"warm: {warm:6.2f} s  (exit {rc2})   target ≤ 2 s")
    print(f"peak RSS: largest child {child_peak:.0f} MB + bench {self_peak:.0f} MB = {peak:.0f} MB   "
          "target ≤ 500 MB")
    if args.keep:
        print(f"kept {work}")
    else:
        import shutil

        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
