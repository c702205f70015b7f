"""Scoring an OCR extraction against the record a scan was made from: fields exact, silent errors, flags.

A field is *exact* when its value equals the true one (free text modulo runs of white space, like
tests.helpers.record_diffs). It is *flagged* when any extraction problem names it (``uncertain-ocr`` above
all; an unreadable value or conflicting marks tell the handläggare just as well). A *silent* error is a
wrong value with no flag: the outcome the OCR path must avoid, and never for an amount in kr.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from extractors.base import Extraction
from formgen.record import Record
from tests.helpers import flatten, record_diffs


@dataclass
class Score:
    """Counts over one or more extractions."""

    fields: int = 0
    exact: int = 0
    silent: int = 0          # wrong and not flagged
    flagged_right: int = 0   # right but flagged
    right: int = 0
    silent_keys: list[tuple[str, object, object]] = field(default_factory=list)
    wrong_keys: list[tuple[str, object, object]] = field(default_factory=list)

    @property
    def exact_share(self) -> float:
        return self.exact / self.fields if self.fields else 0.0

    @property
    def silent_share(self) -> float:
        return self.silent / self.fields if self.fields else 0.0

    @property
    def flagged_right_share(self) -> float:
        return self.flagged_right / self.right if self.right else 0.0

    @property
    def silent_kr(self) -> list[tuple[str, object, object]]:
        return [d for d in self.silent_keys if d[0].endswith("_kr")]

    def add(self, other: Score) -> None:
        self.fields += other.fields
        self.exact += other.exact
        self.silent += other.silent
        self.flagged_right += other.flagged_right
        self.right += other.right
        self.silent_keys += other.silent_keys
        self.wrong_keys += other.wrong_keys

    def line(self) -> str:
        return (f"{self.exact_share:6.1%} exact, {self.silent_share:5.2%} silent wrong ({self.silent}), "
                f"{self.flagged_right_share:5.1%} of right values flagged, {self.fields} fields")


def score(truth: Record, extraction: Extraction) -> Score:
    """How an extraction of a scan of ``truth`` came out."""
    want = flatten(truth.to_json())
    wrong = {k: (k, a, b) for k, a, b in record_diffs(truth.to_json(), extraction.record.to_json())}
    flagged = {k for p in extraction.problems for k in p.fields}
    s = Score()
    for key in want:
        s.fields += 1
        if key in wrong:
            s.wrong_keys.append(wrong[key])
            if key not in flagged:
                s.silent += 1
                s.silent_keys.append(wrong[key])
        else:
            s.exact += 1
            s.right += 1
            s.flagged_right += key in flagged
    return s


def total(scores: Iterable[Score]) -> Score:
    """The sum of several scores."""
    out = Score()
    for s in scores:
        out.add(s)
    return out
