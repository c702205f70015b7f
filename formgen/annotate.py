"""Pages of a submission drawn with a box and the key around every value read, for a handläggare to check."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFont

from extractors.base import Extraction
from formgen.pipeline import WARNING_PROBLEMS

SCALE = 1.5  # 108 dpi: boxes and 7-point keys stay legible
COLOURS = {"ok": (0, 110, 200), "problem": (210, 30, 30), "uncertain": (230, 140, 0)}
UNCERTAIN_BELOW = 0.8


def annotated_pages(pdf_path: Path, extraction: Extraction) -> list[Image.Image]:
    """Each page rendered with the read values boxed: blue read, orange uncertain (OCR), red a problem."""
    problem_keys = {k for p in extraction.problems if p.code not in WARNING_PROBLEMS for k in p.fields}
    uncertain_keys = {k for p in extraction.problems if p.code in WARNING_PROBLEMS for k in p.fields}
    doc = pdfium.PdfDocument(str(pdf_path))
    font = _font()
    images = []
    try:
        for index, page in enumerate(doc):
            image = page.render(scale=SCALE).to_pil().convert("RGB")
            draw = ImageDraw.Draw(image)
            for key, prov in extraction.provenance.items():
                if prov.page != index + 1 or prov.bbox is None:
                    continue
                low = prov.confidence is not None and prov.confidence < UNCERTAIN_BELOW
                status = "problem" if key in problem_keys else (
                    "uncertain" if key in uncertain_keys or low else "ok")
                colour = COLOURS[status]
                x0, top, x1, bottom = (v * SCALE for v in prov.bbox)
                draw.rectangle((x0 - 2, top - 2, x1 + 2, bottom + 2), outline=colour, width=2)
                draw.text((x0, max(0, top - 11)), key, fill=colour, font=font)
            images.append(image)
    finally:
        doc.close()
    return images


def write_annotated(pdf_path: Path, extraction: Extraction, out: Path) -> bytes:
    """The annotated pages as one tall PNG (out ends in .png) or a multi-page PDF (.pdf)."""
    images = annotated_pages(pdf_path, extraction)
    buffer = io.BytesIO()
    if out.suffix.lower() == ".pdf":
        images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=72 * SCALE)
    else:
        width = max(i.width for i in images)
        sheet = Image.new("RGB", (width, sum(i.height for i in images) + 8 * (len(images) - 1)), (128, 128, 128))
        y = 0
        for image in images:
            sheet.paste(image, (0, y))
            y += image.height + 8
        sheet.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def _font() -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    for candidate in ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(candidate, 9)
        except OSError:
            continue
    return ImageFont.load_default()
