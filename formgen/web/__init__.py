"""The web site (``formgen serve``): Inkorg, Ladda upp, Inlämning and Nästa års blankett over the store."""

from formgen.web.config import WebConfig

__all__ = ["WebConfig", "create_app"]


def create_app(config: WebConfig, **options: object):  # type: ignore[no-untyped-def]
    """The Flask app of the site (see :func:`formgen.web.app.create_app`)."""
    from formgen.web.app import create_app as build

    return build(config, **options)  # type: ignore[arg-type]
