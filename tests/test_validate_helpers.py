"""Shared helpers of the validator tests (no tests here): the sample record, a blank one, running rules."""

from __future__ import annotations

from formgen.findings import Finding
from formgen.record import Record, blank_record, record_from_json
from formgen.validate import RuleContext, build_context, run_rule
from formgen.validate.registry import Rule
from tests.helpers import sample_record_json


def sample() -> Record:
    """The Spånga-Tensta 2020 submission."""
    return record_from_json(sample_record_json())


def blank(year: int = 2020) -> Record:
    """A record with nothing answered."""
    return blank_record(year)


def fire(rule: Rule, record: Record, ctx: RuleContext | None = None) -> list[Finding]:
    """The findings of one rule over a record."""
    return run_rule(rule, record, ctx or build_context(record))


def pairs(findings: list[Finding]) -> set[tuple[str, tuple[str, ...]]]:
    """(code, fields) of each finding, for comparing without prose."""
    return {(f.code, f.fields) for f in findings}


def codes(findings: list[Finding]) -> list[str]:
    """The codes of findings in order."""
    return [f.code for f in findings]
