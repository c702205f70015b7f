"""Rule declarations: a rule is a generator over a record that says which finding codes it may emit."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from formgen.findings import SEVERITIES, Finding, Severity
from formgen.record import Record

if TYPE_CHECKING:
    from formgen.validate.context import RuleContext

Check = Callable[[Record, "RuleContext"], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    """One check: its name, the codes (with their severity) it may emit, and when it runs."""

    name: str
    codes: Mapping[str, Severity]
    check: Check
    params: str | None = None        # the rules.yaml section it reads; the rule runs only when it is present
    needs_previous: bool = False      # cross-year: runs only when last year's record is given

    def applies(self, ctx: RuleContext) -> bool:
        """Whether the rule runs for this context (its parameters exist, last year's record is given)."""
        if self.params is not None and self.params not in ctx.params:
            return False
        return not (self.needs_previous and ctx.previous is None)


def rule(
    name: str, codes: Mapping[str, Severity], *, params: str | None = None, needs_previous: bool = False
) -> Callable[[Check], Rule]:
    """Declare a rule function with the codes it may emit (a kebab-case code maps to its severity)."""
    for code, severity in codes.items():
        if severity not in SEVERITIES:
            raise ValueError(f"rule {name}: code {code} has unknown severity {severity!r}")

    def wrap(check: Check) -> Rule:
        return Rule(name, dict(codes), check, params, needs_previous)

    return wrap


def codes_of(rules: tuple[Rule, ...]) -> dict[str, Severity]:
    """Every code of a rule set with its severity; a code declared by two rules is refused."""
    codes: dict[str, Severity] = {}
    names: set[str] = set()
    for r in rules:
        if r.name in names:
            raise ValueError(f"rule name {r.name} declared twice")
        names.add(r.name)
        for code, severity in r.codes.items():
            if code in codes:
                raise ValueError(f"finding code {code} declared by two rules")
            codes[code] = severity
    return codes
