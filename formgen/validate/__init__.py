"""Validation of a record: a closed registry of small rules, each yielding findings with stable codes."""

from formgen.validate.context import RuleContext
from formgen.validate.engine import build_context, run_rule, validate
from formgen.validate.registry import Rule
from formgen.validate.rules import CODES, RULES

__all__ = ["CODES", "RULES", "Rule", "RuleContext", "build_context", "run_rule", "validate"]
