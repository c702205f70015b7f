"""Findings: what is wrong with a submission, each with a stable code, a severity and the keys it concerns."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One problem found in a submission: code (English, stable), Swedish message, the keys it concerns."""

    code: str
    severity: Severity
    fields: tuple[str, ...]
    message: str
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    data: dict[str, Any] = field(default_factory=dict, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The JSON form used in reports: code, severity, fields, message (and page/bbox when known)."""
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "fields": list(self.fields),
            "message": self.message,
        }
        if self.page is not None:
            out["page"] = self.page
        if self.bbox is not None:
            out["bbox"] = [round(v, 1) for v in self.bbox]
        return out


def summarise(findings: Iterable[Finding]) -> dict[str, Any]:
    """Counts per severity and whether the submission is free of errors (derived, never set)."""
    found = list(findings)
    counts = {s: sum(1 for f in found if f.severity == s) for s in SEVERITIES}
    return {"errors": counts["error"], "warnings": counts["warning"], "infos": counts["info"],
            "valid": counts["error"] == 0}
