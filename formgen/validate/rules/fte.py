"""Årsanställningar (FTE): written with two decimals, more than zero, at most the number of ombud."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from formgen.findings import Finding
from formgen.record import Record
from formgen.validate.context import RuleContext, count, decimal
from formgen.validate.registry import rule
from formgen.values import ValueParseError, fte_decimals


@rule("fte_values", {"fte-decimals": "warning", "fte-not-positive": "warning", "fte-exceeds-persons": "warning"},
      params="fte")
def fte_values(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    """FTE fields keep the form's precision, are > 0 and at most the ombud persons (when those are given)."""
    spec = ctx.params["fte"]
    wanted = int(spec["decimals"])
    person_keys = [f"{spec['persons']}.{g}" for g in ctx.genders]
    given = [p for p in (count(record, k) for k in person_keys) if p is not None]
    for key in spec["fields"]:
        raw = record.get(key)
        value = decimal(raw)
        if value is None or not isinstance(raw, str):
            continue  # unanswered; a malformed value is reported by whole_counts
        try:
            written = fte_decimals(raw)
        except ValueParseError:  # "1e2" is a Decimal but not an FTE as written: whole_counts reports it
            continue
        if written != wanted:
            suggestion = str(value.quantize(Decimal(1).scaleb(-wanted)))
            yield ctx.finding("fte-decimals", [key], falt=key, varde=raw, decimaler=written, krav=wanted,
                              forslag=suggestion)
        if value <= 0:
            yield ctx.finding("fte-not-positive", [key], falt=key, varde=raw)
        elif given and value > sum(given):
            yield ctx.finding("fte-exceeds-persons", [key, *person_keys], falt=key, varde=raw, personer=sum(given))
