"""The form laid out once: pages of printed items and answer slots, shared by the fillable and flattened PDF.

Coordinates are points from the page's top-left corner (y grows downwards); ``pdf.py`` turns them round.
A Slot is where one record key's answer goes: the fillable PDF puts a field there, the flattened PDF draws
the slot's lines of text there, at the same positions (``slot_lines``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from reportlab.lib.pagesizes import A4

from formgen.generate import typeset as ts
from formgen.generate.typeset import BODY, LEADING, REGULAR
from formgen.record import Record
from formgen.spec import FieldSpec

PAGE_W, PAGE_H = A4
LEFT = 56.0
RIGHT = PAGE_W - 56.0
TOP = 48.0
BOTTOM = PAGE_H - 56.0
WIDTH = RIGHT - LEFT
PAD = 3.0  # inner padding of cells and slots
PADX = 3.0
FOOTER_Y = PAGE_H - 28.0


@dataclass(frozen=True)
class Text:
    """A printed piece of text; ``y`` is the baseline, ``x`` the left end (or centre / right end)."""

    x: float
    y: float
    text: str
    font: str = REGULAR
    size: float = BODY
    align: str = "left"


@dataclass(frozen=True)
class Rule:
    """A rectangle outline (``box``) or a line from (x0, y0) to (x1, y1)."""

    x0: float
    y0: float
    x1: float
    y1: float
    box: bool = False


@dataclass(frozen=True)
class Slot:
    """Where one key's answer is written: box (x0, top, x1, bottom), its lines of text and how to place them.

    kind: "text", "number", "radio" (one choice of a question: ``export`` is the choice value), "check".
    ``value`` is the field value: the formatted answer for text and numbers, the chosen value for radios.
    """

    key: str
    kind: str
    box: tuple[float, float, float, float]
    lines: tuple[str, ...]
    value: str
    baseline: float  # first baseline below the box top
    size: float = BODY
    leading: float = LEADING
    align: str = "left"
    multiline: bool = False
    export: str | None = None
    on: bool = False
    tooltip: str = ""
    readonly: bool = False


@dataclass
class Page:
    """One page: what is printed on it and where its answers go."""

    items: list[Text | Rule] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)


def slot_lines(slot: Slot) -> list[tuple[float, float, str]]:
    """Each line of a slot's value as (x offset from the box's left, baseline below its top, text)."""
    x0, _top, x1, _bottom = slot.box
    out = []
    for i, line in enumerate(slot.lines):
        if slot.align == "center":
            dx = (x1 - x0 - ts.width(line, REGULAR, slot.size)) / 2
        elif slot.align == "right":
            dx = x1 - x0 - PADX - ts.width(line, REGULAR, slot.size)
        else:
            dx = PADX
        out.append((dx, slot.baseline + i * slot.leading, line))
    return out


@dataclass(frozen=True)
class Mark:
    """Where the flow stood: page number, counts of its items and slots, y. Start of a keep-with-next run."""

    page: int
    items: int
    slots: int
    y: float


class Flow:
    """Places bands of given height down the pages, starting a new page when a band does not fit.

    A heading is kept with what follows it: ``keep_with_next(mark)`` after placing it makes the next
    ``reserve`` that needs a new page take everything placed since ``mark`` along to that page.
    """

    def __init__(self) -> None:
        self.pages: list[Page] = [Page()]
        self.y = TOP
        self.held: Mark | None = None

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def fits(self, height: float) -> bool:
        return self.y + height <= BOTTOM

    def mark(self) -> Mark:
        """The current position; inside a held heading, where that heading began (a title, then a sub-heading,
        then their first band stay together)."""
        if self.held is not None:
            return self.held
        return Mark(len(self.pages) - 1, len(self.page.items), len(self.page.slots), self.y)

    def keep_with_next(self, mark: Mark) -> None:
        """What was placed since ``mark`` goes to the next page along with the next band if that band breaks."""
        self.held = mark

    def reserve(self, height: float, keep: float = 0.0) -> float:
        """The top of a band of ``height`` (on a new page when it and ``keep`` more do not fit here)."""
        held, self.held = self.held, None
        if self.y + height + keep > BOTTOM and self.y > TOP:
            if held is not None and held.page == len(self.pages) - 1 and held.y > TOP:
                self.move_to_next_page(held)
            else:
                self.new_page()
        top = self.y
        self.y += height
        return top

    def move_to_next_page(self, mark: Mark) -> None:
        """Start a new page and move there what was placed since ``mark``, shifted up to the page's top."""
        old = self.page
        items, slots = old.items[mark.items:], old.slots[mark.slots:]
        del old.items[mark.items:], old.slots[mark.slots:]
        shift = TOP - mark.y
        end = self.y
        self.new_page()
        self.page.items.extend(_shifted(item, shift) for item in items)
        self.page.slots.extend(replace(s, box=(s.box[0], s.box[1] + shift, s.box[2], s.box[3] + shift))
                               for s in slots)
        self.y = end + shift

    def gap(self, height: float) -> None:
        if self.y > TOP:
            self.y += height

    def new_page(self) -> None:
        self.pages.append(Page())
        self.y = TOP

    def text(self, x: float, y: float, text: str, font: str = REGULAR, size: float = BODY,
             align: str = "left") -> None:
        if text:
            self.page.items.append(Text(x, y, text, font, size, align))

    def rule(self, x0: float, y0: float, x1: float, y1: float, box: bool = False) -> None:
        self.page.items.append(Rule(x0, y0, x1, y1, box))

    def slot(self, slot: Slot) -> None:
        self.page.slots.append(slot)

    def label(self, x: float, y: float, lines: tuple[str, ...], mark: str | None = None, suffix: str = "",
              font: str = REGULAR, size: float = BODY, leading: float = LEADING) -> float:
        """Print wrapped label lines from baseline ``y``; a footnote mark as a small raised digit after the
        last word (before its punctuation), then ``suffix``. Returns the x where the last line ends."""
        end = x
        for i, line in enumerate(lines):
            base = y + i * leading
            last = i == len(lines) - 1
            if not last or (mark is None and not suffix):
                self.text(x, base, line, font, size)
                end = x + ts.width(line, font, size)
                continue
            head, punct = ts.split_trailing_punctuation(line) if mark else (line, "")
            self.text(x, base, head, font, size)
            end = x + ts.width(head, font, size)
            if mark:
                self.text(end, base - ts.MARK_RISE, mark, REGULAR, ts.MARK)
                end += ts.width(mark, REGULAR, ts.MARK)
            tail = punct + suffix
            self.text(end, base, tail, font, size)
            end += ts.width(tail, font, size)
        return end


