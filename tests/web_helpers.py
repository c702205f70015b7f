"""Helpers for the web tests: a site on a temporary store, the anti-forgery token, waiting for an upload."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path
from typing import Any

from formgen import __version__
from formgen.store import NewSubmission, SQLiteStore

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def token(client: Any, path: str = "/ladda-upp") -> str:
    """The session's anti-forgery token, read from a page's form."""
    html = client.get(path).get_data(as_text=True)
    found = CSRF_RE.search(html)
    assert found, f"no CSRF field on {path}"
    return found.group(1)


def upload(client: Any, files: list[tuple[bytes, str]], *, csrf: str | None = None) -> Any:
    """POST files to Ladda upp (with this session's token unless ``csrf`` is given)."""
    data: dict[str, Any] = {"csrf_token": token(client) if csrf is None else csrf,
                            "filer": [(io.BytesIO(content), name) for content, name in files]}
    return client.post("/ladda-upp", data=data, content_type="multipart/form-data")


def wait_for_job(client: Any, location: str, timeout: float = 120) -> dict[str, Any]:
    """Poll a job's JSON until every file is done."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get(location + ".json").get_json()
        if state["finished"]:
            return state
        time.sleep(0.1)
    raise AssertionError(f"upload job {location} did not finish in {timeout} s")


def add_rows(store_path: Path, rows: list[dict[str, Any]]) -> None:
    """Put submissions straight into a store (no extraction): kommun, year, status, findings."""
    with SQLiteStore(store_path) as store:
        for i, row in enumerate(rows):
            findings = row.get("findings", [])
            record = (None if row["status"] == "unreadable"
                      else {"ar": row["year"], "kontakt": {"kommun": row["kommun"]}})
            store.add(NewSubmission(
                sha256=f"{i:064x}", path=row.get("path", f"fil-{i}.pdf"), kommun=row.get("kommun"),
                year=row.get("year"), form_version="2020" if record else None, record_json=record,
                findings_json=findings, status=row["status"], tool_version=__version__,
                source_json={"kind": "pdf", "method": "text", "form": "redovisning", "year": row.get("year")},
                provenance_json={}))
