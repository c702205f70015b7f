"""WordprocessingML pieces built with lxml: runs, paragraphs, tables and content controls (w:sdt).

python-docx has no API for content controls, so the document body is built here as an element tree and put
into a package made once per form wording with python-docx (styles, A4 page, footer with page numbers).

Measured with LibreOffice 7.4 (open, save as DOCX, ODT → DOCX, export PDF): line breaks (w:br) inside a
run-level control are moved in front of its text, while paragraphs survive every path. So an answer that
may hold more than one line is a block-level control holding one paragraph per line (``block_control``),
and every answer sits in a visible box (bordered paragraphs, a table cell, a shaded run) even when empty.
The document's language is Swedish (sv-SE) so Word and LibreOffice check the spelling in Swedish.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from functools import cache, lru_cache

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
NSMAP = {"w": W_NS, "w14": W14_NS}
CHECKED, UNCHECKED = "\u2612", "\u2610"  # ☒ ☐
BOX_FONT = "MS Gothic"
LANGUAGE = "sv-SE"
ANSWER_SHADE = "E3E9F7"  # the light tint behind an inline answer (as the PDF's fields)
ANSWER_BORDER = "808080"
TEXT_WIDTH = 9638  # twips: A4 (11906) minus 20 mm margins
DOCUMENT_XML = "word/document.xml"
CORE_XML = "docProps/core.xml"  # written per document: its subject and keywords (the recipient)
_NOT_XML = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)

Element = etree._Element


def w(tag: str) -> str:
    """The qualified name of a w: element or attribute."""
    return f"{{{W_NS}}}{tag}"


def w14(tag: str) -> str:
    """The qualified name of a w14: element or attribute."""
    return f"{{{W14_NS}}}{tag}"


_FACTORY = etree.Element(w("document"), nsmap=NSMAP)  # elements made from it share its w: / w14: prefixes


@cache
def qname(tag: str) -> str:
    """"w:p" → "{http://…/main}p"."""
    prefix, _, name = tag.partition(":")
    return f"{{{NSMAP[prefix]}}}{name}"


def el(tag: str, attrs: dict[str, str] | None = None, *children: Element | None) -> Element:
    """An element ("w:p", "w14:checked") with attributes given by prefixed names and child elements."""
    node = _FACTORY.makeelement(qname(tag))
    if attrs:
        for key, value in attrs.items():
            node.set(qname(key), value)
    for child in children:
        if child is not None:
            node.append(child)
    return node


def val(tag: str, value: str | int) -> Element:
    """An element whose only attribute is w:val (w14:val for w14 elements)."""
    prefix = tag.partition(":")[0]
    return el(tag, {f"{prefix}:val": str(value)})


def xml_text(text: str) -> str:
    """Text XML can hold: characters XML 1.0 forbids (other control characters) removed."""
    return _NOT_XML.sub("", text)


def run(text: str, *, bold: bool = False, size: float | None = None, superscript: bool = False,
        font: str | None = None, shade: str | None = None) -> Element:
    """A run of text; line breaks become w:br and tabs w:tab (so free text survives as typed)."""
    props = el("w:rPr")
    if font:
        props.append(el("w:rFonts", {"w:ascii": font, "w:hAnsi": font, "w:eastAsia": font, "w:hint": "eastAsia"}))
    if bold:
        props.append(el("w:b"))
    if size:
        props.append(val("w:sz", round(size * 2)))
        props.append(val("w:szCs", round(size * 2)))
    if shade:  # an answer after its label: a tinted box with a thin border (w:bdr, then w:shd, as the schema wants)
        props.append(el("w:bdr", {"w:val": "single", "w:sz": "4", "w:space": "0", "w:color": ANSWER_BORDER}))
        props.append(el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": shade}))
    if superscript:
        props.append(val("w:vertAlign", "superscript"))
    node = el("w:r", None, props if len(props) else None)
    for i, line in enumerate(xml_text(text).split("\n")):
        if i:
            node.append(el("w:br"))
        for j, piece in enumerate(line.split("\t")):
            if j:
                node.append(el("w:tab"))
            if piece:
                t = el("w:t")
                t.text = piece
                t.set(XML_SPACE, "preserve")
                node.append(t)
    return node


def para(*content: Element | None, keep_next: bool = False, align: str | None = None, before: int = 0,
         after: int = 40, indent: int = 0, rule_below: bool = False, boxed: bool = False) -> Element:
    """A paragraph of runs and run-level content controls; spacing in twips. ``boxed`` draws a border round
    it (consecutive boxed paragraphs make one box in Word and LibreOffice)."""
    props = el("w:pPr")
    if keep_next:
        props.append(el("w:keepNext"))
    if rule_below:
        props.append(el("w:pBdr", None, el("w:bottom", {"w:val": "single", "w:sz": "6", "w:space": "1",
                                                          "w:color": "595959"})))
    elif boxed:
        props.append(copy.deepcopy(_answer_box()))
    props.append(el("w:spacing", {"w:before": str(before), "w:after": str(after)}))
    if indent:
        props.append(el("w:ind", {"w:left": str(indent)}))
    if align:
        props.append(val("w:jc", align))
    return el("w:p", None, props, *content)


@lru_cache(maxsize=1)
def _answer_box() -> Element:
    edge = {"w:val": "single", "w:sz": "4", "w:space": "3", "w:color": ANSWER_BORDER}
    return el("w:pBdr", None, *(el(f"w:{side}", edge) for side in ("top", "left", "bottom", "right")))


def _sdt_props(tag: str, alias: str, ident: int) -> Element:
    return el("w:sdtPr", None, val("w:alias", xml_text(alias)[:250]), val("w:tag", tag), val("w:id", ident))


def text_control(tag: str, text: str, *, alias: str, ident: int, locked: bool = False, size: float | None = None,
                 shade: str | None = None) -> Element:
    """A one-line content control (run level) tagged with the record key; empty it holds no-break spaces, so
    a shaded control still shows where to write. A plain-text control (w:text), except when shaded: LibreOffice
    7.4 draws a plain-text control's content without its run's shading and border (measured), a rich-text one
    with them."""
    props = _sdt_props(tag, alias, ident)
    if locked:
        props.append(val("w:lock", "sdtContentLocked"))
    if shade is None:
        props.append(el("w:text"))
    content = run(" ".join(text.split("\n")) or "\u00a0" * 12, size=size, shade=shade)
    return el("w:sdt", None, props, el("w:sdtContent", None, content))


def block_control(tag: str, text: str, *, alias: str, ident: int, lines: int = 1, indent: int = 0,
                  boxed: bool = True, size: float | None = None, after: int = 80) -> Element:
    """A block-level (rich text) content control tagged with the record key holding one paragraph per line
    of the answer (``lines`` empty ones while unanswered): the form a multi-line answer keeps in Word and
    LibreOffice."""
    rows = xml_text(text).split("\n") if text else [""] * lines
    last = len(rows) - 1
    paragraphs = [para(run(row, size=size) if row else None, boxed=boxed, indent=indent, before=0,
                       after=after if i == last else 0) for i, row in enumerate(rows)]
    return el("w:sdt", None, _sdt_props(tag, alias, ident), el("w:sdtContent", None, *paragraphs))


def check_control(tag: str, checked: bool, *, alias: str, ident: int) -> Element:
    """A check box content control (w14:checkbox) tagged "<key>=<value>" or with a flag's key."""
    props = _sdt_props(tag, alias, ident)
    props.append(el("w14:checkbox", None, val("w14:checked", "1" if checked else "0"),
                     el("w14:checkedState", {"w14:val": "2612", "w14:font": BOX_FONT}),
                     el("w14:uncheckedState", {"w14:val": "2610", "w14:font": BOX_FONT})))
    glyph = run(CHECKED if checked else UNCHECKED, font=BOX_FONT)
    return el("w:sdt", None, props, el("w:sdtContent", None, glyph))


