"""``formgen generate`` (next year's form, blank or pre-filled) and ``formgen fill`` (a record as it is)."""

from __future__ import annotations

from pathlib import Path

import click

from formgen.cli.common import fail, one_line_errors
from formgen.record import blank_record

FORMAT_CHOICE = click.Choice(["pdf", "docx", "both"])


@click.command()
@click.option("--year", type=int, required=True, help="Bidragsåret blanketten gäller.")
@click.option("--prefill", "prefill", type=click.Path(path_type=Path, dir_okay=False),
              help="Förra årets redovisning (JSON, PDF eller DOCX) att fylla i från.")
@click.option("--prefill-from-store", is_flag=True, help="Fyll i från förra årets post i lagret (kräver --kommun).")
@click.option("--kommun", help="Kommunens namn i lagret (med --prefill-from-store).")
@click.option("--store", "store_path", type=click.Path(path_type=Path, dir_okay=False), help="Lagrets fil.")
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="both", show_default=True)
@click.option("--flatten", is_flag=True, help="Utskriftsversion av PDF:en (inga fält).")
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True)
@one_line_errors
def generate(year: int, prefill: Path | None, prefill_from_store: bool, kommun: str | None,
             store_path: Path | None, fmt: str, flatten: bool, out_dir: Path) -> None:
    """Skapa blanketten för ett år, tom eller förifylld från förra årets redovisning."""
    from formgen.pipeline import read_record
    from formgen.prefill import next_year_record
    from formgen.render.outputs import write_forms

    if prefill and prefill_from_store:
        fail("ange antingen --prefill eller --prefill-from-store, inte båda")
    last = None
    if prefill:
        if not prefill.exists():
            fail(f"{prefill}: filen finns inte")
        last = read_record(prefill)
    elif prefill_from_store:
        if not kommun:
            fail("--prefill-from-store kräver --kommun")
        from formgen.store import latest_record

        last = latest_record(store_path, kommun, year - 1)
        if last is None:
            fail(f"lagret har ingen redovisning för {kommun} år {year - 1}")
    if last is None:
        written = write_forms(blank_record(year), out_dir, fmt, flatten=flatten, blank=True)
    else:
        if last.year >= year:
            fail(f"{prefill or kommun}: redovisningen gäller {last.year}; välj ett senare år än det")
        record, summary = next_year_record(last, year)
        for line in summary.lines():
            click.echo(line)
        written = write_forms(record, out_dir, fmt, flatten=flatten)
    for path in written:
        click.echo(f"Skrev {path}")


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="both", show_default=True)
@click.option("--flatten", is_flag=True, help="Utskriftsversion av PDF:en (inga fält).")
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True)
@one_line_errors
def fill(file: Path, fmt: str, flatten: bool, out_dir: Path) -> None:
    """Skriv ut en redovisning (JSON, PDF eller DOCX) som blankett, precis som den är."""
    from formgen.pipeline import read_record
    from formgen.render.outputs import write_forms

    if not file.exists():
        fail(f"{file}: filen finns inte")
    for path in write_forms(read_record(file), out_dir, fmt, flatten=flatten):
        click.echo(f"Skrev {path}")
