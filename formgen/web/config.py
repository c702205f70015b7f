"""What a running site needs to know: where the store and the uploaded files are, the limits, the password."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path

MiB = 1024 * 1024


@dataclass(frozen=True)
class WebConfig:
    """Settings of one site (built by ``formgen serve`` or a test)."""

    store_path: Path
    files_dir: Path  # uploaded files by content hash, rendered page images
    password: str | None = None  # None: no login (only allowed on a loopback address)
    secret_key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    max_files: int = 20  # per upload
    max_file_bytes: int = 20 * MiB  # per file (larger files become an "unreadable" row)
    max_request_bytes: int = 110 * MiB  # a whole upload request; larger ones are refused with 413
    jobs: int = 2  # worker processes reading files
    timeout_seconds: float = 20.0  # per file, as in formgen inbox

    @property
    def login_required(self) -> bool:
        """Whether every page but the login page needs a session."""
        return self.password is not None

    @staticmethod
    def files_dir_for(store_path: Path) -> Path:
        """The default folder for uploaded files: beside the store, named after it."""
        return store_path.parent / f"{store_path.stem}-filer"