def cell(width: int, *paragraphs: Element, borders: bool = True, shade: str | None = None,
         valign: str = "top", span: int = 1) -> Element:
    """A table cell of a width in twips holding paragraphs (and block-level controls), ``span`` grid columns
    wide."""
    props = el("w:tcPr", None, el("w:tcW", {"w:w": str(width), "w:type": "dxa"}))
    if span > 1:
        props.append(val("w:gridSpan", span))
    if borders:
        props.append(copy.deepcopy(_borders()))
    if shade:
        props.append(el("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": shade}))
    props.append(val("w:vAlign", valign))
    return el("w:tc", None, props, *(paragraphs or (para(),)))


@lru_cache(maxsize=1)
def _borders() -> Element:
    edges = [el(f"w:{edge}", {"w:val": "single", "w:sz": "4", "w:space": "0", "w:color": "595959"})
             for edge in ("top", "left", "bottom", "right")]
    return el("w:tcBorders", None, *edges)


def table(widths: list[int], rows: list[list[Element]], header_rows: int = 0) -> Element:
    """A table with fixed column widths; the first ``header_rows`` rows repeat after a page break."""
    props = el("w:tblPr", None, el("w:tblW", {"w:w": str(sum(widths)), "w:type": "dxa"}),
               el("w:tblLayout", {"w:type": "fixed"}),
               el("w:tblCellMar", None, el("w:left", {"w:w": "60", "w:type": "dxa"}),
                  el("w:right", {"w:w": "60", "w:type": "dxa"})))
    grid = el("w:tblGrid", None, *(el("w:gridCol", {"w:w": str(x)}) for x in widths))
    node = el("w:tbl", None, props, grid)
    for i, cells in enumerate(rows):
        row_props = el("w:trPr", None, el("w:cantSplit"), el("w:tblHeader") if i < header_rows else None)
        node.append(el("w:tr", None, row_props, *cells))
    return node


