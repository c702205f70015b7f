"""``formgen generate`` (a year's form: blank, pre-filled, or a whole län's send-out) and ``formgen fill``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from formgen.cli.common import fail, one_line_errors, write_atomic
from formgen.generate import output_stem, render_docx, render_pdf
from formgen.generate.sendout import (
    NextYearForm,
    SendOutResult,
    error_keys,
    last_submission,
    next_year_form,
    plan_send_out,
    run_send_out,
)
from formgen.pipeline import read_record
from formgen.places import Kommun, Lan, UnknownLan, lan_named, match_kommun
from formgen.record import Record

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


def _lan(name: str | None) -> Lan | None:
    if name is None:
        return None
    try:
        return lan_named(name)
    except UnknownLan as exc:
        fail(str(exc))
        raise  # fail exits; for the type checker


def _last_year(year: int, prefill: Path | None, from_store: bool, kommun: str | None,
               store_path: Path | None) -> tuple[Record | None, set[str]]:
    """Last year's record to pre-fill from (a file, the store, or None for a blank form) and the keys not to
    carry (answers a stored submission had errors on)."""
    if prefill and from_store:
        fail("ange antingen --prefill eller --prefill-from-store, inte båda")
    if prefill:
        if not prefill.is_file():
            fail(f"{prefill}: filen finns inte")
        return read_record(prefill), set()
    if not from_store:
        return None, set()
    if not kommun:
        fail("--prefill-from-store kräver --kommun")
    assert kommun is not None
    last = last_submission(store_path, kommun, year - 1)
    record = last.record() if last is not None else None
    if last is None or record is None:
        fail(f"lagret har ingen redovisning för {kommun} år {year - 1}")
        raise AssertionError  # fail exits
    return record, error_keys(last.findings_json)


def _blank_for(kommun: str | None, prefill: Path | None, from_store: bool) -> Kommun | None:
    """The kommun a blank form is made for (``--kommun`` without pre-filling), or None."""
    if kommun is None or prefill or from_store:
        return None
    found = match_kommun(kommun)
    if found is None:
        fail(f"{kommun}: ingen kommun med det namnet i kommunlistan")
    return found


@click.command()
@click.option("--year", type=int, required=True, help="Bidragsåret blanketten gäller.")
@click.option("--prefill", type=click.Path(dir_okay=False, path_type=Path),
              help="Förra årets redovisning (post-JSON eller inskickad fil) att förifylla från.")
@click.option("--prefill-from-store", "from_store", is_flag=True,
              help="Förifyll från förra årets redovisning i lagret (kräver --kommun).")
@click.option("--from-store", "send_out", is_flag=True,
              help="Utskick för ett helt län (kräver --lan): en förifylld blankett per verksamhet i lagret, "
                   "tomma blanketter till länets övriga kommuner och utskick.csv/.xlsx.")
@click.option("--kommun", help="Kommunens namn: som i lagret med --prefill-from-store, annars en tom blankett "
                               "ställd till kommunens länsstyrelse.")
@click.option("--lan", "lan_name", help="Länet vars länsstyrelse blanketten ställs till (t.ex. Stockholm, "
                                       "Skåne); utan län och kommun står det \"Länsstyrelsen i ditt län\".")
@click.option("--store", "store_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Lagrets fil (standard: användarens datakatalog).")
@click.option("--jobs", type=click.IntRange(min=1), default=lambda: min(2, os.cpu_count() or 1),
              show_default="2 eller antalet kärnor", help="Processer som skriver utskickets blanketter.")
@_format_option
@_flatten_option
@_outdir_option
@one_line_errors
def generate(year: int, prefill: Path | None, from_store: bool, send_out: bool, kommun: str | None,
             lan_name: str | None, store_path: Path | None, jobs: int, fmt: str, flatten: bool,
             outdir: Path) -> None:
    """Skapa blanketten för ett år: tom, förifylld från förra årets redovisning, eller för ett helt län."""
    lan = _lan(lan_name)
    if send_out:
        if prefill or from_store or kommun:
            fail("--from-store gör ett utskick för hela länet: ange inte --prefill, --prefill-from-store "
                 "eller --kommun samtidigt")
        if lan is None:
            fail("--from-store kräver --lan (länet som utskicket gäller)")
        assert lan is not None
        _send_out(year, lan, store_path, fmt, flatten, outdir, jobs)
        return
    last, withhold = _last_year(year, prefill, from_store, kommun, store_path)
    made = next_year_form(year, last, lan=lan, kommun=_blank_for(kommun, prefill, from_store), formats=fmt,
                          flatten=flatten, withhold=withhold)
    if made.summary is not None:
        click.echo(made.summary.to_text())
    _say_recipient(made)
    for ext, data in made.files.items():
        path = outdir / f"{made.stem}.{ext}"
        write_atomic(path, data)
        click.echo(f"Skrev {path}")


def _say_recipient(made: NextYearForm) -> None:
    click.echo(made.addressee.metadata)
    if made.addressee.lan is None:
        who = f"{made.record.kommun} finns inte i kommunlistan" if made.record.kommun else "inget län angivet"
        click.echo(f"formgen: {who}: blanketten ställs till \"{made.addressee.recipient}\"; ange --lan för "
                   "länsstyrelsens adress", err=True)


def _send_out(year: int, lan: Lan, store_path: Path | None, fmt: str, flatten: bool, outdir: Path,
              jobs: int) -> None:
    plan = plan_send_out(store_path, year, lan)
    with click.progressbar(length=len(plan), label=f"Utskick {year}, {lan.lansstyrelse}",
                           file=sys.stderr) as bar:
        result = run_send_out(plan, outdir, fmt, flatten=flatten, on_item=lambda _row: bar.update(1), jobs=jobs)
    _report(result)


def _report(result: SendOutResult) -> None:
    prefilled = result.count("prefilled") + result.count("prefilled-errors")
    click.echo(f"Utskick {result.year} för {result.lan.lansstyrelse}: {len(result.rows)} blanketter "
               f"({prefilled} förifyllda, varav {result.count('prefilled-errors')} från redovisningar med fel; "
               f"{result.count('blank')} tomma till kommuner utan redovisning för {result.year - 1}), "
               f"{len(result.form_files)} filer i {result.outdir}")
    missing = sum(1 for row in result.rows if row.basis != "blank" and row.epost is None)
    if missing:
        click.echo(f"{missing} verksamheter saknar användbar e-postadress (se kolumnen Anmärkning)")
    for path in result.list_files:
        click.echo(f"Skrev {path}")
    for name in result.unmatched:
        click.echo(f"formgen: {name}: finns inte i kommunlistan; ingen blankett i utskicket", err=True)


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
