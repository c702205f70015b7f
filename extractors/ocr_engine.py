"""Tesseract through tesserocr (the engine kept in-process), page orientation and skew, point mapping.

One engine per process and language is kept: initialising Tesseract costs more than a tenth of a second and
a submission has six pages. Orientation: a page is recognised as it stands; only when its words are few or
unsure is Tesseract's orientation detection (OSD) asked, and the turned page kept when it reads better.
Skew: a projection profile on a small binarised copy (the angle whose text rows are sharpest).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

INSTALL_HINT = "installera tesseract-ocr och tesseract-ocr-swe"
LANG = "swe"
# Where Debian/Ubuntu (tesseract 4 and 5), Fedora and Homebrew keep the trained data.
TESSDATA_DIRS: list[str] = [
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
]
TESSERACT_BINARY = "tesseract"
MAX_SKEW = 3.0  # degrees searched either way


def tessdata_dir() -> str | None:
    """The directory holding swe.traineddata ($TESSDATA_PREFIX first), or None."""
    candidates = [os.environ.get("TESSDATA_PREFIX", ""), *TESSDATA_DIRS]
    binary = shutil.which(TESSERACT_BINARY)
    if binary:  # next to a tesseract installed elsewhere (…/bin/tesseract → …/share/tessdata)
        prefix = Path(binary).resolve().parents[1] / "share"
        candidates += [str(prefix / "tessdata"), str(prefix / "tesseract-ocr" / "5" / "tessdata")]
    for cand in candidates:
        if cand and (Path(cand) / f"{LANG}.traineddata").is_file():
            return cand
    return None


def ocr_available() -> str | None:
    """None when OCR can run here, else a Swedish reason naming what to install."""
    try:
        import tesserocr  # noqa: F401
    except ImportError:
        return "Python-paketet tesserocr saknas: installera tesserocr (pip)"
    if shutil.which(TESSERACT_BINARY) is None or tessdata_dir() is None:
        return f"Tesseract saknas: {INSTALL_HINT}"
    return None


@lru_cache(maxsize=4)
def engine(lang: str = LANG, psm: int = 3):  # noqa: ANN201 - tesserocr.PyTessBaseAPI
    """The process's Tesseract engine for a language and page segmentation mode (created once)."""
    import tesserocr

    path = tessdata_dir()
    if path is None:
        raise RuntimeError(f"Tesseract saknas: {INSTALL_HINT}")
    api = tesserocr.PyTessBaseAPI(path=path.rstrip("/") + "/", lang=lang, psm=psm,
                                  oem=tesserocr.OEM.LSTM_ONLY if lang != "osd" else tesserocr.OEM.DEFAULT)
    return api


@dataclass(frozen=True)
class RawWord:
    """A word as Tesseract read it: text, box in pixels of the image given, confidence 0–100."""

    text: str
    x0: int
    top: int
    x1: int
    bottom: int
    conf: float


def recognise(img: Image.Image, psm: int = 3) -> list[RawWord]:
    """Every word Tesseract reads in an image (greyscale), with its box and confidence."""
    import tesserocr

    api = engine(LANG, psm)
    api.SetImage(img)
    api.Recognize()
    words: list[RawWord] = []
    it = api.GetIterator()
    level = tesserocr.RIL.WORD
    for w in tesserocr.iterate_level(it, level):
        text = w.GetUTF8Text(level)
        if not text or not text.strip():
            continue
        box = w.BoundingBox(level)
        if box is None:
            continue
        words.append(RawWord(text.strip(), *box, w.Confidence(level)))
    api.Clear()
    return words


def recognise_line(img: Image.Image, whitelist: str) -> tuple[str, float]:
    """One line of a small crop read with only ``whitelist`` characters allowed: text and mean confidence."""
    api = engine(LANG, 7)
    api.SetVariable("tessedit_char_whitelist", whitelist)
    api.SetImage(img)
    text = api.GetUTF8Text().strip()
    confs = api.AllWordConfidences()
    api.SetVariable("tessedit_char_whitelist", "")
    api.Clear()
    return text, (min(confs) if confs else 0.0)


