"""What every command shares: one-line errors with exit status 2, atomic output files."""

from __future__ import annotations

import functools
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from formgen.errors import FormgenError, InputError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNUSABLE = 2

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str) -> None:
    """Print one line on stderr and exit with status 2."""
    click.echo(f"formgen: {message}", err=True)
    sys.exit(EXIT_UNUSABLE)


def one_line_errors(func: F) -> F:
    """Turn formgen's own errors (and unreadable files) into one line on stderr and exit 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            fail(exc.one_line())
        except FormgenError as exc:
            fail(exc.reason)
        except OSError as exc:
            fail(f"{exc.filename or ''}: {exc.strerror or exc}")

    return wrapper  # type: ignore[return-value]


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write a file so that readers see either the old or the whole new content, never a part."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dump_json(data: Any) -> str:
    """JSON as formgen prints it: UTF-8 characters kept, two-space indent."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


ocr_option = click.option(
    "--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
    help="OCR: auto = när textlager saknas eller inte går att läsa; always; never.")
