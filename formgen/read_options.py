"""How a submission is to be read: the OCR mode and the forms root whose versions it is read by."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

OCR_MODES: tuple[str, ...] = ("auto", "always", "never")


@dataclass(frozen=True)
class ReadOptions:
    """``ocr`` is "auto" (OCR when the text layer is missing or unusable), "always" or "never"; ``forms`` is the
    forms root (None: the versions shipped with formgen)."""

    ocr: str = "auto"
    forms: Path | None = None

    def __post_init__(self) -> None:
        if self.ocr not in OCR_MODES:
            raise ValueError(f"ocr must be one of {', '.join(OCR_MODES)}, not {self.ocr!r}")
