"""The closed set of rules, in the order they run; ``validate`` reports their findings in form order."""

from __future__ import annotations

from formgen.validate.registry import Rule, codes_of
from formgen.validate.rules import (
    clients,
    conditional,
    contact,
    counts,
    cross_year,
    dates,
    fte,
    grant,
    ledningsgrupp,
    required,
)

RULES: tuple[Rule, ...] = (
    counts.whole_counts,
    required.required_fields,
    clients.age_band_sums,
    clients.part_of_total,
    clients.reasons_within_new,
    fte.fte_values,
    grant.grant_used,
    grant.fewer_fte_explained,
    grant.granted_kr_rate,
    conditional.conditional_answers,
    ledningsgrupp.ledningsgrupp_members,
    contact.contact_details,
    dates.signature_date,
    cross_year.carried_over,
)

CODES = codes_of(RULES)   # code → severity; a code declared twice fails at import
