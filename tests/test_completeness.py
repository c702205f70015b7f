"""The completeness guarantee of the layout reader (extractors.completeness): every word inside an answer area that
no value took becomes an "unread-value" problem naming the most precise key, its text and box; so over the tests'
own varied prints, with labels blanked out and values typed outside their cells, no value is wrong or null without
a problem naming it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from extractors.base import Extraction
from extractors.completeness import AnswerArea, is_noise, unread_problems
from extractors.pdf_text import read_pdf_text
from extractors.pdf_words import Word
from formgen.record import Record
from tests.helpers import flatten, record_diffs
from tests.layout_factory import Style, render_pdf
from tests.test_pdf_layout_variants import DELETED_LABELS, RECORDS, STYLES, _sample


def _unread(extraction: Extraction) -> list[tuple[tuple[str, ...], str]]:
    return [(p.fields, p.message) for p in extraction.problems if p.code == "unread-value"]


# ------------------------------------------------------------------------------------------ units


def _w(text: str, x0: float, top: float, height: float = 10.0, page: int = 1, drawn: bool = False) -> Word:
    return Word(text, page, x0, top, x0 + 6.0 * len(text), top + height, drawn)


def test_noise_is_punctuation_specks_and_box_misreads() -> None:
    assert is_noise(_w(".", 0, 0), 10.0, {"x"}) and is_noise(_w("'", 0, 0), 10.0, {"x"})
    assert not is_noise(_w("☒", 0, 0), 10.0, {"☒"})  # a tick mark is an answer
    assert is_noise(_w("i", 0, 0, height=3.0), 10.0, set())  # a speck OCR read as a letter
    assert not is_noise(_w("7", 0, 0), 10.0, set()) and not is_noise(_w("ab", 0, 0, height=4.0), None, set())
    assert not is_noise(_w("Ord", 0, 0, height=3.0), 10.0, set())  # small print of a real word is text


def test_unread_words_are_reported_once_per_line_under_the_first_area() -> None:
    a, b, c, box = _w("12", 100, 50), _w("kr", 120, 50), _w("mer", 100, 70), _w("MH", 300, 50)
    frame = Word("☐", 1, 298, 49, 312, 61, drawn=True)
    areas = [AnswerArea("x.kvinnor", (a,)), AnswerArea("x", (a, b, c, box, frame))]
    problems = unread_problems(areas, taken={id(b)}, heights={1: 10.0}, marks={"☒"}, boxes=[frame])
    assert [(p.fields, p.page, p.bbox) for p in problems] == [
        (("x.kvinnor",), 1, (100, 50, 112, 60)), (("x",), 1, (100, 70, 118, 80))]
    assert '"12"' in problems[0].message and "lästes inte" in problems[0].message


# ------------------------------------------------------------------------------------------ on prints


STYLE = STYLES[0]


def test_a_count_typed_beside_its_columns_is_named_with_its_row_and_box(tmp_path: Path) -> None:
    record = _sample().replace({"ombud.antal.kvinnor": 3})
    path = render_pdf(record, STYLE, tmp_path / "x.pdf", shift={"ombud.antal.kvinnor": (2.5 * STYLE.col_width, 0)})
    extraction = read_pdf_text(path)
    assert extraction.record["ombud.antal.kvinnor"] is None
    assert extraction.record["ombud.antal.man"] == record["ombud.antal.man"]
    problems = [p for p in extraction.problems if p.code == "unread-value"]
    assert [(p.fields, p.page) for p in problems] == [(("ombud.antal",), 1)]  # the column cannot be told
    x0, top, x1, bottom = problems[0].bbox or (0, 0, 0, 0)
    assert x0 > STYLE.margins[0] + STYLE.label_width + 2 * STYLE.col_width and bottom - top < 20
    assert '"3"' in problems[0].message


def test_a_count_typed_low_in_its_cell_stays_read(tmp_path: Path) -> None:
    record = _sample().replace({"ombud.antal.kvinnor": 3})
    path = render_pdf(record, STYLE, tmp_path / "x.pdf", shift={"ombud.antal.kvinnor": (4.0, 2.0)})
    extraction = read_pdf_text(path)
    assert extraction.record["ombud.antal.kvinnor"] == 3 and extraction.problems == ()


def test_a_blanked_cell_label_names_its_key_and_box(tmp_path: Path) -> None:
    record = _sample()
    extraction = read_pdf_text(render_pdf(record, STYLE, tmp_path / "x.pdf", omit={"kontakt.postort"}))
    assert [p.fields for p in extraction.problems] == [("kontakt.postort",), ("kontakt.postort",)]
    lost = next(p for p in extraction.problems if p.code == "unread-value")
    assert lost.page == 1 and lost.bbox is not None and str(record["kontakt.postort"]) in lost.message


# ------------------------------------------------------------------------------------------ the guarantee


def _perturbations(style: Style) -> list[tuple[str, dict[str, Any]]]:
    """Ways a print goes wrong: a label blanked out, a count typed beside its columns or low in its row."""
    col = style.col_width
    return [(f"omit {label}", {"omit": {label}}) for label in DELETED_LABELS] + [
        ("count beside the columns", {"shift": {"kontaktorsaker.ekonomi.man": (2.2 * col, 0.0)}}),
        ("count into the label column", {"shift": {"klienter.nya.kvinnor": (-1.3 * col, 0.0)}}),
        ("count a line lower", {"shift": {"ombud.antal.man": (0.0, 1.4 * style.size)}}),
    ]


def _named_or_right(record: Record, extraction: Extraction) -> list[tuple[str, Any, Any]]:
    """The keys whose value is wrong or null with no problem naming them (a problem on a key's row or grid names
    its cells: "ombud.antal" names "ombud.antal.kvinnor")."""
    named = {k for p in extraction.problems for k in p.fields}
    want = flatten(record.to_json())
    return [(k, a, b) for k, a, b in record_diffs(record.to_json(), extraction.record.to_json())
            if not any(k == n or k.startswith(n + ".") for n in named) and k in want]


@pytest.mark.parametrize("style", STYLES, ids=[s.name for s in STYLES])
def test_no_value_wrong_or_null_without_a_problem_naming_it(style: Style, tmp_path: Path) -> None:
    """Over every factory style: every record as printed, and three perturbations (cycling through all of them
    style by style) on a record cycling through the records."""
    index = STYLES.index(style)
    perturbations = _perturbations(style)
    chosen = [perturbations[(3 * index + i) % len(perturbations)] for i in range(3)]
    runs = [(name, ("as printed", {})) for name in ("sample", "other", "third", "hyphens")]
    runs += [(("sample", "other", "third", "hyphens")[(index + i) % 4], p) for i, p in enumerate(chosen)]
    silent = []
    for record_name, (what, how) in runs:
        record = RECORDS[record_name]()
        extraction = read_pdf_text(render_pdf(record, style, tmp_path / "x.pdf", **how))
        silent += [(record_name, what, *diff) for diff in _named_or_right(record, extraction)]
    assert silent == []
