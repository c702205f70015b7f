"""Shared test helpers: comparing records the way the samples README says (free text modulo white space)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SAMPLE_JSON = SAMPLES / "spanga-tensta-2020.json"


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Dotted keys of a nested record object."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def record_diffs(want: dict[str, Any], got: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """Keys whose values differ: strings compared with runs of white space collapsed, the rest exactly."""
    a, b = flatten(want), flatten(got)
    diffs = []
    for key in sorted(set(a) | set(b)):
        x, y = a.get(key, "<missing>"), b.get(key, "<missing>")
        if isinstance(x, str) and isinstance(y, str):
            x, y = " ".join(x.split()), " ".join(y.split())
        if x != y:
            diffs.append((key, a.get(key, "<missing>"), b.get(key, "<missing>")))
    return diffs


def sample_record_json() -> dict[str, Any]:
    """The true record of the bundled sample submission."""
    return json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
