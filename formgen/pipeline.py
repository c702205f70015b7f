"""The one place that strings the steps together: read a file → record (+ extraction) → findings."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from formgen.errors import InputError, RecordError, SpecError
from formgen.findings import Finding
from formgen.record import Record, record_from_json

if TYPE_CHECKING:
    from extractors.base import Extraction, Problem
    from extractors.registry import ReadOptions

# Extraction problems the handläggare should look at but that do not make the record wrong by themselves.
WARNING_PROBLEMS: frozenset[str] = frozenset({"uncertain-ocr"})


def read_record_json(path: Path) -> Record:
    """A record from a record JSON file; InputError naming the file when it is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError(str(path), "filen är inte UTF-8-text", code="not-utf8") from None
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"ogiltig JSON (rad {exc.lineno}): {exc.msg}", code="invalid-json") from None
    try:
        return record_from_json(data)
    except RecordError as exc:
        raise InputError(str(path), f"posten följer inte blanketten: {exc.reason}", code="invalid-record") from None
    except SpecError as exc:  # a year for which there is no form
        raise InputError(str(path), exc.reason, code=exc.code) from None


def extract_any(path: Path, options: ReadOptions | None = None) -> Extraction:
    """Any input formgen reads (record JSON, PDF, DOCX, scan), chosen by content, gated and sandboxed."""
    from extractors.registry import extract

    return extract(Path(path), options=options)


def read_record(path: Path) -> Record:
    """A record from any input formgen reads: record JSON, or a PDF/DOCX submission through the extractors."""
    return extract_any(path).record


def problem_findings(problems: Iterable[Problem | Mapping[str, Any]]) -> list[Finding]:
    """Extraction problems (objects or their JSON form) as findings: errors, except uncertain readings."""
    findings = []
    for p in problems:
        code, fields, message = ((p["code"], tuple(p.get("fields", ())), p["message"]) if isinstance(p, Mapping)
                                 else (p.code, p.fields, p.message))
        findings.append(Finding(code, "warning" if code in WARNING_PROBLEMS else "error", fields, message))
    return findings
