"""Answers that require a further answer (``rules.yaml`` ``conditional``)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from formgen.findings import Finding
from formgen.record import Record
from formgen.validate.context import RuleContext, count, is_unanswered
from formgen.validate.registry import rule


@rule("conditional_answers", {"conditional-answer-missing": "error", "conditional-none-ticked": "error"},
      params="conditional")
def conditional_answers(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    """``when``/``is`` → ``require`` or ``require_any_true``; ``when_positive`` (a count > 0) → ``require``."""
    for entry in ctx.params["conditional"]:
        yield from _one(record, ctx, entry)


def _one(record: Record, ctx: RuleContext, entry: Mapping[str, Any]) -> Iterator[Finding]:
    if "when_positive" in entry:
        row = entry["when_positive"]
        cells = [f"{row}.{g}" for g in ctx.genders]
        total = sum(count(record, k) or 0 for k in cells)
        if total > 0 and is_unanswered(record.get(entry["require"])):
            yield ctx.finding("conditional-answer-missing", [entry["require"], *cells],
                              fraga=row, krav=entry["require"], svar=None, antal=total)
        return
    answer = record.get(entry["when"])
    if answer is None or answer not in entry["is"]:
        return
    if "require" in entry and is_unanswered(record.get(entry["require"])):
        yield ctx.finding("conditional-answer-missing", [entry["require"], entry["when"]],
                          fraga=entry["when"], krav=entry["require"], svar=answer, antal=None)
    options = entry.get("require_any_true")
    if options and not any(record.get(k) is True for k in options):
        yield ctx.finding("conditional-none-ticked", [entry["when"], *options],
                          fraga=entry["when"], svar=answer, alternativ=list(options))
