"""The one place that strings the steps together: read a file → record (+ extraction) → findings."""

from __future__ import annotations

import json
from pathlib import Path

from formgen.errors import InputError, RecordError
from formgen.record import Record, record_from_json


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


def read_record(path: Path) -> Record:
    """A record from any input formgen reads: record JSON, or a PDF/DOCX submission through the extractors."""
    from extractors.registry import extract

    return extract(Path(path)).record
