"""Inlämning: one submission's pages with every value boxed, its findings by section, its record as a form."""

from __future__ import annotations

import json
import re

from flask import Blueprint, Response, abort, current_app, render_template, send_file

from formgen.store import StoredSubmission
from formgen.web.blobs import OCTET_STREAM, blob_path, media_type
from formgen.web.db import open_request_store
from formgen.web.downloads import attachment
from formgen.web.pages import annotated_pdf, page_image, render_pages
from formgen.web.record_view import boxes_css, build_view

blueprint = Blueprint("submission", __name__)
_SHA = re.compile(r"[0-9a-f]{64}")


def _submission(sha: str) -> StoredSubmission:
    if not _SHA.fullmatch(sha):
        abort(404)
    sub = open_request_store().get_by_sha(sha)
    if sub is None:
        abort(404)
    return sub


def _page_sizes(sub: StoredSubmission) -> dict[int, tuple[float, float]]:
    config = current_app.config["FORMGEN"]
    pdf = blob_path(config.files_dir, sub.sha256)
    if pdf is None or sub.status == "unreadable" or (sub.source_json or {}).get("kind") != "pdf":
        return {}
    return render_pages(config.files_dir, sub, pdf)


def _stem(sub: StoredSubmission) -> str:
    from formgen.names import submission_stem

    return submission_stem(sub.kommun, sub.year)


@blueprint.get("/inlamning/<sha>")
def show(sha: str) -> str:
    sub = _submission(sha)
    sizes = _page_sizes(sub)
    view = build_view(sub, sizes)
    has_original = blob_path(current_app.config["FORMGEN"].files_dir, sub.sha256) is not None
    newer, history = None, []
    if sub.kommun and sub.year is not None:
        history = open_request_store().history(sub.kommun, sub.year)
        if sub.superseded_by is not None:
            newer = open_request_store().current(sub.kommun, sub.year)
    return render_template("submission.html", sub=sub, view=view, pages=sorted(sizes), has_original=has_original,
                           newer=newer, history=history if len(history) > 1 else [])


@blueprint.get("/inlamning/<sha>/rutor.css")
def boxes(sha: str) -> Response:
    sub = _submission(sha)
    view = build_view(sub, _page_sizes(sub))
    return Response(boxes_css(view.boxes), mimetype="text/css")


@blueprint.get("/inlamning/<sha>/sida-<int:number>.png")
def page(sha: str, number: int) -> Response:
    sub = _submission(sha)
    _page_sizes(sub)
    path = page_image(current_app.config["FORMGEN"].files_dir, sub.sha256, number)
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/png", max_age=3600)


@blueprint.get("/inlamning/<sha>/post.json")
def record_json(sha: str) -> Response:
    sub = _submission(sha)
    if sub.record_json is None:
        abort(404)
    document = {"file": sub.path, "sha256": sub.sha256, "status": sub.status, "superseded": not sub.current,
                "record": sub.record_json, "source": sub.source_json, "provenance": sub.provenance_json or {},
                "findings": sub.findings_json}
    data = (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return attachment(data, f"{_stem(sub)}.json", "json")


@blueprint.get("/inlamning/<sha>/annoterad.pdf")
def annotated(sha: str) -> Response:
    sub = _submission(sha)
    pdf = blob_path(current_app.config["FORMGEN"].files_dir, sub.sha256)
    if pdf is None or sub.record_json is None or (sub.source_json or {}).get("kind") != "pdf":
        abort(404)
    return attachment(annotated_pdf(sub, pdf), f"{_stem(sub)}-annoterad.pdf", "pdf")


@blueprint.get("/inlamning/<sha>/original")
def original(sha: str) -> Response:
    sub = _submission(sha)
    path = blob_path(current_app.config["FORMGEN"].files_dir, sub.sha256)
    if path is None:
        abort(404)
    kind = media_type(path)
    response = send_file(path, mimetype=kind, as_attachment=True, download_name=sub.path.rsplit("/", 1)[-1]
                         if kind != OCTET_STREAM else f"{sub.sha256[:12]}.bin")
    return response
