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

import json
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from formgen import __version__
from formgen.errors import FormgenError
from formgen.findings import Finding, summarise
from formgen.guard import Limits, sha256_file
from formgen.inbox_pool import Extractor, extract_inline, read_in_pool
from formgen.names import safe_stem, unique_stem
from formgen.pipeline import problem_findings
from formgen.record import Record, record_from_json
from formgen.store import NewSubmission, Store, StoredSubmission
from formgen.summary import SummaryRow, row_for, status_of
from formgen.values import format_fte_sv, format_kr_sv

_CONTROL = str.maketrans({c: None for c in [*range(0, 9), 11, 12, *range(14, 32), 127]})

Validator = Callable[..., list[Finding]]


class InboxError(FormgenError):
    """The inbox directory itself cannot be used (missing, not a directory, not readable)."""

    code = "inbox-unusable"


# ---------------------------------------------------------------------------------------------------
# The batch
# ---------------------------------------------------------------------------------------------------

@dataclass
class FileResult:
    """The outcome of one inbox file."""

    path: Path
    rel: str
    sha256: str | None
    row: SummaryRow
    cached: bool = False
    stored: StoredSubmission | None = None
    payload: dict[str, Any] | None = None  # record, source, provenance, findings (None when unreadable)


@dataclass
class InboxResult:
    """The outcome of a batch: one result per file in inbox order, the files written and the exit code."""

    results: list[FileResult]
    outputs: list[Path] = field(default_factory=list)

    @property
    def rows(self) -> list[SummaryRow]:
        """Summary rows in inbox order."""
        return [r.row for r in self.results]

    @property
    def exit_code(self) -> int:
        """0 when every file is ok or has warnings only, 1 when any has errors or is unreadable."""
        return 1 if any(r.row.status in ("errors", "unreadable") for r in self.results) else 0


def _is_hidden(rel: Path) -> bool:
    return any(part.startswith(".") for part in rel.parts)


def find_inputs(root: Path, *, exclude: Sequence[Path] = ()) -> list[Path]:
    """Regular files under ``root`` (recursively, sorted), without hidden ones, symlinks and ``exclude``."""
    root = Path(root)
    try:
        info = root.stat()
    except OSError as exc:
        raise InboxError(f"{root}: katalogen finns inte eller kan inte läsas ({exc.strerror})") from None
    if not stat.S_ISDIR(info.st_mode):
        raise InboxError(f"{root}: är inte en katalog")
    if not os.access(root, os.R_OK | os.X_OK):
        raise InboxError(f"{root}: katalogen kan inte läsas (behörighet saknas)")
    excluded = [Path(os.path.realpath(p)) for p in exclude]
    found: list[Path] = []

    def skip(path: Path) -> bool:
        real = Path(os.path.realpath(path))
        return any(real == e or e in real.parents for e in excluded)

    def on_error(exc: OSError) -> None:
        if Path(exc.filename or "") == root:
            raise InboxError(f"{root}: katalogen kan inte läsas ({exc.strerror})")

    for dirpath, dirnames, filenames in os.walk(root, onerror=on_error, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not skip(here / d))
        for name in sorted(filenames):
            path = here / name
            if name.startswith(".") or skip(path):
                continue
            try:
                mode = path.lstat().st_mode
            except OSError:
                continue
            if stat.S_ISREG(mode):
                found.append(path)
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


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
                 progress: Callable[[int], None] | None = None) -> None:
        self.root = Path(root)
        self.store = store
        self.out = Path(out) if out else None
        self.jobs = jobs or os.cpu_count() or 1
        self.limits = limits or Limits()
        self.validator = validator or _default_validator()
        self.reader = reader
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
            record = record_from_json(extraction["record"])
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
            outcome.outputs = write_outputs(self.out, final, self.store)
        return outcome


def run_inbox(root: Path, store: Store, **options: Any) -> InboxResult:
    """Run one batch over ``root`` (see :class:`Batch` for the options)."""
    return Batch(root, store, **options).run()


# ---------------------------------------------------------------------------------------------------
# Outputs
# ---------------------------------------------------------------------------------------------------

_STATUS_SV = {"ok": "godkänd utan anmärkningar", "warnings": "godkänd med varningar", "errors": "fel",
              "unreadable": "kunde inte läsas"}


def _clean(value: Any) -> str:
    return "–" if value is None else str(value).translate(_CONTROL)


def _sv(value: Any, *, kr: bool = False) -> str:
    """A key figure written the Swedish way ("402 638 kr", "1,00"), "–" when not known."""
    if value is None:
        return "–"
    if kr and isinstance(value, int):
        return format_kr_sv(value)
    return format_fte_sv(str(value)) if isinstance(value, Decimal) else _clean(value)