def detect_orientation(img: Image.Image) -> tuple[int, float]:
    """Tesseract OSD: degrees the page is turned clockwise (0/90/180/270) and its confidence."""
    api = engine("osd", 0)
    api.SetImage(img)
    try:
        found = api.DetectOrientationScript()
    except RuntimeError:
        found = None
    api.Clear()
    if not found:
        return 0, 0.0
    return int(found["orient_deg"]), float(found["orient_conf"])


def mean_conf(words: list[RawWord]) -> float:
    """Mean confidence of a page's words (0 without words), letters-weighted so noise counts little."""
    total = sum(len(w.text) for w in words)
    return sum(w.conf * len(w.text) for w in words) / total if total else 0.0


def ink_mask(img: Image.Image, threshold: int = 160) -> np.ndarray:
    """Dark pixels of a greyscale image as a boolean array (rows, columns)."""
    return np.asarray(img, dtype=np.uint8) < threshold


def estimate_skew(img: Image.Image) -> float:
    """Skew in degrees (counter-clockwise turn that straightens the page): the angle whose text rows give
    the sharpest horizontal projection profile, searched coarse then fine on a ~100 dpi copy."""
    scale = 900 / max(img.width, 1)
    small = img.resize((max(1, int(img.width * scale)), max(1, int(img.height * scale))),
                       Image.Resampling.BILINEAR) if scale < 1 else img
    inv = Image.fromarray(((np.asarray(small) < 170) * 255).astype(np.uint8))

    def score(angle: float) -> float:
        rows = np.asarray(inv.rotate(angle, resample=Image.Resampling.NEAREST), dtype=np.float32).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5), key=score)
    fine = max(np.arange(best - 0.4, best + 0.41, 0.1), key=score)
    return round(float(fine), 2)


@dataclass(frozen=True)
class PageFrame:
    """How the upright image was made from the page: turned ``quarter`` × 90° clockwise, then rotated by
    ``skew`` degrees counter-clockwise about its centre; sizes in pixels; ``dpi`` of the rendering."""

    width: int          # page image as rendered (original orientation)
    height: int
    quarter: int        # 0..3
    skew: float
    dpi: float

    def to_page_points(self) -> Callable[[float, float], tuple[float, float]]:
        """A function mapping a pixel of the upright image to PDF points of the original page."""
        turned_w, turned_h = (self.width, self.height) if self.quarter % 2 == 0 else (self.height, self.width)
        cx, cy = turned_w / 2, turned_h / 2
        rad = np.deg2rad(self.skew)
        cos, sin = float(np.cos(rad)), float(np.sin(rad))
        k = 72.0 / self.dpi
        w, h = self.width, self.height

        def mapping(x: float, y: float) -> tuple[float, float]:
            # undo the deskew: PIL's rotate(a) turns content counter-clockwise on screen (y down)
            dx, dy = x - cx, y - cy
            tx, ty = cx + dx * cos - dy * sin, cy + dx * sin + dy * cos
            # undo the quarter turns (clockwise turn of the content by 90° per quarter)
            if self.quarter == 0:
                ox, oy = tx, ty
            elif self.quarter == 1:
                ox, oy = ty, h - tx
            elif self.quarter == 2:
                ox, oy = w - tx, h - ty
            else:
                ox, oy = w - ty, tx
            return ox * k, oy * k

        return mapping

    def box_to_page(self, x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        """A box of the upright image (pixels) as the enclosing box in points of the original page."""
        f = self.to_page_points()
        pts = [f(x0, top), f(x1, top), f(x0, bottom), f(x1, bottom)]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return min(xs), min(ys), max(xs), max(ys)


def turn(img: Image.Image, quarter: int) -> Image.Image:
    """The image with its content turned ``quarter`` × 90° clockwise."""
    if quarter % 4 == 0:
        return img
    ops = {1: Image.Transpose.ROTATE_270, 2: Image.Transpose.ROTATE_180, 3: Image.Transpose.ROTATE_90}
    return img.transpose(ops[quarter % 4])


def deskew(img: Image.Image, angle: float) -> Image.Image:
    """The image rotated ``angle`` degrees counter-clockwise about its centre, corners filled white."""
    if abs(angle) < 0.05:
        return img
    return img.rotate(angle, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255)
