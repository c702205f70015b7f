"""``formgen schema``: the JSON Schema of a year's record."""

from __future__ import annotations

import click

from formgen.cli.common import dump_json, one_line_errors
from formgen.schema import record_schema
from formgen.spec import load_form


@click.command()
@click.option("--year", type=int, default=2020, show_default=True, help="Bidragsår.")
@one_line_errors
def schema(year: int) -> None:
    """Skriv ut JSON Schema för ett års redovisning."""
    click.echo(dump_json(record_schema(load_form(year), year)), nl=False)
