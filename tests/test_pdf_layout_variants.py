"""The flattened-PDF reader on submissions it has never seen: the 2020 form drawn by an independent test
renderer (tests/layout_factory.py) in many print styles, with records unlike the sample.

Each rendered PDF must read back to exactly the record it was drawn from (free text compared with runs of
white space collapsed) and with no problems. Negative cases must not guess: conflicting marks, an unreadable
count and a label missing from the form each give a problem on their key and leave the value null.
"""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.base import Extraction
from extractors.pdf_text import read_pdf_text
from formgen.record import Record, blank_record, record_from_json
from tests.helpers import record_diffs, sample_record_json
from tests.layout_factory import DRAWN, Style, render_pdf

STYLES = [
    Style("word-helvetica-10", column_jitter=(0, -40, 25, -80, 60)),
    Style("grid-dejavu-9-X", font="DejaVuSans", size=9, borders=True, tick="X", col_width=50, label_width=260,
          margins=(40, 40, 40, 40)),
    Style("times-12-check-2cells", font="Times-Roman", size=12, tick="✓", cells_per_row=2, col_width=80,
          label_width=250, list_sep=", "),
    Style("courier-8-ballot-1cell", font="Courier", size=8, tick="☒", cells_per_row=1, col_width=34,
          label_width=300, margins=(30, 30, 30, 30)),
    Style("serif-11-boxes-borders", font="DejaVuSerif", size=11, tick=DRAWN, borders=True,
          cell_widths=(135, 130, 108, 110), col_width=56),
    Style("helvetica-12-heavy-breaks-repeated-header", size=12, tick="✔", margins=(70, 60, 70, 60), running_lines=True,
          cell_widths=(125, 120, 100, 110),
          breaks=frozenset({"row:klienter.nya.alder_30_49", "row:ledningsgrupp.myndigheter.primarvard",
                            "line:samhallsservice.brister:5", "row:tillgang.prioritering"})),
    Style("breaks-without-header", repeat_header=False, borders=True, column_jitter=(30, -30, -100), running_lines=True,
          breaks=frozenset({"row:kontaktorsaker.bostad", "row:ledningsgrupp.organisationer.anhorig.svar",
                            "line:ledningsgrupp.rekrytering:2", "opt:corona.effekter.okat_utbud"})),
    Style("reversed-columns-dejavu-inline-options", font="DejaVuSans", size=10, tick="X", reverse_columns=True,
          col_width=64, inline_options=True),
    Style("narrow-label-column-big-margins", size=11, label_width=160, margins=(90, 80, 90, 80),
          cells_per_row=2),
    Style("wide-label-narrow-columns", font="DejaVuSans", size=9, label_width=380, col_width=36, tick="✓",
          borders=True),
    Style("serif-8-plain-footnotes", font="DejaVuSerif", size=8, superscript=False, tick="✔",
          margins=(40, 36, 40, 36), list_sep=", ", cells_per_row=1),
    Style("narrow-cells-wrapping-boxes", font="Times-Roman", size=11, cell_widths=(110, 105, 80, 64), tick=DRAWN,
          col_width=48, inline_options=True, cross_paths=2),
    # narrow columns at 12-14 pt: every grid header of more than one word wraps ("Antal" / "kvinnor", "Kan inte" /
    # "bedöma"), and every compound of a free-text answer breaks after its hyphen ("e-" / "tjänster")
    Style("narrow-columns-helvetica-12-hyphens", size=12, col_width=42, label_width=240, cells_per_row=2,
          hyphen_breaks=True),
    Style("narrow-columns-times-14-hyphens-borders", font="Times-Roman", size=14, col_width=48, label_width=220,
          cells_per_row=2, borders=True, tick="X", hyphen_breaks=True, margins=(40, 40, 40, 40)),
    Style("narrow-columns-dejavu-13-abbreviated-headers", font="DejaVuSans", size=13, col_width=50, cells_per_row=2,
          tick=DRAWN, hyphen_breaks=True, header_text=(("Antal kvinnor", "Kv"), ("Antal män", "M"))),
    # three contact cells a row: "Telefon (inkl. riktnummer)" wraps in the middle cell, its second line after the
    # next cell's label in reading order
    Style("three-cells-wrapped-middle-label", size=9, cells_per_row=3, cell_widths=(140, 84, 140), borders=True),
]


def _sample() -> Record:
    return record_from_json(sample_record_json())