def report_text(result: FileResult, *, superseded: bool = False) -> str:
    """A readable Swedish report of one submission."""
    payload = result.payload or {}
    findings = payload.get("findings", [])
    row = result.row
    counts = summarise(Finding(f["code"], f["severity"], tuple(f["fields"]), f["message"]) for f in findings)
    lines = [
        "Redovisning – Statsbidrag till kommuner som bedriver verksamhet med personligt ombud",
        "",
        f"Kommun:  {_clean(row.kommun)}",
        f"År:      {_clean(row.year)}",
        f"Fil:     {_clean(row.file)}",
        f"SHA-256: {result.sha256}",
        f"Status:  {_STATUS_SV.get(row.status, row.status)}",
        f"Fel: {counts['errors']}   Varningar: {counts['warnings']}   Upplysningar: {counts['infos']}",
    ]
    if superseded:
        lines.append("Ersatt av en senare inskickad redovisning för samma kommun och år.")
    lines += ["", "Nyckeltal",
              f"  Klienter totalt: kvinnor {_clean(row.klienter_kvinnor)}, män {_clean(row.klienter_man)}",
              f"  Tjänster som personligt ombud: {_sv(row.ombud_tjanster)}",
              f"  Beviljat: {_sv(row.beviljat_kr, kr=True)}   Förbrukat: {_sv(row.forbrukat_kr, kr=True)}"]
    for severity, title in (("error", "Fel"), ("warning", "Varningar"), ("info", "Upplysningar")):
        chosen = [f for f in findings if f["severity"] == severity]
        if chosen:
            lines += ["", title]
            for f in chosen:
                where = f" ({', '.join(f['fields'])})" if f["fields"] else ""
                lines.append(f"  - {_clean(f['message'])}{where} [{f['code']}]")
    return "\n".join(lines) + "\n"


def document_text(document: dict[str, Any]) -> str:
    """A per-submission JSON document: indented, except provenance (one compact line per key; it is large).

    ``json.dumps`` with ``indent`` uses the pure-Python encoder, ~10x slower than the C one on provenance.
    """
    from formgen.cli.common import dump_json

    provenance = document.get("provenance") or {}
    rest = dump_json({k: v for k, v in document.items() if k != "provenance"}).rstrip()
    if not provenance:
        return rest[:-1].rstrip() + ',\n  "provenance": {}\n}\n'
    lines = [f"    {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
             for k, v in provenance.items()]
    return rest[:-1].rstrip() + ',\n  "provenance": {\n' + ",\n".join(lines) + "\n  }\n}\n"


def _write_if_changed(path: Path, data: str | bytes) -> bool:
    """write_atomic, skipped when the file already holds exactly these bytes; True when written."""
    from formgen.cli.common import write_atomic

    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.stat().st_size == len(payload) and path.read_bytes() == payload:
            return False
    except OSError:
        pass
    write_atomic(path, payload)
    return True


def write_outputs(out: Path, results: Sequence[FileResult], store: Store) -> list[Path]:
    """Per submission ``<kommun>-<år>.json`` and ``.txt`` (superseded ones get a hash suffix); summaries."""
    from formgen.summary import csv_bytes, xlsx_bytes

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    taken: set[str] = {"summary"}
    seen: set[str] = set()
    superseded = store.superseded_hashes()
    for result in results:
        if result.payload is None or result.sha256 is None or result.sha256 in seen:
            continue
        seen.add(result.sha256)
        stem = safe_stem(result.row.kommun) + (f"-{result.row.year}" if result.row.year is not None else "")
        old = result.sha256 in superseded
        if old:
            stem = f"{stem}-{result.sha256[:8]}"
        stem = unique_stem(stem, taken)
        document = {"file": result.rel, "sha256": result.sha256, "status": result.row.status, "superseded": old,
                    **result.payload}
        for suffix, text in ((".json", document_text(document)), (".txt", report_text(result, superseded=old))):
            target = out / f"{stem}{suffix}"
            _write_if_changed(target, text)
            written.append(target)
    rows = [r.row for r in results]
    csv_changed = _write_if_changed(out / "summary.csv", csv_bytes(rows))
    xlsx = out / "summary.xlsx"
    if csv_changed or not xlsx.exists():  # same rows as the CSV: rewrite only when they changed
        from formgen.cli.common import write_atomic

        write_atomic(xlsx, xlsx_bytes(rows))
    return [*written, out / "summary.csv", xlsx]
