"""Where an answer goes on the PDF page: a fillable field, or the value printed as text."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from reportlab.lib.colors import Color, black, white
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

FONT = "Helvetica"
SIZE = 9.5
LEADING = 12.0
FRAME = Color(0.55, 0.55, 0.55)
FILL = Color(0.94, 0.96, 1.0)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of at most ``width`` points, broken at spaces (a longer word stands alone); paragraphs kept."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.replace("\t", " ").split(" "):
            candidate = f"{current} {word}" if current else word
            if current and stringWidth(candidate, font, size) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


class Boxes(ABC):
    """The answers of one PDF: text boxes, number boxes, choice marks and tick boxes."""

    def __init__(self, canvas: Canvas) -> None:
        self.c = canvas

    @abstractmethod
    def text(self, key: str, x: float, y: float, w: float, h: float, lines: Sequence[str], *, multiline: bool,
             whole: str, first: bool = True, last: bool = True, font: str = FONT, size: float = SIZE) -> None:
        """A text answer in the box (x, y) – (x + w, y + h), PDF coordinates."""

    @abstractmethod
    def number(self, key: str, x: float, y: float, w: float, h: float, value: str) -> None:
        """A count in a grid cell."""

    @abstractmethod
    def choice(self, key: str, value: str, x: float, y: float, size: float, selected: bool) -> None:
        """One option of a choice question (a radio button of the group ``key``)."""

    @abstractmethod
    def flag(self, key: str, x: float, y: float, size: float, checked: bool) -> None:
        """A tick box."""


class PrintedBoxes(Boxes):
    """The print version: values drawn as text, marks as an "X" glyph in a drawn box."""

    def text(self, key: str, x: float, y: float, w: float, h: float, lines: Sequence[str], *, multiline: bool,
             whole: str, first: bool = True, last: bool = True, font: str = FONT, size: float = SIZE) -> None:
        self.c.setFont(font, size)
        self.c.setFillColor(black)
        top = y + h
        for i, line in enumerate(lines):
            self.c.drawString(x + 3, top - (i + 1) * LEADING + 2.5, line)

    def number(self, key: str, x: float, y: float, w: float, h: float, value: str) -> None:
        if value:
            self.c.setFont(FONT, SIZE)
            self.c.setFillColor(black)
            self.c.drawCentredString(x + w / 2, y + 4, value)

    def _box(self, x: float, y: float, size: float, ticked: bool) -> None:
        self.c.setStrokeColor(black)
        self.c.setLineWidth(0.6)
        self.c.rect(x, y, size, size, stroke=1, fill=0)
        if ticked:
            self.c.setFont(FONT, size)
            self.c.setFillColor(black)
            self.c.drawCentredString(x + size / 2, y + size * 0.15, "X")

    def choice(self, key: str, value: str, x: float, y: float, size: float, selected: bool) -> None:
        self._box(x, y, size, selected)

    def flag(self, key: str, x: float, y: float, size: float, checked: bool) -> None:
        self._box(x, y, size, checked)


class FillableBoxes(Boxes):
    """The fillable version: one AcroForm field per record key, each with its appearance stream."""

    def __init__(self, canvas: Canvas) -> None:
        super().__init__(canvas)
        # Every tick box of the form looks the same: build each appearance stream once (reportlab
        # already shares identical streams in the file, but computes them again for every widget).
        make = canvas.acroForm.checkboxAP
        made: dict[str, object] = {}

        def appearance(*args: object, **kwargs: object) -> object:
            key = repr((args, sorted(kwargs.items())))
            if key not in made:
                made[key] = make(*args, **kwargs)
            return made[key]

        canvas.acroForm.checkboxAP = appearance

        # reportlab draws a text field's appearance one line per "\n" and never wraps; wrap it to the
        # field's width (the field's value /V stays exactly as written).
        draw_text = canvas.acroForm.txAP

        def wrapped_text(key: str, value: str, *args: object, **kwargs: object) -> object:
            width = float(kwargs.get("width", 120))  # type: ignore[arg-type]
            size = float(args[2] if len(args) > 2 else kwargs.get("fontSize", SIZE))  # type: ignore[arg-type]
            if value and kwargs.get("wkind", "textfield") == "textfield":
                value = "\n".join(wrap(value, FONT, size, width - 6))
            return draw_text(key, value, *args, **kwargs)

        canvas.acroForm.txAP = wrapped_text

    def text(self, key: str, x: float, y: float, w: float, h: float, lines: Sequence[str], *, multiline: bool,
             whole: str, first: bool = True, last: bool = True, font: str = FONT, size: float = SIZE) -> None:
        if not first:
            return  # a long answer continues in the field on the first page
        self.c.acroForm.textfield(
            name=key, value=whole, x=x, y=y, width=w, height=h, fontName=FONT, fontSize=SIZE,
            borderWidth=0.5, borderColor=FRAME, fillColor=FILL, textColor=black, maxlen=100000,
            fieldFlags="multiline" if multiline else "", tooltip=key, forceBorder=False,
        )
        self._drop_default_value()

    def number(self, key: str, x: float, y: float, w: float, h: float, value: str) -> None:
        self.c.acroForm.textfield(
            name=key, value=value, x=x, y=y, width=w, height=h, fontName=FONT, fontSize=SIZE, borderWidth=0.5,
            borderColor=FRAME, fillColor=FILL, textColor=black, maxlen=12, tooltip=key, forceBorder=False,
        )
        self._drop_default_value()

    def _drop_default_value(self) -> None:
        """reportlab writes every value twice (/V and the reset value /DV); a form's reset value is empty."""
        field = self.c._doc.idToObject[self.c.acroForm.fields[-1].name]
        field.dict.pop("DV", None)

    def choice(self, key: str, value: str, x: float, y: float, size: float, selected: bool) -> None:
        self.c.acroForm.radio(
            name=key, value=value, selected=selected, buttonStyle="cross", shape="square", x=x, y=y, size=size,
            borderWidth=0.6, borderColor=black, fillColor=white, textColor=black, forceBorder=False,
            fieldFlags="radio", tooltip=f"{key}={value}",
        )

    def flag(self, key: str, x: float, y: float, size: float, checked: bool) -> None:
        self.c.acroForm.checkbox(
            name=key, checked=checked, buttonStyle="cross", shape="square", x=x, y=y, size=size, borderWidth=0.6,
            borderColor=black, fillColor=white, textColor=black, forceBorder=False, fieldFlags="", tooltip=key,
        )


def text_width(text: str, size: float = SIZE) -> float:
    """Width of a text in the form's font."""
    return stringWidth(text, FONT, size)
