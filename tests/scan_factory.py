"""Test data for OCR: scans made from any PDF (image-only PDFs), and PDFs whose text layer is unreadable.

scan_pdf() renders each page like a scanner would: at 150/200/300 dpi, slightly rotated, speckled, blurred,
JPEG-compressed, optionally one page upside down or a region smudged, and wraps the images as an image-only
PDF whose pages have the original size in points. ps_roundtrip() is the PostScript print path
(pdftops + ps2pdf); garbage_text_layer() removes the fonts' ToUnicode maps and scrambles the text encoding so
that "text layer unreadable" is exercised even where the print path keeps the text.

Run by hand to make files: .venv/bin/python -m tests.scan_factory IN.pdf OUT.pdf [--dpi 200 --rotate 1.5 ...]
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter

Region = tuple[int, float, float, float, float]  # page (1-based), x0, top, x1, bottom in PDF points


def render_page(page: pdfium.PdfPage, dpi: int) -> Image.Image:
    """A page as a greyscale image at ``dpi``."""
    return page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")


def scan_image(img: Image.Image, *, rotate: float = 0.0, speckle: float = 0.0, blur: float = 0.0,
               upside_down: bool = False, rng: random.Random | None = None) -> Image.Image:
    """Make a clean rendering look scanned: rotation (degrees, counter-clockwise), speckle (fraction of
    pixels flipped to dark or light dots), blur (Gaussian radius in pixels), paper grey and upside down."""
    rng = rng or random.Random(0)
    if rotate:
        img = img.rotate(rotate, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    if speckle:
        w, h = img.size
        px = img.load()
        for _ in range(int(w * h * speckle)):
            x, y = rng.randrange(w), rng.randrange(h)
            px[x, y] = rng.choice((30, 60, 235))
    # paper is never quite white, toner never quite black
    img = img.point(lambda v: 40 + v * 205 // 255)
    if upside_down:
        img = img.rotate(180)
    return img


def smudge(img: Image.Image, box: tuple[int, int, int, int], radius: float = 6.0) -> Image.Image:
    """Blur one region of an image hard (an unreadable spot on a scan)."""
    region = img.crop(box).filter(ImageFilter.GaussianBlur(radius))
    out = img.copy()
    out.paste(region, box)
    return out


def images_to_pdf(images: Sequence[Image.Image], out: Path, dpi: int, jpeg_quality: int = 75) -> Path:
    """An image-only PDF, each image JPEG-compressed, pages sized so that ``dpi`` pixels make an inch."""
    jpegs = []
    for img in images:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=jpeg_quality)
        buf.seek(0)
        jpegs.append(Image.open(buf))
    jpegs[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=jpegs[1:])
    return out


def scan_pdf(src: Path, out: Path, *, dpi: int = 200, rotate: float = 0.0, speckle: float = 0.0,
             blur: float = 0.0, jpeg_quality: int = 75, upside_down: Iterable[int] = (),
             smudges: Iterable[Region] = (), erase: Iterable[Region] = (), pages: Iterable[int] | None = None,
             seed: int = 0) -> Path:
    """An image-only "scan" of ``src`` (pages 1-based; ``upside_down`` pages are turned 180°; ``smudges``
    are regions in PDF points blurred beyond reading, ``erase`` regions painted white)."""
    rng = random.Random(seed)
    flipped = set(upside_down)
    smudged = list(smudges)
    erased = list(erase)
    doc = pdfium.PdfDocument(str(src))
    images = []
    try:
        wanted = set(pages) if pages is not None else None
        for i, page in enumerate(doc, start=1):
            if wanted is not None and i not in wanted:
                continue
            img = render_page(page, dpi)
            k = dpi / 72
            for p, x0, top, x1, bottom in smudged:
                if p == i:
                    img = smudge(img, (int(x0 * k), int(top * k), int(x1 * k), int(bottom * k)))
            for p, x0, top, x1, bottom in erased:
                if p == i:
                    ImageDraw.Draw(img).rectangle((int(x0 * k), int(top * k), int(x1 * k), int(bottom * k)), fill=255)
            images.append(scan_image(img, rotate=rotate, speckle=speckle, blur=blur, upside_down=i in flipped,
                                     rng=rng))
    finally:
        doc.close()
    return images_to_pdf(images, out, dpi, jpeg_quality)


def ps_roundtrip(src: Path, out: Path) -> Path:
    """The PostScript print path: ``pdftops src x.ps && ps2pdf x.ps out`` (poppler-utils, ghostscript)."""
    if shutil.which("pdftops") is None or shutil.which("ps2pdf") is None:
        raise RuntimeError("pdftops/ps2pdf saknas: installera poppler-utils och ghostscript")
    with tempfile.TemporaryDirectory() as tmp:
        ps = Path(tmp) / "x.ps"
        subprocess.run(["pdftops", str(src), str(ps)], check=True, capture_output=True)
        subprocess.run(["ps2pdf", str(ps), str(out)], check=True, capture_output=True)
    return out


def garbage_text_layer(src: Path, out: Path) -> Path:
    """A PDF that looks the same but whose text extracts as garbage: every font loses its ToUnicode map
    and gets an Encoding whose Differences name private-use glyphs, as broken print drivers produce."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    reader = PdfReader(str(src))
    writer = PdfWriter(clone_from=reader)
    seen: set[int] = set()
    for page in writer.pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        for font in _fonts(resources.get_object(), seen):
            if "/ToUnicode" in font:
                del font[NameObject("/ToUnicode")]
            if font.get("/Subtype") in ("/TrueType", "/Type1"):
                diffs = ArrayObject([NumberObject(32)])
                diffs.extend(NameObject(f"/uniE{c:03X}") for c in range(32, 256))
                font[NameObject("/Encoding")] = DictionaryObject({
                    NameObject("/Type"): NameObject("/Encoding"), NameObject("/Differences"): diffs})
    with open(out, "wb") as handle:
        writer.write(handle)
    return out