def _other() -> Record:
    """Another kommun, every choice answered differently, 0 vs null counts, big kronor, wrapped texts."""
    return _sample().replace({
        "kontakt.kommun": "Älvkarleby kommun",
        "kontakt.utdelningsadress": "Östra Långgatan 12",
        "kontakt.postnummer": "814 21",
        "kontakt.postort": "Skutskär",
        "kontakt.kontaktperson": "Åsa Öberg-Lindström",
        "kontakt.avdelning": "Socialförvaltningen, Vuxenenheten för stöd och omsorg",
        "kontakt.namnd": "Socialnämnden",
        "kontakt.telefon": "026-830 00 00",
        "kontakt.epost": "asa.oberg-lindstrom@alvkarleby.se",
        "kontakt.ovriga_kommuner": ["Tierp", "Östhammar"],
        "ombud.tjanster": "2.25",
        "ombud.antal.kvinnor": 2,
        "ombud.antal.man": 1,
        "utbildning.erbjuden": "nej",
        "utbildning.vilka": None,
        "utbildning.varfor_inte": "Inga utbildningar fanns att tillgå under året, inte heller handledning",
        "handledning.erbjuden": "nej",
        "handledning.vilken": None,
        "handledning.varfor_inte": "Handledaren slutade i mars; ny upphandling pågår. 2 klienter",
        "klienter.totalt.alder_65_plus.kvinnor": 0,
        "klienter.totalt.alder_65_plus.man": None,
        "klienter.nya.kvinnor": 0,
        "klienter.nya.man": 0,
        "kontaktorsaker.ekonomi.kvinnor": 134,
        "kontaktorsaker.ekonomi.man": 1203,
        "kontaktorsaker.annan.kvinnor": 3,
        "kontaktorsaker.annan.man": 0,
        "kontaktorsaker.annan_vilken": "Skulder och hot om vräkning",
        "tillgang.ko": "delvis",
        "tillgang.vantetid": "Ja, cirka två månader i Tierp. Nej, ingen kö alls i Östhammar under hösten.",
        "tillgang.prioritering": "nej",
        "tillgang.prioritering_ordning": None,
        "tillgang.prioritering_varfor_inte": "Kön har varit kort.",
        "organisation.utforare.kommun": "nej",
        "organisation.utforare.forening": "ja",
        "organisation.utforare.stiftelse": "nej",
        "organisation.utforare.aktiebolag": None,
        "organisation.utforare.annan": "ja",
        "organisation.annan_utforare_namn": "Föreningen Ombudet i Uppsala län",
        "ledningsgrupp.myndigheter.arbetsformedlingen": "nej",
        "ledningsgrupp.myndigheter.primarvard": "nej",
        "ledningsgrupp.organisationer.patient.svar": "ja",
        "ledningsgrupp.organisationer.patient.vilka":
            "Riksförbundet för social och mental hälsa (RSMH) och Hjärnkoll Uppsala län, båda med ordinarie plats",
        "ledningsgrupp.organisationer.brukar.svar": "nej",
        "ledningsgrupp.organisationer.brukar.vilka": None,
        "ledningsgrupp.organisationer.anhorig.svar": "ja",
        "ledningsgrupp.organisationer.anhorig.vilka": "Anhörigföreningen Vid din sida",
        "ledningsgrupp.organisationer.annan.svar": "nej",
        "ledningsgrupp.saknas_varfor": "Primärvården och Arbetsförmedlingen har inte haft möjlighet att delta.",
        "samhallsservice.rutiner": "nej",
        "ekonomi.beviljat_kr": 1234567,
        "ekonomi.beviljade_arsanstallningar": "2.25",
        "ekonomi.forbrukat_kr": 987654,
        "ekonomi.forbrukade_arsanstallningar": "2.00",
        "ekonomi.farre_varfor": "En tjänst var vakant under tre månader.",
        "corona.paverkat": "kan_inte_bedoma",
        "corona.effekter.okad_efterfragan": False,
        "corona.effekter.minskad_efterfragan": True,
        "corona.effekter.okat_utbud": False,
        "corona.effekter.minskat_utbud": True,
        "corona.effekter.inga_utbildningar": False,
        "corona.effekter.ingen_handledning": False,
        "corona.effekter.annan": True,
        "corona.annan_vad": "Fler möten hölls digitalt via telefon och video.",
        "corona.kommentar": "Svårt att bedöma.\nVi återkommer i nästa redovisning.",
        "ovrigt.synpunkter": None,
        "underskrift.ort_datum": "Skutskär 2021-01-12",
        "underskrift.datum": "2021-01-12",
        "underskrift.namnfortydligande": "Örjan Åkesson",
        "underskrift.titel": "Socialchef",
        "underskrift.tjanstestalle": "Älvkarleby kommun",
        "underskrift.telefon": "026-830 00 01",
        "underskrift.epost": "orjan.akesson@alvkarleby.se",
    })


