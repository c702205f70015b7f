"""The ``formgen`` command line: parses arguments, calls the library, prints. One module per command."""

from __future__ import annotations

import logging

import click

from formgen import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="formgen")
def main() -> None:
    """Läs, granska och skapa redovisningar av statsbidrag för personligt ombud."""
    # Library warnings about damaged files (pypdf's "EOF marker not found") would add lines to stderr;
    # formgen reports every unusable file itself, in one line.
    for name in ("pypdf", "pdfminer", "PIL"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


# Commands register themselves here, one module each.
from formgen.cli import extract_cmd, schema_cmd  # noqa: E402

main.add_command(schema_cmd.schema)
main.add_command(extract_cmd.extract)
from formgen.cli import validate_cmd  # noqa: E402

main.add_command(validate_cmd.validate)
from formgen.cli import inbox_cmd, store_cmd  # noqa: E402

main.add_command(inbox_cmd.inbox)
main.add_command(store_cmd.store)
from formgen.cli import generate_cmd  # noqa: E402

main.add_command(generate_cmd.generate)
main.add_command(generate_cmd.fill)
from formgen.cli import serve_cmd  # noqa: E402

main.add_command(serve_cmd.serve)
from formgen.cli import report_cmd  # noqa: E402

main.add_command(report_cmd.report)
