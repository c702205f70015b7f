"""The site: a Flask app over the store, with one blueprint per page (see ``formgen serve``)."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException

from formgen.guard import Limits
from formgen.store import SQLiteStore
from formgen.web import security
from formgen.web.config import WebConfig
from formgen.web.db import close_request_store
from formgen.web.jobs import FileState, JobRunner

log = logging.getLogger("formgen.web")

ERROR_TEXTS = {
    400: ("Felaktig begäran", "Sidan fick en begäran som den inte kan hantera."),
    401: ("Inloggning krävs", "Logga in och försök igen."),
    403: ("Åtgärden nekades", "Formuläret saknade en giltig säkerhetskod (sidan kan ha varit öppen för länge). "
          "Ladda om sidan och försök igen. Ingenting har ändrats."),
    404: ("Sidan finns inte", "Adressen leder inte till någon sida eller inlämning."),
    405: ("Fel metod", "Sidan kan inte användas på det sättet."),
    413: ("För stor uppladdning", "Uppladdningen är för stor. Ladda upp färre eller mindre filer åt gången."),
    500: ("Något gick fel", "Ett internt fel inträffade. Försök igen; kvarstår felet, kontakta den som driver "
          "tjänsten."),
}


def create_app(config: WebConfig, *, start_jobs: bool = True) -> Flask:
    """The site for one store; ``start_jobs`` False leaves the upload thread to start on the first upload."""
    package = Path(__file__).parent
    app = Flask("formgen.web", template_folder=str(package / "templates"), static_folder=str(package / "static"),
                static_url_path="/static")
    app.config.update(
        FORMGEN=config,
        SECRET_KEY=config.secret_key,
        SESSION_COOKIE_NAME="formgen_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        MAX_CONTENT_LENGTH=config.max_request_bytes,
        MAX_FORM_PARTS=config.max_files * 4 + 20,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    # The store must exist (and have its schema) before the read-only connections of the requests open it.
    SQLiteStore(config.store_path).close()
    config.files_dir.mkdir(parents=True, exist_ok=True)

    runner = JobRunner(config.store_path, config.files_dir, jobs=config.jobs,
                       limits=Limits(max_file_bytes=config.max_file_bytes, timeout_seconds=config.timeout_seconds),
                       after_file=lambda f: _prerender(config, f))
    app.extensions["formgen_jobs"] = runner
    if start_jobs:
        runner.start()

    security.install(app)
    from formgen.web import routes_auth, routes_inbox, routes_next_year, routes_submission, routes_upload

    for module in (routes_auth, routes_inbox, routes_upload, routes_submission, routes_next_year):
        app.register_blueprint(module.blueprint)

    from formgen.web import filters

    filters.install(app)

    app.teardown_appcontext(close_request_store)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> tuple[str, int]:
        code = exc.code or 500
        title, text = ERROR_TEXTS.get(code, (exc.name, exc.description or ""))
        return render_template("error.html", title=title, text=text, code=code), code

    @app.errorhandler(Exception)
    def _internal_error(exc: Exception) -> tuple[str, int]:
        log.exception("internal error")
        title, text = ERROR_TEXTS[500]
        return render_template("error.html", title=title, text=text, code=500), 500

    return app


def _prerender(config: WebConfig, f: FileState) -> None:
    """Render a newly read PDF's page images on the job thread, so the Inlämning page opens at once."""
    if f.status == "unreadable" or not f.stored:
        return
    from formgen.web.blobs import blob_path
    from formgen.web.pages import render_pages

    pdf = blob_path(config.files_dir, f.sha256)
    store = SQLiteStore(config.store_path, readonly=True)
    try:
        sub = store.get_by_sha(f.sha256)
        if pdf is None or sub is None or not sub.provenance_json or (sub.source_json or {}).get("kind") != "pdf":
            return
        render_pages(config.files_dir, sub, pdf)
    except Exception:  # noqa: BLE001 - the page renders them on demand instead
        log.exception("could not render pages of %s", f.sha256)
    finally:
        store.close()
