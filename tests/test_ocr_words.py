"""How OCR words become the reader's words (extractors.ocr): rules on Tesseract's raw words, tested on words
made here (no Tesseract needed), and the check that a faint mark or speck changing a value is flagged.

- A typed cross with a speck of dust glued to it ("x.", ".x", "X'") is still a cross; a word is not.
- A short "word" more than two text lines high is Tesseract's reading of a column of check boxes ("OMX"
  down three options), never text; a short word one line high ("OM", "Nej") stays text.
- A label's last word glued to the number after its colon ("decimaler!:1,50") is split in two, each part
  with its share of the box; times, e-mail addresses and words stay whole.
- A number with a speck glued before or after it (":14", "14.") is repaired and the repair noted.
"""

from __future__ import annotations

import numpy as np
import pytest

from extractors import ocr
from extractors.assemble import Reading
from extractors.ocr_checks import repair_digits, repair_reading
from extractors.ocr_engine import RawWord
from formgen.spec import load_form

DPI = 200


def _word(text: str, x0: int = 100, top: int = 100, width: int = 14, height: int = 14, conf: float = 80) -> RawWord:
    return RawWord(text, x0, top, x0 + width, top + height, conf)


@pytest.mark.parametrize("text", ["x", "X", "x.", ".x", "X'", "x,", "Xx", "[x]", "x:", "|X|"])
def test_typed_cross_with_a_speck_is_a_cross(text: str) -> None:
    word = _word(text)
    assert ocr._mark_like(word, DPI)
    assert ocr._CROSS_WORD.match(ocr._unspecked(text))


@pytest.mark.parametrize("text", ["Ja", "Nej", "ex.", "xx.yy", "Box", "."])
def test_words_and_bare_specks_are_not_crosses(text: str) -> None:
    assert not ocr._CROSS_WORD.match(ocr._unspecked(text))


def test_a_word_taller_than_two_lines_is_a_column_of_boxes() -> None:
    line = 28.0  # px: a 10 pt line at 200 dpi
    column = _word("OMX", height=int(3.3 * line), width=20)
    assert ocr._box_misread(column, line)
    assert ocr._box_misread(_word("RH", height=int(2.4 * line)), line)
    assert not ocr._box_misread(_word("RH", height=int(line)), line)       # one line high: text
    assert not ocr._box_misread(_word("Nej", height=int(line)), line)
    assert ocr._box_misread(_word("KORKRKKRRAR", height=int(2.6 * line)), line)  # crosses down five options
    assert not ocr._box_misread(_word("Verksamheten", height=int(1.3 * line)), line)


def test_text_height_is_the_median_of_real_words() -> None:
    words = [_word("Ombud", height=30), _word("och", height=28), _word("klienter", height=32), _word("x", height=90),
             _word("12", height=29)]
    assert ocr._text_height(words) == 30.0
    assert ocr._text_height([_word("x"), _word("12")]) is None


@pytest.mark.parametrize(("text", "head", "tail"), [
    ("decimaler!:1,50", "decimaler!:", "1,50"),
    ("decimaler:3", "decimaler:", "3"),
    ("Antal¹:12", "Antal¹:", "12"),
    ("decimaler!':-1,50", "decimaler!':-", "1,50"),
    ("tjänster:0,75", "tjänster:", "0,75"),
])
def test_label_glued_to_its_number_is_split(text: str, head: str, tail: str) -> None:
    word = RawWord(text, 200, 50, 200 + 10 * len(text), 70, 60)
    parts = ocr._unglued(word)
    assert [p.text for p in parts] == [head, tail]
    assert parts[0].x0 == word.x0 and parts[1].x1 == word.x1
    assert parts[0].x1 < parts[1].x0
    assert all(p.top == word.top and p.bottom == word.bottom and p.conf == word.conf for p in parts)


@pytest.mark.parametrize("text", ["kl:14", "x:1", "08:30", "anna.berg@ale.se", "ombud", "1,50", "Tel:", "2020:"])
def test_other_words_stay_whole(text: str) -> None:
    word = RawWord(text, 200, 50, 300, 70, 90)
    assert ocr._unglued(word) == [word]


@pytest.mark.parametrize(("raw", "fixed"), [(":14", "14"), ("14.", "14"), ("'7", "7"), ("1 360 800.", "1 360 800"),
                                            ("0,50", "0,50"), ("4O2", "402")])
def test_specks_glued_to_numbers_are_dropped(raw: str, fixed: str) -> None:
    assert repair_digits(raw) == fixed


def test_speck_repair_of_a_count_is_noted() -> None:
    spec = load_form(2020).fields_for_year(2020)["kontaktorsaker.bostad.man"]
    repaired = repair_reading(spec, Reading(raw=":14", page=2, bbox=(1, 2, 3, 4)))
    assert repaired.raw == "14"
    assert repaired.note and ":14" in repaired.note


@pytest.mark.parametrize(("raw", "width", "wide"), [
    ("2", 10.7, True),      # "22" merged by a copier's toner, read as "2"
    ("2i", 10.2, True),     # "21" read as "2i": one digit over two digits' ink
    ("2", 5.2, False),
    ("16", 10.0, False),
    ("1", 3.0, False),
    ("127", 16.5, False),
])
def test_count_wider_than_its_digits(raw: str, width: float, wide: bool) -> None:
    reading = Reading(raw=raw, page=2, bbox=(400.0, 300.0, 400.0 + width, 307.6))
    assert ocr._wider_than_read(reading) is wide


