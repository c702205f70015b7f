"""Client counts: age bands add up, parts within their whole, reasons for contact within new clients."""

from __future__ import annotations

from collections.abc import Iterator

from formgen.findings import Finding
from formgen.record import Record
from formgen.spec import CountGridBlock, FormSpec, blocks_of
from formgen.validate.context import RuleContext, count
from formgen.validate.registry import rule


def age_band_rows(form: FormSpec, year: int, row: str) -> list[str]:
    """The age-band row keys under a count-grid row (``klienter.nya`` → ``klienter.nya.alder_18_29`` …)."""
    return [
        r.key
        for _, block in blocks_of(form, year)
        if isinstance(block, CountGridBlock)
        for r in block.rows
        if r.band_of == row
    ]


@rule("age_band_sums", {"age-band-sum-mismatch": "error", "age-bands-not-given": "info"}, params="age_band_sums")
def age_band_sums(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    """The age bands of a row add up to its total, per gender; blank bands count as 0 and are named."""
    for row in ctx.params["age_band_sums"]:
        bands = age_band_rows(ctx.form, ctx.year, row)
        for g in ctx.genders:
            total_key, band_keys = f"{row}.{g}", [f"{b}.{g}" for b in bands]
            total = count(record, total_key)
            values = [count(record, k) for k in band_keys]
            if total is None:
                continue  # a missing total is reported by required_fields
            if all(v is None for v in values):
                if total > 0:
                    yield ctx.finding("age-bands-not-given", [total_key, *band_keys], rad=row, kon=g, totalt=total)
                continue
            summa = sum(v or 0 for v in values)
            if summa != total:
                blank = [b for b, v in zip(bands, values, strict=True) if v is None]
                yield ctx.finding("age-band-sum-mismatch", [total_key, *band_keys],
                                  rad=row, kon=g, summa=summa, totalt=total, tomma=blank)


@rule("part_of_total", {"part-exceeds-total": "error"}, params="part_of_total")
def part_of_total(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    """A part (nya, avslutade, hemmavarande barn) is at most its whole (totalt), per gender."""
    for pair in ctx.params["part_of_total"]:
        for g in ctx.genders:
            part_key, whole_key = f"{pair['part']}.{g}", f"{pair['whole']}.{g}"
            part, whole = count(record, part_key), count(record, whole_key)
            if part is not None and whole is not None and part > whole:
                yield ctx.finding("part-exceeds-total", [part_key, whole_key],
                                  rad=pair["part"], helhet=pair["whole"], kon=g, antal=part, totalt=whole)


@rule("reasons_within_new", {"reason-exceeds-new-clients": "warning"}, params="reasons_within_new")
def reasons_within_new(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    """Each reason for contact counts new clients, so it is at most the new clients of that gender."""
    spec = ctx.params["reasons_within_new"]
    for reason in spec["reasons"]:
        for g in ctx.genders:
            reason_key, new_key = f"{reason}.{g}", f"{spec['new_clients']}.{g}"
            antal, nya = count(record, reason_key), count(record, new_key)
            if antal is not None and nya is not None and antal > nya:
                yield ctx.finding("reason-exceeds-new-clients", [reason_key, new_key],
                                  orsak=reason, kon=g, antal=antal, nya=nya)
