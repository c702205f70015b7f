"""``formgen report``: the year's county (``--lan``) or national report from the store as DOCX, XLSX, Markdown."""

from __future__ import annotations

from pathlib import Path

import click

from formgen.cli.common import fail, one_line_errors


@click.command("report")
@click.option("--year", type=int, required=True, help="Bidragsåret som rapporten gäller.")
@click.option("--lan", "lan_name", help="Länet (t.ex. Stockholm); utan: hela riket med en rad per län.")
@click.option("--store", "store_path", type=click.Path(path_type=Path, dir_okay=False),
              help="SQLite-databas (standard: i användarens datakatalog).")
@click.option("--format", "fmt", type=click.Choice(["docx", "xlsx", "md", "all"]), default="all", show_default=True)
@click.option("--publish", is_flag=True,
              help='Publiceringsversion: antal 1–3 visas "<4", summor med sådana värden "ca".')
@click.option("-o", "--output", "outdir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Katalog för rapportfilerna.")
@one_line_errors
def report(year: int, lan_name: str | None, store_path: Path | None, fmt: str, publish: bool, outdir: Path) -> None:
    """Läns- eller riksrapport för ett år ur databasen (som Socialstyrelsens lägesrapport)."""
    from formgen.places import UnknownLan, lan_named
    from formgen.report import NoSubmissions, build_report, write_report
    from formgen.store import default_store_path

    try:
        lan = lan_named(lan_name) if lan_name is not None else None
    except UnknownLan as exc:
        fail(str(exc))
        return
    path = store_path or default_store_path()
    if not path.exists():
        fail(f"{path}: databasen finns inte (kör formgen inbox först)")
    try:
        built = build_report(path, year, lan, publish=publish)
    except NoSubmissions as exc:
        fail(exc.reason)
        return
    for written in write_report(built, outdir, fmt):
        click.echo(str(written))
