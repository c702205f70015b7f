"""extractors.docx_words: a Word document's model laid out as positioned words for the shared layout reader."""

from __future__ import annotations

from lxml import etree

from extractors.docx_model import W, build_model
from extractors.docx_words import LINE, DocxWords, docx_words
from extractors.geometry import adjacent, words_to_lines
from extractors.pdf_words import Word

NS = f'xmlns:w="{W[1:-1]}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'


def _placed(body: str) -> DocxWords:
    return docx_words(build_model(etree.fromstring(f"<w:document {NS}><w:body>{body}</w:body></w:document>")))


def _p(*texts: str) -> str:
    return "<w:p>" + "".join(f'<w:r><w:t xml:space="preserve">{t}</w:t></w:r>' for t in texts) + "</w:p>"


def _tc(*paras: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{''.join(paras) or '<w:p/>'}</w:tc>"


def _table(*rows: list[str]) -> str:
    return "<w:tbl>" + "".join("<w:tr>" + "".join(cells) + "</w:tr>" for cells in rows) + "</w:tbl>"


def _word(placed: DocxWords, text: str, nth: int = 0) -> Word:
    return [w for w in placed.words if w.text == text][nth]


def _lines(placed: DocxWords) -> list[str]:
    return [" ".join(w.text for w in line.words) for line in words_to_lines(placed.words)]


def test_paragraphs_and_line_breaks_are_lines_empty_ones_take_no_room() -> None:
    placed = _placed(_p("Kommun:  Spånga") + "<w:p/>" + _p("   ") + "<w:p><w:r><w:t>ett</w:t><w:br/><w:br/>"
                     "<w:t>två</w:t></w:r></w:p>")
    assert _lines(placed) == ["Kommun: Spånga", "ett", "två"]
    kommun, spanga, ett, tva = placed.words
    assert adjacent(kommun, spanga)  # one space, however many were typed
    assert ett.top - kommun.bottom == tva.top - ett.bottom  # blank paragraphs and breaks add nothing
    assert ett.top - kommun.bottom > 0.8 * LINE  # every line its own paragraph for the reader
    assert placed.paras == (0, 0, 3, 3)


def test_a_table_row_is_a_band_and_its_cells_are_columns() -> None:
    placed = _placed(_table([_tc(_p("Kommun"), _p("Spånga")), _tc(_p("Postort"), _p("Stockholm"))],
                            [_tc(_p("Nämnd")), _tc(_p("Telefon"))]))
    assert _lines(placed) == ["Kommun Postort", "Spånga Stockholm", "Nämnd Telefon"]
    kommun, postort = _word(placed, "Kommun"), _word(placed, "Postort")
    assert kommun.top == postort.top and not adjacent(kommun, postort)  # two cells, not one run of text
    assert _word(placed, "Spånga").x0 == kommun.x0 and _word(placed, "Stockholm").x0 == postort.x0
    assert _word(placed, "Nämnd").top > _word(placed, "Spånga").bottom
    assert _word(placed, "Telefon").x0 == postort.x0


def test_a_short_value_stays_nearest_its_own_long_header() -> None:
    header = "Delvis (t.ex. om det är kö i 3 av 12 kommuner)"
    placed = _placed(_table([_tc(), _tc(_p("Ja")), _tc(_p(header)), _tc(_p("Nej"))],
                            [_tc(_p("Har ni haft kö?")), _tc(), _tc(_p("x")), _tc()]))
    centres = {name: (_word(placed, name).x0 + _word(placed, name).x1) / 2 for name in ("Ja", "Delvis", "Nej")}
    mark = _word(placed, "x")
    delvis_centre = (_word(placed, "Delvis").x0 + _word(placed, "kommuner)").x1) / 2
    assert abs(mark.xc - delvis_centre) < abs(mark.xc - centres["Ja"])
    assert abs(mark.xc - delvis_centre) < abs(mark.xc - centres["Nej"])


def test_spanned_and_vertically_merged_cells() -> None:
    span = '<w:gridSpan w:val="2"/>'
    placed = _placed(_table(
        [_tc(_p("Rubrik"), props=span), _tc(_p("Kvinnor")), _tc(_p("Män"))],
        [_tc(_p("Totalt"), props='<w:vMerge w:val="restart"/>'), _tc(_p("a")), _tc(_p("35")), _tc(_p("56"))],
        [_tc(props="<w:vMerge/>"), _tc(_p("b")), _tc(_p("5")), _tc(_p("5"))]))
    assert _word(placed, "Kvinnor").x0 == _word(placed, "35").x0  # the spanning cell covers two columns
    assert _word(placed, "Rubrik").x0 == _word(placed, "Totalt").x0
    assert _word(placed, "b").x0 > _word(placed, "Totalt").x1
    # the merged cell runs down beside its rows: the rows below follow at the usual pace
    assert _word(placed, "5").top - _word(placed, "35").top == _word(placed, "35").top - _word(placed, "Kvinnor").top


def test_a_merged_cell_taller_than_its_rows_pushes_what_follows_down() -> None:
    restart = '<w:vMerge w:val="restart"/>'
    placed = _placed(_table([_tc(_p("ett"), _p("två"), _p("tre"), props=restart), _tc(_p("a"))],
                            [_tc(props="<w:vMerge/>"), _tc(_p("b"))]) + _p("efter"))
    assert _word(placed, "efter").top > _word(placed, "tre").bottom


def test_tables_that_follow_each_other_share_their_columns() -> None:
    placed = _placed(_table([_tc(), _tc(_p("Kvinnor")), _tc(_p("Män"))]) + "<w:p/>"
                     + _table([_tc(_p("Totalt antal klienter i kommunen")), _tc(_p("35")), _tc(_p("56"))]))
    assert _word(placed, "Kvinnor").x0 == _word(placed, "35").x0
    assert _word(placed, "Män").x0 == _word(placed, "56").x0


def test_nested_tables_stand_inside_their_cell() -> None:
    inner = _table([_tc(_p("Ja")), _tc(_p("Nej"))])
    placed = _placed(_table([_tc(_p("Fråga")), _tc(_p("Svar"), inner)]))
    svar = _word(placed, "Svar")
    assert _word(placed, "Ja").x0 == svar.x0 and _word(placed, "Ja").top > svar.bottom
    assert _word(placed, "Nej").x0 > _word(placed, "Ja").x1


def test_check_boxes_of_form_controls_are_drawn_marks_typed_marks_are_text() -> None:
    legacy = ('<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:checkBox><w:checked/></w:checkBox></w:ffData>'
              '</w:fldChar></w:r><w:r><w:instrText> FORMCHECKBOX </w:instrText></w:r>'
              '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    control = ('<w:sdt><w:sdtPr><w14:checkbox><w14:checked w14:val="0"/></w14:checkbox></w:sdtPr>'
               '<w:sdtContent><w:r><w:t>☐</w:t></w:r></w:sdtContent></w:sdt>')
    placed = _placed(f"<w:p>{legacy}<w:r><w:t>Ja</w:t></w:r></w:p><w:p>{control}<w:r><w:t>Nej</w:t></w:r></w:p>"
                     + _p("☒Kan inte bedöma"))
    assert [(w.text, w.drawn) for w in placed.words if w.text in "☒☐"] == [("☒", True), ("☐", True), ("☒", False)]
    assert _lines(placed) == ["☒ Ja", "☐ Nej", "☒ Kan inte bedöma"]  # a mark is a word of its own


def test_no_break_spaces_hold_a_word_together_and_a_tab_parts_words() -> None:
    placed = _placed(_p("402\u00a0638 kr") + _p("Datum\tSpånga"))
    assert [w.text for w in placed.words] == ["402\u00a0638", "kr", "Datum", "Spånga"]
    assert adjacent(placed.words[0], placed.words[1]) and not adjacent(placed.words[2], placed.words[3])


def test_words_inside_a_box_are_found_again() -> None:
    placed = _placed(_p("ett två") + _p("tre"))
    ett, tva, tre = placed.words
    assert placed.within((ett.x0, ett.top, tva.x1, tva.bottom)) == [0, 1]
    assert placed.within((ett.x0, ett.top, tre.x1, tre.bottom)) == [0, 2]
    assert placed.index_of(tre) == 2
