"""Tesseract through tesserocr (the engine kept in-process), page orientation and skew, point mapping.

One engine per process and language is kept: initialising Tesseract costs more than a tenth of a second and
a submission has six pages. Orientation: a page is recognised as it stands; only when its words are few or
unsure is Tesseract's orientation detection (OSD) asked, and the turned page kept when it reads better.
Skew: a projection profile on a small binarised copy (the angle whose text rows are sharpest; the ink
pixels' turned rows counted, no image rotated). Every word carries Tesseract's confidence and that of its
least sure character (the symbol iterator). Tesseract's own failures become OcrError; quiet_stderr() keeps
what Tesseract and Leptonica write to file descriptor 2 off the user's terminal. normalise(),
thin_strokes(), despeckle() and otsu() prepare images from every kind of office scan; all of it is numpy
over whole arrays (a page's own work costs a fraction of Tesseract's).
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

from extractors.ocr_marks import component_arrays, row_runs

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
PAGE_PSM = 3    # Tesseract's page segmentation for a page: automatic
RECOGNITION_DPI = 200  # a page is recognised at this resolution at most (a finer page is scaled down for it)
# Tesseract's variables for every engine: no second read of a line as white on black (forms have none)
TESSERACT_VARIABLES: dict[str, str] = {"tessedit_do_invert": "0"}


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
    for name, value in TESSERACT_VARIABLES.items():
        api.SetVariable(name, value)
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
                text, box = _text_of(sym, word_level), sym.BoundingBox(word_level)
                current[:] = [text, box, sym.Confidence(word_level), 100.0]
            if current:
                current[3] = min(current[3], sym.Confidence(symbol_level))
        _flush(current, words)
        return words
    except RuntimeError as exc:
        raise OcrError(str(exc) or type(exc).__name__) from exc
    finally:
        api.Clear()


def _text_of(item, level: int) -> str:  # noqa: ANN001 - a tesserocr result iterator
    """The text of an iterator's element at ``level``; "" where Tesseract has none (it raises "No text
    returned" for an element it segmented but could not read, which must not fail the whole page)."""
    try:
        return item.GetUTF8Text(level) or ""
    except RuntimeError:
        return ""


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
            ch = _text_of(sym, level)
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
    the sharpest horizontal projection profile, searched coarse (0.7°) then fine (0.1°) on a ~85 dpi copy.
    The profile of an angle is the histogram of the ink pixels' rows once turned (no image is rotated)."""
    scale = 700 / max(img.width, 1)
    small = img.resize((max(1, int(img.width * scale)), max(1, int(img.height * scale))),
                       Image.Resampling.BILINEAR) if scale < 1 else img
    ys, xs = np.nonzero(np.asarray(small) < 170)
    height = small.height
    cx, cy = small.width / 2, height / 2
    dx, dy = xs.astype(np.float32) - cx + 0.5, ys.astype(np.float32) - cy + 0.5

    def score(angle: float) -> float:
        rad = np.deg2rad(angle)
        rows = np.floor(dy * np.float32(np.cos(rad)) - dx * np.float32(np.sin(rad)) + cy).astype(np.int64)
        profile = np.bincount(rows[(rows >= 0) & (rows < height)], minlength=height).astype(np.float64)
        return float(np.square(np.diff(profile)).sum())

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
    device. Levels come from a small copy: paper is the 90th percentile, toner the 0.3rd, or on a page of a
    few lines (less ink than that) the 10th percentile of the pixels clearly darker than the paper."""
    small = np.asarray(img.reduce(4) if min(img.size) > 400 else img, dtype=np.uint8)
    paper = float(np.percentile(small, 90))
    toner = float(np.percentile(small, 0.3))
    if paper - toner < 60:
        dark = small[small < paper - 40]
        if dark.size >= 20:
            toner = float(np.percentile(dark, 10))
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


SPECK_PT = 1.1        # a speck is at most this wide and tall (3 px at 200 dpi; a period of 10 pt text is as big)
SPECK_INK = 160       # grey below this is ink (Tesseract's own threshold lies near it on a normalised page)


def despeckle(img: Image.Image, dpi: float) -> Image.Image:
    """The page without its specks: dark dots of at most SPECK_PT a side that belong to no text, made paper.

    A scanner's dust and a copier's toner specks are read by Tesseract as ".", ":", "'" or as diacritics
    ("del.av", "psykiätrin"). A dot of that size is kept when it is text: on the baseline of the letters
    beside it (a period, a decimal point, a comma's head, the lower dot of a colon), over a narrow stem (the
    dot of an i or j), over a dot of its own size (the upper dot of a colon), or beside a dot of its own size
    at its height (the two dots of ä, ö, ü), or within a fifth of a text height of other ink (a piece of a
    letter the scan broke off). Dots far from any letter are removed without looking closer."""
    grey = np.asarray(img, dtype=np.uint8)
    specks = speck_boxes(grey, dpi)
    if not specks:
        return img
    out = grey.copy()
    h, w = out.shape
    box = np.asarray(specks, dtype=np.int64)  # x0, top, x1, bottom
    side = int((box[:, 2:] - box[:, :2]).max()) + 3
    dy, dx = np.meshgrid(np.arange(-1, side - 1), np.arange(-1, side - 1), indexing="ij")
    ys, xs = box[:, 1, None, None] + dy, box[:, 0, None, None] + dx  # each speck's box and a pixel round it
    inside = (ys <= box[:, 3, None, None] + 1) & (xs <= box[:, 2, None, None] + 1) & (ys >= 0) & (xs >= 0) \
        & (ys < h) & (xs < w)
    ys, xs = ys[inside], xs[inside]
    core = ((ys >= np.broadcast_to(box[:, 1, None, None], inside.shape)[inside])
            & (ys <= np.broadcast_to(box[:, 3, None, None], inside.shape)[inside])
            & (xs >= np.broadcast_to(box[:, 0, None, None], inside.shape)[inside])
            & (xs <= np.broadcast_to(box[:, 2, None, None], inside.shape)[inside]))
    # the speck itself, and its halo round it (never another component's ink: that would touch the speck)
    paper = core | (out[ys, xs] >= SPECK_INK)
    out[ys[paper], xs[paper]] = 255
    return Image.fromarray(out)


def speck_boxes(grey: np.ndarray, dpi: float) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, top, x1, bottom; inclusive pixels) of the dark dots despeckle() removes."""
    ink = grey < SPECK_INK
    x0, top, x1, bottom, _ = component_arrays(ink)
    if x0.size == 0:
        return []
    wide, tall = x1 - x0 + 1, bottom - top + 1
    limit = max(2, round(SPECK_PT * dpi / 72))
    small = (wide <= limit) & (tall <= limit)
    if not small.any():
        return []
    letter = ~small & (tall >= 0.04 * dpi) & (tall <= 0.3 * dpi) & (wide <= 0.5 * dpi)
    heights = tall[letter]
    text_h = float(np.median(heights)) if heights.size >= 20 else 0.09 * dpi
    # letters (everything not a dot) on a grid of cells: a dot with no letter ink within a text height of
    # it is dust, whatever its shape; the rest are judged against their neighbours
    cell = max(4, int(text_h))
    grid_h, grid_w = ink.shape[0] // cell + 1, ink.shape[1] // cell + 1
    others = ~small
    buckets: dict[tuple[int, int], list[int]] = {}
    occupied = np.zeros((grid_h, grid_w), dtype=bool)
    for i in np.flatnonzero(others).tolist():
        for gy in range(int(top[i]) // cell, int(bottom[i]) // cell + 1):
            for gx in range(int(x0[i]) // cell, int(x1[i]) // cell + 1):
                buckets.setdefault((gy, gx), []).append(i)
                occupied[gy, gx] = True
    near = occupied.copy()  # cells with letter ink in them or a cell away
    for dy, dx in ((1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (1, -1), (-1, 1), (-1, -1)):
        near[max(0, dy):grid_h + min(0, dy), max(0, dx):grid_w + min(0, dx)] |= \
            occupied[max(0, -dy):grid_h + min(0, -dy), max(0, -dx):grid_w + min(0, -dx)]
    dots = np.flatnonzero(small)
    cy, cx = (top[dots] + bottom[dots]) // 2 // cell, (x0[dots] + x1[dots]) // 2 // cell
    lonely = ~near[cy, cx]
    boxes = (x0.tolist(), top.tolist(), x1.tolist(), bottom.tolist())
    dot_cells: dict[tuple[int, int], list[int]] = {}
    for i in dots.tolist():
        dot_cells.setdefault((int(top[i]) // cell, int(x0[i]) // cell), []).append(i)
    visible = (wide >= round(0.01 * dpi)) & (tall >= round(0.01 * dpi))  # a line of one pixel is dust at 200 dpi
    kept = {i for i in dots[~lonely & visible[dots]].tolist()
            if _text_dot(i, ink, boxes, buckets, dot_cells, cell, text_h, limit)}
    # a row of dots after a kept one (an ellipsis "...", a dotted line): each beside the last, as big, as high
    frontier = set(kept)
    while frontier:
        beside = set()
        for k in frontier:
            gy, gx = boxes[1][k] // cell, boxes[0][k] // cell
            for j in (j for dy in (-1, 0, 1) for dx in (-1, 0, 1) for j in dot_cells.get((gy + dy, gx + dx), ())):
                if j not in kept and _dot_pair(k, j, boxes, text_h):
                    beside.add(j)
        kept |= beside
        frontier = beside
    return [(boxes[0][i], boxes[1][i], boxes[2][i], boxes[3][i]) for i in dots.tolist() if i not in kept]


def _over_stem(ink: np.ndarray, x0: int, bottom: int, x1: int, text_h: float) -> bool:
    """Whether a stem stands under a dot (columns x0–x1, lowest row ``bottom``) within 0.6 text heights: ink
    running straight down under the dot for half a text height (an i or a j, also where a copier or a serif
    joined it to its neighbours; not the top of an a, an o or an n, whose bowl is paper under the dot)."""
    reach = max(2, int(0.6 * text_h))
    need = max(2, int(0.5 * text_h))
    below = ink[bottom + 1:bottom + 1 + reach + need, x0:x1 + 1]
    for column in below.T:
        hit = np.flatnonzero(column[:reach])
        if hit.size == 0:
            continue
        run = column[int(hit[0]):int(hit[0]) + need]
        if run.size == need and run.all():
            return True
    return False


def _on_baseline(i: int, ink: np.ndarray, around: set[int], boxes: tuple[list[int], list[int], list[int], list[int]],
                 text_h: float) -> bool:
    """Whether dot ``i`` stands beside letters (of ``around``) on their baseline: a period, a decimal point, a
    comma's head, a colon's lower dot."""
    x0s, tops, x1s, bottoms = boxes
    x0, top, x1, bottom = x0s[i], tops[i], x1s[i], bottoms[i]
    tol = max(1.0, 0.1 * text_h)
    line = [j for j in around if tops[j] < bottom and bottoms[j] > top - text_h and bottoms[j] <= bottom + text_h
            and bottoms[j] - tops[j] >= 0.45 * text_h and max(x0s[j] - x1, x0 - x1s[j]) <= 3 * text_h]
    if not line or min(max(x0s[j] - x1, x0 - x1s[j]) for j in line) > 0.6 * text_h:
        return False
    if any(top - tol <= bottoms[j] <= bottom + tol for j in line):  # a letter's foot: the baseline
        return True
    # letters a copier or a serif joined to one with a descender ("reg", "långa"): their baseline is the
    # lowest row still half as inked as their fullest
    for j in line:
        if max(x0s[j] - x1, x0 - x1s[j]) <= 0.6 * text_h and bottoms[j] > bottom + tol:
            profile = ink[tops[j]:bottoms[j] + 1, x0s[j]:x1s[j] + 1].sum(axis=1)
            base = tops[j] + int(np.flatnonzero(profile >= 0.5 * profile.max())[-1])
            if top - tol <= base <= bottom + tol:
                return True
    return False


def _dot_pair(i: int, j: int, boxes: tuple[list[int], list[int], list[int], list[int]], text_h: float) -> bool:
    """Whether two dots are as big (within a pixel) and side by side at one height, less than half a text
    height apart (the dots of ä, ö, ü; an ellipsis)."""
    x0s, tops, x1s, bottoms = boxes
    return (abs((x1s[j] - x0s[j]) - (x1s[i] - x0s[i])) <= 1
            and abs((bottoms[j] - tops[j]) - (bottoms[i] - tops[i])) <= 1
            and abs((tops[j] + bottoms[j]) - (tops[i] + bottoms[i])) <= 2
            and 0 < max(x0s[j] - x1s[i], x0s[i] - x1s[j]) <= 0.5 * text_h)


def _text_dot(i: int, ink: np.ndarray, boxes: tuple[list[int], list[int], list[int], list[int]],
              letters: dict[tuple[int, int], list[int]], dots: dict[tuple[int, int], list[int]], cell: int,
              text_h: float, big: int) -> bool:
    """Whether dot ``i`` belongs to text (despeckle's rules), judged by the letters and dots around it."""
    x0s, tops, x1s, bottoms = boxes
    x0, top, x1, bottom = x0s[i], tops[i], x1s[i], bottoms[i]
    gy, gx = top // cell, x0 // cell
    # within a pixel or two of other ink: a piece of a letter a scan or a copier broke off (a serif, a stroke)
    d = max(2, round(0.2 * text_h))
    window = ink[max(0, top - d):bottom + d + 1, max(0, x0 - d):x1 + d + 1]
    if window.sum() > ink[top:bottom + 1, x0:x1 + 1].sum():
        return True
    around = {j for dy in (-2, -1, 0, 1, 2) for dx in (-2, -1, 0, 1, 2) for j in letters.get((gy + dy, gx + dx), ())}
    if _on_baseline(i, ink, around, boxes, text_h):
        return True
    # over a narrow stem (the dot of an i or j), even where a copier or a serif joined it to its neighbours
    if _over_stem(ink, x0, bottom, x1, text_h):
        return True
    width = x1 - x0 + 1
    # as big as a speck may be and just over a letter: the core of a ring (å) or an accent a blur left
    reach = max(2, int(0.6 * text_h))
    if max(width, bottom - top + 1) >= big and ink[bottom + 1:bottom + 1 + reach, max(0, x0 - 1):x1 + 2].any():
        return True
    # over a dot of its own size (a colon's upper dot) or beside one at its height (the dots of ä, ö, ü)
    height = bottom - top + 1
    twins = around | {j for dy in (-1, 0, 1, 2) for dx in (-1, 0, 1) for j in dots.get((gy + dy, gx + dx), ())}
    for j in twins:  # a twin may be a pixel too big to count as a dot itself
        if j != i:
            # under it a dot or a comma as wide, on the baseline (a colon, a semicolon)
            as_wide = abs((x1s[j] - x0s[j] + 1) - width) <= 1 and height - 1 <= bottoms[j] - tops[j] + 1 <= 3 * height
            stacked = as_wide and abs((x0s[j] + x1s[j]) - (x0 + x1)) <= 2 and 0 < tops[j] - bottom <= text_h \
                and _on_baseline(j, ink, around, boxes, text_h)
            if stacked or _dot_pair(i, j, boxes, text_h):
                return True
    return False


def without_rules(img: Image.Image, share: float = 0.7) -> Image.Image:
    """A small crop with the ruled lines through it whitened: rows dark across at least ``share`` of its width
    and columns dark down at least ``share`` of its height (a grid cell's borders round a number), their
    anti-aliased edges included. Text keeps its ink: a digit spans far less of a crop padded round it."""
    grey = np.asarray(img, dtype=np.uint8)
    if grey.size == 0:
        return img
    dark = grey < 190
    rows = dark.sum(axis=1) >= share * grey.shape[1]
    cols = dark.sum(axis=0) >= share * grey.shape[0]
    if not rows.any() and not cols.any():
        return img
    out = grey.copy()
    out[rows, :] = 255
    out[:, cols] = 255
    return Image.fromarray(out)


def stroke_width(img: Image.Image) -> float:
    """Median horizontal run of dark pixels: the page's typical stroke width in pixels."""
    _, starts, ends = row_runs(np.asarray(img, dtype=np.uint8) < 128)
    runs = ends - starts
    return float(np.median(runs)) if runs.size else 0.0


def thin_strokes(img: Image.Image, dpi: int) -> Image.Image:
    """A page whose toner spread (a dark photocopy: strokes twice as thick as print) thinned back: a grey
    dilation of the paper by one pixel each side for each 2 px of excess stroke width. Tesseract drops
    words and merges a column of crosses into one "word" on such pages; other pages are returned as they are."""
    normal = 3.0 * dpi / 200
    excess = stroke_width(img) - normal
    if excess < 2 * dpi / 200:
        return img
    size = 3 if excess < 4 * dpi / 200 else 5
    return Image.fromarray(max_filter(np.asarray(img, dtype=np.uint8), size))


def max_filter(grey: np.ndarray, size: int) -> np.ndarray:
    """The greyest-paper filter: each pixel the lightest of the ``size`` × ``size`` square around it (the
    square cut at the image's edges), as PIL's MaxFilter, done as a row pass and a column pass."""
    reach = size // 2
    out = grey.copy()
    for axis in (1, 0):
        src = out.copy()
        n = src.shape[axis]
        for step in range(1, reach + 1):
            if step >= n:
                break
            if axis == 1:
                np.maximum(out[:, :-step], src[:, step:], out=out[:, :-step])
                np.maximum(out[:, step:], src[:, :-step], out=out[:, step:])
            else:
                np.maximum(out[:-step], src[step:], out=out[:-step])
                np.maximum(out[step:], src[:-step], out=out[step:])
    return out