def _third() -> Record:
    """The remaining answers: kö ja, corona nej, a long kommun name, counts with thousands."""
    return _sample().replace({
        "kontakt.kommun": "Upplands Väsby kommun, Vård- och omsorgsförvaltningen",
        "kontakt.postort": "Upplands Väsby",
        "kontakt.postnummer": "194 80",
        "kontakt.epost": "personligt.ombud@upplandsvasby.se",
        "kontakt.telefon": "+46 8 590 970 00",
        "kontakt.ovriga_kommuner": ["Sollentuna", "Järfälla", "Sigtuna"],
        "klienter.totalt.kvinnor": 12034,
        "tillgang.ko": "ja",
        "tillgang.vantetid": "Cirka sex veckor.",
        "organisation.utforare.kommun": "ja",
        "organisation.utforare.aktiebolag": "nej",
        "ledningsgrupp.organisationer.annan.svar": "ja",
        "ledningsgrupp.organisationer.annan.vilka": "Hyresgästföreningen",
        "corona.paverkat": "nej",
        "corona.effekter.okad_efterfragan": False,
        "corona.effekter.okat_utbud": False,
        "corona.effekter.inga_utbildningar": False,
        "corona.effekter.ingen_handledning": False,
        "underskrift.ort_datum": "Upplands Väsby den 3 februari 2021",
        "underskrift.datum": "2021-02-03",
    })


COMPOUNDS = "Vi använder e-tjänster, A-kassan och covid-19-rutiner samt FoU-arbete."


def _hyphens() -> Record:
    """Hyphenated compounds in every free-text answer (and a suspended one, "Social- och"), so that styles which
    break compounds after their hyphen put a line-end hyphen in each."""
    record = _other()
    fields = record.form.fields_for_year(2020)
    texts = {k: f"{v} {COMPOUNDS}" for k, spec in fields.items() if spec.type == "text" and spec.format is None
             and not k.startswith(("kontakt.", "underskrift.")) and isinstance(v := record.get(k), str)}
    return record.replace({**texts, "kontakt.kommun": "Spånga-Tensta stadsdelsförvaltning",
                           "kontakt.avdelning": "FoU-enheten", "kontakt.namnd": "Social- och fritidsnämnden",
                           "underskrift.titel": "IT-chef", "underskrift.tjanstestalle": "Spånga-Tensta SDF"})


RECORDS = {"sample": _sample, "other": _other, "third": _third, "hyphens": _hyphens,
           "empty": lambda: blank_record(2020)}


@cache
def _read(style_name: str, record_name: str, tmp: Path) -> tuple[Record, Extraction]:
    style = next(s for s in STYLES if s.name == style_name)
    record = RECORDS[record_name]()
    path = render_pdf(record, style, tmp / f"{style_name}-{record_name}.pdf")
    return record, read_pdf_text(path)


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("layouts")


def _check(record: Record, extraction: Extraction) -> None:
    assert record_diffs(record.to_json(), extraction.record.to_json()) == []
    assert [p.to_json() for p in extraction.problems] == []


@pytest.mark.parametrize("record_name", ["sample", "other", "third"])
@pytest.mark.parametrize("style", STYLES, ids=[s.name for s in STYLES])
def test_style_reads_back_exactly(style: Style, record_name: str, out_dir: Path) -> None:
    _check(*_read(style.name, record_name, out_dir))


HYPHEN_STYLES = [s for s in STYLES if s.hyphen_breaks]


@pytest.mark.parametrize("style", HYPHEN_STYLES, ids=[s.name for s in HYPHEN_STYLES])
def test_line_end_hyphens_join_without_a_space(style: Style, out_dir: Path) -> None:
    """Every free-text answer has compounds broken after their hyphen at line ends: each reads back exactly (the
    hyphen kept, no space), "Social- och" keeps its space, and the provenance names the repair."""
    record, extraction = _read(style.name, "hyphens", out_dir)
    _check(record, extraction)
    repaired = [k for k, p in extraction.provenance.items() if p.note and "avstavat vid radslut" in p.note]
    assert len(repaired) >= 20
    assert all("e-\n" in extraction.provenance[k].raw or "-\n" in extraction.provenance[k].raw for k in repaired)


