"""The pages of a record's form: every block written by formgen.generate.blocks, page numbers last."""

from __future__ import annotations

from formgen.generate.blocks import BlockWriter
from formgen.generate.layout import FOOTER_Y, RIGHT, Flow, Page, Text
from formgen.generate.typeset import REGULAR, SMALL
from formgen.places import Lan
from formgen.record import Record


def layout(record: Record, *, flatten: bool = False, lan: Lan | None = None) -> list[Page]:
    """The pages of the record's form: the year's wording, its answers in place, page numbers last."""
    flow = Flow()
    BlockWriter(record, flow, flatten=flatten, lan=lan).write_form()
    total = len(flow.pages)
    for number, page in enumerate(flow.pages, start=1):
        footer = record.form.text("page_footer", record.year, page=number, pages=total)
        page.items.append(Text(RIGHT, FOOTER_Y, footer, REGULAR, SMALL, "right"))
    return flow.pages
