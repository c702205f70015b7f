"""The contract every extractor keeps: a file in, an Extraction out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from formgen.record import Record

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class Provenance:
    """Where one value was read: page (1-based; None where the source has no pages), box in points, raw text."""

    page: int | None
    bbox: BBox | None
    raw: str
    confidence: float | None = None
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON form: page, bbox (x0, top, x1, bottom in PDF points from the top-left), raw."""
        out: dict[str, Any] = {
            "page": self.page,
            "bbox": [round(v, 1) for v in self.bbox] if self.bbox else None,
            "raw": self.raw,
        }
        if self.confidence is not None:
            out["confidence"] = round(self.confidence, 3)
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True)
class Problem:
    """Something extraction could not decide for some keys (a conflict, an unreadable value)."""

    code: str
    fields: tuple[str, ...]
    message: str
    page: int | None = None  # where on the page the problem is, when it is in one place (text not read)
    bbox: BBox | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON form: code, fields, message (and page, bbox when the problem has a place)."""
        out: dict[str, Any] = {"code": self.code, "fields": list(self.fields), "message": self.message}
        if self.bbox is not None:
            out["page"] = self.page
            out["bbox"] = [round(v, 1) for v in self.bbox]
        return out


@dataclass(frozen=True)
class Source:
    """The file a record came from and how it was read."""

    path: str
    sha256: str
    kind: str
    method: str
    form: str
    year: int

    def to_json(self) -> dict[str, Any]:
        """JSON form of the source description."""
        return {"path": self.path, "sha256": self.sha256, "kind": self.kind, "method": self.method,
                "form": self.form, "year": self.year}


@dataclass(frozen=True)
class Extraction:
    """A submission read: its record, where each value came from and what could not be decided."""

    record: Record
    source: Source
    provenance: dict[str, Provenance] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The JSON printed by ``formgen extract``."""
        return {
            "record": self.record.to_json(),
            "source": self.source.to_json(),
            "provenance": {k: p.to_json() for k, p in self.provenance.items()},
            "problems": [p.to_json() for p in self.problems],
        }
