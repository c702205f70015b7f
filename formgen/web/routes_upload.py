"""Ladda upp: a plain multipart form; each file is kept by its hash and queued for the inbox's pipeline.
The job page shows each file's progress (polled by a few lines of script, or reloaded by hand)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, jsonify, redirect, render_template, request, url_for

from formgen.web.blobs import save_stream

blueprint = Blueprint("upload", __name__)


def _wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "formgen" or request.accept_mimetypes.best == "application/json"


@blueprint.get("/ladda-upp")
def form() -> str:
    config = current_app.config["FORMGEN"]
    return render_template("upload.html", settings=config, fel=None)


@blueprint.post("/ladda-upp")
def receive() -> Response | tuple[str, int] | tuple[Response, int]:
    config = current_app.config["FORMGEN"]
    files = [f for f in request.files.getlist("filer") if f and (f.filename or f.content_length)]
    problem = None
    if not files:
        problem = "Välj minst en fil att ladda upp."
    elif len(files) > config.max_files:
        problem = (f"Du valde {len(files)} filer. Ladda upp högst {config.max_files} filer åt gången; "
                   "ingen fil togs emot.")
    if problem:
        if _wants_json():
            return jsonify({"fel": problem}), 400
        return render_template("upload.html", settings=config, fel=problem), 400
    blobs = [save_stream(config.files_dir, f.stream, f.filename, config.max_file_bytes) for f in files]
    job = current_app.extensions["formgen_jobs"].submit(blobs)
    target = url_for("upload.job", job_id=job.id)
    if _wants_json():
        return jsonify({"jobb": job.id, "adress": target}), 202
    return redirect(target, code=303)


@blueprint.get("/jobb/<job_id>")
def job(job_id: str) -> str:
    state = current_app.extensions["formgen_jobs"].snapshot(job_id)
    if state is None:
        abort(404)
    return render_template("job.html", job=state)


@blueprint.get("/jobb/<job_id>.json")
def job_json(job_id: str) -> Response:
    state = current_app.extensions["formgen_jobs"].snapshot(job_id)
    if state is None:
        abort(404)
    for f in state["files"]:
        f["adress"] = url_for("submission.show", sha=f["sha256"]) if f["stored"] else None
    return jsonify(state)