def _shifted(item: Text | Rule, dy: float) -> Text | Rule:
    if isinstance(item, Text):
        return replace(item, y=item.y + dy)
    return replace(item, y0=item.y0 + dy, y1=item.y1 + dy)


def label_lines(text: str, max_width: float, mark: str | None = None, suffix: str = "",
                font: str = REGULAR, size: float = BODY) -> tuple[str, ...]:
    """A label wrapped so that its footnote mark and suffix still fit on the last line."""
    extra = (ts.width(mark, REGULAR, ts.MARK) if mark else 0.0) + ts.width(suffix, font, size)
    lines = ts.wrap(text, font, size, max_width)
    if extra and ts.width(lines[-1], font, size) + extra > max_width:
        lines = ts.wrap(text, font, size, max_width - extra)
    return lines


def value_slot(record: Record, spec: FieldSpec, box: tuple[float, float, float, float], *, kind: str = "text",
               lines: tuple[str, ...] | None = None, align: str = "left", multiline: bool | None = None,
               baseline: float | None = None, tooltip: str = "", readonly: bool = False) -> Slot:
    """The slot of a text or number answer, its value wrapped to the box's width."""
    text = ts.display(spec, record.get(spec.key))
    if lines is None:
        lines = ts.wrap(text, REGULAR, BODY, box[2] - box[0] - 2 * PADX) if text else ()
    if multiline is None:
        multiline = len(lines) > 1
    return Slot(spec.key, kind, box, lines, text, PAD + 0.8 * BODY if baseline is None else baseline,
                align=align, multiline=multiline, tooltip=tooltip, readonly=readonly)


def answer_height(n_lines: int) -> float:
    """Height of an answer box holding ``n_lines`` lines."""
    return 2 * PAD + max(n_lines, 1) * LEADING
