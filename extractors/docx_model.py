"""A Word document's body as plain data: paragraphs in reading order, table rows and content controls.

The XML is walked once (lxml, entities not resolved, no network, no huge_tree). A paragraph's runs are
joined before anything looks for a label (Word splits runs anywhere). Legacy form fields keep only their
result text; a legacy FORMCHECKBOX or a content-control check box becomes "☒" (ticked) or "☐" (not
ticked) at its place in the text, so marks read the same whether typed, a legacy field or a content control.
A content control whose placeholder is showing contributes no text. Besides the flat paragraph list, the
body is kept as a tree (paragraphs and tables, cells holding paragraphs and nested tables) for
extractors.docx_words, which lays the document out as positioned words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
TICKED_BOX = "☒"
EMPTY_BOX = "☐"

# Symbol-font code points of check boxes and ticks (w:sym, or text in a Wingdings run), low byte only.
_SYMBOL_MARKS: dict[str, dict[int, str]] = {
    "wingdings": {0x78: TICKED_BOX, 0xFB: "✗", 0xFC: "✓", 0xFD: TICKED_BOX, 0xFE: "☑",
                  0x6F: EMPTY_BOX, 0x71: EMPTY_BOX, 0xA8: EMPTY_BOX},
    "wingdings 2": {0x4F: "✗", 0x50: "✓", 0x52: "☑", 0x53: TICKED_BOX, 0x54: TICKED_BOX, 0xA3: EMPTY_BOX},
}
_PASS_THROUGH = frozenset(W + t for t in ("hyperlink", "smartTag", "customXml", "ins", "moveTo", "fldSimple",
                                           "dir", "bdo"))


@dataclass
class Cell:
    """One table cell: its table (1-based, document order), row and cell index, grid columns it spans, whether
    it starts ("restart") or continues ("continue") a vertically merged cell, and what it holds in order
    (paragraph indices and nested tables)."""

    table: int
    row: int
    col: int
    gcol: int
    span: int
    paras: list[int] = field(default_factory=list)
    vmerge: str | None = None
    content: list[int | Table] = field(default_factory=list)

    def covers(self, gcol: int) -> bool:
        """Whether the cell spans grid column ``gcol``."""
        return self.gcol <= gcol < self.gcol + self.span


@dataclass
class Row:
    """A table row and the range of paragraph indices inside it (nested tables included)."""

    table: int
    row: int
    cells: list[Cell]
    first: int
    stop: int


@dataclass
class Table:
    """A table of the body or of a cell: its number (1-based, document order) and its rows."""

    number: int
    rows: list[Row] = field(default_factory=list)


@dataclass
class Para:
    """One paragraph: its text with runs joined, where it stands (body paragraph number or table cell), and the
    offsets in its text of the check boxes a form control drew (legacy FORMCHECKBOX, w14:checkbox)."""

    index: int
    text: str
    body_no: int | None = None
    cell: Cell | None = None
    boxes: tuple[int, ...] = ()


@dataclass
class Control:
    """A content control (w:sdt): its tag, its text ("" while the placeholder shows), check box state."""

    tag: str | None
    text: str
    para: int
    checked: bool | None = None
    placeholder: bool = False


@dataclass
class DocModel:
    """The document body: paragraphs in reading order, table rows, content controls, what kinds were seen."""

    paras: list[Para]
    rows: list[Row]
    tables: dict[int, list[Row]]
    controls: list[Control]
    legacy_fields: int = 0
    body: list[int | Table] = field(default_factory=list)

    def text(self) -> str:
        """The whole text, one paragraph a line (for detecting the form)."""
        return "\n".join(p.text for p in self.paras)

    def where(self, first: int, last: int | None = None) -> str:
        """A location for humans: "stycke 42", "stycke 42–44" or "tabell 3, rad 2, kolumn 1"."""
        para = self.paras[first]
        if para.cell is not None:
            c = para.cell
            return f"tabell {c.table}, rad {c.row + 1}, kolumn {c.col + 1}"
        end = self.paras[last] if last is not None else para
        if end.body_no is not None and end.body_no != para.body_no:
            return f"stycke {para.body_no}–{end.body_no}"
        return f"stycke {para.body_no}"


def build_model(root: etree._Element) -> DocModel:
    """Walk a document's body into a DocModel."""
    walker = _Walker()
    for child in root.find(W + "body"):
        walker.block(child, None)
    rows = sorted(walker.rows, key=lambda r: (r.first, r.table))
    tables: dict[int, list[Row]] = {}
    for row in sorted(walker.rows, key=lambda r: (r.table, r.row)):
        tables.setdefault(row.table, []).append(row)
    return DocModel(walker.paras, rows, tables, walker.controls, walker.legacy_fields, walker.body)


# ---------------------------------------------------------------------------------------------- walking


@dataclass
class _Field:
    """A legacy/complex field being read: its instruction, form-field data, and whether in its result."""

    ff: etree._Element | None
    instr: str = ""
    in_result: bool = False
    start: int = -1
    para: int = -1

    @property
    def kind(self) -> str:
        words = self.instr.split()
        return words[0].upper() if words else ""


