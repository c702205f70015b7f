"""What every command shares: one-line errors with exit status 2, atomic output files."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from formgen.atomic import write_atomic  # noqa: F401  (re-exported: the commands import it from here)
from formgen.errors import FormgenError, InputError
from formgen.json_text import dump_json  # noqa: F401  (re-exported likewise)

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


ocr_option = click.option(
    "--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
    help="OCR: auto = när textlager saknas eller inte går att läsa; always; never.")
