"""Uploaded files kept by content hash: ``<files>/blobs/<sha256>``, never under a name the sender chose.

The sender's file name is only shown (cleaned of paths and control characters); the type a file is served
back with comes from its content (:func:`formgen.guard.sniff_kind`), never from its name.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from formgen.errors import InputError
from formgen.guard import sniff_kind

CHUNK = 1024 * 1024
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}
OCTET_STREAM = "application/octet-stream"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")
MAX_NAME = 120


@dataclass(frozen=True)
class Blob:
    """One received file: its content hash, size, the cleaned name it was sent under, where it is kept."""

    sha256: str
    size: int
    name: str
    path: Path


def clean_name(raw: str | None) -> str:
    """The sender's file name as shown: last path part only, no control or path characters, no leading dot."""
    name = unicodedata.normalize("NFC", (raw or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 8 else name[:MAX_NAME]
    return name or "namnlös fil"


def blob_dir(files_dir: Path) -> Path:
    """Where uploaded files are kept."""
    return files_dir / "blobs"


def blob_path(files_dir: Path, sha256: str) -> Path | None:
    """The kept file of a content hash, or None (a malformed hash never reaches the file system)."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        return None
    path = blob_dir(files_dir) / sha256
    return path if path.is_file() else None


def save_stream(files_dir: Path, stream: BinaryIO, name: str | None, max_bytes: int) -> Blob:
    """Copy an upload into the blob folder under its sha256 (atomically; an existing copy is kept).

    A file larger than ``max_bytes`` is still kept up to one byte past the limit, so that the pipeline's own
    size gate refuses it with its Swedish reason (the hash is then of the part received).
    """
    folder = blob_dir(files_dir)
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    fd, tmp = tempfile.mkstemp(prefix=".upload-", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            while size <= max_bytes:
                chunk = stream.read(min(CHUNK, max_bytes + 1 - size))
                if not chunk:
                    break
                digest.update(chunk)
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        target = folder / sha
        if target.exists():
            os.unlink(tmp)
        else:
            os.chmod(tmp, 0o444)
            os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Blob(sha, size, clean_name(name), target)


def media_type(path: Path) -> str:
    """The type to serve a kept file with, judged by its content; unknown or refused content is a byte stream."""
    try:
        return MEDIA_TYPES.get(sniff_kind(path), OCTET_STREAM)
    except InputError:
        return OCTET_STREAM
