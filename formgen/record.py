"""The record of one submission: a typed value per dotted key, as the field catalogue says."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formgen.catalogue import catalogue
from formgen.errors import RecordError
from formgen.form_model import FieldSpec, FormSpec

Value = str | int | bool | list[str] | None
_FTE_RE = re.compile(r"^\d+(\.\d+)?$")


@dataclass(frozen=True)
class Record:
    """A submission's answers: one value per key of the year's form (None = not answered)."""

    form: FormSpec
    year: int
    values: Mapping[str, Value]

    def __getitem__(self, key: str) -> Value:
        return self.values[key]

    def get(self, key: str) -> Value:
        """The value of a key, or None when the key is unknown or not answered."""
        return self.values.get(key)

    def items(self) -> Iterator[tuple[str, Value]]:
        """Keys and values in form order."""
        return iter(self.values.items())

    @property
    def kommun(self) -> str | None:
        """The reporting kommun's name as written."""
        value = self.values.get(self.form.identity.kommun_key)
        return value if isinstance(value, str) else None

    def replace(self, changes: Mapping[str, Value]) -> Record:
        """A copy with some values changed (each checked against its field's type)."""
        fields = self.form.fields_for_year(self.year)
        merged = dict(self.values)
        for key, value in changes.items():
            if key not in fields:
                raise RecordError(key, "okänd nyckel")
            merged[key] = check_value(fields[key], value)
        return Record(self.form, self.year, merged)

    def to_json(self) -> dict[str, Any]:
        """The nested JSON object of the catalogue (dotted keys become nested objects)."""
        return nest(self.values)


def blank_value(spec: FieldSpec) -> Value:
    """The value of an unanswered field: False for a tick box, [] for a list, None otherwise."""
    if spec.type == "flag":
        return False
    if spec.type == "list":
        return []
    return None


def blank_record(year: int, form: FormSpec | None = None, root: Path | None = None) -> Record:
    """An empty record of a grant year (nothing answered) with the year filled in; the form is the version in
    force for the year under a forms root unless given."""
    form = form or catalogue(root).for_year(year)
    fields = form.fields_for_year(year)
    values: dict[str, Value] = {key: blank_value(spec) for key, spec in fields.items()}
    values[form.identity.year_key] = year
    return Record(form, year, values)


def record_from_json(data: Any, form: FormSpec | None = None, root: Path | None = None) -> Record:
    """Parse a record JSON object, refusing unknown keys and wrongly typed values by key. The form is the version
    in force for the record's year under a forms root unless given."""
    if not isinstance(data, dict):
        raise RecordError("(rot)", "posten ska vara ett JSON-objekt")
    year_key, year = _year_of(data, form, root)
    if not isinstance(year, int) or isinstance(year, bool):
        raise RecordError(year_key, "året saknas eller är inte ett heltal")
    form = form or catalogue(root).for_year(year)
    fields = form.fields_for_year(year)
    flat = flatten(data, fields)
    unknown = [k for k in flat if k not in fields]
    if unknown:
        raise RecordError(unknown[0], "okänd nyckel för blanketten " + str(form.version))
    values: dict[str, Value] = {}
    for key, spec in fields.items():
        values[key] = check_value(spec, flat[key]) if key in flat else blank_value(spec)
    return Record(form, year, values)


def _year_of(data: Mapping[str, Any], form: FormSpec | None, root: Path | None) -> tuple[str, Any]:
    """The year key (of the given form, else of the catalogue's versions) and the year it holds."""
    keys = [form.identity.year_key] if form else list(dict.fromkeys(f.identity.year_key
                                                                      for f in catalogue(root).forms()))
    for key in keys:
        value: Any = data
        for part in key.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        if value is not None:
            return key, value
    return keys[-1], None


def flatten(data: Mapping[str, Any], fields: Mapping[str, FieldSpec], prefix: str = "") -> dict[str, Any]:
    """Dotted keys from a nested object; stops at a key of the catalogue (lists and leaves stay whole)."""
    flat: dict[str, Any] = {}
    for name, value in data.items():
        key = f"{prefix}{name}"
        if key not in fields and isinstance(value, dict):
            flat.update(flatten(value, fields, key + "."))
        else:
            flat[key] = value
    return flat


def nest(values: Mapping[str, Value]) -> dict[str, Any]:
    """Nested objects from dotted keys, in the order given."""
    root: dict[str, Any] = {}
    for key, value in values.items():
        node = root
        *parents, leaf = key.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = list(value) if isinstance(value, list) else value
    return root


def check_value(spec: FieldSpec, value: Any) -> Value:
    """A value checked against its field's type; raises RecordError naming the key."""
    checker = _CHECKERS[spec.type]
    return checker(spec, value)


def _fail(spec: FieldSpec, expected: str, value: Any) -> RecordError:
    return RecordError(spec.key, f"väntade {expected}, fick {value!r}")


def _check_text(spec: FieldSpec, value: Any) -> Value:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _fail(spec, "text eller null", value)
    if not value.strip():
        raise RecordError(spec.key, 'obesvarat ska vara null, inte ""')
    return value


def _check_count(spec: FieldSpec, value: Any) -> Value:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _fail(spec, "ett heltal ≥ 0 eller null", value)
    return value


def _check_fte(spec: FieldSpec, value: Any) -> Value:
    if value is None:
        return None
    if not isinstance(value, str) or not _FTE_RE.match(value):
        raise _fail(spec, 'ett decimaltal som text med punkt, t.ex. "1.00"', value)
    return value


def _check_date(spec: FieldSpec, value: Any) -> Value:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _fail(spec, "ett datum ÅÅÅÅ-MM-DD", value)
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(spec, "ett datum ÅÅÅÅ-MM-DD", value) from None
    if len(value) != 10:
        raise _fail(spec, "ett datum ÅÅÅÅ-MM-DD", value)
    return value


def _check_choice(spec: FieldSpec, value: Any) -> Value:
    if value is None:
        return None
    allowed = [c.value for c in spec.choices]
    if value not in allowed:
        raise _fail(spec, "ett av " + ", ".join(allowed) + " eller null", value)
    return value


def _check_flag(spec: FieldSpec, value: Any) -> Value:
    if not isinstance(value, bool):
        raise _fail(spec, "true eller false", value)
    return value


def _check_list(spec: FieldSpec, value: Any) -> Value:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(spec, "en lista av texter", value)
    return list(value)


_CHECKERS = {
    "text": _check_text,
    "int": _check_count,
    "kr": _check_count,
    "fte": _check_fte,
    "date": _check_date,
    "choice": _check_choice,
    "flag": _check_flag,
    "list": _check_list,
}
