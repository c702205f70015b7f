"""The inbox batch: every submission under a directory → store, per-submission reports, summary CSV/XLSX.

Design (measured, see ``benchmarks/bench_inbox.py``):

* The parent process walks the inbox, hashes every file (sha256) and asks the store which hashes it
  already holds; only new files are read.  It is the only writer of the store and commits one
  transaction per file, in inbox order (a small reorder buffer), so reruns and supersession are
  deterministic and a killed run leaves whole rows behind.
* Reading runs in a small supervised pool of warm worker processes (forked from a multiprocessing
  forkserver with the parsers preloaded), each calling ``extract(path, sandbox=False)``: one worker per
  core by default, each under an address-space cap.  The parent holds a deadline per file; a file that
  overruns it has its worker SIGKILLed and replaced, and becomes an "unreadable" row with code
  ``timeout``.  A worker that dies (crash, OOM kill) costs only its current file ("parser-crashed").
  Workers are recycled after ``MAX_TASKS_PER_WORKER`` files so leaks cannot pile up.
  Compared with ``extract(sandbox=True)`` (a fresh child per file) this saves the per-file fork and
  import cost, while keeping the hang and crash containment.
* Validation runs in the parent after each extraction, with last year's stored record of the same
  kommun as ``previous``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from formgen import __version__
from formgen.errors import FormgenError
from formgen.findings import Finding
from formgen.guard import Limits, sha256_file
from formgen.inbox_files import InboxError, find_inputs
from formgen.inbox_pool import Extractor, extract_inline, read_in_pool
from formgen.inbox_reports import report_text, write_outputs
from formgen.inbox_results import FileResult, InboxResult
from formgen.pipeline import problem_findings
from formgen.record import Record, record_from_json
from formgen.store import NewSubmission, Store, StoredSubmission
from formgen.summary import row_for, status_of

__all__ = ["Batch", "FileResult", "InboxError", "InboxResult", "extract_inline", "find_inputs", "report_text",
           "run_inbox", "write_outputs"]

Validator = Callable[..., list[Finding]]


def _error_json(code: str, message: str) -> dict[str, Any]:
    return {"code": code, "severity": "error", "fields": [], "message": message}


def _default_validator() -> Validator:
    from formgen.validate import validate

    return validate


def _previous(store: Store, record: Record) -> Record | None:
    kommun = record.kommun
    if kommun is None:
        return None
    found = store.current(kommun, record.year - 1)
    try:
        return found.record() if found else None
    except FormgenError:
        return None


class Batch:
    """One run over an inbox; call :meth:`run`."""

    def __init__(self, root: Path, store: Store, *, out: Path | None = None, jobs: int | None = None,
                 limits: Limits | None = None, validator: Validator | None = None,
                 reader: Extractor = extract_inline, exclude: Sequence[Path] = (),
                 progress: Callable[[int], None] | None = None, csv_dialect: str = "excel-sv",
                 forms: Path | None = None) -> None:
        self.root = Path(root)
        self.forms = forms  # the forms root the files are read by (None: the versions shipped with formgen)
        self.csv_dialect = csv_dialect
        self.store = store
        self.out = Path(out) if out else None
        self.jobs = jobs or os.cpu_count() or 1
        self.limits = limits or Limits()
        self.validator = validator or _default_validator()
        self.reader = functools.partial(reader, forms=forms) if forms is not None and reader is extract_inline \
            else reader
        self.exclude = [*exclude, *([self.out] if self.out else [])]
        self.progress = progress or (lambda n: None)

    # -- per file ------------------------------------------------------------------------------------
    def _unreadable(self, path: Path, rel: str, sha: str | None, code: str, reason: str) -> FileResult:
        findings = [_error_json(code, reason)]
        stored = None
        if sha is not None and code != "timeout":  # a timeout may be the machine's fault: try again next run
            stored = self.store.add(NewSubmission(sha, rel, None, None, None, None, findings, "unreadable",
                                                  __version__))
        return FileResult(path, rel, sha, row_for(rel, None, findings, unreadable=True), stored=stored)

    def _from_store(self, path: Path, rel: str, stored: StoredSubmission) -> FileResult:
        unreadable = stored.status == "unreadable"
        row = row_for(rel, stored.record_json, stored.findings_json, unreadable=unreadable)
        payload = None if unreadable else {
            "record": stored.record_json, "source": stored.source_json, "provenance": stored.provenance_json or {},
            "findings": stored.findings_json,
        }
        return FileResult(path, rel, stored.sha256, row, cached=True, stored=stored, payload=payload)

    def _ingest(self, path: Path, rel: str, sha: str, extraction: dict[str, Any]) -> FileResult:
        try:
            record = record_from_json(extraction["record"], root=self.forms)
        except FormgenError as exc:
            return self._unreadable(path, rel, sha, "invalid-record", f"Posten följer inte blanketten: {exc.reason}")
        findings = problem_findings(extraction.get("problems", []))
        try:
            findings += self.validator(record, previous=_previous(self.store, record))
        except Exception as exc:  # noqa: BLE001 - one file's validation failure must not stop the batch
            findings.append(Finding("validation-failed", "error", (),
                                    f"Granskningen kunde inte göras ({type(exc).__name__}: {exc})."))
        findings_json = [f.to_json() for f in findings]
        record_json = record.to_json()
        source = dict(extraction.get("source") or {})
        source["path"] = rel
        stored = self.store.add(NewSubmission(
            sha256=sha, path=rel, kommun=record.kommun, year=record.year, form_version=str(record.form.version),
            record_json=record_json, findings_json=findings_json, status=status_of(findings),
            tool_version=__version__, source_json=source, provenance_json=extraction.get("provenance") or {},
        ))
        payload = {"record": record_json, "source": source, "provenance": extraction.get("provenance") or {},
                   "findings": findings_json}
        return FileResult(path, rel, sha, row_for(rel, record_json, findings_json), stored=stored, payload=payload)

    # -- the run -------------------------------------------------------------------------------------
    def run(self) -> InboxResult:
        """Read, validate, store and summarise every inbox file; write outputs when ``out`` is set."""
        paths = find_inputs(self.root, exclude=self.exclude)
        results: list[FileResult | None] = [None] * len(paths)
        rels = [p.relative_to(self.root).as_posix() for p in paths]
        hashes: list[str | None] = []
        tasks: list[tuple[int, str]] = []
        for i, path in enumerate(paths):
            try:
                hashes.append(sha256_file(path))
            except OSError as exc:
                hashes.append(None)
                results[i] = self._unreadable(path, rels[i], None, "unreadable",
                                              f"Filen kan inte läsas ({exc.strerror}).")
                continue
            stored = self.store.get_by_sha(hashes[i])  # type: ignore[arg-type]
            if stored is not None and (stored.status != "unreadable" or stored.tool_version == __version__):
                results[i] = self._from_store(path, rels[i], stored)
            else:
                tasks.append((i, str(path)))
        done = sum(r is not None for r in results)
        self.progress(done)
        pending: dict[int, tuple[Any, ...]] = {}
        order = iter([i for i, _ in tasks])
        next_index = next(order, None)
        for message in read_in_pool(tasks, jobs=self.jobs, limits=self.limits, reader=self.reader):
            pending[message[1]] = message
            while next_index is not None and next_index in pending:  # commit in inbox order
                msg = pending.pop(next_index)
                i, sha = next_index, hashes[next_index]
                assert sha is not None
                if msg[0] == "ok":
                    results[i] = self._ingest(paths[i], rels[i], sha, msg[2])
                else:
                    results[i] = self._unreadable(paths[i], rels[i], sha, msg[2], msg[3])
                self.progress(1)
                next_index = next(order, None)
        final = [r for r in results if r is not None]
        outcome = InboxResult(final)
        if self.out is not None:
            outcome.outputs = write_outputs(self.out, final, self.store, csv_dialect=self.csv_dialect)
        return outcome


def run_inbox(root: Path, store: Store, **options: Any) -> InboxResult:
    """Run one batch over ``root`` (see :class:`Batch` for the options)."""
    return Batch(root, store, **options).run()
