"""The request's connection to the store: read-only, opened on first use, closed when the request ends."""

from __future__ import annotations

from flask import current_app, g

from formgen.store import SQLiteStore, Store


def open_request_store() -> Store:
    """This request's read-only connection to the store."""
    if "store" not in g:
        g.store = SQLiteStore(current_app.config["FORMGEN"].store_path, readonly=True)
    return g.store


def close_request_store(_exc: BaseException | None = None) -> None:
    """Close the request's connection, if one was opened."""
    store = g.pop("store", None)
    if store is not None:
        store.close()
