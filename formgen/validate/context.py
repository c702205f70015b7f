"""What a rule sees besides the record: the form, its rule parameters, messages, last year's record."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from formgen.findings import Finding, Severity
from formgen.record import Record, Value
from formgen.spec import FormSpec
from formgen.validate.messages import Messages
from formgen.values import fte_as_decimal


@dataclass(frozen=True)
class RuleContext:
    """The form of the record's year, ``rules.yaml`` as ``params``, messages, and optional inputs of rules."""

    form: FormSpec
    year: int
    params: Mapping[str, Any]
    messages: Messages
    previous: Record | None = None                 # last year's record, for cross-year rules
    grant_per_arsanstallning: int | None = None    # kr per årsanställning for ``year``; None = unknown
    codes: Mapping[str, Severity] = field(default_factory=dict)   # what the running rule may emit

    def finding(self, code: str, fields: Iterable[str], **data: Any) -> Finding:
        """A finding of the running rule: severity from its declaration, message from the template."""
        if code not in self.codes:
            raise LookupError(f"finding code {code} is not declared by the running rule")
        return Finding(code, self.codes[code], tuple(fields), self.messages.render(code, data), data=data)

    @property
    def genders(self) -> tuple[str, ...]:
        """The key suffixes of the Kvinnor/Män columns."""
        return tuple(g.value for g in self.form.genders)


def count(record: Record, key: str) -> int | None:
    """A whole count ≥ 0, or None when unanswered or not a valid count (rule ``whole-counts`` reports those)."""
    value = record.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def decimal(value: Value) -> Decimal | None:
    """An FTE string as a Decimal, or None when unanswered or not a number."""
    return fte_as_decimal(value)


def is_unanswered(value: Value) -> bool:
    """True for a value left empty: None, an empty or blank text, an empty list."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, list) and not value
