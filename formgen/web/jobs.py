"""Upload jobs: files handed to the inbox's batch (same pipeline and worker pool as ``formgen inbox``) on a
background thread, so that no request waits for extraction; pages poll a job's per-file state.

One thread runs one batch at a time (the store has one writer); the batch itself reads files in parallel in
its supervised worker processes.  Each job's files are hard links to the kept uploads (``blobs.py``) in a
staging folder named by the job, so that the store records the name the file was sent under.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import queue
import secrets
import shutil
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formgen.guard import Limits
from formgen.inbox import Batch
from formgen.store import SQLiteStore
from formgen.web.blobs import Blob

log = logging.getLogger("formgen.web")
MAX_JOBS_KEPT = 200
STATE_LABELS = {"queued": "Väntar", "reading": "Läses", "done": "Klar"}


@dataclass
class FileState:
    """One file of an upload job as the job page shows it."""

    name: str
    sha256: str
    size: int
    state: str = "queued"  # queued → reading → done
    status: str | None = None  # ok / warnings / errors / unreadable once done
    reason: str | None = None  # the first error's Swedish message
    stored: bool = False  # False for an unreadable file the store does not keep (a timeout)
    finished_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The state as the job page's script reads it."""
        return {"name": self.name, "sha256": self.sha256, "size": self.size, "state": self.state,
                "status": self.status, "reason": self.reason, "stored": self.stored}


@dataclass
class UploadJob:
    """The files of one upload and how far they have come."""

    id: str
    created_at: str
    files: list[FileState]
    error: str | None = None
    finished: bool = False

    def to_json(self) -> dict[str, Any]:
        """The job as JSON (for polling)."""
        done = sum(f.state == "done" for f in self.files)
        return {"id": self.id, "finished": self.finished, "done": done, "total": len(self.files),
                "error": self.error, "files": [f.to_json() for f in self.files]}


