"""A record JSON file (what ``formgen extract`` writes under "record", or a record on its own) read back."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from formgen.errors import InputError, RecordError, SpecError
from formgen.record import Record, record_from_json


def read_record_json(path: Path, root: Path | None = None) -> Record:
    """A record from a record JSON file, typed by the form of its year under a forms root; InputError naming
    the file when it is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError(str(path), "filen är inte UTF-8-text", code="not-utf8") from None
    except json.JSONDecodeError as exc:
        raise InputError(str(path), f"ogiltig JSON (rad {exc.lineno}): {exc.msg}", code="invalid-json") from None
    try:
        return record_from_json(data, root=root)
    except RecordError as exc:
        raise InputError(str(path), f"posten följer inte blanketten: {exc.reason}", code="invalid-record") from None
    except SpecError as exc:  # a year for which there is no form
        raise InputError(str(path), exc.reason, code=exc.code) from None


def value_at(record_json: Mapping[str, Any] | None, key: str) -> Any:
    """The value of a dotted record key ("kontakt.kommun") in a record's nested JSON form; None when absent."""
    node: Any = record_json
    for part in key.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node
