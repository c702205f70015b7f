"""A dark photocopy's last page with three lines of text: its grey paper is made white and its toner black
(extractors.ocr_engine.normalise), although its ink is less than the share the toner level is usually taken
from. Before, such a page stayed grey and Tesseract read nothing on it: the signature's phone and e-mail were
lost."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from extractors.ocr_engine import normalise


def _page(paper: int, toner: int, lines: int, words: int = 8, streak: bool = False) -> Image.Image:
    img = Image.new("L", (1654, 2339), paper)
    draw = ImageDraw.Draw(img)
    for i in range(lines):  # words as toner bars, 4 px strokes
        for j in range(words):
            x = 150 + j * 110
            top = 200 + i * 60
            for k in range(0, 80, 12):
                draw.rectangle((x + k, top, x + k + 4, top + 28), fill=toner)
    if streak:
        draw.line((1500, 0, 1503, 2339), fill=paper - 70, width=2)
    return img


def test_sparse_grey_page_gets_white_paper_and_black_toner() -> None:
    out = np.asarray(normalise(_page(paper=176, toner=15, lines=3, words=2, streak=True)))
    assert np.percentile(out, 50) >= 240        # the paper
    assert out[200:228, 150:154].max() <= 60    # a stroke


def test_full_grey_page_still_normalised() -> None:
    out = np.asarray(normalise(_page(paper=176, toner=15, lines=30)))
    assert np.percentile(out, 50) >= 240
    assert out[200:228, 150:154].max() <= 60


def test_clean_page_and_empty_grey_page_are_left_alone() -> None:
    clean = _page(paper=250, toner=10, lines=20)
    assert normalise(clean) is clean
    empty = Image.new("L", (1654, 2339), 176)   # no ink at all: nothing to stretch against
    assert normalise(empty) is empty
