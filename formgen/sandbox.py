"""Run one parser call in a throw-away child process with a wall-clock timeout and a memory cap.

Design: every :func:`run_limited` call forks a fresh child from a multiprocessing *forkserver*
(started once, with pypdf, pypdfium2, python-docx and lxml imported in it), so

* the child starts single-threaded from a clean server, never from the caller's (possibly threaded,
  PDFium-initialised) process, which is what makes plain ``fork`` risky;
* each file gets its own address-space limit (``RLIMIT_AS``) and its own heap: nothing a hostile file
  leaves behind (leaks, fragmentation, a corrupted parser state) can affect the next submission;
* a timeout is handled by SIGKILL on that one child; there is no pool to repair.

Measured on the development machine (2 cores): ~11 ms per call (fork from the server, pickle,
pipe, reap), plus ~0.2 s once for starting the server; without the preload each child re-imports
pypdf and costs ~110 ms; ``spawn`` costs ~60 ms per call before any import, plain ``fork`` ~5 ms.
A reused warm worker would save the ~11 ms but carry heap, leaks and parser state across files.
``func`` must be importable (module top level) and the main module import-safe, as usual for
multiprocessing.  While waiting, the parent samples the child's VmPeak every 50 ms: PDFium aborts
(SIGABRT) when malloc fails under RLIMIT_AS, so a death by signal after using half the cap counts as
"too-much-memory" rather than "parser-crashed"; an unexplained SIGKILL is taken as the OOM killer.

The sandbox contains hangs, memory exhaustion and crashes.  It is not a security boundary against
code execution: the child runs as the same user and its result is unpickled by the parent.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from formgen.errors import InputError
from formgen.guard import Limits

T = TypeVar("T")

METHOD = "forkserver"
DEFAULT_PRELOAD: tuple[str, ...] = (
    "formgen.errors", "formgen.guard", "pypdf", "pypdfium2", "docx", "lxml.etree",
)
_state = {"configured": False}
_SAMPLE_SECONDS = 0.05  # how often a running child's VmPeak is read
_PRESSURE = 0.5  # a child dying by signal after using this share of its cap counts as out of memory


def warm_up(preload: Sequence[str] = DEFAULT_PRELOAD) -> None:
    """Start the fork server now, importing ``preload`` once in it (missing modules are skipped)."""
    ctx = multiprocessing.get_context(METHOD)
    if not _state["configured"]:
        ctx.set_forkserver_preload(list(preload))
        _state["configured"] = True
    from multiprocessing import forkserver

    forkserver.ensure_running()


def _memory_error(path: str, limits: Limits) -> InputError:
    return InputError(path, f"Inläsningen krävde mer än {limits.memory_bytes // 2**20} MB minne och "
                      "avbröts; filen är för stor eller trasig.", code="too-much-memory")


def _other_error(path: str, exc: BaseException | str) -> InputError:
    name = exc if isinstance(exc, str) else type(exc).__name__
    return InputError(path, f"Filen kunde inte läsas; den verkar trasig ({name}).", code="damaged-file")


def _cap_address_space(memory_bytes: int) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def _child(conn: Connection, memory_bytes: int, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
    """Child body: cap memory, run, send one tagged message; never let a traceback escape."""
    try:
        try:
            conn.send(("started",))
            _cap_address_space(memory_bytes)
            conn.send(("ok", func(*args)))
        except InputError as exc:
            conn.send(("input-error", str(exc.path), exc.reason, exc.code))
        except MemoryError:
            conn.send(("memory",))
        except BaseException as exc:  # noqa: BLE001 - SystemExit from a parser is a failure too
            conn.send(("error", type(exc).__name__))
    except BaseException:  # cannot even report: exit non-zero, the parent maps it
        os._exit(70)
    finally:
        conn.close()


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _vm_peak(pid: int | None) -> int:
    """The child's peak address-space size in bytes from /proc (0 if unknown)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _receive(receiver: Connection, deadline: float, path: str, limits: Limits,
             pid: int | None, peak: list[int]) -> tuple[Any, ...] | None:
    """Next message from the child, None if it died; samples its VmPeak; InputError "timeout" at the deadline."""
    while not receiver.poll(min(_SAMPLE_SECONDS, max(0.0, deadline - time.monotonic()))):
        peak[0] = max(peak[0], _vm_peak(pid))
        if time.monotonic() < deadline:
            continue
        seconds = limits.timeout_seconds
        unit = "sekund" if seconds == 1 else "sekunder"
        raise InputError(path, f"Inläsningen tog mer än {seconds:g} {unit} och avbröts.", code="timeout")
    try:
        return receiver.recv()
    except (EOFError, OSError):
        return None


def run_limited(func: Callable[..., T], *args: Any, limits: Limits, path: str) -> T:
    """Run ``func(*args)`` in a fresh child under ``limits``; map every failure to InputError."""
    path = str(path)
    if not _state["configured"]:
        warm_up()
    ctx = multiprocessing.get_context(METHOD)
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(sender, limits.memory_bytes, func, args),
                       name=f"formgen-sandbox:{os.path.basename(path)}", daemon=True)
    try:
        proc.start()
        sender.close()
        deadline = time.monotonic() + limits.timeout_seconds
        peak = [0]
        started = _receive(receiver, deadline, path, limits, proc.pid, peak)
        if started is None:
            proc.join(5)
            raise RuntimeError(f"sandbox child died before running {func!r} (exit code {proc.exitcode}); "
                               "is it importable by module and name, and the main module import-safe?")
        message = _receive(receiver, deadline, path, limits, proc.pid, peak)
        proc.join(5)
    finally:
        sender.close()
        receiver.close()
        if proc.is_alive():
            proc.kill()
            proc.join()
    if message is None:
        code = proc.exitcode or 0
        if code == -signal.SIGKILL or (code < 0 and peak[0] >= limits.memory_bytes * _PRESSURE):
            raise _memory_error(path, limits)  # SIGKILL is the OOM killer's; PDFium aborts when malloc fails
        how = _signal_name(-code) if code < 0 else f"slutkod {code}"
        raise InputError(path, f"Programmet som läser filen kraschade ({how}); filen är troligen trasig.",
                         code="parser-crashed")
    tag = message[0]
    if tag == "ok":
        return message[1]
    if tag == "input-error":
        raise InputError(message[1], message[2], code=message[3])
    if tag == "memory":
        raise _memory_error(path, limits)
    raise _other_error(path, str(message[1]))


def run_inline(func: Callable[..., T], *args: Any, limits: Limits, path: str) -> T:
    """Run ``func(*args)`` in this process with run_limited's error mapping (no timeout, no memory cap)."""
    try:
        return func(*args)
    except InputError:
        raise
    except MemoryError as exc:
        raise _memory_error(str(path), limits) from exc
    except Exception as exc:
        raise _other_error(str(path), exc) from exc
