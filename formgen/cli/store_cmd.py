"""``formgen store list|show|export``: look into the submission store."""

from __future__ import annotations

from pathlib import Path

import click

from formgen.cli.common import dump_json, fail, one_line_errors, write_atomic

_store_option = click.option("--store", "store_path", type=click.Path(path_type=Path, dir_okay=False),
                             help="SQLite-databas (standard: i användarens datakatalog).")


def _open(store_path: Path | None):  # type: ignore[no-untyped-def]
    from formgen.store import default_store_path, open_store

    path = store_path or default_store_path()
    if not path.exists():
        fail(f"{path}: databasen finns inte (kör formgen inbox först)")
    return open_store(path, readonly=True)


@click.group()
def store() -> None:
    """Visa och exportera sparade redovisningar."""


@store.command("list")
@_store_option
@click.option("--year", type=int, help="Bara detta år.")
@click.option("--all", "include_all", is_flag=True, help="Även ersatta och oläsbara inskick.")
@one_line_errors
def list_cmd(store_path: Path | None, year: int | None, include_all: bool) -> None:
    """Kommun, år, status och inläsningstid för varje sparad redovisning."""
    with _open(store_path) as opened:
        for sub in opened.list(year=year, include_superseded=include_all):
            if sub.status == "unreadable" and not include_all:
                continue
            flag = "" if sub.current else "  (ersatt)"
            click.echo(f"{sub.kommun or '–'}\t{sub.year or '–'}\t{sub.status}\t{sub.ingested_at}{flag}")


@store.command("show")
@_store_option
@click.argument("kommun")
@click.argument("year", type=int)
@one_line_errors
def show_cmd(store_path: Path | None, kommun: str, year: int) -> None:
    """Posten (JSON) för KOMMUN och YEAR."""
    with _open(store_path) as opened:
        found = opened.current(kommun, year)
        if found is None:
            fail(f"ingen sparad redovisning för {kommun} {year}")
        click.echo(dump_json(found.record_json), nl=False)


@store.command("export")
@_store_option
@click.option("--year", type=int, required=True)
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True)
@one_line_errors
def export_cmd(store_path: Path | None, year: int, fmt: str, output: Path) -> None:
    """Alla aktuella redovisningar för ett år: sammanställning (CSV/XLSX) eller poster (JSON)."""
    from formgen.summary import row_for
    from formgen.summary_csv import csv_bytes
    from formgen.summary_xlsx import xlsx_bytes

    with _open(store_path) as opened:
        subs = [s for s in opened.list(year=year) if s.status != "unreadable"]
    if fmt == "json":
        data = [{"kommun": s.kommun, "year": s.year, "status": s.status, "sha256": s.sha256, "path": s.path,
                 "ingested_at": s.ingested_at, "record": s.record_json, "findings": s.findings_json} for s in subs]
        write_atomic(output, dump_json(data))
        return
    rows = [row_for(s.path, s.record_json, s.findings_json) for s in subs]
    write_atomic(output, csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows))
