"""Sessions, login, the anti-forgery token and the response headers every page gets."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
import time
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, g, redirect, request, session, url_for

CSRF_FIELD = "csrf_token"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
OPEN_ENDPOINTS = frozenset({"auth.login", "static"})


class PasswordFileError(ValueError):
    """The password file cannot be used (Swedish message)."""


def read_password_file(path: Path) -> str:
    """The shared password: the first line of the file, without its line break; refused when empty."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise PasswordFileError(f"{path}: lösenordsfilen kan inte läsas ({reason})") from None
    first = text.splitlines()[0] if text else ""
    if not first.strip():
        raise PasswordFileError(f"{path}: lösenordsfilens första rad är tom")
    return first


def is_loopback(host: str) -> bool:
    """Whether a host name or address only listens on this machine (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _host_name(host: str) -> str:
    """The name or address of a Host header, without its port ("[::1]:8000" → "::1")."""
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def password_matches(given: str, expected: str) -> bool:
    """Compare in constant time (digests of equal length, so the length does not leak either)."""
    return hmac.compare_digest(hashlib.sha256(given.encode("utf-8")).digest(),
                               hashlib.sha256(expected.encode("utf-8")).digest())


def csrf_token() -> str:
    """This session's anti-forgery token (made on first use)."""
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return token


def _check_csrf() -> None:
    expected = session.get(CSRF_FIELD)
    given = request.form.get(CSRF_FIELD) if request.mimetype in (
        "application/x-www-form-urlencoded", "multipart/form-data") else None
    if not isinstance(expected, str) or not isinstance(given, str) or not hmac.compare_digest(expected, given):
        abort(403)


def safe_next(target: str | None) -> str:
    """A local path to go back to after logging in (never another site)."""
    if not target:
        return url_for("inbox.index")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return url_for("inbox.index")
    return target


def install(app: Flask) -> None:
    """Register the login gate, the CSRF check and the headers on the app."""

    @app.before_request
    def _gate() -> Response | None:
        g.started = (time.perf_counter(), time.thread_time())
        config = current_app.config["FORMGEN"]
        if not config.login_required and not is_loopback(_host_name(request.host)):
            # Without login the site answers only to loopback names: a page elsewhere that points its own
            # name at 127.0.0.1 (DNS rebinding) gets nothing.
            abort(400)
        if request.method == "POST":
            # Checked before anything else reads the form or the store: a forged POST changes nothing.
            _check_csrf()
        if config.login_required and request.endpoint not in OPEN_ENDPOINTS and not session.get("inloggad"):
            if request.method != "GET" or request.path.endswith(".json"):
                abort(401)
            return redirect(url_for("auth.login", nasta=request.full_path.rstrip("?")))
        return None

    @app.after_request
    def _headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if "started" in g:  # the server's own time, for benchmarks and the browser's network panel
            wall, cpu = time.perf_counter() - g.started[0], time.thread_time() - g.started[1]
            response.headers["Server-Timing"] = f"app;dur={wall * 1000:.1f}, cpu;dur={cpu * 1000:.1f}"
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["CSRF_FIELD"] = CSRF_FIELD
