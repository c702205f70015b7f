"""Errors that stop the use of one input file; each has a stable code and a Swedish reason."""

from __future__ import annotations


class FormgenError(Exception):
    """Base of formgen's own errors: a stable English ``code`` and a Swedish ``reason``."""

    code: str = "formgen-error"

    def __init__(self, reason: str, *, code: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        if code is not None:
            self.code = code


class InputError(FormgenError):
    """An input file cannot be used at all (wrong kind, damaged, hostile, not this form)."""

    code = "unusable-input"

    def __init__(self, path: str, reason: str, *, code: str | None = None) -> None:
        super().__init__(reason, code=code)
        self.path = path

    def one_line(self) -> str:
        """The single line shown to a user: file, then reason."""
        return f"{self.path}: {self.reason}"


class SpecError(FormgenError):
    """A form definition in ``forms/`` is inconsistent (unknown type, duplicate key, missing field)."""

    code = "spec-error"


class RecordError(FormgenError):
    """A record does not follow the field catalogue (unknown key, wrong type)."""

    code = "record-error"

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"{key}: {reason}")
        self.key = key
