"""Tesseract through tesserocr (the engine kept in-process), page orientation and skew, point mapping.

One engine per process and language is kept: initialising Tesseract costs more than a tenth of a second and
a submission has six pages. Orientation: a page is recognised as it stands; only when its words are few or
unsure is Tesseract's orientation detection (OSD) asked, and the turned page kept when it reads better.
Skew: a projection profile on a small binarised copy (the angle whose text rows are sharpest). Every word
carries Tesseract's confidence and that of its least sure character (the symbol iterator). Tesseract's own
failures become OcrError; quiet_stderr() keeps what Tesseract and Leptonica write to file descriptor 2 off
the user's terminal. normalise(), thin_strokes() and otsu() prepare images from every kind of office scan.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
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
MAX_SKEW = 3.5  # degrees searched either way (office scans and photocopies reach 3°)


class OcrError(RuntimeError):
    """Tesseract failed on an image (its own error text in English, for logs; users get a Swedish line)."""


@contextlib.contextmanager
def quiet_stderr() -> Iterator[list[str]]:
    """File descriptor 2 redirected to a temporary file while the block runs: Tesseract and Leptonica write
    warnings ("Estimating resolution", "Error in pixScanForForeground") straight to fd 2, past Python's
    sys.stderr, and a user's terminal must not see them. Yields a list that holds what was written after."""
    captured: list[str] = []
    try:
        saved = os.dup(2)
    except OSError:  # no fd 2 at all: nothing can reach a terminal
        yield captured
        return
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 2)
        try:
            yield captured
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            captured.append(sink.read(64 * 1024).decode("utf-8", "replace"))


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
    """A word as Tesseract read it: text, box in pixels of the image given, confidence 0–100, and the
    confidence of its least sure character (0–100; the word's own when unknown)."""

    text: str
    x0: int
    top: int
    x1: int
    bottom: int
    conf: float
    char_conf: float = 100.0


def recognise(img: Image.Image, psm: int = 3, dpi: int = 200, timeout_ms: int = 0) -> list[RawWord]:
    """Every word Tesseract reads in an image (greyscale), with its box, confidence and weakest character.

    ``timeout_ms`` bounds the recognition (0: none): words read until then are returned. Any failure of
    Tesseract itself (it can raise on images it finds no text in) is an OcrError."""
    import tesserocr

    api = engine(LANG, psm)
    try:
        api.SetImage(img)
        api.SetSourceResolution(dpi)
        api.Recognize(timeout_ms)
        words: list[RawWord] = []
        it = api.GetIterator()
        if it is None:
            return words
        word_level, symbol_level = tesserocr.RIL.WORD, tesserocr.RIL.SYMBOL
        current: list = []  # text, box, word confidence, weakest symbol so far
        for sym in tesserocr.iterate_level(it, symbol_level):
            if sym.IsAtBeginningOf(word_level):
                _flush(current, words)
                text, box = sym.GetUTF8Text(word_level), sym.BoundingBox(word_level)
                current[:] = [text, box, sym.Confidence(word_level), 100.0]
            if current:
                current[3] = min(current[3], sym.Confidence(symbol_level))
        _flush(current, words)
        return words
    except RuntimeError as exc:
        raise OcrError(str(exc) or type(exc).__name__) from exc
    finally:
        api.Clear()


def _flush(current: list, words: list[RawWord]) -> None:
    """Append the word being collected (text, box, confidence, weakest symbol) unless it is empty."""
    if current and current[0] and current[0].strip() and current[1] is not None:
        words.append(RawWord(current[0].strip(), *current[1], current[2], current[3]))
    current.clear()


def symbol_confidences(img: Image.Image, psm: int = 7, dpi: int = 200, whitelist: str = "") -> list[tuple[str, float]]:
    """Each character Tesseract reads in a small crop with its confidence (0–100), in reading order."""
    import tesserocr

    api = engine(LANG, psm)
    try:
        if whitelist:
            api.SetVariable("tessedit_char_whitelist", whitelist)
        api.SetImage(img)
        api.SetSourceResolution(dpi)
        api.Recognize()
        it = api.GetIterator()
        out: list[tuple[str, float]] = []
        if it is None:
            return out
        level = tesserocr.RIL.SYMBOL
        for sym in tesserocr.iterate_level(it, level):
            ch = sym.GetUTF8Text(level)
            if ch:
                out.append((ch, sym.Confidence(level)))
        return out
    except RuntimeError as exc:
        raise OcrError(str(exc) or type(exc).__name__) from exc
    finally:
        if whitelist:
            api.SetVariable("tessedit_char_whitelist", "")
        api.Clear()