@pytest.mark.parametrize("style", [STYLES[0], STYLES[4], STYLES[10]], ids=lambda s: s.name)
def test_empty_form_reads_as_blank_record(style: Style, out_dir: Path) -> None:
    _check(*_read(style.name, "empty", out_dir))


# ------------------------------------------------------------------------------------ must not guess


def _render_and_read(tmp_path: Path, style: Style, record: Record, **kw: Any) -> Extraction:
    return read_pdf_text(render_pdf(record, style, tmp_path / "x.pdf", **kw))


def _problems(extraction: Extraction) -> dict[str, tuple[str, ...]]:
    return {p.code: p.fields for p in extraction.problems}


@pytest.mark.parametrize("style", [STYLES[0], STYLES[4], STYLES[7]], ids=lambda s: s.name)
def test_both_ja_and_nej_ticked_is_a_conflict_not_a_guess(style: Style, tmp_path: Path) -> None:
    record = _sample()
    ex = _render_and_read(tmp_path, style, record, printed={"utbildning.erbjuden": ("ja", "nej"),
                                                            "corona.paverkat": ("ja", "kan_inte_bedoma")})
    got = ex.record
    assert got["utbildning.erbjuden"] is None and got["corona.paverkat"] is None
    conflicts = sorted(k for p in ex.problems if p.code == "conflicting-marks" for k in p.fields)
    assert conflicts == ["corona.paverkat", "utbildning.erbjuden"]
    assert len(ex.problems) == 2
    want = record.replace({"utbildning.erbjuden": None, "corona.paverkat": None})
    assert record_diffs(want.to_json(), got.to_json()) == []


@pytest.mark.parametrize("style", [STYLES[1], STYLES[3]], ids=lambda s: s.name)
def test_count_with_a_letter_is_unreadable(style: Style, tmp_path: Path) -> None:
    record = _sample()
    ex = _render_and_read(tmp_path, style, record, printed={"kontaktorsaker.bostad.kvinnor": "12a"})
    assert _problems(ex) == {"unreadable-value": ("kontaktorsaker.bostad.kvinnor",)}
    want = record.replace({"kontaktorsaker.bostad.kvinnor": None})
    assert record_diffs(want.to_json(), ex.record.to_json()) == []


DELETED_LABELS = {
    # omitted label -> the record keys that lose their value, and those whose printed answer is then reported as
    # text not read ("unread-value", with its box): the answer stays on the page where its label would be
    "kontaktorsaker.bostad": (("kontaktorsaker.bostad.kvinnor", "kontaktorsaker.bostad.man"),
                              {"kontaktorsaker.bostad.kvinnor", "kontaktorsaker.bostad.man"}),
    "kontakt.postort": (("kontakt.postort",), {"kontakt.postort"}),
    "ekonomi.beviljat_kr": (("ekonomi.beviljat_kr",), {"ekonomi.beviljat_kr"}),
    "organisation.utforare.kommun": (("organisation.utforare.kommun",), {"organisation.utforare.kommun"}),
    "corona.paverkat=nej": (("corona.paverkat",), set()),  # the mark stands before "Ja", which is still there
    "col:utbildning.erbjuden:nej": (("utbildning.erbjuden",), set()),  # a grid without its columns is not read
    "col:ombud.antal:man": (("ombud.antal.kvinnor", "ombud.antal.man"), set()),
}


@pytest.mark.parametrize("omitted", list(DELETED_LABELS))
@pytest.mark.parametrize("style", [STYLES[0], STYLES[1], STYLES[11]], ids=lambda s: s.name)
def test_deleted_label_is_reported_and_nothing_else_changes(style: Style, omitted: str, tmp_path: Path) -> None:
    record = _sample()
    ex = _render_and_read(tmp_path, style, record, omit={omitted})
    keys, unread = DELETED_LABELS[omitted]
    assert [p.fields for p in ex.problems if p.code == "label-not-found"] == [keys]
    assert "hittades inte" in ex.problems[0].message
    lost = [p for p in ex.problems if p.code == "unread-value"]
    assert {k for p in lost for k in p.fields} == unread
    assert all(p.bbox is not None and p.page is not None and "lästes inte" in p.message for p in lost)
    assert {p.code for p in ex.problems} <= {"label-not-found", "unread-value"}
    want = record.replace({k: None for k in keys})
    assert record_diffs(want.to_json(), ex.record.to_json()) == []


