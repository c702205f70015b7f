"""Reading a folder into a starting site (``formgen serve --load DIR``): each file is kept by its hash and
queued like an upload, so its pages can be shown."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from formgen.inbox import find_inputs
from formgen.web.blobs import save_stream


def load_folder(app: Flask, folder: Path) -> int:
    """Queue every file under ``folder`` (as ``formgen inbox`` finds them) as one upload job; the count."""
    config = app.config["FORMGEN"]
    paths = find_inputs(Path(folder))
    blobs = []
    for path in paths:
        with path.open("rb") as stream:
            blobs.append(save_stream(config.files_dir, stream, path.name, config.max_file_bytes))
    if blobs:
        app.extensions["formgen_jobs"].submit(blobs)
    return len(blobs)
