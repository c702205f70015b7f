"""Unit tests of the layout reader's pure pieces: lines and columns from word boxes, table cells, label matching."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen import canvas

from extractors.geometry import (
    Line,
    adjacent,
    cell_run,
    column_cell,
    column_reach,
    email_lines,
    lines_text,
    mark_precedes,
    nearest_column,
    same_line,
    stands_alone,
    tight_lines,
    without_label_colon,
    without_running_lines,
    words_to_lines,
)
from extractors.labels import (
    find_all,
    find_label,
    match_at,
    text_contains,
    token_similar,
    tokens,
    without_footnotes,
)
from extractors.pdf_words import Word, page_words

H = 12.0  # a line's height in these tests


def w(text: str, x0: float, top: float, *, page: int = 1, width: float | None = None, height: float = H) -> Word:
    """A word box: 5 pt per character unless a width is given."""
    return Word(text, page, x0, top, x0 + (width if width is not None else 5.0 * len(text)), top + height)


def texts(lines: list[Line]) -> list[str]:
    return [" ".join(x.text for x in line.words) for line in lines]


# ------------------------------------------------------------------------------------------ lines


def test_words_to_lines_orders_lines_and_words() -> None:
    words = [w("världen", 60, 100), w("andra", 10, 120), w("hej", 10, 100.5), w("raden", 50, 120)]
    assert texts(words_to_lines(words)) == ["hej världen", "andra raden"]


def test_words_to_lines_keeps_pages_apart_and_in_order() -> None:
    words = [w("sida2", 10, 50, page=2), w("sida1", 10, 50, page=1), w("sist", 10, 700, page=1)]
    lines = words_to_lines(words)
    assert [(ln.page, texts([ln])[0]) for ln in lines] == [(1, "sida1"), (1, "sist"), (2, "sida2")]


def test_a_raised_footnote_mark_stays_on_its_line() -> None:
    words = [w("decimaler", 10, 100), w("1", 56, 97, height=7), w(":", 61, 100), w("1,00", 70, 100)]
    assert texts(words_to_lines(words)) == ["decimaler 1 : 1,00"]


def test_lines_that_barely_touch_are_separate() -> None:
    assert len(words_to_lines([w("a", 10, 100), w("b", 10, 111)])) == 2


def test_lines_text_breaks_paragraphs_at_gaps_and_pages() -> None:
    lines = words_to_lines([w("ett", 10, 100), w("två", 10, 113), w("tre", 10, 160), w("fyra", 10, 50, page=2)])
    assert lines_text(lines) == "ett\u2028två\ntre\nfyra"  # U+2028: a wrap of the print, joined by assemble


def test_tight_lines_stop_at_a_wide_gap_and_at_a_page() -> None:
    lines = words_to_lines([w("a", 10, 100), w("b", 10, 113), w("c", 10, 150), w("d", 10, 10, page=2)])
    assert texts(tight_lines(lines)) == ["a", "b"]
    assert texts(tight_lines(lines, gap_factor=3.0)) == ["a", "b", "c"]
    tail = words_to_lines([w("c", 10, 150), w("d", 10, 10, page=2)])
    assert texts(tight_lines(tail, gap_factor=100)) == ["c"]


def test_running_header_and_footer_lines_are_dropped() -> None:
    words = []
    for page, text in enumerate(("Alfa", "Beta", "Gamma", "Delta"), start=1):
        words += [w("Länsstyrelsen", 10, 20, page=page), w(text, 10, 60, page=page),
                  w("Sida", 400, 800, page=page), w(str(page), 430, 800, page=page)]
    words.append(w("Sida", 10, 100, page=2))  # the same word elsewhere stays
    kept = without_running_lines(words_to_lines(words))
    assert [(ln.page, texts([ln])[0]) for ln in kept] == [(1, "Alfa"), (2, "Beta"), (2, "Sida"), (3, "Gamma"),
                                                          (4, "Delta")]
    two_pages = words_to_lines([x for x in words if x.page <= 2])
    assert without_running_lines(two_pages) == two_pages  # too few pages to tell


def test_email_lines_stop_when_the_address_is_complete() -> None:
    lines = words_to_lines([w("mikael.illberg@stockhol", 10, 100), w("m.se", 10, 113), w("Kommun", 10, 126)])
    assert texts(email_lines(lines)) == ["mikael.illberg@stockhol", "m.se"]
    unfinished = words_to_lines([w("inte-en-adress", 10, 100), w("alls", 10, 113)])
    assert texts(email_lines(unfinished)) == ["inte-en-adress", "alls"]


# ------------------------------------------------------------------------------------------ columns


def test_nearest_column_within_reach_only() -> None:
    centres = [300.0, 360.0]
    reach = column_reach(centres)
    assert reach == pytest.approx(33.0)
    assert nearest_column(305, centres, reach) == 0
    assert nearest_column(349, centres, reach) == 1
    assert nearest_column(420, centres, reach) is None
    assert nearest_column(250, centres, reach) is None


def test_column_reach_uses_the_narrowest_gap_and_has_a_default() -> None:
    assert column_reach([400.0, 300.0, 340.0]) == pytest.approx(0.55 * 40)
    assert column_reach([300.0]) == 40.0


def test_same_line_and_adjacent_words() -> None:
    a, b = w("Antal", 10, 100), w("kvinnor", 38, 100)
    assert same_line(a, b) and adjacent(a, b)
    assert not adjacent(a, w("Män", 80, 100))  # a column gap, not a word space
    assert not adjacent(b, a)  # to the left
    assert not same_line(a, w("x", 10, 110)) and not same_line(a, w("y", 10, 100, page=2))


def test_stands_alone_is_a_whole_cell() -> None:
    row = [w("Bostad", 10, 100), w("2", 300, 100), w("4", 360, 100)]
    assert stands_alone(row, 0, 0)
    sentence = [w("brist", 10, 100), w("på", 38, 100), w("bostad", 51, 100), w("och", 84, 100)]
    assert not stands_alone(sentence, 2, 2)


def test_column_cell_follows_a_header_wrapped_in_its_column() -> None:
    # "Antal kvinnor" and "Antal män" wrapped in narrow columns: their lines interleave in reading order
    words = [w("Antal", 313, 100), w("Antal", 363, 100), w("kvinnor", 308, 112), w("män", 365, 112),
             w("Ange", 10, 130), w("1", 320, 130)]
    assert column_cell(words, 0, 4, 6) == [0, 2]
    assert column_cell(words, 1, 4, 6) == [1, 3]
    assert column_cell(words, 0, 4, 1) == [0]


def test_column_cell_takes_words_side_by_side_and_stops_below_a_gap() -> None:
    words = [w("Om", 400, 100), w("ja,", 414, 100), w("ange", 432, 100), w("vilken/vilka:", 400, 112),
             w("Text", 400, 150)]
    assert column_cell(words, 0, len(words), 10) == [0, 1, 2, 3]


def test_cell_run_stops_at_a_column_gap() -> None:
    line = words_to_lines([w("163", 200, 100), w("04", 218, 100), w("Spånga", 330, 100)])[0]
    assert texts([cell_run(line, 200)]) == ["163 04"]
    orphan = words_to_lines([w("Spånga", 330, 100)])[0]
    assert texts([cell_run(orphan, 200)]) == [""]  # a neighbouring cell's value, its label lost


def test_a_mark_belongs_to_the_option_right_after_it() -> None:
    line = [w("☒", 10, 100, width=8), w("Ja", 22, 100), w("☐", 40, 100, width=8), w("Nej", 52, 100)]
    ja, nej = line[1], line[3]
    assert mark_precedes(line[0], ja, line)
    assert not mark_precedes(line[0], nej, line)
    assert mark_precedes(line[2], nej, line)


def test_the_colon_after_a_label_is_not_part_of_the_value() -> None:
    words = [w(":", 10, 100), w("1,00", 20, 100)]
    assert [x.text for x in without_label_colon(words)] == ["1,00"]
    assert [x.text for x in without_label_colon(words[1:])] == ["1,00"]
    assert without_label_colon([]) == []


# ------------------------------------------------------------------------------------------ labels


def test_tokens_fold_case_and_punctuation_and_cut_footnote_digits() -> None:
    assert tokens("Ange antal tjänster med 2 decimaler1:") == ("ange", "antal", "tjänster", "med", "2", "decimaler")
    assert tokens("under 18 år2 vilka") == ("under", "18", "år", "vilka")
    assert tokens("Statsbidrag avseende år 2020") == ("statsbidrag", "avseende", "år", "2020")
    assert tokens("Telefon (inkl. riktnummer)") == ("telefon", "inkl", "riktnummer")
    assert tokens("KOMMUN/kommuner") == ("kommun", "kommuner")
    assert tokens("Tjän\u00adster") == ("tjänster",)


def test_token_similar_allows_one_slip_in_words_not_in_numbers() -> None:
    assert token_similar("år", "årk")
    assert token_similar("utbildningar", "utbildnignar")
    assert not token_similar("2020", "2021")
    assert not token_similar("ja", "nej")
    assert not token_similar("man", "män")  # short words must be spelt right


def _find(label: str, text: str) -> tuple[int, int] | None:
    m = find_label(tokens(label), tokens(text))
    return (m.start, m.end) if m else None


def test_find_label_with_footnote_marks_glued_or_apart() -> None:
    label = "Ange antal tjänster med 2 decimaler"
    assert _find(label, "Totalt: Ange antal tjänster med 2 decimaler1: 1,00") == (1, 7)
    assert _find(label, "Ange antal tjänster med 2 decimaler 1 : 1,00") == (0, 6)
    hem = "Antal klienter som har hemmavarande barn under 18 år vilka är kända"
    assert _find(hem, "Antal klienter som har hemmavarande barn under 18 år2 vilka är kända") == (0, 12)


def test_find_label_with_words_glued_or_split() -> None:
    assert _find("Antal kvinnor", "Antalkvinnor Antal män") == (0, 1)
    assert _find("Utdelningsadress", "Utdelnings adress") == (0, 2)
    assert _find("Om annan orsak, ange vilken.", "Om annan orsak,angevilken.") is not None


def test_find_label_with_one_letter_slips() -> None:
    assert _find("Statsbidrag avseende år", "Statsbidrag avseende årk 2020") == (0, 3)
    assert _find("Ombuden har erbjudits utbildning.", "Ombuden har erbjudit utbildning") == (0, 4)


def test_find_label_skips_a_stray_word_but_not_a_sentence() -> None:
    label = tokens("Ombuden har erbjudits utbildning")
    assert find_label(label, tokens("Ombuden har x erbjudits utbildning")) is not None
    assert find_label(label, tokens("Ombuden har i år och i fjol inte erbjudits utbildning")) is None


def test_find_label_refuses_wrong_labels() -> None:
    assert _find("Antal män", "Antal kvinnor") is None
    assert _find("Ja", "Nej") is None
    assert _find("Förbrukat statsbidrag, kr", "Beviljat statsbidrag, kr") is None
    assert _find("Om ja, ange vilken slags handledning.", "Om ja, ange vilken/vilka utbildningar.") is None
    assert _find("Om nej, ange varför.", "Om ja, ange varför.") is None
    assert _find("Totalt antal klienter", "Antal nya klienter") is None


def test_find_label_respects_start_and_end() -> None:
    seq = tokens("Ja Nej Ja")
    assert find_label(tokens("Ja"), seq, 1).start == 2
    assert find_label(tokens("Ja"), seq, 1, 2) is None


def test_match_at_reports_matched_tokens_and_skips() -> None:
    m = match_at(tokens("Antal kvinnor"), tokens("Antal Antal män kvinnor"), 0)
    assert m is not None and m.score == 1.0 and m.matched == (0, 3) and m.skips == 2
    assert match_at(tokens("Antal kvinnor"), tokens("Nej"), 0) is None


def test_find_all_and_text_contains() -> None:
    seq = tokens("Kvinnor Män ... Kvinnor Män")
    assert [m.start for m in find_all(tokens("Kvinnor"), seq)] == [0, 2]
    assert text_contains("REDOVISNING Statsbidrag till kommuner", "Statsbidrag till kommuner")
    assert not text_contains("Årsrapport personligt ombud", "Statsbidrag avseende år")


# ------------------------------------------------------------------------------------------ PDF words


def test_a_hyphen_ending_a_line_ends_its_word(tmp_path: Path) -> None:
    path = tmp_path / "hyphen.pdf"
    c = canvas.Canvas(str(path))
    c.setFont("Helvetica", 11)
    c.drawString(60, 700, "Upplands Väsby kommun, Vård-")
    c.drawString(60, 686, "och omsorgsförvaltningen")
    c.save()
    doc = pdfium.PdfDocument(str(path))
    try:
        words = page_words(doc[0], 1).words
    finally:
        doc.close()
    assert [x.text for x in words] == ["Upplands", "Väsby", "kommun,", "Vård-", "och", "omsorgsförvaltningen"]
    vard, och = words[3], words[4]
    assert vard.x1 < 250 and och.x0 == pytest.approx(60, abs=1) and och.top > vard.bottom - 2


# ------------------------------------------------------------------------------------------ label drift


def test_one_threshold_for_labels() -> None:
    from extractors.labels import required_score

    assert [required_score(n) for n in (1, 3, 4, 5, 12)] == [1.0, 1.0, 1.0, 0.8, 0.8]


@pytest.mark.parametrize(("label", "text", "found"), [
    ("Utdelningsadress", "Utdelningsadres", True),  # a typing slip
    ("Telefon (inkl. riktnummer)", "Telefon, inkl riktnummer:", True),  # other punctuation
    ("Ange antalet personliga ombud i kommunen", "Ange antalet personliga handledare i kommunen", True),
    ("Antal nya klienter", "Antal nya personer", False),  # a short label must match whole
    ("Om nej, ange varför", "Om ja, ange varför", False),  # one word changed in a short label: another question
    ("Ange antalet personliga ombud i kommunen", "Ange antalet nya handledare i kommunen", False),  # two of six
])
def test_drifted_labels(label: str, text: str, found: bool) -> None:
    assert (find_label(tokens(label), tokens(text)) is not None) is found


def test_a_drifted_label_covers_its_changed_words() -> None:
    from extractors.geometry import match_words
    from extractors.labels import Stream

    label = tokens("Ange antalet personliga ombud i år")
    words = [w("Ange", 10, 100), w("antalet", 35, 100), w("nya", 75, 100), w("ombud", 95, 100), w("i", 130, 100),
             w("år", 140, 100), w("3", 300, 100)]
    assert match_words(Stream(words), label, 0, None, alone=True) == [0, 1, 2, 3, 4, 5]
    last = [w("Ange", 10, 100), w("antalet", 35, 100), w("personliga", 75, 100), w("ombud", 130, 100),
            w("i", 165, 100), w("fjol", 175, 100), w("3", 300, 100)]
    assert match_words(Stream(last), label, 0, None, alone=True) == [0, 1, 2, 3, 4, 5]


def test_header_abbreviations_must_be_unambiguous() -> None:
    from extractors.geometry import abbreviates

    counts = [("antal", "kvinnor"), ("antal", "män")]
    assert abbreviates(("kv",), counts[0], [counts[1]]) and abbreviates(("m",), counts[1], [counts[0]])
    assert not abbreviates(("antal",), counts[0], [counts[1]])  # tells no column from the other
    choices = [("ja",), ("nej",), ("kan", "inte", "bedöma")]
    assert abbreviates(("k",), choices[2], choices[:2]) and not abbreviates(("x",), choices[0], choices[1:])


def test_headers_of_narrow_columns_are_told_apart() -> None:
    """"Antal Antal" / "kvinn män" / "or": two wrapped headers whose words nearly touch."""
    from extractors.geometry import header_set

    words = [w("Antal", 281, 50, width=32), w("Antal", 322, 50, width=32), w("kvinn", 281, 63, width=32),
             w("män", 325, 63, width=28), w("or", 291, 76, width=12)]
    found = header_set(words, [("kvinnor", "Antal kvinnor"), ("man", "Antal män")], 0, len(words), latest=True)
    assert found == {"kvinnor": [0, 2, 4], "man": [1, 3]}


@pytest.mark.parametrize("mark", ["1", "¹", "I", "l", "|", "!"])
def test_footnote_goes_with_its_mark_as_a_scan_reads_it(mark: str) -> None:
    note = "Anges med två decimaler. För ett ombud på heltid anges 1,00."
    words = [w("Klienter", 50, 700), w("prioriteras", 100, 700), w("först.", 160, 700)]
    x = 50.0
    for text in [mark, *note.split()]:
        words.append(w(text, x, 760, height=8))
        x += 5.0 * len(text) + 3
    kept = without_footnotes(words, [("1", note)])
    assert [k.text for k in kept] == ["Klienter", "prioriteras", "först."]


def test_footnote_leaves_a_word_that_is_not_its_mark() -> None:
    note = "Inkluderar även barn till maka/make/reg. partner/sambo."
    words = [w("Svar", 50, 700), *(w(t, 50 + 40 * i, 760) for i, t in enumerate(note.split()))]
    assert [k.text for k in without_footnotes(words, [("2", note)])] == ["Svar"]
    words = [w("Ja", 50, 760), *(w(t, 70 + 40 * i, 760) for i, t in enumerate(note.split()))]
    assert [k.text for k in without_footnotes(words, [("2", note)])] == ["Ja"]


def test_footnote_with_its_mark_glued_to_the_first_word() -> None:
    note = "Anges med två decimaler. För ett ombud på heltid anges 1,00."
    words = [w("Svar", 50, 700), *(w(t, 50 + 40 * i, 760) for i, t in enumerate(f"1{note}".split()))]
    assert [k.text for k in without_footnotes(words, [("1", note)])] == ["Svar"]


# ------------------------------------------------------------------------------------------ near matches


def test_a_heading_matched_nearly_by_an_answers_first_word_yields_to_its_exact_print() -> None:
    from extractors.geometry import find_words
    from extractors.labels import Stream

    words = [w("Om", 10, 100), w("nej,", 30, 100), w("ange", 55, 100), w("varför.", 80, 100),
             w("Handledningen", 10, 116), w("sker", 80, 116), w("varje", 105, 116), w("månad.", 135, 116),
             w("Handledning", 10, 140)]
    stream = Stream(words)
    assert [words[i].text for i in find_words(stream, tokens("Handledning"), 4, None, own_line=True)] == \
        ["Handledning"]
    assert words[find_words(stream, tokens("Handledning"), 4, None, own_line=True)[0]].top == 140


def test_a_grid_row_label_stands_in_the_first_rows_column() -> None:
    from extractors.geometry import Anchor, in_label_column

    first = Anchor("row:a", 0, 0, (w("Patientorganisationer", 56, 500),))
    assert in_label_column(Anchor("row:b", 5, 5, (w("Brukarorganisationer", 58, 530),)), first)
    assert in_label_column(Anchor("row:c", 6, 6, (w("därav", 76, 545),)), first)          # an indented sub-row
    assert not in_label_column(Anchor("row:b", 3, 3, (w("Brukarorganisationerna", 370, 500),)), first)