def test_count_without_box_or_digits_is_not_judged() -> None:
    assert not ocr._wider_than_read(Reading(raw="2", page=1))
    assert not ocr._wider_than_read(Reading(raw="--", page=1, bbox=(0.0, 0.0, 40.0, 8.0)))


def test_a_lost_line_is_split_into_words_with_their_share_of_the_box() -> None:
    assert ocr._split_box("Antal män", (100, 10, 190, 30)) == [("Antal", (100, 10, 150, 30)),
                                                              ("män", (160, 10, 190, 30))]
    assert ocr._split_box("Nej", (5, 1, 35, 9)) == [("Nej", (5, 1, 35, 9))]
    assert ocr._LOST_WORDS.fullmatch("Antal män") and ocr._LOST_WORDS.fullmatch("kvinnor")
    assert not ocr._LOST_WORDS.fullmatch("x") and not ocr._LOST_WORDS.fullmatch("4 st")


def test_unsure_signs_hide_no_cross() -> None:
    assert ocr._unsure_sign(_word(">I", conf=44))
    assert ocr._unsure_sign(_word("I", conf=0))
    assert not ocr._unsure_sign(_word("Ja", conf=96))      # a sure word of two letters
    assert not ocr._unsure_sign(_word("Nej", conf=30))     # three letters: a word, however unsure


@pytest.mark.parametrize("text", [">I", "lx", "IX", "<>", "Xl"])
def test_readings_of_a_mark_with_a_box_edge_are_mark_like(text: str) -> None:
    assert ocr._mark_like(_word(text), DPI)
    assert not ocr._mark_like(_word(text, width=80), DPI)  # as wide as a word: not a mark


@pytest.mark.parametrize("text", ["Ja", "I", "l", "Il", "in"])
def test_letters_are_not_mark_like(text: str) -> None:
    assert not ocr._mark_like(_word(text), DPI)


def test_isolated_crop_keeps_only_the_boxs_ink_on_white() -> None:
    from PIL import Image, ImageDraw

    page = Image.new("L", (200, 100), 255)
    draw = ImageDraw.Draw(page)
    draw.line([(0, 40), (199, 40)], fill=0, width=2)   # a grid rule 2 px above the digit
    draw.rectangle([90, 44, 100, 62], fill=0)           # the digit's ink
    crop = ocr._isolated(page, (90, 44, 101, 63), 6)
    assert crop.size == ((11 + 2 + 12) * 2, (19 + 2 + 12) * 2)
    dark = np.asarray(crop) < 128
    assert not dark.all(axis=1).any()                     # no rule across the crop
    assert not dark[0].any() and not dark[-1].any()       # white paper round the ink
    assert dark.any()                                     # the digit is there


def _page_with_line(text: str | None, dpi: int = 200) -> ocr.OcrPage:
    """An upright page image with one line of text (or none) and a few specks, read as holding no words."""
    from PIL import Image, ImageDraw, ImageFont

    from extractors import ocr_engine as eng

    img = Image.new("L", (800, 400), 255)
    draw = ImageDraw.Draw(img)
    if text:
        font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 28)
        draw.text((60, 200), text, fill=0, font=font)
    for x, y in ((100, 50), (400, 320), (700, 120)):
        draw.rectangle([x, y, x + 2, y + 2], fill=0)   # specks
    draw.line([(30, 20), (30, 380)], fill=0, width=2)   # a rule
    label = ocr.Word("Kommentar:", 1, 20, 40, 80, 52)  # the page's only word (points)
    return ocr.OcrPage(1, eng.PageFrame(800, 400, 0, 0.0, float(dpi)), (label,), (0.95,), (), (), img)


def test_text_rows_finds_a_line_no_word_explains() -> None:
    from extractors.ocr_marks import text_rows

    page = _page_with_line("Handledning sker varje månad")
    grey = np.asarray(page.image, dtype=np.uint8)
    assert len(text_rows(grey.copy(), [], 28)) == 1
    assert text_rows(grey.copy(), [(50, 190, 560, 240)], 28) == []          # a word read there explains it
    assert text_rows(np.asarray(_page_with_line(None).image, dtype=np.uint8).copy(), [], 28) == []


def test_an_answer_read_empty_over_unread_text_is_flagged() -> None:
    from extractors.completeness import EmptyArea

    area = EmptyArea("kommentar", 1, (10.0, 55.0, 280.0, 140.0))  # points; the line stands at 72–86 pt
    empty = {"kommentar": Reading(raw="")}
    [problem] = ocr._unread_ink([area], empty, {1: _page_with_line("Handledning sker varje månad")}, set())
    assert problem.code == "unread-value" and problem.fields == ("kommentar",)
    assert "skrift i svarsfältet" in problem.message
    assert ocr._unread_ink([area], empty, {1: _page_with_line(None)}, set()) == []       # specks, a rule
    assert ocr._unread_ink([area], {"kommentar": Reading(raw="Ja")}, {1: _page_with_line("x y z w v")}, set()) == []
