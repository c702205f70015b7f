"""Benchmark: generating 300 pre-filled forms (fillable PDF, flattened PDF, DOCX), one process and two.

Run by hand: .venv/bin/python benchmarks/bench_generate.py [--count 300]
Each form is next year's form pre-filled from a varied copy of the sample record (other kommun, counts, texts,
names outside Latin-1). The PDFs embed DejaVu Sans subsets: the figures include subsetting and embedding, and
the size of the embedded font programs is printed. Wall time and CPU time are both printed, since the
machine the benchmark runs on is often shared.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pypdf import PdfReader

from formgen.generate import next_year_record, render_docx, render_pdf
from formgen.record import Record, record_from_json

ROOT = Path(__file__).resolve().parents[1]
KOMMUNER = ["Solna", "Sundbyberg", "Täby", "Österåker", "Järfälla", "Huddinge", "Nacka", "Lidingö", "Värmdö"]
PEOPLE = ["Áilu Ŋuorra-Čuđetić", "Łukasz Świątek", "Şükrü Yılmaz", "Anna Berg", "Mäkelä Päivi"]


def varied_records(count: int) -> list[Record]:
    """``count`` pre-filled 2021 records made from varied copies of the 2020 sample."""
    base = json.loads((ROOT / "samples" / "spanga-tensta-2020.json").read_text(encoding="utf-8"))
    rng = random.Random(2020)
    out = []
    for i in range(count):
        data = json.loads(json.dumps(base))
        data["kontakt"]["kommun"] = f"{rng.choice(KOMMUNER)} kommun {i}"
        data["kontakt"]["kontaktperson"] = rng.choice(PEOPLE)
        data["klienter"]["totalt"]["kvinnor"] = rng.randint(10, 400)
        data["ledningsgrupp"]["rekrytering"] = " ".join(rng.choices(base["samhallsservice"]["brister"].split(),
                                                                    k=rng.randint(5, 120)))
        record, _ = next_year_record(record_from_json(data), 2021)
        out.append(record.replace({"klienter.totalt.kvinnor": rng.randint(10, 400)}))
    return out


def _render(kind: str, record: Record) -> int:
    return len(_bytes(kind, record))


def _bytes(kind: str, record: Record) -> bytes:
    if kind == "fillable":
        return render_pdf(record, flatten=False)
    if kind == "flattened":
        return render_pdf(record, flatten=True)
    return render_docx(record)


def embedded_font_bytes(pdf: bytes) -> int:
    """Bytes of the embedded font programs (FontFile2 streams, compressed as stored) in a PDF."""
    total = 0
    seen: set[int] = set()
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            descriptor = font.get_object().get("/FontDescriptor")
            if descriptor is None or "/FontFile2" not in descriptor.get_object():
                continue
            stream = descriptor.get_object().raw_get("/FontFile2")
            if stream.idnum not in seen:
                seen.add(stream.idnum)
                total += len(stream.get_object()._data)
    return total


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
        walls, cpus, sizes = [], [], []
        for record in records:
            wall, cpu = time.perf_counter(), time.process_time()
            sizes.append(_render(kind, record))
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        one = sum(walls) * 1000 / len(records)
        with ProcessPoolExecutor(2) as pool:
            halves = [(kind, records[0::2]), (kind, records[1::2])]
            list(pool.map(_render_all, [(kind, records[:2])] * 2))  # warm the workers
            start = time.perf_counter()
            list(pool.map(_render_all, halves))
            two = (time.perf_counter() - start) * 1000 / len(records)
        print(f"  {kind:9s}: {one:6.1f} ms per form in one process (median {statistics.median(walls) * 1000:.1f} ms, "
              f"CPU median {statistics.median(cpus) * 1000:.1f} ms), {two:6.1f} ms per form with two "
              f"(target <= 50); {statistics.mean(sizes) / 1024:.0f} kB per form")
        if kind != "docx":
            font = embedded_font_bytes(_bytes(kind, records[0]))
            print(f"  {'':9s}  embedded DejaVu Sans subsets: {font / 1024:.0f} kB of the file")


if __name__ == "__main__":
    main()
