"""``formgen serve``: the web site over the store, on 127.0.0.1 unless a password file guards it."""

from __future__ import annotations

from pathlib import Path

import click

from formgen.cli.common import fail, one_line_errors


@click.command()
@click.option("--store", "store_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Lagrets fil (standard: användarens datakatalog).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adress att lyssna på.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port.")
@click.option("--password-file", type=click.Path(dir_okay=False, path_type=Path),
              help="Fil vars första rad är det gemensamma lösenordet (krävs på andra adresser än 127.0.0.1).")
@click.option("--files", "files_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Katalog för uppladdade filer (standard: bredvid lagret).")
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="Antal processer som läser filer.")
@click.option("--load", "load_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Läs in filerna i katalogen när webbplatsen startar, som en uppladdning.")
@one_line_errors
def serve(store_path: Path | None, host: str, port: int, password_file: Path | None, files_dir: Path | None,
          jobs: int | None, load_dir: Path | None) -> None:
    """Starta webbplatsen: inkorg, uppladdning, granskning och nästa års blankett."""
    import os

    from formgen.store import default_store_path
    from formgen.web.config import WebConfig
    from formgen.web.security import PasswordFileError, is_loopback, read_password_file

    password = None
    if password_file is not None:
        try:
            password = read_password_file(password_file)
        except PasswordFileError as exc:
            fail(str(exc))
    elif not is_loopback(host):
        fail(f"vägrar att lyssna på {host} utan inloggning: ange --password-file med det gemensamma lösenordet "
             "(eller lyssna på 127.0.0.1)")
    store = Path(store_path) if store_path else default_store_path()
    config = WebConfig(store_path=store, files_dir=files_dir or WebConfig.files_dir_for(store), password=password,
                       jobs=jobs or min(2, os.cpu_count() or 1))
    from formgen.web.app import create_app
    from formgen.web.server import BindError
    from formgen.web.server import serve as run

    app = create_app(config)
    if load_dir is not None:
        from formgen.web.loading import load_folder

        count = load_folder(app, load_dir)
        click.echo(f"formgen: läser in {count} filer från {load_dir}")
    def ready(address: str) -> None:
        click.echo(f"formgen: webbplatsen finns på {address} (lager: {store}). Avsluta med Ctrl+C.")

    try:
        run(app, host, port, on_ready=ready)
    except BindError as exc:
        fail(f"kan inte lyssna på {host}:{port} ({exc.strerror})")
    except KeyboardInterrupt:
        click.echo("formgen: webbplatsen har stängts.")