# ---------------------------------------------------------------------------------------------- package


@dataclass(frozen=True)
class Setup:
    """What the package around the body says: the document's title and the footer's pieces ("Sida ", then
    PAGE, then " av ", then NUMPAGES: text, or a field name in capitals between ``FIELD_MARK`` signs)."""

    title: str
    footer: tuple[str, ...]


FIELD_MARK = "\u241f"  # marks a field's name among the footer's pieces


@lru_cache(maxsize=16)
def template_parts(setup: Setup) -> tuple[bytes, bytes]:
    """The template package without its document.xml (zipped once per setup), and that document.xml."""
    parts, document_xml = _template_parts(setup)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts:
            if name not in (DOCUMENT_XML, CORE_XML):
                package.writestr(_zip_info(name), _swedish(data) if name.startswith("word/") else data)
    return out.getvalue(), document_xml


@lru_cache(maxsize=16)
def _core_template(setup: Setup) -> bytes:
    return dict(_template_parts(setup)[0])[CORE_XML]


def core_xml(setup: Setup, *, subject: str | None = None, keywords: str | None = None) -> bytes:
    """The template's core properties (docProps/core.xml) with this document's subject and keywords."""
    root = etree.fromstring(_core_template(setup))
    for tag, value in (("{http://purl.org/dc/elements/1.1/}subject", subject),
                       ("{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}keywords",
                        keywords)):
        node = root.find(tag)
        if node is not None and value:
            node.text = _NOT_XML.sub("", value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_LANG = re.compile(rb'(<w:(?:lang|themeFontLang)\b[^>]*?\bw:val=")[A-Za-z-]+(")')


def _swedish(xml: bytes) -> bytes:
    """A part whose language settings (w:lang in the default run properties and styles, the theme's font
    language) say sv-SE."""
    return _LANG.sub(rb"\g<1>" + LANGUAGE.encode() + rb"\g<2>", xml)


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _template_parts(setup: Setup) -> tuple[tuple[tuple[str, bytes], ...], bytes]:
    """The package's parts from python-docx's default document set up once (A4, fonts, page numbers)."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(9.5)
    props = document.core_properties
    props.title = setup.title
    props.language = LANGUAGE
    props.author = props.last_modified_by = "formgen"
    props.created = props.modified = dt.datetime(2020, 1, 1)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for piece in setup.footer:
        if len(piece) > 2 and piece[0] == piece[-1] == FIELD_MARK:
            footer._p.append(_field(piece[1:-1]))
        elif piece:
            footer._p.append(run(piece, size=7.5))
    out = io.BytesIO()
    document.save(out)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as package:
        parts = tuple((name, package.read(name)) for name in package.namelist())
    return parts, dict(parts)[DOCUMENT_XML]


def _field(code: str) -> Element:
    return el("w:fldSimple", {"w:instr": f" {code} "}, run("1", size=7.5))


def build_package(body: list[Element], setup: Setup, *, subject: str | None = None,
                  keywords: str | None = None) -> bytes:
    """A DOCX holding the given body elements (before the template's section properties), its title and footer
    from ``setup``; ``subject`` and ``keywords`` go into its core properties."""
    package_bytes, document_xml = template_parts(setup)
    root = etree.fromstring(document_xml)
    doc_body = root.find(w("body"))
    section = doc_body.find(w("sectPr"))
    for child in list(doc_body):
        if child is not section:
            doc_body.remove(child)
    for node in body:
        section.addprevious(node)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO(package_bytes)
    out.seek(0, io.SEEK_END)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr(_zip_info(DOCUMENT_XML), xml)
        package.writestr(_zip_info(CORE_XML), core_xml(setup, subject=subject, keywords=keywords))
    return out.getvalue()
