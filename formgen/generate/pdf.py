"""The form as an A4 PDF from one layout: fillable (one AcroForm field per record key) or flattened (print)."""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from formgen.generate import typeset as ts
from formgen.generate.acroform import FieldWriter
from formgen.generate.layout import PAGE_H, PAGE_W, Page, Rule, Slot, Text, layout, slot_lines
from formgen.record import Record

FIELD_BACKGROUND = (0.93, 0.95, 1.0)  # the light tint a fillable form shows where one writes


def render_pdf(record: Record, *, flatten: bool) -> bytes:
    """The record's form as PDF bytes: fillable AcroForm, or with ``flatten`` the print version (no fields)."""
    pages = layout(record, flatten=flatten)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(PAGE_W, PAGE_H), invariant=1, pageCompression=1)
    title = f"{ts.render(record.form, record.form.title, record.year).capitalize()} – " \
            f"{ts.render(record.form, record.form.subtitle, record.year)} – år {record.year}"
    canvas.setTitle(title)
    canvas.setSubject(record.kommun or "Blankett")
    canvas.setCreator("formgen")
    canvas.setAuthor(record.kommun or "formgen")
    fields = None if flatten else FieldWriter(canvas)
    for page in pages:
        if fields is not None:
            _draw_field_backgrounds(canvas, page)
        _draw_items(canvas, page)
        for slot in page.slots:
            if fields is None:
                _draw_value(canvas, slot)
            else:
                fields.add(slot)
        canvas.showPage()
    if fields is not None:
        fields.finish()
    canvas.save()
    return out.getvalue()


def _draw_items(canvas: Canvas, page: Page) -> None:
    canvas.setLineWidth(0.5)
    canvas.setStrokeGray(0.35)
    for item in page.items:
        if isinstance(item, Text):
            canvas.setFont(item.font, item.size)
            y = PAGE_H - item.y
            text = ts.printable(item.text)
            if item.align == "center":
                canvas.drawCentredString(item.x, y, text)
            elif item.align == "right":
                canvas.drawRightString(item.x, y, text)
            else:
                canvas.drawString(item.x, y, text)
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


def _draw_value(canvas: Canvas, slot: Slot) -> None:
    """A value drawn as text where the fillable form's field shows it (same font, size and positions)."""
    x0, top, _x1, _bottom = slot.box
    canvas.setFont(ts.REGULAR, slot.size)
    for dx, baseline, line in slot_lines(slot):
        canvas.drawString(x0 + dx, PAGE_H - top - baseline, ts.printable(line))
