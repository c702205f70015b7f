"""The report's wording and record-key sources (``report.sv.yaml`` beside this module), loaded once and checked
against the year's form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import jinja2
import yaml

from formgen.errors import SpecError
from formgen.spec import FormSpec

_JINJA = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)


@dataclass(frozen=True)
class TableWording:
    id: str
    heading: str
    caption: str
    sheet: str
    note: str | None
    figure: str | None


@dataclass(frozen=True)
class Wording:
    data: Mapping[str, Any]
    tables: tuple[TableWording, ...]

    def render(self, template: str, **variables: Any) -> str:
        return _JINJA.from_string(template).render(**variables) if "{" in template else template

    def text(self, name: str, **variables: Any) -> str:
        return self.render(str(self.data[name]), **variables)

    def column(self, name: str, **variables: Any) -> str:
        return self.render(str(self.data["columns"][name]), **variables)

    def row(self, name: str) -> str:
        return str(self.data["rows"][name])

    def symbol(self, name: str) -> str:
        return str(self.data["symbols"][name])

    def quality(self, name: str, **variables: Any) -> str:
        return self.render(str(self.data["quality"][name]), **variables)

    def heading(self, group: str, key: str | None = None, default: str | None = None) -> str:
        value = self.data["headings"][group]
        if key is None:
            return str(value)
        found = value.get(key) if isinstance(value, Mapping) else None
        return str(found) if found is not None else (default if default is not None else key)

    def source(self, name: str) -> Any:
        return self.data["sources"][name]

    def status(self, status: str) -> str:
        return str(self.data["statuses"].get(status, status))

    def table(self, table_id: str) -> TableWording:
        return next(t for t in self.tables if t.id == table_id)

    def answer(self, name: str) -> str:
        return str(self.data["answers"][name])

    def publish_rule(self) -> tuple[int, int, int]:
        rule = self.data["publish"]
        return int(rule["mask_min"]), int(rule["mask_max"]), int(rule["round_to"])


@lru_cache(maxsize=1)
def load_wording() -> Wording:
    text = resources.files("formgen.report").joinpath("report.sv.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    tables = tuple(
        TableWording(
            id=str(t["id"]),
            heading=str(t["heading"]),
            caption=str(t["caption"]),
            sheet=str(t["sheet"]),
            note=t.get("note"),
            figure=t.get("figure"),
        )
        for t in data["tables"]
    )
    for t in tables:
        if len(t.sheet) > 31:
            raise SpecError(f"report.sv.yaml: bladnamnet '{t.sheet}' är längre än 31 tecken", code="report-wording")
    return Wording(data=data, tables=tables)


def check_sources(wording: Wording, form: FormSpec, year: int) -> None:
    """Every record key or key prefix the report reads exists on the year's form (SpecError naming it if not)."""
    fields = form.fields_for_year(year)
    for name, refs in wording.data["sources"].items():
        for ref in refs if isinstance(refs, list) else [refs]:
            if ref not in fields and not any(k.startswith(ref + ".") for k in fields):
                raise SpecError(
                    f"report.sv.yaml: sources.{name} = '{ref}' finns inte på blanketten för {year}",
                    code="report-source-missing",
                )
    values = {c.value for choices in form.choice_sets.values() for c in choices}
    for name, value in wording.data["answers"].items():
        if value not in values:
            raise SpecError(f"report.sv.yaml: answers.{name} = '{value}' är inget svarsalternativ på blanketten",
                            code="report-answer-missing")
