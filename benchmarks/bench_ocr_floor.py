"""Benchmark: what Tesseract alone costs per character and per form page on this machine (the floor under
the OCR path's time per page, whatever formgen does around it).

Run by hand: .venv/bin/python benchmarks/bench_ocr_floor.py [--records 3]

Printed:
- the Swedish model's network (its version string: the LSTM layers the recognition runs per text line);
- synthetic pages of one Swedish line repeated, in three type sizes and with and without a wide gap between
  label and value: CPU per recognised character (the LSTM scales every text line to the network's input
  height, so the cost follows the number of characters, not the resolution, the type size or white space);
- clean (unscanned) prints of varied records, recognised page by page at the path's resolution: Tesseract's
  CPU per page, its characters, and the share of the page that is layout analysis rather than recognition.
Tesseract's threads are limited to one (OMP_THREAD_LIMIT=1), as in bench_ocr.py.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import struct  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import pypdfium2 as pdfium  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractors import ocr_engine as eng  # noqa: E402
from extractors.ocr import DPI  # noqa: E402
from tests.layout_factory import DEJAVU, Style, render_pdf  # noqa: E402
from tests.scan_factory import varied_record  # noqa: E402

LINE = "Ange antalet personliga ombud som arbetat under året"
VERSION_ENTRY = 23  # TESSDATA_VERSION in Tesseract's tessdata directory of components


def model_version(lang: str = eng.LANG) -> str:
    """The version string a traineddata file carries (Tesseract's own, with the LSTM network spec)."""
    path = Path(eng.tessdata_dir() or "") / f"{lang}.traineddata"
    data = path.read_bytes()
    (entries,) = struct.unpack_from("<i", data, 0)
    offsets = struct.unpack_from(f"<{entries}q", data, 4)
    start = offsets[VERSION_ENTRY] if entries > VERSION_ENTRY else -1
    if start < 0:
        return "(no version entry)"
    end = min([o for o in offsets if o > start] + [len(data)])
    return data[start:end].decode("utf-8", "replace")


def _timed(img: Image.Image) -> tuple[float, int]:
    """CPU seconds of one full recognition and the characters it read."""
    api = eng.engine(eng.LANG, 3)
    c = time.process_time()
    api.SetImage(img)
    api.SetSourceResolution(DPI)
    api.Recognize(0)
    spent = time.process_time() - c
    chars = sum(1 for ch in api.GetUTF8Text() if not ch.isspace())
    api.Clear()
    return spent, chars


def _layout_only(img: Image.Image) -> float:
    """CPU seconds of Tesseract's layout analysis alone (no recognition)."""
    api = eng.engine(eng.LANG, 3)
    c = time.process_time()
    api.SetImage(img)
    api.SetSourceResolution(DPI)
    api.AnalyseLayout()
    spent = time.process_time() - c
    api.Clear()
    return spent


def synthetic(px: int, gap: int, lines: int = 36) -> Image.Image:
    """A white A4 page at DPI with ``lines`` copies of one Swedish line, a value ``gap`` pixels after it."""
    font = ImageFont.truetype(str(DEJAVU / "DejaVuSans.ttf"), px)
    w, h = int(8.27 * DPI), int(11.69 * DPI)
    img = Image.new("L", (w, h), 255)
    draw = ImageDraw.Draw(img)
    step = int(px * 1.7)
    for i in range(min(lines, (h - 200) // step)):
        y = 100 + i * step
        draw.text((100, y), LINE, font=font, fill=0)
        draw.text((100 + int(draw.textlength(LINE, font=font)) + gap, y), "17", font=font, fill=0)
    return img


def main() -> None:
    """Print the model, the cost per character and the per-page floor on clean prints."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=3)
    args = ap.parse_args()
    print(f"model {eng.LANG}: {model_version()}")
    _timed(synthetic(22, 20))  # load the model before timing
    print("synthetic pages (CPU per recognised character):")
    for px, gap in ((16, 20), (22, 20), (30, 20), (22, 600)):
        spent, chars = _timed(synthetic(px, gap))
        print(f"  type {px:2d} px, gap {gap:3d} px: {spent:.2f}s for {chars} characters = "
              f"{1000 * spent / max(chars, 1):.2f} ms per character")
    print(f"clean prints of {args.records} varied records, {DPI} dpi, per page:")
    per_page: list[float] = []
    layout: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.records):
            style = Style("floor", font=("Helvetica", "DejaVuSerif", "Times-Roman")[i % 3], size=10 + i % 2)
            pdf = render_pdf(varied_record(700 + i), style, Path(tmp) / f"r{i}.pdf")
            doc = pdfium.PdfDocument(str(pdf))
            try:
                for n in range(len(doc)):
                    img = doc[n].render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
                    spent, chars = _timed(img)
                    lay = _layout_only(img)
                    per_page.append(spent)
                    layout.append(lay)
                    print(f"  record {i} page {n + 1}: {spent:.2f}s, {chars} characters, layout {lay:.2f}s")
            finally:
                doc.close()
    print(f"Tesseract alone per page: median {statistics.median(per_page):.2f}s, mean "
          f"{statistics.fmean(per_page):.2f}s, max {max(per_page):.2f}s; layout analysis median "
          f"{statistics.median(layout):.2f}s")


if __name__ == "__main__":
    main()
