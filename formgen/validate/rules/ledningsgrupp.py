"""The ledningsgrupp: the required members take part, or the report says why not."""

from __future__ import annotations

from collections.abc import Iterator

from formgen.findings import Finding
from formgen.record import Record
from formgen.validate.context import RuleContext, is_unanswered
from formgen.validate.registry import rule


@rule("ledningsgrupp_members",
      {"ledningsgrupp-member-missing": "warning", "ledningsgrupp-missing-unexplained": "error"},
      params="ledningsgrupp")
def ledningsgrupp_members(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    """A required member answered otherwise than ``takes_part`` ("nej") → warning; any such member and no
    "ange varför" → error.

    An unanswered member is left to ``required_fields`` (it is not known to be missing).
    """
    spec = ctx.params["ledningsgrupp"]
    takes_part = spec["takes_part"]
    missing = [k for k in spec["required_members"]
               if isinstance(record.get(k), str) and record.get(k) != takes_part]
    for key in missing:
        yield ctx.finding("ledningsgrupp-member-missing", [key], medlem=key, svar=record.get(key))
    if missing and is_unanswered(record.get(spec["missing_why"])):
        yield ctx.finding("ledningsgrupp-missing-unexplained", [spec["missing_why"], *missing], saknas=missing)
