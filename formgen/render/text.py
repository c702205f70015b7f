"""Values as the form prints them: Swedish numbers, kronor, FTE with a comma, lists one per line."""

from __future__ import annotations

from formgen.record import Value
from formgen.spec import FieldSpec
from formgen.values import format_fte_sv, format_int_sv, format_kr_sv


def display_value(spec: FieldSpec, value: Value) -> str:
    """The text a value is written as on the form ("" when not answered)."""
    if value is None or value is False or value == []:
        return ""
    if spec.type == "kr" and isinstance(value, int):
        return format_kr_sv(value)
    if spec.type == "int" and isinstance(value, int):
        return format_int_sv(value) if spec.key != "ar" else str(value)
    if spec.type == "fte" and isinstance(value, str):
        return format_fte_sv(value)
    if spec.type == "list" and isinstance(value, list):
        return ", ".join(value)
    return str(value)