def recognise_line(img: Image.Image, whitelist: str, dpi: int = 200) -> tuple[str, float]:
    """One line of a small crop read with only ``whitelist`` characters allowed: text and the confidence of
    its least sure word."""
    api = engine(LANG, 7)
    try:
        api.SetVariable("tessedit_char_whitelist", whitelist)
        api.SetImage(img)
        api.SetSourceResolution(dpi)
        text = api.GetUTF8Text().strip()
        confs = api.AllWordConfidences()
    except RuntimeError as exc:
        raise OcrError(str(exc) or type(exc).__name__) from exc
    finally:
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
    the sharpest horizontal projection profile, searched coarse (0.7°) then fine (0.1°) on a ~85 dpi copy."""
    scale = 700 / max(img.width, 1)
    small = img.resize((max(1, int(img.width * scale)), max(1, int(img.height * scale))),
                       Image.Resampling.BILINEAR) if scale < 1 else img
    inv = Image.fromarray(((np.asarray(small) < 170) * 255).astype(np.uint8))

    def score(angle: float) -> float:
        rows = np.asarray(inv.rotate(angle, resample=Image.Resampling.NEAREST), dtype=np.float32).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    best = max(np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.7), key=score)
    fine = max(np.arange(best - 0.5, best + 0.51, 0.1), key=score)
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


def normalise(img: Image.Image) -> Image.Image:
    """The page with its paper made white and its toner black: a dark photocopy's grey paper (or a scan's
    faded toner) stretched so that the fixed ink thresholds of the mark finder and the crop hold on every
    device. Levels come from a small copy: paper is the 90th percentile, toner the 0.3rd."""
    small = np.asarray(img.reduce(4) if min(img.size) > 400 else img, dtype=np.uint8)
    paper = float(np.percentile(small, 90))
    toner = float(np.percentile(small, 0.3))
    if paper >= 235 and toner <= 60 or paper - toner < 60:
        return img
    lo, hi = min(toner, 60.0), min(paper - 8, 250.0)
    scale = 255.0 / max(hi - lo, 1.0)
    lut = [int(min(255, max(0, (v - lo) * scale))) for v in range(256)]
    return img.point(lut)


def ink_share(img: Image.Image) -> float:
    """Share of a page's pixels that are dark (a text page 2–15 %, a photograph or a black page far more)."""
    small = np.asarray(img.reduce(4) if min(img.size) > 400 else img, dtype=np.uint8)
    return float((small < 128).mean())


def otsu(img: Image.Image) -> Image.Image:
    """The image binarised at its own Otsu threshold (a second binarisation for a second read)."""
    grey = np.asarray(img, dtype=np.uint8)
    hist = np.bincount(grey.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    if total == 0:
        return img
    levels = np.arange(256)
    weight = np.cumsum(hist)
    mean = np.cumsum(hist * levels)
    between = (mean[-1] * weight - mean * total) ** 2 / np.maximum(weight * (total - weight), 1e-9)
    threshold = int(np.argmax(between[:-1]))
    return Image.fromarray(np.where(grey > threshold, 255, 0).astype(np.uint8))


def stroke_width(img: Image.Image) -> float:
    """Median horizontal run of dark pixels: the page's typical stroke width in pixels."""
    dark = np.asarray(img, dtype=np.uint8) < 128
    edges = np.diff(np.pad(dark, ((0, 0), (1, 1))).astype(np.int8), axis=1)
    runs = np.nonzero(edges == -1)[1] - np.nonzero(edges == 1)[1]
    return float(np.median(runs)) if runs.size else 0.0


def thin_strokes(img: Image.Image, dpi: int) -> Image.Image:
    """A page whose toner spread (a dark photocopy: strokes twice as thick as print) thinned back: a grey
    dilation of the paper by one pixel each side for each 2 px of excess stroke width. Tesseract drops
    words and merges a column of crosses into one "word" on such pages; other pages are returned as they are."""
    normal = 3.0 * dpi / 200
    excess = stroke_width(img) - normal
    if excess < 2 * dpi / 200:
        return img
    from PIL import ImageFilter

    size = 3 if excess < 4 * dpi / 200 else 5
    return img.filter(ImageFilter.MaxFilter(size))
