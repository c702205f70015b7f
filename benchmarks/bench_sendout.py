"""Benchmark: a län's send-out of 26 forms as fillable PDF and DOCX (target ≤ 5 s).

Run by hand: .venv/bin/python benchmarks/bench_sendout.py [--runs 3]
The store holds 20 varied 2020 submissions of Stockholms län (a Stockholm stadsdel and 19 other kommuner, one
with errors); the send-out for 2021 writes those 20 pre-filled forms and blank forms for the 6 kommuner with no
record: 26 forms, 52 files, plus utskick.csv/.xlsx. Timed: the whole ``formgen generate --from-store`` command
in a fresh process (imports included), and ``send_out`` in-process with one and two processes (first run, then
the median of the rest) with its CPU time (on a shared machine the wall time depends on the others' load).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from formgen.generate.sendout import send_out
from formgen.places import kommuner_in, lan_named
from formgen.record import record_from_json
from formgen.store import NewSubmission, open_store

ROOT = Path(__file__).resolve().parents[1]
STADSDELAR = ["Rinkeby-Kista"]


def make_store(path: Path) -> None:
    """20 varied 2020 records of Stockholms län in a new store at ``path``."""
    base = json.loads((ROOT / "samples" / "spanga-tensta-2020.json").read_text(encoding="utf-8"))
    rng = random.Random(2021)
    others = [k.name for k in kommuner_in(lan_named("Stockholm")) if k.name != "Stockholm"][:19]
    names = [f"{s} stadsdelsförvaltning, Stockholms stad" for s in STADSDELAR] + [f"{k} kommun" for k in others]
    with open_store(path) as store:
        for i, name in enumerate(names):
            data = json.loads(json.dumps(base))
            data["kontakt"]["kommun"] = name
            data["kontakt"]["kontaktperson"] = f"Kontakt {i}"
            data["klienter"]["totalt"]["kvinnor"] = rng.randint(30, 400)
            data["ledningsgrupp"]["rekrytering"] = " ".join(rng.choices(
                base["samhallsservice"]["brister"].split(), k=rng.randint(5, 120)))
            record = record_from_json(data).to_json()
            sha = hashlib.sha256(json.dumps(record, sort_keys=True).encode()).hexdigest()
            findings = [{"code": "x", "severity": "error", "fields": ["kontakt.telefon"], "message": "x"}] \
                if i == 7 else []
            store.add(NewSubmission(sha, f"{i}.pdf", name, 2020, "2020", record, findings,
                                    "errors" if findings else "ok", "bench"))


def _cpu() -> float:
    """CPU seconds of this process and its finished children: the run's cost without the other load."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "formgen.sqlite3"
        make_store(db)
        start, start_cpu = time.perf_counter(), _cpu()
        subprocess.run([sys.executable, "-m", "formgen", "generate", "--year", "2021", "--from-store", "--lan",
                        "Stockholm", "--store", str(db), "--format", "both", "-o", str(Path(tmp) / "cli")],
                       check=True, capture_output=True)
        cli, cli_cpu = time.perf_counter() - start, _cpu() - start_cpu
        times: dict[int, list[float]] = {1: [], 2: []}
        cpu: dict[int, list[float]] = {1: [], 2: []}
        for run in range(args.runs):
            for jobs in (1, 2):
                start, start_cpu = time.perf_counter(), _cpu()
                result = send_out(db, 2021, lan_named("Stockholm"), Path(tmp) / f"run{run}-{jobs}", "both", jobs=jobs)
                times[jobs].append(time.perf_counter() - start)
                cpu[jobs].append(_cpu() - start_cpu)
        files = len(result.form_files)
    print(f"send-out of {len(result.rows)} forms ({files} files: PDF and DOCX) + utskick.csv/.xlsx")
    print(f"  CLI in a fresh process (imports included, --jobs 2): {cli:.2f} s; CPU time {cli_cpu:.2f} s")
    for jobs, measured in times.items():
        median = statistics.median(measured[1:] or measured)
        print(f"  in-process, {jobs} process(es): first {measured[0]:.2f} s, then median {median:.2f} s "
              f"({median / len(result.rows) * 1000:.0f} ms per form, both formats); CPU time "
              f"{statistics.median(cpu[jobs][1:] or cpu[jobs]):.2f} s (this process and its workers)")
    print("  target: ≤ 5 s")


if __name__ == "__main__":
    main()
