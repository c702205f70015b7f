"""Page images of a kept PDF submission with every value read boxed (formgen.annotate's rendering), the
annotated PDF download, and the pages' sizes for placing the page's own boxes.  Rendered once per file and
kept under ``<files>/sidor/<sha256>/``."""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path
from typing import Any

from extractors.base import Extraction, Problem, Provenance, Source
from formgen.annotate import SCALE, annotated_pages
from formgen.atomic import write_atomic
from formgen.pipeline import WARNING_PROBLEMS
from formgen.store import StoredSubmission

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock(sha: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(sha, threading.Lock())


def extraction_of(sub: StoredSubmission) -> Extraction:
    """The stored reading as an Extraction, with the findings annotate colours: errors red, uncertain OCR
    orange (a finding that names a section names each of its keys)."""
    record = sub.record()
    assert record is not None
    src = sub.source_json or {}
    source = Source(sub.path, sub.sha256, str(src.get("kind", "pdf")), str(src.get("method", "")),
                    str(src.get("form", "")), int(src.get("year") or record.year))
    provenance = {k: Provenance(p.get("page"), tuple(p["bbox"]) if p.get("bbox") else None, p.get("raw") or "",
                                p.get("confidence"), p.get("note"))
                  for k, p in (sub.provenance_json or {}).items()}
    problems = []
    for f in sub.findings_json:
        if f.get("severity") != "error" and f.get("code") not in WARNING_PROBLEMS:
            continue
        keys = tuple(k for ref in f.get("fields") or () for k in provenance if k == ref or k.startswith(ref + "."))
        problems.append(Problem(f["code"], keys, f["message"]))
    return Extraction(record, source, provenance, tuple(problems))


def page_folder(files_dir: Path, sha: str) -> Path:
    return files_dir / "sidor" / sha


def render_pages(files_dir: Path, sub: StoredSubmission, pdf: Path) -> dict[int, tuple[float, float]]:
    """Render (once) every page of a kept PDF with its values boxed; returns page → (width, height) in points."""
    folder = page_folder(files_dir, sub.sha256)
    sizes_file = folder / "sizes.json"
    with _lock(sub.sha256):
        if sizes_file.exists():
            return {int(k): tuple(v) for k, v in json.loads(sizes_file.read_text()).items()}  # type: ignore[misc]
        images = annotated_pages(pdf, extraction_of(sub))
        sizes: dict[int, Any] = {}
        for number, image in enumerate(images, start=1):
            buffer = io.BytesIO()
            image.save(buffer, format="PNG")
            write_atomic(folder / f"{number}.png", buffer.getvalue())
            sizes[number] = (image.width / SCALE, image.height / SCALE)
        write_atomic(sizes_file, json.dumps(sizes).encode())
        return sizes


def page_image(files_dir: Path, sha: str, number: int) -> Path | None:
    """A rendered page's PNG, if rendered."""
    path = page_folder(files_dir, sha) / f"{number}.png"
    return path if path.is_file() else None


def annotated_pdf(sub: StoredSubmission, pdf: Path) -> bytes:
    """The annotated pages as one PDF (what ``formgen extract --annotate OUT.pdf`` writes)."""
    from formgen.annotate import write_annotated

    return write_annotated(pdf, extraction_of(sub), Path("annoterad.pdf"))
