"""``formgen generate`` (a year's form, blank or pre-filled) and ``formgen fill`` (a record as it is)."""

from __future__ import annotations

from pathlib import Path

import click

from formgen.cli.common import fail, one_line_errors, write_atomic
from formgen.generate import next_year_record, output_stem, render_docx, render_pdf
from formgen.pipeline import read_record
from formgen.record import Record, blank_record

FORMATS = ("pdf", "docx", "both")


def _write(record: Record, stem: str, fmt: str, flatten: bool, outdir: Path) -> list[Path]:
    written = []
    if fmt in ("pdf", "both"):
        path = outdir / f"{stem}.pdf"
        write_atomic(path, render_pdf(record, flatten=flatten))
        written.append(path)
    if fmt in ("docx", "both"):
        path = outdir / f"{stem}.docx"
        write_atomic(path, render_docx(record))
        written.append(path)
    return written


_format_option = click.option("--format", "fmt", type=click.Choice(FORMATS), default="pdf", show_default=True,
                              help="Filformat.")
_flatten_option = click.option("--flatten", is_flag=True,
                               help="PDF för utskrift: inga ifyllbara fält, svaren tryckta som text.")
_outdir_option = click.option("-o", "--outdir", type=click.Path(file_okay=False, path_type=Path), required=True,
                              help="Katalog att skriva till (skapas vid behov).")


def _last_year(year: int, prefill: Path | None, from_store: bool, kommun: str | None,
               store_path: Path | None) -> Record | None:
    """Last year's record to pre-fill from: a file, the store, or None for a blank form."""
    if prefill and from_store:
        fail("ange antingen --prefill eller --prefill-from-store, inte båda")
    if prefill:
        if not prefill.is_file():
            fail(f"{prefill}: filen finns inte")
        return read_record(prefill)
    if not from_store:
        return None
    if not kommun:
        fail("--prefill-from-store kräver --kommun")
    from formgen.store import latest_record

    last = latest_record(store_path, kommun, year - 1)
    if last is None:
        fail(f"lagret har ingen redovisning för {kommun} år {year - 1}")
    return last


@click.command()
@click.option("--year", type=int, required=True, help="Bidragsåret blanketten gäller.")
@click.option("--prefill", type=click.Path(dir_okay=False, path_type=Path),
              help="Förra årets redovisning (post-JSON eller inskickad fil) att förifylla från.")
@click.option("--prefill-from-store", "from_store", is_flag=True,
              help="Förifyll från förra årets redovisning i lagret (kräver --kommun).")
@click.option("--kommun", help="Kommunens namn som i lagret (med --prefill-from-store).")
@click.option("--store", "store_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Lagrets fil (standard: användarens datakatalog).")
@_format_option
@_flatten_option
@_outdir_option
@one_line_errors
def generate(year: int, prefill: Path | None, from_store: bool, kommun: str | None, store_path: Path | None,
             fmt: str, flatten: bool, outdir: Path) -> None:
    """Skapa blanketten för ett år, tom eller förifylld från förra årets redovisning."""
    last = _last_year(year, prefill, from_store, kommun, store_path)
    if last is None:
        record = blank_record(year)
        stem = output_stem(record, blank=True)
    else:
        record, summary = next_year_record(last, year)
        stem = output_stem(record)
        click.echo(summary.to_text())
    for path in _write(record, stem, fmt, flatten, outdir):
        click.echo(f"Skrev {path}")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_format_option
@_flatten_option
@_outdir_option
@one_line_errors
def fill(file: Path, fmt: str, flatten: bool, outdir: Path) -> None:
    """Skriv en redovisning som blankett precis som den är (samma år, inget tömt)."""
    if not file.is_file():
        fail(f"{file}: filen finns inte")
    record = read_record(file)
    for path in _write(record, output_stem(record), fmt, flatten, outdir):
        click.echo(f"Skrev {path}")
