"""Rules that compare a report with last year's (the store passes the previous record)."""

from __future__ import annotations

from collections.abc import Iterator

from formgen.findings import Finding
from formgen.record import Record
from formgen.validate.context import RuleContext, count
from formgen.validate.registry import rule


@rule("carried_over", {"carried-over-mismatch": "warning"}, params="carried_over", needs_previous=True)
def carried_over(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    """Clients carried over: totalt − nya this year equals totalt − avslutade last year, per gender."""
    previous = ctx.previous
    if previous is None:
        return
    spec = ctx.params["carried_over"]
    for g in ctx.genders:
        keys = [f"{spec['total']}.{g}", f"{spec['new']}.{g}"]
        total, new = count(record, keys[0]), count(record, keys[1])
        prev_total, prev_closed = count(previous, f"{spec['total']}.{g}"), count(previous, f"{spec['closed']}.{g}")
        if total is None or new is None or prev_total is None or prev_closed is None:
            continue
        this_year, last_year = total - new, prev_total - prev_closed
        if this_year != last_year:
            yield ctx.finding("carried-over-mismatch", keys, kon=g, totalt=total, nya=new, i_ar=this_year,
                              fg_ar=previous.year, fg_totalt=prev_total, fg_avslutade=prev_closed,
                              forra=last_year)
