"""Reading inbox files in a small supervised pool of warm worker processes (see formgen.inbox's docstring).

Each worker calls ``extract(path, sandbox=False)`` under an address-space cap; the parent holds a deadline
per file, kills and replaces a worker that overruns it, and recycles workers after MAX_TASKS_PER_WORKER
files. A hung or crashing file costs only its own row.
"""

from __future__ import annotations

import multiprocessing
import resource
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from formgen.errors import InputError
from formgen.guard import Limits
from formgen.read_options import ReadOptions

MAX_TASKS_PER_WORKER = 100
PRELOAD = ("extractors.registry", "extractors.pdf_text", "formgen.guard", "formgen.sandbox", "pypdf",
           "pypdfium2", "docx", "lxml.etree")

Extractor = Callable[[str, Limits], dict[str, Any]]



def extract_inline(path: str, limits: Limits, forms: Path | None = None) -> dict[str, Any]:
    """Default worker reader: extract in the (already isolated) worker process, by the form versions under
    ``forms`` (None: those shipped with formgen)."""
    from extractors.registry import extract

    return extract(path, limits=limits, sandbox=False, options=ReadOptions(forms=forms)).to_json()


def _cap_memory(memory_bytes: int) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _worker_main(conn: Connection, limits: Limits, reader: Extractor, cap_memory: bool) -> None:
    """Worker loop: receive (index, path), send back ("ok", index, extraction JSON) or an error tuple."""
    import logging

    for name in ("pypdf", "pdfminer", "PIL"):  # damaged files are reported as rows, not as log lines
        logging.getLogger(name).setLevel(logging.CRITICAL)
    if cap_memory:
        _cap_memory(limits.memory_bytes)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        index, path = task
        try:
            message: tuple[Any, ...] = ("ok", index, reader(path, limits))
        except InputError as exc:
            message = ("input-error", index, exc.code, exc.reason)
        except MemoryError:
            message = ("input-error", index, "too-much-memory",
                       f"Inläsningen krävde mer än {limits.memory_bytes // 2**20} MB minne och avbröts.")
        except BaseException as exc:  # noqa: BLE001 - a parser's SystemExit is a failed file too
            message = ("input-error", index, "damaged-file",
                       f"Filen kunde inte läsas; den verkar trasig ({type(exc).__name__}).")
        try:
            conn.send(message)
        except (OSError, ValueError):
            return


@dataclass
class _Worker:
    proc: Any
    conn: Connection
    task: tuple[int, str] | None = None
    deadline: float = 0.0
    done: int = 0


def _context() -> Any:
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([*PRELOAD, "formgen.inbox"])
    return ctx


def _spawn(ctx: Any, limits: Limits, reader: Extractor, cap_memory: bool) -> _Worker:
    parent, child = ctx.Pipe(duplex=True)
    proc = ctx.Process(target=_worker_main, args=(child, limits, reader, cap_memory), name="formgen-inbox-worker")
    proc.start()
    child.close()
    return _Worker(proc, parent)


def _stop(worker: _Worker, *, kill: bool = False) -> None:
    try:
        if kill:
            worker.proc.kill()
        else:
            worker.conn.send(None)
    except (OSError, ValueError):
        worker.proc.kill()
    worker.proc.join(2 if not kill else None)
    if worker.proc.is_alive():
        worker.proc.kill()
        worker.proc.join()
    worker.conn.close()


def _timeout_reason(limits: Limits) -> str:
    seconds = limits.timeout_seconds
    return f"Inläsningen tog mer än {seconds:g} {'sekund' if seconds == 1 else 'sekunder'} och avbröts."


def read_in_pool(tasks: Sequence[tuple[int, str]], *, jobs: int, limits: Limits,
                 reader: Extractor = extract_inline, cap_memory: bool = True) -> Iterator[tuple[Any, ...]]:
    """Read files in supervised workers; yield ("ok", index, json) or ("input-error", index, code, reason).

    Results come in completion order.  A file running past ``limits.timeout_seconds`` yields code
    "timeout" and its worker is replaced; a worker dying mid-file yields code "parser-crashed".
    """
    queue = deque(tasks)
    if not queue:
        return
    ctx = _context()
    workers: list[_Worker] = []
    try:
        workers = [_spawn(ctx, limits, reader, cap_memory) for _ in range(max(1, min(jobs, len(queue))))]
        while True:
            for i, w in enumerate(workers):
                if w.task is None and queue:
                    if w.done >= MAX_TASKS_PER_WORKER:
                        _stop(w)
                        w = workers[i] = _spawn(ctx, limits, reader, cap_memory)
                    w.task = queue.popleft()
                    w.deadline = time.monotonic() + limits.timeout_seconds
                    w.conn.send(w.task)
            busy = [w for w in workers if w.task is not None]
            if not busy:
                return
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            wait([w.conn for w in busy] + [w.proc.sentinel for w in busy], timeout)
            now = time.monotonic()
            for i, w in enumerate(workers):
                if w.task is None:
                    continue
                index = w.task[0]
                message: tuple[Any, ...] | None = None
                try:
                    if w.conn.poll():
                        message = w.conn.recv()
                except (EOFError, OSError):
                    message = None
                if message is not None:
                    w.task, w.done = None, w.done + 1
                    yield message
                elif not w.proc.is_alive():
                    code = w.proc.exitcode
                    _stop(w, kill=True)
                    workers[i] = _spawn(ctx, limits, reader, cap_memory)
                    yield ("input-error", index, "parser-crashed",
                           f"Programmet som läser filen kraschade (slutkod {code}); filen är troligen trasig.")
                elif now >= w.deadline:
                    _stop(w, kill=True)
                    workers[i] = _spawn(ctx, limits, reader, cap_memory)
                    yield ("input-error", index, "timeout", _timeout_reason(limits))
    finally:
        for w in workers:
            _stop(w, kill=w.task is not None)


