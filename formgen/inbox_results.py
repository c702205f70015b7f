"""What an inbox batch gives: one result per file (its summary row, what was stored) and the batch's outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formgen.store import StoredSubmission
from formgen.summary import SummaryRow


@dataclass
class FileResult:
    """The outcome of one inbox file."""

    path: Path
    rel: str
    sha256: str | None
    row: SummaryRow
    cached: bool = False
    stored: StoredSubmission | None = None
    payload: dict[str, Any] | None = None  # record, source, provenance, findings (None when unreadable)


@dataclass
class InboxResult:
    """The outcome of a batch: one result per file in inbox order, the files written and the exit code."""

    results: list[FileResult]
    outputs: list[Path] = field(default_factory=list)

    @property
    def rows(self) -> list[SummaryRow]:
        """Summary rows in inbox order."""
        return [r.row for r in self.results]

    @property
    def exit_code(self) -> int:
        """0 when every file is ok or has warnings only, 1 when any has errors or is unreadable."""
        return 1 if any(r.row.status in ("errors", "unreadable") for r in self.results) else 0
