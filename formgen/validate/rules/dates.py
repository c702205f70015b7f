"""The signature date: readable, after the grant year has ended, not after the deadline."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from formgen.findings import Finding
from formgen.record import Record
from formgen.validate.context import RuleContext, is_unanswered
from formgen.validate.registry import rule
from formgen.values import ValueParseError, parse_date


@rule("signature_date",
      {"signed-date-unreadable": "warning", "signed-before-year-end": "warning", "signed-after-deadline": "warning"},
      params="dates")
def signature_date(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    """A report is signed after its grant year ends and by the deadline; a written date must be readable.

    The date is ``underskrift.datum``, or when that is empty the date read from the text as written.
    """
    spec = ctx.params["dates"]
    signed_key, text_key = spec["signed"], spec["signed_text"]
    signed = _date(record.get(signed_key))
    text = record.get(text_key)
    if signed is None and isinstance(text, str) and not is_unanswered(text):
        try:
            signed = parse_date(text)  # the derived date was not filled in: read the written one
        except ValueParseError:
            yield ctx.finding("signed-date-unreadable", [text_key, signed_key], text=text)
            return
    if signed is None:
        return
    deadline = ctx.form.deadline(ctx.year)
    if signed < dt.date(ctx.year + 1, 1, 1):
        yield ctx.finding("signed-before-year-end", [text_key, signed_key, spec["year"]],
                          datum=signed.isoformat(), ar=ctx.year)
    elif signed > deadline:
        yield ctx.finding("signed-after-deadline", [text_key, signed_key],
                          datum=signed.isoformat(), sista=deadline.isoformat(), dagar=(signed - deadline).days)


def _date(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
