"""JSON as formgen writes it (files and standard output): UTF-8 characters kept, two-space indent."""

from __future__ import annotations

import json
from typing import Any

_COMPACT = json.JSONEncoder(ensure_ascii=False)  # one encoder: json.dumps(..., ensure_ascii=False) builds one a call


def compact_json(data: Any) -> str:
    """JSON on one line, UTF-8 characters kept (the C encoder; for large documents written piece by piece)."""
    return _COMPACT.encode(data)


def dump_json(data: Any) -> str:
    """JSON as formgen prints it: UTF-8 characters kept, two-space indent, a final newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
