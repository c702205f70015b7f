"""The OCR path's image steps on synthetic pages: despeckling (specks go, text dots stay), the page's skew,
the copier-stroke thinning filter, and the ink components the mark finder works on."""

from __future__ import annotations

import random
from collections import deque
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from extractors import ocr_engine as eng
from extractors.ocr_marks import _components

FONTS = Path(__file__).resolve().parents[1] / "formgen" / "generate" / "fonts"
DPI = 200
# every kind of small dot text has: periods (sentence, decimal, e-mail), i and j dots, ä ö Ä Ö dots, colons,
# semicolons, exclamation marks
LINES = [
    "Vi har hjälp av psykiatrin. Ombuden: två.",
    "Antal timmar 1.50 och 2,75; inga fler!",
    "e-post: anna.lindqvist@harnosand.se",
    "Östersund, Ängelholm, Kiruna: jämn ök.",
    "minimi i j ij ji ä ö ü Ä Ö ... slut.",
]


def _text_page(size_pt: float, font: str = "DejaVuSans.ttf") -> Image.Image:
    """A white page with LINES typed at ``size_pt`` points (at DPI), anti-aliased like a scan."""
    face = ImageFont.truetype(str(FONTS / font), round(size_pt * DPI / 72))
    img = Image.new("L", (1400, 120 + len(LINES) * round(size_pt * DPI / 72 * 2.2)), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(LINES):
        draw.text((60, 60 + i * round(size_pt * DPI / 72 * 2.2)), line, font=face, fill=30)
    return img


def _speckled(clean: Image.Image, seed: int, count: int = 400, room: int = 4) -> tuple[Image.Image,
                                                                                        list[tuple[int, int]]]:
    """``clean`` with dark specks of 1–2 px put where no ink is within ``room`` px, and where they were put."""
    rng = random.Random(seed)
    grey = np.asarray(clean, dtype=np.uint8).copy()
    ink = grey < 250
    h, w = grey.shape
    put: list[tuple[int, int]] = []
    while len(put) < count:
        x, y = rng.randrange(4, w - 6), rng.randrange(4, h - 6)
        side = rng.choice((1, 1, 2))
        if ink[y - room:y + side + room, x - room:x + side + room].any():
            continue
        grey[y:y + side, x:x + side] = rng.choice((20, 60, 90))
        ink[y:y + side, x:x + side] = True
        put.append((x, y))
    return Image.fromarray(grey), put


@pytest.mark.parametrize("size_pt", [8, 10, 12])
def test_despeckle_keeps_every_dot_of_text(size_pt: float) -> None:
    for font in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        clean = _text_page(size_pt, font)
        assert np.array_equal(np.asarray(eng.despeckle(clean, DPI)), np.asarray(clean)), (size_pt, font)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_despeckle_removes_specks_and_nothing_else(seed: int) -> None:
    clean = _text_page(10)
    # specks clear of the text by more than half a letter's height (between lines, in margins, beside words)
    speckled, put = _speckled(clean, seed, room=round(10 * DPI / 72 * 0.45))
    cleaned = np.asarray(eng.despeckle(speckled, DPI))
    left = [(x, y) for x, y in put if cleaned[y, x] < 250]
    assert not left, f"{len(left)} of {len(put)} specks left, e.g. {left[:5]}"
    assert np.array_equal(cleaned, np.asarray(clean))


@pytest.mark.parametrize("seed", [4, 5])
def test_despeckle_near_text_removes_one_pixel_specks_and_keeps_the_text(seed: int) -> None:
    clean = _text_page(10)
    speckled, put = _speckled(clean, seed, count=300, room=2)
    grey = np.asarray(speckled).copy()
    for x, y in put:  # single pixels: never a dot of 10 pt text at 200 dpi
        grey[y:y + 2, x:x + 2] = 255
        grey[y, x] = 40
    cleaned = np.asarray(eng.despeckle(Image.fromarray(grey), DPI))
    assert all(cleaned[y, x] == 255 for x, y in put)
    near_text = np.asarray(clean) < 255
    assert np.array_equal(cleaned[near_text], np.asarray(clean)[near_text])


def test_despeckle_removes_specks_in_word_gaps_and_over_round_letters() -> None:
    clean = _text_page(10)
    grey = np.asarray(clean, dtype=np.uint8)
    face = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), round(10 * DPI / 72))
    line = LINES[0]  # drawn at (60, 60)
    x_ha = 60 + round(face.getlength(line[:line.index("har") + 1]))   # the "a" of "har" starts here
    x_gap = 60 + round(face.getlength(line[:line.index(" av")] + " ") - face.getlength(" ") / 2)  # "hjälp av"
    rows = np.flatnonzero((grey[:, x_ha:x_ha + 6] < 128).any(axis=1))
    a_top = int(rows[rows < 140][0])  # the top of the "a" (first line only)
    letters = np.flatnonzero((grey[40:140] < 128).any(axis=1)) + 40
    mid = (int(letters[0]) + int(letters[-1])) // 2
    speckled = grey.copy()
    speckled[a_top - 5:a_top - 3, x_ha + 3:x_ha + 5] = 40   # a speck over the "a": Tesseract reads "ä"
    speckled[mid:mid + 2, x_gap:x_gap + 2] = 40              # a speck mid-height between words: "del.av"
    assert (speckled < 128).sum() == (grey < 128).sum() + 8
    cleaned = np.asarray(eng.despeckle(Image.fromarray(speckled), DPI))
    assert np.array_equal(cleaned, grey)