def _on(el: etree._Element | None, attr: str) -> bool | None:
    """The value of an on/off property (w:checked, w14:checked): None when absent; no val means on."""
    if el is None:
        return None
    val = el.get(attr)
    return val is None or val.strip().lower() in ("1", "true", "on")


def legacy_checkbox_state(ff: etree._Element | None) -> bool:
    """Whether a legacy FORMCHECKBOX is ticked: w:checked wins over w:default."""
    box = ff.find(W + "checkBox") if ff is not None else None
    if box is None:
        return False
    checked = _on(box.find(W + "checked"), W + "val")
    if checked is not None:
        return checked
    return bool(_on(box.find(W + "default"), W + "val"))


def _symbol(font: str | None, code: int) -> str:
    table = _SYMBOL_MARKS.get((font or "").strip().lower())
    if table is not None:
        return table.get(code & 0xFF, "")
    return chr(code) if 0x20 <= code < 0xE000 else ""


class _Walker:
    """One pass over the body; fields may span runs and paragraphs, never table cells."""

    def __init__(self) -> None:
        self.paras: list[Para] = []
        self.rows: list[Row] = []
        self.controls: list[Control] = []
        self.fields: list[_Field] = []
        self.buf: list[str] = []
        self.suppress = 0
        self.tables = 0
        self.body_paras = 0
        self.legacy_fields = 0
        self.body: list[int | Table] = []
        self.container = self.body  # where the next paragraph or table goes (the body or a cell)
        self.boxes: list[int] = []

    # -- block level

    def block(self, el: etree._Element, cell: Cell | None) -> None:
        tag = el.tag
        if tag == W + "p":
            self.paragraph(el, cell)
        elif tag == W + "tbl":
            self.table(el)
        elif tag == W + "sdt":
            self.block_control(el, cell)
        elif tag == W + "customXml":
            for child in el:
                self.block(child, cell)

    def paragraph(self, p: etree._Element, cell: Cell | None) -> None:
        self.fields = [f for f in self.fields if f.in_result]  # an instruction never spans paragraphs
        self.buf = []
        self.boxes = []
        for child in p:
            self.inline(child)
        index = len(self.paras)
        body_no = None
        if cell is None:
            self.body_paras += 1
            body_no = self.body_paras
        else:
            cell.paras.append(index)
        text = "".join(self.buf)
        boxes = tuple(at for at in self.boxes if at < len(text) and text[at] in (TICKED_BOX, EMPTY_BOX))
        self.paras.append(Para(index, text, body_no, cell, boxes))
        self.container.append(index)

    def table(self, tbl: etree._Element) -> None:
        self.tables += 1
        number = self.tables
        self.fields = []
        node = Table(number)
        self.container.append(node)
        outer = self.container
        for r, tr in enumerate(_unwrapped(tbl, W + "tr")):
            first = len(self.paras)
            props = tr.find(W + "trPr")
            gcol = _int_val(props.find(W + "gridBefore") if props is not None else None, 0)
            cells = []
            for c, tc in enumerate(_unwrapped(tr, W + "tc")):
                tc_pr = tc.find(W + "tcPr")
                span = max(1, _int_val(tc_pr.find(W + "gridSpan") if tc_pr is not None else None, 1))
                cell = Cell(number, r, c, gcol, span, vmerge=_vmerge(tc_pr))
                self.container = cell.content
                for child in tc:
                    self.block(child, cell)
                self.fields = []
                cells.append(cell)
                gcol += span
            row = Row(number, r, cells, first, len(self.paras))
            self.rows.append(row)
            node.rows.append(row)
        self.container = outer

    def block_control(self, sdt: etree._Element, cell: Cell | None) -> None:
        props = _ControlProps(sdt)
        first = len(self.paras)
        content = sdt.find(W + "sdtContent")
        hide = 1 if props.placeholder or props.checked is not None else 0
        self.suppress += hide
        for child in content if content is not None else ():
            self.block(child, cell)
        self.suppress -= hide
        if props.counted:
            text = "" if props.placeholder else "\n".join(p.text for p in self.paras[first:])
            self.controls.append(Control(props.tag, text, first, props.checked, props.placeholder))

    # -- inline level

    def emit(self, text: str) -> None:
        if self.suppress or not text:
            return
        if all(f.in_result and f.kind != "FORMCHECKBOX" for f in self.fields):
            self.buf.append(text)

    def emit_box(self, ticked: bool) -> None:
        """A form control's check box: its glyph, and its place noted (a drawn box, not typed text)."""
        at = sum(len(part) for part in self.buf)
        self.emit(TICKED_BOX if ticked else EMPTY_BOX)
        if sum(len(part) for part in self.buf) > at:
            self.boxes.append(at)

    def inline(self, el: etree._Element) -> None:
        tag = el.tag
        if tag == W + "r":
            self.run(el)
        elif tag in _PASS_THROUGH:
            for child in el:
                self.inline(child)
        elif tag == W + "sdt":
            self.inline_control(el)

    def inline_control(self, sdt: etree._Element) -> None:
        props = _ControlProps(sdt)
        start = len("".join(self.buf))
        content = sdt.find(W + "sdtContent")
        if props.checked is not None:
            self.emit_box(bool(props.checked))
        elif not props.placeholder and content is not None:
            for child in content:
                self.inline(child)
        if props.counted:
            text = "" if props.placeholder else "".join(self.buf)[start:]
            self.controls.append(Control(props.tag, text, len(self.paras), props.checked, props.placeholder))

    def run(self, r: etree._Element) -> None:
        props = r.find(W + "rPr")
        font = _run_font(props)
        if _is_footnote_mark(r, props) and "".join(self.buf).strip():
            return  # a reference after a word; at a paragraph's start it is the footnote's own number: kept
        for child in r:
            tag = child.tag
            if tag == W + "t":
                text = child.text or ""
                if font in _SYMBOL_MARKS:
                    text = "".join(_symbol(font, ord(ch)) or ch for ch in text)
                self.emit(text)
            elif tag in (W + "tab", W + "ptab"):
                self.emit("\t")
            elif tag in (W + "br", W + "cr"):
                self.emit("\n")
            elif tag == W + "noBreakHyphen":
                self.emit("-")
            elif tag == W + "sym":
                self.emit(_symbol(child.get(W + "font"), _hex(child.get(W + "char"))))
            elif tag == W + "fldChar":
                self.field_char(child)
            elif tag == W + "instrText" and self.fields and not self.fields[-1].in_result:
                self.fields[-1].instr += child.text or ""

    def field_char(self, el: etree._Element) -> None:
        kind = el.get(W + "fldCharType")
        if kind == "begin":
            self.fields.append(_Field(el.find(W + "ffData")))
        elif kind == "separate" and self.fields:
            f = self.fields[-1]
            f.in_result = True
            f.start = len("".join(self.buf))
            f.para = len(self.paras)
        elif kind == "end" and self.fields:
            f = self.fields.pop()
            if f.kind in ("FORMTEXT", "FORMCHECKBOX", "FORMDROPDOWN"):
                self.legacy_fields += 1
            if f.kind == "FORMCHECKBOX":
                self.emit_box(legacy_checkbox_state(f.ff))
            elif f.kind == "FORMTEXT" and f.para == len(self.paras):
                self._drop_default_text(f)

    def _drop_default_text(self, f: _Field) -> None:
        """A legacy text field still showing its default text (e.g. "Skriv här") is not an answer."""
        default = f.ff.find(f"{W}textInput/{W}default") if f.ff is not None else None
        value = default.get(W + "val") if default is not None else None
        text = "".join(self.buf)
        if value and value.strip() and text[f.start:] == value:
            self.buf = [text[:f.start]]


