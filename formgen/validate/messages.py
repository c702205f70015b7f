"""Swedish message templates per finding code (``forms/<version>/messages.sv.yaml``), rendered with Jinja."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import jinja2

from formgen.errors import SpecError
from formgen.problem_codes import READING_CODES
from formgen.spec import MONTHS_SV, FormSpec
from formgen.spec_loader import read_yaml  # the same reading (and refusal) as form.yaml
from formgen.values import format_int_sv

MESSAGES_FILE = "messages.sv.yaml"


@dataclass(frozen=True)
class Names:
    """The Swedish names of fields inside messages: messages.sv.yaml ``names``, else the form's label."""

    form: FormSpec
    year: int
    names: Mapping[str, str]

    def __call__(self, key: str) -> str:
        """A field's name inside a message: messages.sv.yaml ``names``, else its label."""
        row = _row_key(self.form, key)
        for candidate in (key, row, "*." + row.rsplit(".", 1)[-1]):
            if candidate in self.names:
                return self.names[candidate]
        return self.label(key)

    def label(self, key: str) -> str:
        """A field's label as printed on the form, without its closing punctuation."""
        row = _row_key(self.form, key)
        spec = self.form.fields.get(key) or self.form.fields.get(row + "." + self.form.genders[0].value)
        if spec is None:
            derived = {d.key: d for d in self.form.derived}
            spec = derived.get(key)
        if spec is None:
            return key
        return self.form.render(spec.label, self.year).strip().rstrip(".:?").strip()


@dataclass(frozen=True)
class Messages:
    """Compiled templates per code, and the names used in them."""

    templates: Mapping[str, jinja2.Template]
    names: Names

    def render(self, code: str, data: Mapping[str, Any]) -> str:
        """The message of a code with its data; an undefined placeholder raises jinja2.UndefinedError."""
        return self.templates[code].render(**data)

    def codes(self) -> frozenset[str]:
        """The codes that have a template."""
        return frozenset(self.templates)


RULE_MESSAGES = "messages"    # the rules' findings
READING_MESSAGES = "reading"   # what reading a submission reports (formgen.problem_codes)

_CACHE: dict[tuple[str, int, frozenset[str], str], Messages] = {}


def load_messages(form: FormSpec, year: int, codes: Iterable[str], part: str = RULE_MESSAGES) -> Messages:
    """A form folder's messages for a year, compiled once (cached by folder, year, codes and part)."""
    wanted = frozenset(codes)
    key = (str(form.folder), year, wanted, part)
    if key not in _CACHE:
        _CACHE[key] = compile_messages(form, year, wanted, part)
    return _CACHE[key]


def reading_messages(form: FormSpec, year: int) -> Messages:
    """The messages of what reading a submission reports (``reading:`` in messages.sv.yaml)."""
    return load_messages(form, year, READING_CODES, READING_MESSAGES)


def compile_messages(form: FormSpec, year: int, codes: Iterable[str], part: str = RULE_MESSAGES) -> Messages:
    """Read and compile one part of a form's messages (the rules' ``messages`` or ``reading``), refusing a
    missing or an unknown code and unknown names."""
    path = form.folder / MESSAGES_FILE
    raw = read_yaml(path)
    templates_raw = raw.get(part) or {}
    names = {str(k): str(v) for k, v in (raw.get("names") or {}).items()}
    wanted = set(codes)
    missing = sorted(wanted - set(templates_raw))
    if missing:
        raise SpecError(f"{path.parent.name}/{MESSAGES_FILE}: saknar meddelande för {', '.join(missing)}")
    unknown = sorted(set(templates_raw) - wanted)
    if unknown:
        raise SpecError(f"{path.parent.name}/{MESSAGES_FILE}: meddelande för okänd kod {', '.join(unknown)}")
    for name in names:
        if not _names_a_field(form, name):
            raise SpecError(f"{path.parent.name}/{MESSAGES_FILE}: names.{name} är inte ett fält")
    namer = Names(form, year, names)
    env = _environment(namer)
    templates = {}
    for code, text in templates_raw.items():
        try:
            templates[code] = env.from_string(str(text))
        except jinja2.TemplateSyntaxError as exc:
            raise SpecError(f"{path.parent.name}/{MESSAGES_FILE}: {code}: {exc}") from None
    return Messages(templates, namer)


def _row_key(form: FormSpec, key: str) -> str:
    """A count cell's row (``klienter.nya.kvinnor`` → ``klienter.nya``); other keys unchanged."""
    head, _, last = key.rpartition(".")
    return head if head and last in {g.value for g in form.genders} else key


def _names_a_field(form: FormSpec, name: str) -> bool:
    if name.startswith("*."):
        segment = name[1:]  # ".alder_18_29": the last part of a row key
        return any(k.endswith(segment) or segment + "." in k for k in form.fields)
    return form.covers_prefix(name) or name in {d.key for d in form.derived}


def _environment(namer: Names) -> jinja2.Environment:
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False)
    genders = {g.value: g.label.lower() for g in namer.form.genders}
    answers = {c.value: c.short for cs in namer.form.choice_sets.values() for c in cs}
    env.filters.update(
        namn=namer,
        etikett=namer.label,
        kon=lambda value: genders.get(value, str(value)),
        svar=lambda value: "(obesvarad)" if value is None else answers.get(str(value), str(value)),
        tal=_number_sv,
        kr=lambda value: _number_sv(value) + " kr",
        fte=lambda value: str(value).replace(".", ","),
        datum=_date_sv,
        lista=_join_sv,
        versal=lambda text: text[:1].upper() + text[1:],
    )
    return env


def _number_sv(value: Any) -> str:
    if isinstance(value, Decimal | float):
        value = int(value.to_integral_value()) if isinstance(value, Decimal) else round(value)
    return format_int_sv(value) if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _date_sv(value: Any) -> str:
    date = dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{date.day} {MONTHS_SV[date.month - 1]} {date.year}"


def _join_sv(items: Iterable[Any], conjunction: str = "och") -> str:
    words = [str(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + f" {conjunction} " + words[-1]
