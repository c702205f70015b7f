"""Required answers (``required: true`` in form.yaml) and choice grids that need at least one given answer."""

from __future__ import annotations

from collections.abc import Iterator

from formgen.findings import Finding
from formgen.record import Record
from formgen.spec import ChoiceGridBlock, CountGridBlock, blocks_of
from formgen.validate.context import RuleContext, is_unanswered
from formgen.validate.registry import rule


def _left_to_other_rules(ctx: RuleContext) -> set[str]:
    """Keys whose absence another rule reports: the contact block, and age bands (``age_band_sums``)."""
    keys = set(ctx.params.get("contact", {}).get("required", []))
    for _, block in blocks_of(ctx.form, ctx.year):
        if isinstance(block, CountGridBlock):
            keys.update(block.cell_key(r, c) for r in block.rows if r.band_of for c in block.columns)
    return keys


@rule("required_fields", {"required-missing": "error", "choice-missing": "error", "choice-grid-none": "error"})
def required_fields(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    """Every required field is answered (a choice question has its one mark); a require_any grid has that answer."""
    skip = _left_to_other_rules(ctx)
    for key, spec in ctx.form.fields_for_year(ctx.year).items():
        if not spec.required or key in skip or spec.type == "flag" or not is_unanswered(record.get(key)):
            continue
        if spec.is_choice:
            yield ctx.finding("choice-missing", [key], falt=key, alternativ=[c.value for c in spec.choices])
        else:
            yield ctx.finding("required-missing", [key], falt=key, kon=spec.column)
    for _, block in blocks_of(ctx.form, ctx.year):
        if isinstance(block, ChoiceGridBlock) and block.require_any:
            keys = [r.key for r in block.rows]
            if not any(record.get(k) == block.require_any for k in keys):
                yield ctx.finding("choice-grid-none", keys, rader=keys, varde=block.require_any)
