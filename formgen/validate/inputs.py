"""Any input → the record to validate and the findings made while reading it."""

from __future__ import annotations

from pathlib import Path

from extractors.registry import ReadOptions
from formgen.errors import InputError, SpecError
from formgen.findings import Finding
from formgen.pipeline import extract_any, problem_findings
from formgen.record import Record


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
