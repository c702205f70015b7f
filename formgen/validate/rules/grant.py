"""The grant and its use: förbrukat within beviljat, fewer årsanställningar explained, kr matching the rate."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from formgen.findings import Finding
from formgen.record import Record
from formgen.validate.context import RuleContext, count, decimal, is_unanswered
from formgen.validate.registry import rule


@rule("grant_used", {"used-exceeds-granted": "error", "grant-unused": "info"}, params="grant")
def grant_used(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    """Förbrukat ≤ beviljat statsbidrag; less used than granted may have to be paid back."""
    spec = ctx.params["grant"]
    granted, used = count(record, spec["granted_kr"]), count(record, spec["used_kr"])
    if granted is None or used is None:
        return
    keys = [spec["used_kr"], spec["granted_kr"]]
    if used > granted:
        yield ctx.finding("used-exceeds-granted", keys, forbrukat=used, beviljat=granted)
    elif used < granted:
        yield ctx.finding("grant-unused", keys, forbrukat=used, beviljat=granted, skillnad=granted - used)


@rule("fewer_fte_explained", {"fewer-fte-unexplained": "error"}, params="grant")
def fewer_fte_explained(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    """Fewer förbrukade than beviljade årsanställningar needs the answer to "ange varför"."""
    spec = ctx.params["grant"]
    granted_raw, used_raw = record.get(spec["granted_fte"]), record.get(spec["used_fte"])
    granted, used = decimal(granted_raw), decimal(used_raw)
    if granted is None or used is None or used >= granted:
        return
    if is_unanswered(record.get(spec["fewer_why"])):
        yield ctx.finding("fewer-fte-unexplained", [spec["used_fte"], spec["granted_fte"], spec["fewer_why"]],
                          forbrukade=used_raw, beviljade=granted_raw)


@rule("granted_kr_rate", {"granted-kr-mismatch": "warning"}, params="grant")
def granted_kr_rate(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    """Beviljat kr ≈ beviljade årsanställningar × the year's grant per årsanställning, where it is known."""
    rate = ctx.grant_per_arsanstallning
    if rate is None:
        return
    spec = ctx.params["grant"]
    granted = count(record, spec["granted_kr"])
    fte_raw = record.get(spec["granted_fte"])
    fte = decimal(fte_raw)
    if granted is None or fte is None:
        return
    expected = fte * rate
    tolerance = Decimal(str(spec.get("tolerance", 0))) * expected
    if abs(Decimal(granted) - expected) > tolerance:
        yield ctx.finding("granted-kr-mismatch", [spec["granted_kr"], spec["granted_fte"]],
                          beviljat=granted, arsanstallningar=fte_raw, per_arsanstallning=rate,
                          vantat=int(expected.to_integral_value()))