def _fonts(resources: object, seen: set[int]) -> Iterable:
    """Every font dictionary under a resources dictionary, inside form XObjects and Type0 descendants."""
    fonts = resources.get("/Font") if hasattr(resources, "get") else None
    if fonts is not None:
        for ref in fonts.get_object().values():
            font = ref.get_object()
            if id(font) in seen:
                continue
            seen.add(id(font))
            yield font
            for desc in font.get("/DescendantFonts", []) or []:
                yield desc.get_object()
    xobjects = resources.get("/XObject") if hasattr(resources, "get") else None
    if xobjects is not None:
        for ref in xobjects.get_object().values():
            xobj = ref.get_object()
            if xobj.get("/Subtype") == "/Form" and "/Resources" in xobj:
                yield from _fonts(xobj["/Resources"].get_object(), seen)


def char_boxes(src: Path, page: int, text: str) -> list[Region]:
    """Boxes (PDF points, top-left origin) of every occurrence of ``text`` in a page's text layer, e.g.
    to erase the "@" of one e-mail address from a scan."""
    doc = pdfium.PdfDocument(str(src))
    try:
        pg = doc[page - 1]
        height = pg.get_size()[1]
        tp = pg.get_textpage()
        full = tp.get_text_range(0, tp.count_chars())
        out: list[Region] = []
        start = full.find(text)
        while start >= 0:
            boxes = [tp.get_charbox(i, loose=True) for i in range(start, start + len(text))]
            out.append((page, min(b[0] for b in boxes), height - max(b[3] for b in boxes),
                        max(b[2] for b in boxes), height - min(b[1] for b in boxes)))
            start = full.find(text, start + 1)
        tp.close()
        return out
    finally:
        doc.close()


def pdftotext(path: Path) -> str:
    """``pdftotext path -`` (poppler), for checking what a text layer gives."""
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True).stdout.decode(
        "utf-8", "replace")


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: make one scan."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--dpi", type=int, default=200)
    ap.add_argument("--rotate", type=float, default=0.0)
    ap.add_argument("--speckle", type=float, default=0.0)
    ap.add_argument("--blur", type=float, default=0.0)
    ap.add_argument("--quality", type=int, default=75)
    ap.add_argument("--upside-down", type=int, action="append", default=[])
    ap.add_argument("--ps", action="store_true", help="PostScript print path instead of a scan")
    ap.add_argument("--garbage", action="store_true", help="unreadable text layer instead of a scan")
    args = ap.parse_args(argv)
    if args.ps:
        ps_roundtrip(args.src, args.out)
    elif args.garbage:
        garbage_text_layer(args.src, args.out)
    else:
        scan_pdf(args.src, args.out, dpi=args.dpi, rotate=args.rotate, speckle=args.speckle, blur=args.blur,
                 jpeg_quality=args.quality, upside_down=args.upside_down)


if __name__ == "__main__":
    main()
