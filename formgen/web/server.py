"""Serving the site: waitress (a pure-Python WSGI server) on one address, the job thread stopped on exit."""

from __future__ import annotations

import errno
import logging
from collections.abc import Callable

from flask import Flask

log = logging.getLogger("formgen.web")
BIND_ERRORS = {errno.EADDRINUSE: "porten används redan", errno.EACCES: "behörighet saknas för porten",
               errno.EADDRNOTAVAIL: "adressen finns inte på den här datorn"}


class BindError(OSError):
    """The address cannot be listened on (Swedish reason)."""


def serve(app: Flask, host: str, port: int, *, threads: int = 8,
          on_ready: Callable[[str], None] | None = None) -> None:
    """Listen, call ``on_ready`` with the site's address, serve until interrupted. Requests are not logged
    (nothing a form sent can reach a log)."""
    from waitress.server import create_server

    logging.getLogger("waitress").setLevel(logging.ERROR)
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    try:
        server = create_server(app, host=host, port=port, threads=threads, ident="formgen",
                               clear_untrusted_proxy_headers=True,
                               max_request_body_size=app.config["MAX_CONTENT_LENGTH"] + 1024 * 1024)
    except OSError as exc:
        raise BindError(exc.errno, BIND_ERRORS.get(exc.errno or 0, exc.strerror or str(exc))) from None
    try:
        if on_ready is not None:
            shown = f"[{host}]" if ":" in host else host
            on_ready(f"http://{shown}:{server.effective_port}/")
        server.run()
    finally:
        server.close()
        app.extensions["formgen_jobs"].stop()
