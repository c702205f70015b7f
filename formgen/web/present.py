"""Swedish wording and formatting for the pages: statuses, dates, numbers, form kinds, inbox rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from formgen.store import StoredSubmission, SubmissionOverview
from formgen.summary import summary_layout
from formgen.values import format_int_sv

STOCKHOLM = ZoneInfo("Europe/Stockholm")
STATUS_ORDER = ("ok", "warnings", "errors", "unreadable")
# The same Swedish statuses and severities as the inbox summary: the form's wording (summary: in form.yaml).
STATUS_LABELS = {s: summary_layout().status(s) for s in STATUS_ORDER}
SEVERITY_LABELS = dict(summary_layout().severities)
MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
          "november", "december")
KIND_LABELS = {"pdf": "PDF", "docx": "Word (DOCX)", "json": "JSON"}


def status_label(status: str | None) -> str:
    """A status in Swedish ("Fel", "Oläslig")."""
    return STATUS_LABELS.get(status or "", status or "–")


def number_sv(value: int | None) -> str:
    """A count with Swedish thousands spaces, "–" when not known."""
    return "–" if value is None else format_int_sv(value)


@lru_cache(maxsize=4096)
def _local(iso: str | None) -> dt.datetime | None:
    if not iso:
        return None
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(STOCKHOLM)


def datetime_short(iso: str | None) -> str:
    """A stored UTC time as Swedish local time, compact: "2026-11-30 15.04"."""
    moment = _local(iso)
    return "–" if moment is None else f"{moment:%Y-%m-%d} {moment:%H.%M}"


def datetime_long(iso: str | None) -> str:
    """A stored UTC time in words: "30 november 2026 kl. 15.04"."""
    moment = _local(iso)
    if moment is None:
        return "–"
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year} kl. {moment:%H.%M}"


def form_kind(source: dict[str, Any] | None) -> str:
    """How the submission came: "PDF, ifyllbar", "PDF, utskrift", "PDF, skannad (OCR)", "Word (DOCX)"."""
    if not source:
        return "–"
    kind, method = source.get("kind"), str(source.get("method") or "")
    label = KIND_LABELS.get(kind, kind or "–")
    if kind == "pdf":
        if method == "acroform":
            return "PDF, ifyllbar"
        if method.startswith("ocr"):
            return "PDF, skannad (OCR)"
        return "PDF, utskrift"
    return label


@dataclass(frozen=True)
class InboxRow:
    """One row of the Inkorg table."""

    sha256: str
    file: str
    kommun: str | None
    year: int | None
    kind: str
    status: str
    errors: int
    warnings: int
    first_error: str | None
    ingested_at: str
    current: bool
    stored: bool = True

    @property
    def status_label(self) -> str:
        return status_label(self.status)


def inbox_row(sub: StoredSubmission | SubmissionOverview) -> InboxRow:
    """The table row of a stored submission."""
    errors = [f for f in sub.findings_json if f.get("severity") == "error"]
    warnings = sum(f.get("severity") == "warning" for f in sub.findings_json)
    return InboxRow(sub.sha256, sub.path, sub.kommun, sub.year, form_kind(sub.source_json), sub.status,
                    len(errors), warnings, errors[0]["message"] if errors else None, sub.ingested_at, sub.current)


SORT_KEYS = {
    "fil": lambda r: r.file.lower(),
    "kommun": lambda r: (r.kommun is None, (r.kommun or "").lower()),
    "ar": lambda r: (r.year is None, r.year or 0),
    "blankett": lambda r: r.kind,
    "status": lambda r: STATUS_ORDER.index(r.status) if r.status in STATUS_ORDER else 9,
    "fel": lambda r: r.errors,
    "varningar": lambda r: r.warnings,
    "forsta_fel": lambda r: (r.first_error is None, r.first_error or ""),
    "inlast": lambda r: r.ingested_at,
}
