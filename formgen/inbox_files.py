"""Finding an inbox's files: regular files under a directory, without hidden ones, symlinks and excluded paths."""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from formgen.errors import FormgenError


class InboxError(FormgenError):
    """The inbox directory itself cannot be used (missing, not a directory, not readable)."""

    code = "inbox-unusable"


def _is_hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def find_inputs(root: Path, *, exclude: Sequence[Path] = ()) -> list[Path]:
    """Regular files under ``root`` (recursively, sorted), without hidden ones, symlinks and ``exclude``."""
    root = Path(root)
    try:
        info = root.stat()
    except OSError as exc:
        raise InboxError(f"{root}: katalogen finns inte eller kan inte läsas ({exc.strerror})") from None
    if not stat.S_ISDIR(info.st_mode):
        raise InboxError(f"{root}: är inte en katalog")
    if not os.access(root, os.R_OK | os.X_OK):
        raise InboxError(f"{root}: katalogen kan inte läsas (behörighet saknas)")
    excluded = [Path(os.path.realpath(p)) for p in exclude]
    found: list[Path] = []

    def skip(path: Path) -> bool:
        real = Path(os.path.realpath(path))
        return any(real == e or e in real.parents for e in excluded)

    def on_error(exc: OSError) -> None:
        if Path(exc.filename or "") == root:
            raise InboxError(f"{root}: katalogen kan inte läsas ({exc.strerror})")

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not skip(here / d))
        for name in sorted(filenames):
            path = here / name
            if name.startswith(".") or skip(path):
                continue
            try:
                mode = path.lstat().st_mode
            except OSError:
                continue
            if stat.S_ISREG(mode):
                found.append(path)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())
