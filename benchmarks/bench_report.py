"""Benchmark ``formgen report``: the national report over 290 submissions (one per kommun), every format.

Usage: ``python benchmarks/bench_report.py [--submissions 290] [--runs 3] [--publish] [--keep]``

The store is filled through the store API with 290 records (the bundled sample with varied kommun names from
formgen/data/kommuner.yaml and varied figures, a tenth of them joint verksamheter naming övriga kommuner),
then ``build_report`` + ``write_report`` (DOCX with the chart, XLSX, Markdown) run in one process; the figure is
the median wall time of ``--runs`` runs, with the split between building and writing.
Target on 2 cores: ≤ 3 s.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 3.0


def fill_store(db: Path, count: int) -> None:
    sys.path.insert(0, str(ROOT))
    from formgen.places import all_kommuner
    from formgen.store import NewSubmission, open_store

    base = json.loads((ROOT / "samples" / "spanga-tensta-2020.json").read_text(encoding="utf-8"))
    kommuner = list(all_kommuner())
    rng = random.Random(2020)
    with open_store(db) as store:
        for i in range(count):
            kommun = kommuner[i % len(kommuner)]
            record = copy.deepcopy(base)
            record["kontakt"]["kommun"] = f"{kommun.name} kommun" + (f" {i}" if i >= len(kommuner) else "")
            if i % 10 == 0:
                record["kontakt"]["ovriga_kommuner"] = [k.name for k in kommuner if k.lan_code == kommun.lan_code][:3]
            for flow in ("totalt", "nya", "avslutade"):
                for g in ("kvinnor", "man"):
                    bands = [rng.randint(0, 30) for _ in range(4)]
                    for key, value in zip(("alder_18_29", "alder_30_49", "alder_50_64", "alder_65_plus"), bands,
                                          strict=True):
                        record["klienter"][flow][key][g] = value
                    record["klienter"][flow][g] = sum(bands)
            record["ekonomi"]["beviljat_kr"] = rng.randint(200_000, 2_000_000)
            record["ekonomi"]["forbrukat_kr"] = record["ekonomi"]["beviljat_kr"] - rng.randint(0, 50_000)
            status = "errors" if i % 25 == 0 else "ok"
            findings = [{"code": "x", "severity": "error", "fields": [], "message": "Exempel på fel"}] if status == \
                "errors" else []
            store.add(NewSubmission(hashlib.sha256(f"{i}".encode()).hexdigest(), f"in/{i}.pdf",
                                    record["kontakt"]["kommun"], 2020, "2020", record, findings, status, "bench"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=290)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--publish", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print it")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-report-"))
    db = tmp / "store.sqlite3"
    fill_store(db, args.submissions)
    from formgen.report import build_report, write_report

    times, builds, cpus = [], [], []
    for run in range(args.runs):
        out = tmp / f"out-{run}"
        cpu = time.process_time()
        started = time.perf_counter()
        report = build_report(db, 2020, publish=args.publish)
        built = time.perf_counter()
        paths = write_report(report, out, "all")
        done = time.perf_counter()
        times.append(done - started)
        builds.append(built - started)
        cpus.append(time.process_time() - cpu)
        print(f"run {run + 1}: {done - started:.2f} s wall, {cpus[-1]:.2f} s CPU (build {built - started:.2f} s, "
              f"write {done - built:.2f} s), {len(paths)} files, {report.submissions} verksamheter")
    median = statistics.median(times)
    print(f"national report over {args.submissions} submissions: median {median:.2f} s wall, "
          f"{statistics.median(cpus):.2f} s CPU (build {statistics.median(builds):.2f} s); load average "
          f"{os.getloadavg()[0]:.1f}; target ≤ {TARGET_S:.0f} s: {'OK' if median <= TARGET_S else 'SLOW'}")
    print("the first run includes importing matplotlib, python-docx and openpyxl")
    if args.keep:
        print(tmp)


if __name__ == "__main__":
    main()
