"""Values a record built from extraction may carry wrongly: counts whole and ≥ 0, FTE a decimal string,
every other value of its field's type. The record model refuses these; an extractor's record may not."""

from __future__ import annotations

import re
from collections.abc import Iterator

from formgen.errors import RecordError
from formgen.findings import Finding
from formgen.record import Record, check_value
from formgen.validate.context import RuleContext
from formgen.validate.registry import rule

_FTE = re.compile(r"\d+(\.\d+)?")


@rule("whole_counts", {"count-invalid": "error", "fte-invalid": "error", "value-invalid": "error"})
def whole_counts(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    """Every int/kr value is a whole number ≥ 0, every FTE value a decimal like "1.00", the rest well-typed."""
    for key, spec in ctx.form.fields_for_year(ctx.year).items():
        value = record.get(key)
        if spec.type in ("int", "kr"):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                yield ctx.finding("count-invalid", [key], falt=key, kon=spec.column, varde=value)
        elif spec.type == "fte":
            if value is not None and not (isinstance(value, str) and _FTE.fullmatch(value)):
                yield ctx.finding("fte-invalid", [key], falt=key, varde=value)
        else:
            try:
                check_value(spec, value)
            except RecordError as exc:
                reason = exc.reason.removeprefix(f"{key}: ")
                yield ctx.finding("value-invalid", [key], falt=key, varde=value, orsak=reason)
