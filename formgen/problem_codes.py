"""Codes of what reading a submission reports besides the rules' findings, with their severity.

Their Swedish messages are in ``forms/<version>/messages.sv.yaml`` under ``reading:`` (formgen.validate.messages
refuses a missing or an unknown one, as it does for the rules' codes).
"""

from __future__ import annotations

from collections.abc import Mapping

from formgen.findings import Severity

READING_CODES: Mapping[str, Severity] = {
    # a submission printed from another form version than the one of the year it reports
    "old-form-version": "warning",
    # an answer on the printed version that the reported year's form has no field for (kept in the extraction)
    "answer-without-field": "warning",
    # fields of the reported year's form that the printed version does not have (left unanswered)
    "field-not-on-printed-form": "warning",
    # an answer whose value the reported year's form does not allow (another choice set, another type)
    "answer-does-not-fit": "warning",
}