DRIFTED_LABELS = {  # labels as a kommun's copy of the same form version may print them
    "kontakt.utdelningsadress": "Utdelningsadres",  # a typing slip
    "kontakt.telefon": "Telefon, inkl riktnummer",  # other punctuation
    "ekonomi.beviljade_arsanstallningar": "Årsanställningar, ange antal ombudstjänster i stadsdelen.",  # a word
    "ekonomi.farre_varfor": "Om verksamheten har haft färre årsanställningar på heltid eller deltid än vad som "
                            "beviljats, ange orsaken.",
    "kontaktorsaker.bostad": "Bostad.",
}


@pytest.mark.parametrize("style", [STYLES[0], STYLES[3], STYLES[13]], ids=lambda s: s.name)
def test_labels_drifted_within_a_version_still_match(style: Style, tmp_path: Path) -> None:
    record = _other()
    _check(record, _render_and_read(tmp_path, style, record, relabel=DRIFTED_LABELS))


@pytest.mark.parametrize(("key", "printed"), [
    ("kontakt.postort", "Ort"),  # a short label with its word changed: no longer this label
    ("ekonomi.farre_varfor", "Om färre tjänster har använts än det som beviljats, skriv något."),  # too many changed
])
def test_a_label_changed_too_much_is_not_found_and_named(key: str, printed: str, tmp_path: Path) -> None:
    record = _sample()
    ex = _render_and_read(tmp_path, STYLES[0], record, relabel={key: printed})
    assert [p.fields for p in ex.problems if p.code == "label-not-found"] == [(key,)]
    assert ex.record[key] is None
    named = {k for p in ex.problems for k in p.fields}  # the label's text, now no label, may spoil the answer before
    assert {k for k, _, _ in record_diffs(record.to_json(), ex.record.to_json())} <= named


# ------------------------------------------------------------------------------------ random answers


def _answers() -> st.SearchStrategy[dict[str, Any]]:
    """Any answers to the form's choices, counts, amounts, årsanställningar and tick boxes."""
    fields = _sample().form.fields_for_year(2020)
    by_type = {
        "int": st.none() | st.integers(0, 9_999),
        "kr": st.none() | st.integers(0, 9_999_999),
        "fte": st.none() | st.sampled_from(["0.50", "1.00", "2.25", "1.5", "3", "12.75"]),
        "flag": st.booleans(),
    }
    parts = {}
    for key, spec in fields.items():
        if key == "ar" or spec.derived_from:
            continue
        if spec.choices and spec.type != "flag":
            parts[key] = st.none() | st.sampled_from([c.value for c in spec.choices])
        elif spec.type in by_type:
            parts[key] = by_type[spec.type]
    return st.fixed_dictionaries(parts)


# Words a free text may hold that are also the form's labels or marks: headings, grid headers, row labels, "x".
_TRICKY = ["och", "i", "att", "det", "som", "på", "är", "av", "för", "med", "till", "har", "inte", "om", "vi",
           "kan", "ja", "nej", "Ja", "Nej", "x", "X", "kommun", "Kommun", "bostad", "Bostad", "kvinnor", "Män",
           "stöd", "klienter", "ombud", "12", "2020", "handledning", "Handledning", "utbildning", "Ekonomi"]


def _texts() -> st.SearchStrategy[dict[str, Any]]:
    """Free texts made of words the form itself prints, for every free-text question."""
    fields = _sample().form.fields_for_year(2020)
    keys = [k for k, spec in fields.items() if spec.type == "text" and spec.format is None
            and not k.startswith(("kontakt.", "underskrift."))]
    sentence = st.lists(st.sampled_from(_TRICKY), min_size=1, max_size=30).map(lambda ws: " ".join(ws) + ".")
    return st.fixed_dictionaries({k: st.none() | sentence for k in keys})


@settings(max_examples=8, deadline=None, derandomize=True)
@given(answers=_answers(), texts=_texts(), style_index=st.integers(0, len(STYLES) - 1))
def test_any_answers_read_back(answers: dict[str, Any], texts: dict[str, Any], style_index: int) -> None:
    record = _sample().replace({**answers, **texts})
    with tempfile.TemporaryDirectory() as tmp:
        _check(record, read_pdf_text(render_pdf(record, STYLES[style_index], Path(tmp) / "x.pdf")))
