"""JSON Schema of a grant year's record, generated from the form definition."""

from __future__ import annotations

from typing import Any

from formgen.spec import FieldSpec, FormSpec

_FTE_PATTERN = r"^\d+(\.\d+)?$"


def field_schema(spec: FieldSpec) -> dict[str, Any]:
    """The JSON Schema of one field's value."""
    nullable: dict[str, Any]
    if spec.type == "flag":
        return {"type": "boolean", "description": spec.label}
    if spec.type in ("int", "kr"):
        nullable = {"type": ["integer", "null"], "minimum": 0}
    elif spec.type == "fte":
        nullable = {"type": ["string", "null"], "pattern": _FTE_PATTERN}
    elif spec.type == "date":
        nullable = {"type": ["string", "null"], "format": "date"}
    elif spec.is_choice:
        # the catalogue's type (jn, jdn, jnk: the interchange contract) names the choice set
        nullable = {"enum": [c.value for c in spec.choices] + [None], "x-catalogue-type": spec.catalogue_type}
    elif spec.type == "list":
        nullable = {"type": ["array", "null"], "items": {"type": "string", "minLength": 1}}
    else:
        nullable = {"type": ["string", "null"], "minLength": 1}
    nullable["description"] = spec.label
    return nullable


def record_schema(form: FormSpec, year: int) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of the nested record of a grant year."""
    root: dict[str, Any] = _object()
    for key, spec in form.fields_for_year(year).items():
        node = root
        *parents, leaf = key.split(".")
        for part in parents:
            node = node["properties"].setdefault(part, _object())
        node["properties"][leaf] = field_schema(spec)
    root.update({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": form.text("schema_title", year),
    })
    year_key = form.identity.year_key
    node = root
    *parents, leaf = year_key.split(".")
    for part in parents:
        node = node["properties"][part]
    node["properties"][leaf]["const"] = year
    root["required"] = [year_key.split(".")[0]]
    return root


def _object() -> dict[str, Any]:
    return {"type": "object", "properties": {}, "additionalProperties": False}
