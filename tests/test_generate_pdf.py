"""formgen.generate: the fillable and the flattened PDF from one layout."""

from __future__ import annotations

import html
import io
import re
import shutil
import subprocess
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from pypdf import PdfReader

from formgen.generate import blank_record, render_pdf
from formgen.generate import typeset as ts
from formgen.generate.blocks import BlockWriter
from formgen.generate.docx import DocxWriter
from formgen.generate.form_pages import layout
from formgen.generate.layout import BOTTOM, LEFT, RIGHT, TOP, Flow, Text, slot_lines
from formgen.record import Record, record_from_json
from formgen.spec import BLOCK_KINDS
from tests.helpers import sample_record_json
from tests.varied_records import varied_record


@pytest.fixture(scope="module")
def sample() -> Record:
    return record_from_json(sample_record_json())


@pytest.fixture(scope="module")
def fillable(sample: Record) -> bytes:
    return render_pdf(sample, flatten=False)


@pytest.fixture(scope="module")
def flattened(sample: Record) -> bytes:
    return render_pdf(sample, flatten=True)


def _text(data: bytes, tmp_path: Path, *, layout_mode: bool = True) -> str:
    path = tmp_path / "f.pdf"
    path.write_bytes(data)
    args = ["pdftotext", *(["-layout"] if layout_mode else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def test_every_block_kind_has_a_writer() -> None:
    for owner in (BlockWriter, DocxWriter):
        assert [k for k in BLOCK_KINDS if not callable(getattr(owner, f"block_{k}", None))] == []


def test_field_names_are_the_record_keys_in_a_real_hierarchy(sample: Record, fillable: bytes) -> None:
    reader = PdfReader(io.BytesIO(fillable))
    names = set(reader.get_fields())
    keys = {k for k, spec in sample.form.fields_for_year(2020).items() if spec.derived_from is None}
    assert keys <= names
    assert names - keys <= {k.rsplit(".", n)[0] for k in keys for n in range(1, 5)}  # only parent nodes
    for page in reader.pages:
        for ref in page["/Annots"]:
            widget = ref.get_object()
            node = widget
            while node is not None:
                assert "." not in str(node.get("/T", "")), "a partial name must not contain a period"
                node = node.get("/Parent").get_object() if "/Parent" in node else None


def test_every_widget_has_its_appearances(fillable: bytes) -> None:
    reader = PdfReader(io.BytesIO(fillable))
    assert "/NeedAppearances" not in reader.trailer["/Root"]["/AcroForm"]
    for page in reader.pages:
        for ref in page["/Annots"]:
            widget = ref.get_object()
            normal = widget["/AP"]["/N"].get_object()
            if "/AS" not in widget:
                assert normal.get("/Subtype") == "/Form"  # a text field's stream
                continue
            states = set(normal)
            assert "/Off" in states and len(states) == 2
            field = widget if "/FT" in widget else widget["/Parent"].get_object()
            value = field.get("/V")
            assert widget["/AS"] == (value if value in states else "/Off")


def test_values_and_choices_as_exported(sample: Record, fillable: bytes) -> None:
    fields = PdfReader(io.BytesIO(fillable)).get_fields()
    assert fields["kontakt.kommun"]["/V"] == sample.get("kontakt.kommun")
    assert fields["ekonomi.beviljat_kr"]["/V"] == "402 638 kr"
    assert fields["ombud.tjanster"]["/V"] == "1,00"
    assert fields["klienter.totalt.kvinnor"]["/V"] == "35"
    assert fields["tillgang.ko"]["/V"] == "/nej"
    assert set(fields["tillgang.ko"]["/_States_"]) == {"/ja", "/delvis", "/nej", "/Off"}
    assert fields["corona.effekter.okad_efterfragan"]["/V"] == "/Yes"
    assert fields["corona.effekter.minskad_efterfragan"]["/V"] == "/Off"
    assert "/V" not in fields["ombud.antal.man"]  # unanswered: no value at all
    assert fields["samhallsservice.brister"]["/Ff"] & 4096  # prose is multi-line


@pytest.mark.skipif(shutil.which("qpdf") is None or shutil.which("pdftotext") is None, reason="needs qpdf")
def test_a_viewer_shows_the_values(tmp_path: Path, fillable: bytes) -> None:
    src, out = tmp_path / "in.pdf", tmp_path / "out.pdf"
    src.write_bytes(fillable)
    subprocess.run(["qpdf", "--flatten-annotations=all", str(src), str(out)], check=True)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Spånga" in text and "402 638" in text and "Enheten för Innovation" in text


def test_pdfium_draws_the_field_appearances(fillable: bytes) -> None:
    pdf = pdfium.PdfDocument(fillable)
    pdf.init_forms()
    page = pdf[0]
    assert pdfium_c.FPDFPage_Flatten(page, pdfium_c.FLAT_PRINT) == pdfium_c.FLATTEN_SUCCESS
    page.close()
    text = pdf[0].get_textpage().get_text_range()
    assert "Spånga-Tensta" in text and "mikael.illberg@stockholm.se" in text


def test_flattened_pdf_has_no_fields_at_all(flattened: bytes) -> None:
    reader = PdfReader(io.BytesIO(flattened))
    assert not reader.get_fields()
    assert "/AcroForm" not in reader.trailer["/Root"]
    assert all("/Annots" not in page for page in reader.pages)


@needs_poppler
def test_flattened_page_follows_the_printed_conventions(tmp_path: Path, flattened: bytes) -> None:
    text = _text(flattened, tmp_path)
    lines = [line.strip() for line in text.splitlines()]
    text = "\n".join(lines)
    assert "Statsbidrag avseende år 2020" in lines
    assert "Ange antal tjänster med 2 decimaler1: 1,00" in lines  # superscript mark, then the value inline
    assert re.search(r"^Kvinnor\s+Män$", text, re.M)
    assert re.search(r"^Totalt antal klienter\s+35\s+56$", text, re.M)
    assert re.search(r"^Ange antalet personliga ombud\s+1$", text, re.M)  # nothing printed for Antal män
    assert re.search(r"^Ja\s+Delvis \(t\.ex\. om det är kö i 3 av 12 kommuner\)\s+Nej$", text, re.M)
    assert re.search(r"^Brukarorganisationer\s+X\s+RSMH, Schizofreniförbundet$", text, re.M)
    assert "X Ja" in lines and "Nej" in lines  # a choice list: box, mark, option
    assert "402 638 kr" in lines and "1,0" in lines
    i = lines.index("Om ja, rangordna prioriteringsordningen i er kommun")
    assert lines[i + 1] == "Alla klienter som har underåriga barn"
    assert "Sida 1 av 6" in lines


def test_marks_and_counts_sit_under_their_column_headers(sample: Record) -> None:
    labels = {c.value: c.label for choices in sample.form.choice_sets.values() for c in choices}
    labels.update({c.value: c.label for c in sample.form.genders})
    checked = 0
    for page in layout(sample, flatten=True):
        headers = [t for t in page.items if isinstance(t, Text) and t.align == "center"]
        for slot in page.slots:
            x0, top, x1, bottom = slot.box
            assert LEFT - 1 <= x0 < x1 <= RIGHT + 1 and top < bottom
            column = slot.export if slot.kind == "radio" else slot.key.rsplit(".", 1)[-1]
            if slot.align != "center" or slot.size != 9.0 or column not in labels:
                continue
            above = [t for t in headers if t.y < top and labels[column].casefold() in t.text.casefold()]
            header = max(above, key=lambda t: t.y)
            assert abs((x0 + x1) / 2 - header.x) < 0.01
            for dx, baseline, _ in slot_lines(slot):
                assert abs(x0 + dx + ts.width(slot.lines[0]) / 2 - header.x) < 0.01  # centred under it
                row_labels = [t for t in page.items if isinstance(t, Text) and t.x < x0 and t.align == "left"
                              and top <= t.y <= bottom]
                assert abs(top + baseline - min(t.y for t in row_labels)) < 0.01  # on the row's first line
            checked += 1
    assert checked > 80


@needs_poppler
def test_blank_2021_form_has_the_years_wording_and_no_corona(tmp_path: Path) -> None:
    blank = blank_record(2021)
    text = _text(render_pdf(blank, flatten=False), tmp_path, layout_mode=False)
    assert "senast den 15 januari 2022." in text
    assert "under 2021" in text and "under 2020" not in text
    assert "Coronapandemin" not in text and "8. Övrigt" in text and "9. Underskrift" in text
    fields = PdfReader(io.BytesIO(render_pdf(blank, flatten=False))).get_fields()
    assert fields["ar"]["/V"] == "2021" and fields["ar"]["/Ff"] & 1  # the year is read-only
    assert not any(name.startswith("corona") for name in fields)
    flat = _text(render_pdf(blank, flatten=True), tmp_path)
    assert not re.search(r"\b0\b|–", flat.replace("2021", "").replace("2022", "")), "blank prints nothing"


def test_a_long_answer_continues_on_the_next_page_when_printed(sample: Record) -> None:
    long = "\n".join(f"Rad {i}: insatser och samverkan med brukare" for i in range(90))
    record = sample.replace({"samhallsservice.brister": long})
    printed = [s for p in layout(record, flatten=True) for s in p.slots if s.key == "samhallsservice.brister"]
    assert len(printed) >= 2 and sum(len(s.lines) for s in printed) == 90
    fillable = [s for p in layout(record, flatten=False) for s in p.slots if s.key == "samhallsservice.brister"]
    assert len(fillable) == 1 and fillable[0].value == long  # one field; its value is whole


def test_characters_outside_winansi_do_not_break_the_pdf(sample: Record) -> None:
    record = sample.replace({"ovrigt.synpunkter": "Łódź – “citat” ✓ 😀 € tab\there"})
    data = render_pdf(record, flatten=False)
    assert PdfReader(io.BytesIO(data)).get_fields()["ovrigt.synpunkter"]["/V"] == record.get("ovrigt.synpunkter")
    assert render_pdf(record, flatten=True).startswith(b"%PDF")


# ---------------------------------------------------------------------------------------------- Unicode, layout

UNICODE_SEEDS = (1, 2, 3)


def _words_by_page(pdf: Path) -> list[list[tuple[float, float, float, float, str]]]:
    """pdftotext's words with their boxes (points from the top-left corner), page by page."""
    xhtml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", xhtml, re.S):
        words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', page)
        pages.append([(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in words])
    return pages


def _lines_in_box(words: list[tuple[float, float, float, float, str]], box: tuple[float, float, float, float]
                  ) -> list[str]:
    x0, top, x1, bottom = box
    inside = [w for w in words if x0 - 1 <= (w[0] + w[2]) / 2 <= x1 + 1 and top - 1 <= (w[1] + w[3]) / 2 <= bottom + 1]
    lines: dict[float, list[tuple[float, str]]] = {}
    for w in sorted(inside, key=lambda w: (w[1], w[0])):
        line = next((y for y in lines if abs(y - w[1]) < 1.5), w[1])
        lines.setdefault(line, []).append((w[0], w[4]))
    return [" ".join(t for _, t in sorted(parts)) for _, parts in sorted(lines.items())]


def _pdfium_lines(page: pdfium.PdfPage, box: tuple[float, float, float, float]) -> list[str]:
    x0, top, x1, bottom = box
    height = page.get_height()
    text = page.get_textpage().get_text_bounded(left=x0, bottom=height - bottom, right=x1, top=height - top)
    return [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]


def _printed_variants(record: Record, tmp_path: Path) -> dict[str, Path]:
    """The print PDF and the fillable PDF as a viewer draws it (qpdf flattens the widgets' appearances)."""
    fill, flat, printed = tmp_path / "fill.pdf", tmp_path / "fill-flat.pdf", tmp_path / "print.pdf"
    fill.write_bytes(render_pdf(record, flatten=False))
    printed.write_bytes(render_pdf(record, flatten=True))
    subprocess.run(["qpdf", "--flatten-annotations=all", str(fill), str(flat)], check=True)
    return {"fillable": flat, "print": printed}


needs_qpdf = pytest.mark.skipif(shutil.which("qpdf") is None or shutil.which("pdftotext") is None,
                                reason="needs qpdf and poppler-utils")


@needs_qpdf
@pytest.mark.parametrize("seed", UNICODE_SEEDS)
def test_every_answer_comes_back_exactly_through_pdftotext_and_pdfium(tmp_path: Path, seed: int) -> None:
    record = varied_record(seed)
    pages = layout(record, flatten=True)
    fillable_pages = layout(record, flatten=False)
    checked = 0
    for mode, path in _printed_variants(record, tmp_path).items():
        laid_out = pages if mode == "print" else fillable_pages
        words = _words_by_page(path)
        pdf = pdfium.PdfDocument(path)
        assert len(words) == len(pdf) == len(laid_out)
        for number, page in enumerate(laid_out):
            for slot in page.slots:
                if slot.kind in ("radio", "check") or not slot.lines:
                    continue
                want = [line for line in slot.lines if line.strip()]
                assert _lines_in_box(words[number], slot.box) == want, (mode, slot.key)
                assert _pdfium_lines(pdf[number], slot.box) == want, (mode, slot.key)
                checked += 1
        text = "\n".join(" ".join(w[4] for w in page) for page in words)
        for name in ("Ŋ", "Č", "đ", "Ł", "ś", "ş", "≥", "→"):
            assert name in text, (mode, name)
        assert record.get("kontakt.kontaktperson") in text
    assert checked > 40


@needs_qpdf
def test_fonts_are_embedded_unicode_subsets_in_pages_and_appearances(tmp_path: Path, sample: Record) -> None:
    for mode, path in _printed_variants(sample, tmp_path).items():
        report = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        # the fillable form's /DR keeps the standard Helvetica for a viewer that redraws a field while typing;
        # nothing is drawn with it
        fonts = [line for line in report.splitlines()[2:] if not (mode == "fillable" and line.startswith("Helv"))]
        assert fonts and all(re.search(r"\byes\s+yes\s+yes\b", line) for line in fonts), report
        assert all("DejaVuSans" in line for line in fonts), report
    reader = PdfReader(io.BytesIO(render_pdf(sample, flatten=False)))
    for page in reader.pages:
        for ref in page["/Annots"]:
            widget = ref.get_object()
            normal = widget["/AP"]["/N"].get_object()
            streams = [normal] if "/Subtype" in normal else [normal[s].get_object() for s in normal]
            for stream in streams:
                data = stream.get_data()
                if not data:
                    continue  # an Off state draws nothing
                assert b"/Helv" not in data
                for name in re.findall(rb"(/F\d+\+\d+) [\d.]+ Tf", data):
                    font = stream["/Resources"]["/Font"][name.decode()].get_object()
                    assert font["/Subtype"] == "/TrueType" and "/ToUnicode" in font
                    assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_a_character_without_a_glyph_is_shown_as_missing_not_dropped() -> None:
    assert ts.printable("Łódź ≥ 3 → ✓") == "Łódź ≥ 3 → ✓"
    assert ts.printable("glad 漢\tslut\x07") == "glad \ufffd slut"  # no CJK in DejaVu Sans


def test_headings_stay_with_what_follows_them(sample: Record) -> None:
    """Whatever the length of the answers before it, a section title or a sub-heading never ends a page."""
    base = varied_record(7)
    checked = 0
    for n in range(0, 60, 3):
        record = base.replace({"kontakt.ovriga_kommuner": [f"Kommun {i}" for i in range(n)],
                               "ledningsgrupp.rekrytering": "\n".join(["Rad om rekrytering"] * (1 + n % 17))})
        for page in layout(record, flatten=True):
            body = [t for t in page.items if isinstance(t, Text) and t.size > ts.SMALL]
            for item in body:
                if item.font == ts.BOLD and item.size < 13:  # a section title or a bold heading
                    below = [t for t in body if t.y > item.y + 1] + [s for s in page.slots if s.box[1] > item.y]
                    assert below, f"{item.text!r} is the last thing on its page"
                    checked += 1
    assert checked > 100


def test_keep_with_next_moves_the_heading_along() -> None:
    flow = Flow()
    flow.y = BOTTOM - 30
    mark = flow.mark()
    top = flow.reserve(19)
    flow.text(LEFT, top + 13, "Rubrik", ts.BOLD, 12)
    flow.keep_with_next(mark)
    band = flow.reserve(60)
    assert len(flow.pages) == 2 and flow.pages[0].items == []
    (heading,) = flow.pages[1].items
    assert heading.y == TOP + 13 and band == TOP + 19
    flow.reserve(5)  # the hold is used once
    assert len(flow.pages) == 2


@pytest.mark.parametrize("seed", UNICODE_SEEDS)
def test_every_value_line_fits_its_box(seed: int) -> None:
    long_url = "https://start.stockholm/forvaltningar/spanga-tensta-stadsdelsforvaltning/personligt-ombud"
    record = varied_record(seed).replace({"kontakt.avdelning": long_url,
                                          "kontakt.epost": "personligt.ombud.samordnare@stadsdelsforvaltning.se"})
    for flatten in (True, False):
        for page in layout(record, flatten=flatten):
            for slot in page.slots:
                x0, _top, x1, _bottom = slot.box
                for dx, _baseline, line in slot_lines(slot):
                    assert x0 + dx >= x0 and x0 + dx + ts.width(line, ts.REGULAR, slot.size) <= x1 + 0.01, slot.key
    slots = {s.key: s for p in layout(record) for s in p.slots}
    assert slots["kontakt.avdelning"].size < ts.BODY  # the URL is written smaller
    assert slots["kontakt.epost"].lines == (record.get("kontakt.epost"),)  # alone in its row: a wide cell


def test_widgets_that_look_the_same_share_one_appearance_stream() -> None:
    """Most fields of a new year's form are empty and every Off state is blank: each look is written once,
    while every widget still has its own /AP (no /NeedAppearances)."""
    reader = PdfReader(io.BytesIO(render_pdf(blank_record(2021), flatten=False)))
    assert "/NeedAppearances" not in reader.trailer["/Root"]["/AcroForm"]
    widgets = [a.get_object() for page in reader.pages for a in page.get("/Annots", [])]
    streams = []
    for widget in widgets:
        ap = widget["/AP"]
        normal = ap.raw_get("/N")
        states = [normal] if hasattr(normal, "idnum") else [normal.raw_get(k) for k in normal]
        assert states and all(hasattr(ref, "idnum") for ref in states)
        streams += [ref.idnum for ref in states]
    assert len(widgets) > 100
    assert len(set(streams)) < len(streams) / 3  # shared, not one stream per widget and state
