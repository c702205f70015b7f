"""The rule registry and the engine: declared codes, rules chosen by data, findings in form order."""

from __future__ import annotations

import dataclasses
import re

import pytest

from formgen.findings import SEVERITIES
from formgen.validate import CODES, RULES, build_context, run_rule, validate
from formgen.validate.registry import codes_of, rule
from formgen.validate.rules import fte
from tests.test_validate_helpers import blank, sample

KEBAB = re.compile(r"^[a-z]+(-[a-z]+)*$")


def test_codes_are_stable_kebab_case_with_a_severity():
    assert CODES
    for code, severity in CODES.items():
        assert KEBAB.match(code), code
        assert severity in SEVERITIES


def test_every_rule_is_documented_and_reads_existing_parameters():
    params = sample().form.rules
    for r in RULES:
        assert r.check.__doc__, r.name
        assert r.params is None or r.params in params, f"{r.name} would never run on the 2020 form"


def test_a_code_declared_by_two_rules_is_refused():
    twin = rule("twin", {"fte-decimals": "warning"})(lambda record, ctx: iter(()))
    with pytest.raises(ValueError, match="fte-decimals"):
        codes_of((*RULES, twin))


def test_unknown_severity_is_refused():
    with pytest.raises(ValueError, match="fatal"):
        rule("bad", {"x": "fatal"})  # type: ignore[dict-item]


def test_a_rule_can_only_emit_its_declared_codes():
    def check(record, ctx):
        yield ctx.finding("age-band-sum-mismatch", ["ar"])

    rogue = rule("rogue", {"something-else": "error"})(check)
    with pytest.raises(LookupError, match="age-band-sum-mismatch"):
        run_rule(rogue, sample(), build_context(sample()))


def test_rule_runs_only_when_its_parameters_exist():
    record = sample()
    ctx = build_context(record)
    without = dataclasses.replace(ctx, params={k: v for k, v in ctx.params.items() if k != "fte"})
    assert run_rule(fte.fte_values, record, ctx) != []
    assert run_rule(fte.fte_values, record, without) == []


def test_findings_follow_form_order_of_their_first_field():
    record = blank()
    order = list(record.form.fields_for_year(2020))
    positions = [order.index(f.fields[0]) for f in validate(record)]
    assert positions == sorted(positions)
    assert validate(record) == validate(record)


def test_blank_record_is_invalid_and_2021_has_no_corona_findings():
    assert any(f.severity == "error" for f in validate(blank()))
    assert not [f for f in validate(blank(2021)) if any(k.startswith("corona.") for k in f.fields)]


def test_findings_carry_their_data_for_machines():
    f = validate(sample())[0]
    assert f.data == {"orsak": "kontaktorsaker.ekonomi", "kon": "kvinnor", "antal": 34, "nya": 14}
