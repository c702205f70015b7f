"""Imported once by the worker pool's forkserver when the site starts (see ``jobs.warm_pool``): importing it
loads every reader module and form version and reads one generated blank form, so that each worker forked
for an upload starts warm (a single-file upload then costs one warm extraction, not a cold start).

Importing this module has that side effect on purpose; nothing else imports it.
"""

from __future__ import annotations

import importlib
import pkgutil
import tempfile
from pathlib import Path


def warm() -> None:
    """Import the readers, load the forms, read one blank printed form (best effort: errors are ignored)."""
    import extractors

    for info in pkgutil.iter_modules(extractors.__path__):
        if not info.name.startswith("ocr"):
            importlib.import_module(f"extractors.{info.name}")
    from formgen.spec import form_versions, load_form

    versions = form_versions()
    for version in versions:
        load_form(version)
    try:
        from extractors.registry import extract
        from formgen.generate import render_pdf
        from formgen.record import blank_record

        form = load_form(max(versions))
        record = blank_record(max(versions), form).replace({form.identity.kommun_key: "Exempelkommun"})
        with tempfile.TemporaryDirectory(prefix="formgen-warm-") as folder:
            path = Path(folder) / "tom.pdf"
            path.write_bytes(render_pdf(record, flatten=True))
            extract(path, sandbox=False)
    except Exception:  # noqa: BLE001, S110 - warming is an optimisation; a failure only costs speed
        pass


warm()
