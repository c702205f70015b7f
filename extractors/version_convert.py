"""A submission read by the form version it was printed from, turned into the record of the year it reports.

Values whose key exists in both versions carry over; answers the reported year's form has no field for (the 2020
corona section on a 2021 report) stay in the extraction as problems naming key and value, never dropped
silently; fields the printed version lacks are left unanswered and named. The whole is flagged
``old-form-version``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from extractors.assemble import derived_value
from extractors.base import Extraction, Problem
from formgen.errors import RecordError
from formgen.form_model import FormSpec
from formgen.record import Record, Value, blank_value, check_value
from formgen.validate.messages import Messages, reading_messages


def to_reported_year(extraction: Extraction, form: FormSpec, year: int) -> Extraction:
    """The extraction's record (of the printed version) as a record of ``form`` for ``year``."""
    printed = extraction.record
    old_fields = printed.form.fields_for_year(printed.year)
    new_fields = form.fields_for_year(year)
    messages = reading_messages(form, year)
    facts = {"tryckt": printed.form.version, "tryckt_ar": printed.year, "arets": form.version, "ar": year}
    problems = [_problem(messages, "old-form-version", (), facts)]
    values: dict[str, Value] = {}
    for key, spec in new_fields.items():
        if spec.derived_from is not None:
            continue
        if key not in old_fields:
            values[key] = blank_value(spec)
            continue
        try:
            values[key] = check_value(spec, printed.get(key))
        except RecordError as exc:
            values[key] = blank_value(spec)
            problems.append(_problem(messages, "answer-does-not-fit", (key,), {
                **facts, "fraga": _question(printed, key), "varde": printed.get(key), "orsak": exc.reason}))
    values[form.identity.year_key] = year
    for spec in form.derived:
        if spec.key in new_fields and spec.derived_from:
            values[spec.key], problem = derived_value(spec, values.get(spec.derived_from))
            if problem is not None:
                problems.append(problem)
    for key in old_fields:
        if key not in new_fields and old_fields[key].derived_from is None and _answered(printed.get(key)):
            problems.append(_problem(messages, "answer-without-field", (), {
                **facts, "nyckel": key, "fraga": _question(printed, key), "varde": printed.get(key)}))
    lacking = [k for k, s in new_fields.items() if k not in old_fields and s.derived_from is None]
    if lacking:
        problems.append(_problem(messages, "field-not-on-printed-form", tuple(lacking), {**facts, "falt": lacking}))
    record = Record(form, year, {k: values[k] for k in new_fields})
    provenance = {k: p for k, p in extraction.provenance.items() if k in new_fields}
    known = set(new_fields)
    kept = [p for p in extraction.problems if set(p.fields) <= known]
    about_old = [_about_printed(p, known) for p in extraction.problems if not set(p.fields) <= known]
    source = replace(extraction.source, form=form.form, year=year)
    return Extraction(record, source, provenance, tuple(problems + kept + about_old))


def _problem(messages: Messages, code: str, fields: tuple[str, ...], data: Mapping[str, object]) -> Problem:
    return Problem(code, fields, " ".join(messages.render(code, data).split()))


def _about_printed(problem: Problem, known: set[str]) -> Problem:
    """A reading problem about keys of the printed version only: kept, naming those keys in its message."""
    others = [k for k in problem.fields if k not in known]
    return Problem(problem.code, tuple(k for k in problem.fields if k in known),
                   f"{problem.message} [{', '.join(others)}]")


def _question(record: Record, key: str) -> str:
    spec = record.form.fields.get(key)
    if spec is None:
        return key
    return record.form.render(spec.label, record.year).strip()


def _answered(value: Value) -> bool:
    return value not in (None, False, [], "")