@dataclass
class JobRunner:
    """Runs upload jobs one after another on a daemon thread (see the module docstring)."""

    store_path: Path
    files_dir: Path
    jobs: int = 2
    limits: Limits = field(default_factory=Limits)
    after_file: Callable[[FileState], None] | None = None  # e.g. render page images ahead of the first visit

    warm: bool = True  # start the worker pool's forkserver warm when the thread starts

    def __post_init__(self) -> None:
        self._queue: queue.Queue[UploadJob | None] = queue.Queue()
        self._after: queue.Queue[FileState | None] = queue.Queue()
        self._jobs: OrderedDict[str, UploadJob] = OrderedDict()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._after_thread: threading.Thread | None = None

    # -- the public side (request threads) -------------------------------------------------------------
    def start(self) -> None:
        """Start the background thread (idempotent)."""
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="formgen-web-jobs", daemon=True)
                self._thread.start()
            if self.after_file is not None and (self._after_thread is None or not self._after_thread.is_alive()):
                self._after_thread = threading.Thread(target=self._after_loop, name="formgen-web-pages", daemon=True)
                self._after_thread.start()

    def stop(self, timeout: float = 30) -> None:
        """Finish the job in hand and stop the thread."""
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout)
        if self._after_thread is not None:
            self._after.put(None)
            self._after_thread.join(timeout)

    def submit(self, blobs: Sequence[Blob]) -> UploadJob:
        """Queue the kept files of one upload; returns at once."""
        names: set[str] = set()
        files = []
        for blob in blobs:
            files.append(FileState(_unique_name(blob.name, names), blob.sha256, blob.size))
        job = UploadJob(secrets.token_urlsafe(9), _now(), files)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > MAX_JOBS_KEPT:
                self._jobs.popitem(last=False)
        self.start()
        self._queue.put(job)
        return job

    def snapshot(self, job_id: str) -> dict[str, Any] | None:
        """A job's state as JSON, or None for an unknown (or forgotten) job."""
        with self._lock:
            job = self._jobs.get(job_id)
            return job.to_json() if job else None

    def unstored_failures(self) -> list[tuple[str, FileState]]:
        """Files that could not be read and that the store does not keep (timeouts), newest job first."""
        with self._lock:
            return [(job.created_at, f) for job in reversed(self._jobs.values()) for f in job.files
                    if f.state == "done" and f.status == "unreadable" and not f.stored]

    def busy(self) -> bool:
        """Whether a job is queued or running."""
        with self._lock:
            return any(not job.finished for job in self._jobs.values())

    # -- the worker side (one thread) ------------------------------------------------------------------
    def _after_loop(self) -> None:
        """Work after a file is read (page images) on its own thread, so that it never delays reading."""
        assert self.after_file is not None
        while (state := self._after.get()) is not None:
            try:
                self.after_file(state)
            except Exception:  # noqa: BLE001 - the page renders on demand instead
                log.exception("after-file work failed for %s", state.sha256)

    def _loop(self) -> None:
        if self.warm:
            warm_pool()
        store = SQLiteStore(self.store_path)
        try:
            while True:
                job = self._queue.get()
                if job is None:
                    return
                try:
                    self._run(job, store)
                except Exception as exc:  # noqa: BLE001 - a failed job must not stop the site
                    log.exception("upload job %s failed", job.id)
                    with self._lock:
                        job.error = f"Inläsningen avbröts av ett internt fel ({type(exc).__name__})."
                        for f in job.files:
                            if f.state != "done":
                                f.state, f.status, f.reason = "done", "unreadable", job.error
                finally:
                    with self._lock:
                        job.finished = True
        finally:
            store.close()

    def _run(self, job: UploadJob, store: SQLiteStore) -> None:
        staging = self.files_dir / "staging" / job.id
        staging.mkdir(parents=True, exist_ok=True)
        try:
            for f in job.files:
                kept, named = self.files_dir / "blobs" / f.sha256, staging / f.name
                try:
                    os.link(kept, named)
                except OSError:  # a file system without hard links
                    shutil.copyfile(kept, named)
            with self._lock:
                for f in job.files:
                    f.state = "reading"

            def progress(_count: int) -> None:
                self._mark_stored(job, store)

            batch = Batch(staging, store, jobs=self.jobs, limits=self.limits, progress=progress)
            outcome = batch.run()
            by_name = {r.rel: r for r in outcome.results}
            with self._lock:
                for f in job.files:
                    result = by_name.get(f.name)
                    if result is None:
                        continue
                    f.state, f.status = "done", result.row.status
                    f.reason = result.row.first_error
                    f.stored = result.stored is not None
                    f.finished_at = f.finished_at or _now()
            if self.after_file is not None:
                for f in job.files:
                    self._after.put(f)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _mark_stored(self, job: UploadJob, store: SQLiteStore) -> None:
        """Mark the files the store already holds as done (called from the batch's progress callback)."""
        pending = [f for f in job.files if f.state != "done"]
        found = {f.sha256: store.get_by_sha(f.sha256) for f in pending}
        with self._lock:
            for f in pending:
                stored = found[f.sha256]
                if stored is not None:
                    f.state, f.status, f.stored, f.finished_at = "done", stored.status, True, _now()
                    errors = [x for x in stored.findings_json if x.get("severity") == "error"]
                    f.reason = errors[0]["message"] if errors else None


def warm_pool() -> None:
    """Start the worker pool's forkserver with the readers warm (formgen.web.warm_worker), unless it runs.

    The inbox pool forks its workers from multiprocessing's forkserver; started here first, with one more
    module to preload, every worker it forks afterwards inherits loaded forms and initialised readers.
    """
    import multiprocessing
    from multiprocessing import forkserver

    from formgen.inbox_pool import PRELOAD

    try:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([*PRELOAD, "formgen.inbox", "formgen.web.warm_worker"])
        forkserver.ensure_running()
    except Exception:  # noqa: BLE001 - the pool starts its own forkserver cold instead
        log.exception("could not start the worker pool warm")


def _unique_name(name: str, taken: set[str]) -> str:
    candidate, n = name, 1
    while candidate.lower() in taken:
        n += 1
        stem, dot, ext = name.rpartition(".")
        candidate = f"{stem} ({n}).{ext}" if dot else f"{name} ({n})"
    taken.add(candidate.lower())
    return candidate


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
