"""Benchmark: generating 300 pre-filled forms (fillable PDF, flattened PDF, DOCX), one process and two.

Run by hand: .venv/bin/python benchmarks/bench_generate.py [--count 300]
Each form is next year's form pre-filled from a varied copy of the sample record (other kommun, counts, texts).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from formgen.generate import next_year_record, render_docx, render_pdf
from formgen.record import Record, record_from_json

ROOT = Path(__file__).resolve().parents[1]
KOMMUNER = ["Solna", "Sundbyberg", "Täby", "Österåker", "Järfälla", "Huddinge", "Nacka", "Lidingö", "Värmdö"]


def varied_records(count: int) -> list[Record]:
    """``count`` pre-filled 2021 records made from varied copies of the 2020 sample."""
    base = json.loads((ROOT / "samples" / "spanga-tensta-2020.json").read_text(encoding="utf-8"))
    rng = random.Random(2020)
    out = []
    for i in range(count):
        data = json.loads(json.dumps(base))
        data["kontakt"]["kommun"] = f"{rng.choice(KOMMUNER)} kommun {i}"
        data["klienter"]["totalt"]["kvinnor"] = rng.randint(10, 400)
        data["ledningsgrupp"]["rekrytering"] = " ".join(rng.choices(base["samhallsservice"]["brister"].split(),
                                                                    k=rng.randint(5, 120)))
        record, _ = next_year_record(record_from_json(data), 2021)
        out.append(record.replace({"klienter.totalt.kvinnor": rng.randint(10, 400)}))
    return out


def _render(kind: str, record: Record) -> int:
    if kind == "fillable":
        return len(render_pdf(record, flatten=False))
    if kind == "flattened":
        return len(render_pdf(record, flatten=True))
    return len(render_docx(record))


def _render_all(args: tuple[str, list[Record]]) -> int:
    kind, records = args
    return sum(_render(kind, r) for r in records)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()
    records = varied_records(args.count)
    print(f"{args.count} pre-filled 2021 forms")
    for kind in ("fillable", "flattened", "docx"):
        _render(kind, records[0])
        start = time.perf_counter()
        _render_all((kind, records))
        one = (time.perf_counter() - start) * 1000 / len(records)
        with ProcessPoolExecutor(2) as pool:
            halves = [(kind, records[0::2]), (kind, records[1::2])]
            list(pool.map(_render_all, [(kind, records[:2])] * 2))  # warm the workers
            start = time.perf_counter()
            list(pool.map(_render_all, halves))
            two = (time.perf_counter() - start) * 1000 / len(records)
        print(f"  {kind:9s}: {one:6.1f} ms per form in one process, {two:6.1f} ms per form with two (target <= 50)")


if __name__ == "__main__":
    main()