class _ControlProps:
    """What a content control's w:sdtPr says: tag, check box state, placeholder showing."""

    def __init__(self, sdt: etree._Element) -> None:
        props = sdt.find(W + "sdtPr")
        tag = props.find(W + "tag") if props is not None else None
        self.tag = tag.get(W + "val") if tag is not None else None
        box = props.find(W14 + "checkbox") if props is not None else None
        self.checked = bool(_on(box.find(W14 + "checked"), W14 + "val")) if box is not None else None
        self.placeholder = bool(_on(props.find(W + "showingPlcHdr"), W + "val")) if props is not None else False
        # Cover pages, tables of contents and the like are content controls too; they are not fields.
        self.counted = props is None or (props.find(W + "docPartObj") is None
                                         and props.find(W + "docPartList") is None)


def _unwrapped(parent: etree._Element, tag: str) -> list[etree._Element]:
    """Children with ``tag``, looking through content controls and custom XML that wrap rows or cells."""
    out = []
    for child in parent:
        if child.tag == tag:
            out.append(child)
        elif child.tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                out.extend(_unwrapped(content, tag))
        elif child.tag == W + "customXml":
            out.extend(_unwrapped(child, tag))
    return out


def _vmerge(tc_pr: etree._Element | None) -> str | None:
    """A cell's vertical merge: "restart" (the merged cell's first row), "continue" (a row below it) or None."""
    el = tc_pr.find(W + "vMerge") if tc_pr is not None else None
    if el is None:
        return None
    return "restart" if el.get(W + "val") == "restart" else "continue"


def _int_val(el: etree._Element | None, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(W + "val", default))
    except ValueError:
        return default


def _hex(value: str | None) -> int:
    try:
        return int(value or "", 16)
    except ValueError:
        return 0


def _run_font(props: etree._Element | None) -> str | None:
    fonts = props.find(W + "rFonts") if props is not None else None
    if fonts is None:
        return None
    name = fonts.get(W + "ascii") or fonts.get(W + "hAnsi") or fonts.get(W + "cs")
    return name.strip().lower() if name else None


def _is_footnote_mark(r: etree._Element, props: etree._Element | None) -> bool:
    """A superscript run of one or two digits: a footnote reference typed by hand ("decimaler¹"), or the number
    a footnote printed under its block starts with."""
    if props is None:
        return False
    align = props.find(W + "vertAlign")
    if align is None or align.get(W + "val") != "superscript":
        return False
    text = "".join(t.text or "" for t in r.iter(W + "t")).strip()
    return text.isdigit() and len(text) <= 2
