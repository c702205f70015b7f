"""``formgen inbox DIR``: read, validate and store every submission in a directory; write summaries."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from formgen.cli.common import EXIT_UNUSABLE, dump_json, fail, one_line_errors


@click.command()
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path, file_okay=True))
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), default=Path("formgen-ut"),
              show_default=True, help="Katalog för rapporter och sammanställningar.")
@click.option("--store", "store_path", type=click.Path(path_type=Path, dir_okay=False),
              help="SQLite-databas (standard: i användarens datakatalog).")
@click.option("--jobs", type=click.IntRange(min=1), help="Antal parallella läsare (standard: en per kärna).")
@click.option("--timeout", type=click.FloatRange(min=0.1), help="Längsta lästid per fil i sekunder.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--csv-dialect", type=click.Choice(["excel-sv", "machine"]), default="excel-sv", show_default=True,
              help="summary.csv för svenskt Excel (semikolon, decimalkomma, svenska rubriker) eller för skript "
                   "(komma, decimalpunkt, engelska nycklar).")
@one_line_errors
def inbox(directory: Path, out: Path, store_path: Path | None, jobs: int | None, timeout: float | None,
          fmt: str, csv_dialect: str) -> None:
    """Läs alla redovisningar i DIR (PDF, DOCX, JSON), granska, spara och sammanställ dem."""
    import dataclasses

    from formgen.guard import Limits
    from formgen.inbox import InboxError, run_inbox
    from formgen.store import open_store

    limits = Limits()
    if timeout is not None:
        limits = dataclasses.replace(limits, timeout_seconds=timeout)
    if not directory.is_dir():
        fail(f"{directory}: katalogen finns inte eller är ingen katalog")
    with open_store(store_path) as store:
        db = getattr(store, "path", None)  # never read our own database if it lives in the inbox
        exclude = [db.with_name(db.name + s) for s in ("", "-wal", "-shm", "-journal")] if db else []
        tty = sys.stderr.isatty()
        try:
            if tty:
                from formgen.inbox import find_inputs

                total = len(find_inputs(directory, exclude=[out, *exclude]))
                with click.progressbar(length=total, label="Läser", file=sys.stderr) as bar:
                    result = run_inbox(directory, store, out=out, jobs=jobs, limits=limits, exclude=exclude,
                                       progress=bar.update, csv_dialect=csv_dialect)
            else:
                result = run_inbox(directory, store, out=out, jobs=jobs, limits=limits, exclude=exclude,
                                   csv_dialect=csv_dialect)
        except InboxError as exc:
            click.echo(f"formgen: {exc.reason}", err=True)
            sys.exit(EXIT_UNUSABLE)
        except KeyboardInterrupt:
            click.echo("formgen: avbrutet; redan lästa filer är sparade, kör igen för resten", err=True)
            sys.exit(130)
    if fmt == "json":
        click.echo(dump_json({"out": str(out), "files": [r.to_json() for r in result.rows],
                              "exit_code": result.exit_code}), nl=False)
    else:
        from formgen.summary import summary_layout

        layout = summary_layout()
        width = max(len(layout.status(s)) for s in ("ok", "warnings", "errors", "unreadable"))
        for row in result.rows:
            detail = f"  {row.first_error}" if row.first_error else ""
            click.echo(f"{layout.status(row.status):<{width}}  {row.file}{detail}")
        counts = {s: sum(r.status == s for r in result.rows) for s in ("ok", "warnings", "errors", "unreadable")}
        click.echo(f"{len(result.rows)} filer: {counts['ok']} godkända, {counts['warnings']} med varningar, "
                   f"{counts['errors']} med fel, {counts['unreadable']} oläsbara. Resultat i {out}")
    sys.exit(result.exit_code)
