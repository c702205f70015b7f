"""The one place that strings the steps together: read a file → record (+ extraction) → findings."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from extractors.base import Extraction, Problem
from extractors.registry import extract
from formgen.errors import InputError, SpecError
from formgen.findings import Finding
from formgen.problem_codes import READING_CODES
from formgen.read_options import ReadOptions
from formgen.record import Record
from formgen.record_json import read_record_json

__all__ = ["WARNING_PROBLEMS", "extract_any", "load_for_validation", "problem_findings", "read_record",
           "read_record_json"]

# Extraction problems the handläggare should look at but that do not make the record wrong by themselves.
WARNING_PROBLEMS: frozenset[str] = frozenset(
    {"uncertain-ocr", "unexpected-characters",
     *(code for code, severity in READING_CODES.items() if severity == "warning")})


def extract_any(path: Path, options: ReadOptions | None = None) -> Extraction:
    """Any input formgen reads (record JSON, PDF, DOCX, scan), chosen by content, gated and sandboxed."""
    return extract(Path(path), options=options)


def read_record(path: Path, options: ReadOptions | None = None) -> Record:
    """A record from any input formgen reads: record JSON, or a PDF/DOCX submission through the extractors."""
    return extract_any(path, options).record


def problem_findings(problems: Iterable[Problem | Mapping[str, Any]]) -> list[Finding]:
    """Extraction problems (objects or their JSON form) as findings: errors, except uncertain readings."""
    findings = []
    for p in problems:
        code, fields, message = ((p["code"], tuple(p.get("fields", ())), p["message"]) if isinstance(p, Mapping)
                                 else (p.code, p.fields, p.message))
        findings.append(Finding(code, "warning" if code in WARNING_PROBLEMS else "error", fields, message))
    return findings


def load_for_validation(path: Path | str, options: ReadOptions | None = None) -> tuple[Record, list[Finding]]:
    """The record in a file (record JSON, PDF, DOCX) and the findings of reading it; InputError when unusable."""
    path = Path(path)
    if not path.exists():
        raise InputError(str(path), "filen finns inte", code="file-not-found")
    if not path.is_file():
        raise InputError(str(path), "är inte en fil", code="not-a-file")
    try:
        extraction = extract_any(path, options)
    except SpecError as exc:  # e.g. a year for which there is no form
        raise InputError(str(path), exc.reason, code=exc.code) from None
    except OSError as exc:
        raise InputError(str(path), f"kan inte läsas: {exc.strerror or exc}", code="unreadable") from None
    return extraction.record, problem_findings(extraction.problems)
