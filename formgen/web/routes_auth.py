"""Logging in with the shared password (only when the site was started with --password-file)."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from formgen.web.security import csrf_token, password_matches, safe_next

blueprint = Blueprint("auth", __name__)


@blueprint.route("/logga-in", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    config = current_app.config["FORMGEN"]
    target = safe_next(request.values.get("nasta"))
    if not config.login_required:
        return redirect(url_for("inbox.index"))
    if request.method == "POST":
        if password_matches(request.form.get("losenord", ""), config.password):
            session.clear()  # a new session on login: a session id planted before cannot be reused
            session["inloggad"] = True
            session.permanent = False
            csrf_token()
            return redirect(target, code=303)
        return render_template("login.html", nasta=target, fel="Fel lösenord. Försök igen."), 401
    return render_template("login.html", nasta=target, fel=None)


@blueprint.post("/logga-ut")
def logout() -> Response:
    session.clear()
    return redirect(url_for("auth.login") if current_app.config["FORMGEN"].login_required
                    else url_for("inbox.index"), code=303)