def test_despeckle_leaves_a_page_without_specks_alone() -> None:
    blank = Image.new("L", (300, 200), 255)
    assert eng.despeckle(blank, DPI) is blank
    assert eng.speck_boxes(np.asarray(blank), DPI) == []


@pytest.mark.parametrize("angle", [-3.0, -1.3, -0.4, 0.0, 0.7, 2.2])
def test_estimate_skew_finds_the_page_turn(angle: float) -> None:
    page = _text_page(10)
    tall = Image.new("L", (page.width, page.height * 3), 255)
    for i in range(3):
        tall.paste(page, (0, i * page.height))
    turned = tall.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    assert eng.estimate_skew(turned) == pytest.approx(-angle, abs=0.15)


@pytest.mark.parametrize("size", [3, 5])
def test_max_filter_is_pils_max_filter(size: int) -> None:
    rng = np.random.default_rng(size)
    for shape in [(1, 1), (1, 7), (6, 1), (2, 3), (40, 31)]:
        grey = rng.integers(0, 256, shape, dtype=np.uint8)
        want = np.asarray(Image.fromarray(grey).filter(ImageFilter.MaxFilter(size)))
        assert np.array_equal(eng.max_filter(grey, size), want), shape


def _flood_components(mask: np.ndarray) -> list[tuple[int, int, int, int, int]]:
    """Reference: 8-connected components by breadth-first flood fill, in the order of their first pixel."""
    seen = np.zeros(mask.shape, dtype=bool)
    out = []
    h, w = mask.shape
    for y, x in zip(*np.nonzero(mask), strict=True):
        if seen[y, x]:
            continue
        seen[y, x] = True
        queue, box, count = deque([(y, x)]), [x, y, x, y], 0
        while queue:
            cy, cx = queue.popleft()
            count += 1
            box = [min(box[0], cx), min(box[1], cy), max(box[2], cx), max(box[3], cy)]
            for ny in (cy - 1, cy, cy + 1):
                for nx in (cx - 1, cx, cx + 1):
                    if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and not seen[ny, nx]:
                        seen[ny, nx] = True
                        queue.append((ny, nx))
        out.append((int(box[0]), int(box[1]), int(box[2]), int(box[3]), count))
    return out


@pytest.mark.parametrize("density", [0.05, 0.3, 0.55])
def test_components_match_a_flood_fill(density: float) -> None:
    rng = np.random.default_rng(int(density * 100))
    mask = rng.random((60, 80)) < density
    mask[10, :] = True  # a line across joins many
    mask[:, 79] = True  # and one down the last column
    assert _components(mask) == _flood_components(mask)
    assert _components(np.zeros((5, 5), dtype=bool)) == []


def test_despeckle_keeps_a_blurred_ring_over_a_letter() -> None:
    """What a blur leaves of an å's ring (a dark core of a speck's full size just over the a) stays: the
    word must not turn into "pa"."""
    clean = _text_page(10)
    grey = np.asarray(clean, dtype=np.uint8).copy()
    face = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), round(10 * DPI / 72))
    line = LINES[0]
    x_a = 60 + round(face.getlength(line[:line.index("har") + 1]))
    rows = np.flatnonzero((grey[:140, x_a + 2:x_a + 6] < 128).any(axis=1))
    a_top = int(rows[0])
    grey[a_top - 5:a_top - 2, x_a + 3:x_a + 6] = 40  # 3 × 3, two rows over the a
    assert np.array_equal(np.asarray(eng.despeckle(Image.fromarray(grey), DPI)), grey)


def _cell_with_digit(rules: bool) -> Image.Image:
    """A crop round a count in a bordered grid cell: a "2", and the cell's borders through the crop's edges."""
    img = Image.new("L", (60, 48), 255)
    draw = ImageDraw.Draw(img)
    draw.text((24, 12), "2", fill=0, font=ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 22))
    if rules:
        draw.line([(0, 3), (59, 3)], fill=20, width=2)    # the row's top border
        draw.line([(4, 0), (4, 47)], fill=20, width=2)    # the column's left border
    return img


def test_without_rules_whitens_a_cells_borders_and_keeps_the_digit() -> None:
    clean = np.asarray(_cell_with_digit(False)) < 190
    cleaned = np.asarray(eng.without_rules(_cell_with_digit(True))) < 190
    assert not cleaned[2:6, :].all(axis=1).any() and not cleaned[:, 3:7].all(axis=0).any()
    assert cleaned.sum() == clean.sum()   # the digit's ink is all there, nothing else is


def test_without_rules_leaves_a_crop_without_rules_alone() -> None:
    img = _cell_with_digit(False)
    assert eng.without_rules(img) is img


def test_an_element_tesseract_has_no_text_for_reads_as_empty() -> None:
    class NoText:
        def GetUTF8Text(self, level: int) -> str:  # noqa: N802 - tesserocr's name
            raise RuntimeError("No text returned")

    assert eng._text_of(NoText(), 0) == ""
