"""Template filters: Swedish numbers, dates, statuses."""

from __future__ import annotations

from flask import Flask

from formgen.web import present
from formgen.web.record_view import anchor


def install(app: Flask) -> None:
    """Register the filters and globals the templates use."""
    app.jinja_env.filters.update(
        tal=present.number_sv,
        tid=present.datetime_short,
        tid_lang=present.datetime_long,
        status_sv=present.status_label,
        ankare=anchor,
        storlek=_size_sv,
    )
    app.jinja_env.globals.update(STATUS_LABELS=present.STATUS_LABELS, SEVERITY_LABELS=present.SEVERITY_LABELS)


def _size_sv(n: int | None) -> str:
    """A file size the Swedish way: "812 byte", "48,2 kB", "3,1 MB"."""
    if n is None:
        return "–"
    if n < 1000:
        return f"{n} byte"
    if n < 1_000_000:
        return f"{n / 1000:.1f} kB".replace(".", ",")
    return f"{n / 1_000_000:.1f} MB".replace(".", ",")
