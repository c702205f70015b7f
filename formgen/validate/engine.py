"""Run the rules over a record and return their findings in form order."""

from __future__ import annotations

import dataclasses
import logging

from formgen.findings import Finding
from formgen.record import Record
from formgen.validate.context import RuleContext
from formgen.validate.messages import load_messages
from formgen.validate.registry import Rule
from formgen.validate.rules import CODES, RULES

log = logging.getLogger(__name__)


def build_context(record: Record, previous: Record | None = None) -> RuleContext:
    """The context of a record's rules (change a part with ``dataclasses.replace``)."""
    if previous is not None and previous.year != record.year - 1:
        raise ValueError(f"previous record is of {previous.year}, expected {record.year - 1}")
    return RuleContext(
        form=record.form,
        year=record.year,
        params=record.form.rules,
        messages=load_messages(record.form, record.year, CODES),
        previous=previous,
        grant_per_arsanstallning=record.form.grant_per_arsanstallning(record.year),
    )


def run_rule(rule: Rule, record: Record, ctx: RuleContext) -> list[Finding]:
    """One rule's findings (empty when the rule does not apply to this context)."""
    if not rule.applies(ctx):
        log.debug("rule %s skipped", rule.name)
        return []
    return list(rule.check(record, dataclasses.replace(ctx, codes=rule.codes)))


def validate(record: Record, previous: Record | None = None, *, ctx: RuleContext | None = None) -> list[Finding]:
    """Every finding of every rule in form order of its first field (a given ``ctx`` brings its own ``previous``)."""
    ctx = ctx or build_context(record, previous)
    found = [f for rule in RULES for f in run_rule(rule, record, ctx)]
    order = {key: i for i, key in enumerate(ctx.form.fields_for_year(ctx.year))}
    last = len(order)
    return sorted(found, key=lambda f: order.get(f.fields[0], last) if f.fields else last)
