"""The contact block: complete, and postnummer, e-mail and phone written as they should be."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from formgen.findings import Finding
from formgen.record import Record
from formgen.validate.context import RuleContext, is_unanswered
from formgen.validate.registry import rule
from formgen.values import is_valid_email, is_valid_phone, is_valid_postnummer

_FORMATS: tuple[tuple[str, str, Callable[[str], bool]], ...] = (
    ("postnummer", "postnummer-format", is_valid_postnummer),
    ("email", "email-invalid", is_valid_email),
    ("phone", "phone-invalid", is_valid_phone),
)


@rule("contact_details",
      {"contact-missing": "warning", "postnummer-format": "warning", "email-invalid": "warning",
       "phone-invalid": "warning"},
      params="contact")
def contact_details(record: Record, ctx: RuleContext) -> Iterator[Finding]:
    """Each contact field given; postnummer "NNN NN"; e-mail and phone well-formed."""
    spec = ctx.params["contact"]
    for key in spec["required"]:
        if is_unanswered(record.get(key)):
            yield ctx.finding("contact-missing", [key], falt=key)
    for slot, code, valid in _FORMATS:
        for key in spec.get(slot, []):
            value = record.get(key)
            if isinstance(value, str) and value.strip() and not valid(value.strip()):
                yield ctx.finding(code, [key], falt=key, varde=value)
