"""The form as an A4 PDF from one layout: fillable (one AcroForm field per record key) or flattened (print)."""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from formgen.generate import typeset as ts
from formgen.generate.acroform import FieldWriter
from formgen.generate.form_pages import layout
from formgen.generate.layout import PAGE_H, PAGE_W, Page, Rule, Slot, Text, slot_lines
from formgen.generate.pdf_fonts import FontCodes
from formgen.generate.recipient import addressee
from formgen.places import Lan
from formgen.record import Record

FIELD_BACKGROUND = (0.93, 0.95, 1.0)  # the light tint a fillable form shows where one writes


def render_pdf(record: Record, *, flatten: bool, lan: Lan | None = None) -> bytes:
    """The record's form as PDF bytes: fillable AcroForm, or with ``flatten`` the print version (no fields).
    Addressed to ``lan``'s Länsstyrelse, else to that of the record's kommun (formgen.generate.recipient)."""
    to = addressee(record, lan)
    pages = layout(record, flatten=flatten, lan=to.lan)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1, initialFontName=ts.REGULAR,
                    initialFontSize=ts.BODY)
    canvas.setTitle(ts.document_title(record))
    canvas.setSubject(record.kommun or "Blankett")
    canvas.setCreator("formgen")
    canvas.setAuthor(record.kommun or "formgen")
    canvas.setKeywords(to.metadata)  # the recipient
    text = TextWriter(canvas)
    fields = None if flatten else FieldWriter(canvas, text.fonts[ts.REGULAR])
    for page in pages:
        if fields is not None:
            _draw_field_backgrounds(canvas, page)
        _draw_items(canvas, page, text)
        for slot in page.slots:
            if fields is None:
                _draw_value(text, slot)
            else:
                fields.add(slot)
        canvas.showPage()
    if fields is not None:
        fields.finish()
    canvas.save()
    return out.getvalue()


class TextWriter:
    """Draws text on the canvas's current page in the embedded fonts (``pdf_fonts.FontCodes``)."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.fonts = {name: FontCodes(name, canvas._doc) for name in (ts.REGULAR, ts.BOLD)}

    def draw(self, x: float, y: float, text: str, font: str = ts.REGULAR, size: float = ts.BODY,
             align: str = "left") -> None:
        """A line of text with its baseline at ``y`` (PDF coordinates), starting, centred or ending at ``x``."""
        if align != "left":
            w = ts.width(ts.printable(text), font, size)
            x -= w / 2 if align == "center" else w
        shown = self.fonts[font].show(text, size)
        if shown:
            self.canvas.addLiteral(f"BT 1 0 0 1 {_num(x)} {_num(y)} Tm {shown.decode('ascii')} ET")


def _num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


def _draw_items(canvas: Canvas, page: Page, text: TextWriter) -> None:
    canvas.setLineWidth(0.5)
    canvas.setStrokeGray(0.35)
    for item in page.items:
        if isinstance(item, Text):
            text.draw(item.x, PAGE_H - item.y, item.text, item.font, item.size, item.align)
        elif isinstance(item, Rule):
            if item.box:
                canvas.rect(item.x0, PAGE_H - item.y1, item.x1 - item.x0, item.y1 - item.y0, stroke=1, fill=0)
            else:
                canvas.line(item.x0, PAGE_H - item.y0, item.x1, PAGE_H - item.y1)


def _draw_field_backgrounds(canvas: Canvas, page: Page) -> None:
    canvas.setFillColorRGB(*FIELD_BACKGROUND)
    for slot in page.slots:
        if not slot.readonly:
            x0, top, x1, bottom = slot.box
            canvas.rect(x0, PAGE_H - bottom, x1 - x0, bottom - top, stroke=0, fill=1)
    canvas.setFillGray(0)


def _draw_value(text: TextWriter, slot: Slot) -> None:
    """A value drawn as text where the fillable form's field shows it (same font, size and positions)."""
    x0, top, _x1, _bottom = slot.box
    for dx, baseline, line in slot_lines(slot):
        text.draw(x0 + dx, PAGE_H - top - baseline, line, ts.REGULAR, slot.size)
