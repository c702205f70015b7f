"""The submission store: a small repository over SQLite (one file, WAL, one transaction per submission).

:class:`Store` is the repository interface the rest of formgen uses; :class:`SQLiteStore` is its only
engine so far (another SQL engine would implement the same methods).  Rows are never deleted: a newer
submission for the same kommun and year *supersedes* the older one, which stays as history with
``superseded_by`` pointing at its successor.  A file is identified by its content's sha256.

Only one process should write (the batch's parent process); a killed writer leaves the store consistent
because every submission is one transaction.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from formgen.record import Record, record_from_json

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id              INTEGER PRIMARY KEY,
    sha256          TEXT NOT NULL UNIQUE,
    path            TEXT NOT NULL,
    kommun          TEXT,
    year            INTEGER,
    form_version    TEXT,
    record_json     TEXT,
    findings_json   TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('ok', 'warnings', 'errors', 'unreadable')),
    tool_version    TEXT NOT NULL,
    ingested_at     TEXT NOT NULL,
    superseded_by   INTEGER REFERENCES submissions(id),
    source_json     TEXT,
    provenance_json TEXT
);
CREATE INDEX IF NOT EXISTS submissions_kommun_year ON submissions(kommun, year);
"""


def default_store_path() -> Path:
    """The store in the user's data directory (``platformdirs.user_data_dir("formgen")``)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("formgen")) / "formgen.sqlite3"


@dataclass(frozen=True)
class NewSubmission:
    """What the batch hands the store for one file (record_json None when the file was unreadable)."""

    sha256: str
    path: str
    kommun: str | None
    year: int | None
    form_version: str | None
    record_json: dict[str, Any] | None
    findings_json: list[dict[str, Any]]
    status: str
    tool_version: str
    source_json: dict[str, Any] | None = None
    provenance_json: dict[str, Any] | None = None


@dataclass(frozen=True)
class StoredSubmission:
    """One row of the store."""

    id: int
    sha256: str
    path: str
    kommun: str | None
    year: int | None
    form_version: str | None
    record_json: dict[str, Any] | None
    findings_json: list[dict[str, Any]]
    status: str
    tool_version: str
    ingested_at: str
    superseded_by: int | None
    source_json: dict[str, Any] | None
    provenance_json: dict[str, Any] | None

    @property
    def current(self) -> bool:
        """True unless a newer submission for the same kommun and year replaced this one."""
        return self.superseded_by is None

    def record(self) -> Record | None:
        """The stored record parsed again (None for an unreadable file)."""
        return record_from_json(self.record_json) if self.record_json is not None else None


@dataclass(frozen=True)
class SubmissionOverview:
    """One row of the store for a listing: what :class:`StoredSubmission` holds but the record and provenance."""

    id: int
    sha256: str
    path: str
    kommun: str | None
    year: int | None
    status: str
    findings_json: list[dict[str, Any]]
    source_json: dict[str, Any] | None
    ingested_at: str
    superseded_by: int | None

    @property
    def current(self) -> bool:
        """True unless a newer submission for the same kommun and year replaced this one."""
        return self.superseded_by is None


class Store(ABC):
    """Repository of submissions; implementations must make :meth:`add` atomic."""

    @abstractmethod
    def get_by_sha(self, sha256: str) -> StoredSubmission | None:
        """The submission with this content hash, if ingested."""

    @abstractmethod
    def known_hashes(self) -> set[str]:
        """Every content hash in the store."""

    @abstractmethod
    def superseded_hashes(self) -> set[str]:
        """Content hashes of every submission a newer one replaced."""

    @abstractmethod
    def add(self, sub: NewSubmission) -> StoredSubmission:
        """Insert one submission and supersede the current one of the same kommun and year, atomically.

        A hash already present is not inserted again; the stored row is returned.
        """

    @abstractmethod
    def current(self, kommun: str, year: int) -> StoredSubmission | None:
        """The current (not superseded) submission of a kommun and year."""

    @abstractmethod
    def history(self, kommun: str, year: int) -> list[StoredSubmission]:
        """Every submission of a kommun and year, oldest first."""

    @abstractmethod
    def list(self, *, year: int | None = None, include_superseded: bool = False) -> list[StoredSubmission]:
        """Submissions ordered by kommun, year, id; only current ones unless asked."""

    @abstractmethod
    def close(self) -> None:
        """Release the connection."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _dump(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=False)


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


_COLUMNS = ("id, sha256, path, kommun, year, form_version, record_json, findings_json, status, tool_version, "
            "ingested_at, superseded_by, source_json, provenance_json")


class SQLiteStore(Store):
    """The store in one SQLite file (WAL journal, one transaction per :meth:`add`)."""

    def __init__(self, path: Path | str, *, readonly: bool = False) -> None:
        self.path = Path(path)
        if readonly:
            if not self.path.exists():
                raise FileNotFoundError(2, "databasen finns inte", str(self.path))
            self._conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, isolation_level=None)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: durable except the last commits
            self._conn.execute("PRAGMA foreign_keys=ON")
            with self._transaction():
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    self._conn.execute(statement)
                self._conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    # -- helpers --------------------------------------------------------------------------------------
    class _Tx:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def __enter__(self) -> sqlite3.Connection:
            self.conn.execute("BEGIN IMMEDIATE")
            return self.conn

        def __exit__(self, exc_type: object, *_: object) -> None:
            self.conn.execute("ROLLBACK" if exc_type else "COMMIT")

    def _transaction(self) -> SQLiteStore._Tx:
        return SQLiteStore._Tx(self._conn)

    @staticmethod
    def _row(row: Sequence[Any]) -> StoredSubmission:
        return StoredSubmission(
            id=row[0], sha256=row[1], path=row[2], kommun=row[3], year=row[4], form_version=row[5],
            record_json=_load(row[6]), findings_json=_load(row[7]) or [], status=row[8], tool_version=row[9],
            ingested_at=row[10], superseded_by=row[11], source_json=_load(row[12]), provenance_json=_load(row[13]),
        )

    def _select(self, where: str = "", params: Sequence[Any] = (), order: str = "id") -> Iterator[StoredSubmission]:
        sql = f"SELECT {_COLUMNS} FROM submissions {where} ORDER BY {order}"
        for row in self._conn.execute(sql, tuple(params)):
            yield self._row(row)

    # -- the repository -------------------------------------------------------------------------------
    def get_by_sha(self, sha256: str) -> StoredSubmission | None:
        return next(self._select("WHERE sha256 = ?", (sha256,)), None)

    def known_hashes(self) -> set[str]:
        return {r[0] for r in self._conn.execute("SELECT sha256 FROM submissions")}

    def superseded_hashes(self) -> set[str]:
        return {r[0] for r in self._conn.execute("SELECT sha256 FROM submissions WHERE superseded_by IS NOT NULL")}

    def add(self, sub: NewSubmission) -> StoredSubmission:
        with self._transaction() as conn:
            existing = conn.execute("SELECT id, status FROM submissions WHERE sha256 = ?", (sub.sha256,)).fetchone()
            if existing and existing[1] == "unreadable" and sub.status != "unreadable":
                # A file that an earlier run could not read and this one can: the reading replaces the failure.
                conn.execute("DELETE FROM submissions WHERE id = ?", (existing[0],))
                existing = None
            if existing:
                new_id = existing[0]
            else:
                cursor = conn.execute(
                    "INSERT INTO submissions (sha256, path, kommun, year, form_version, record_json, findings_json,"
                    " status, tool_version, ingested_at, superseded_by, source_json, provenance_json)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)",
                    (sub.sha256, sub.path, sub.kommun, sub.year, sub.form_version, _dump(sub.record_json),
                     _dump(sub.findings_json), sub.status, sub.tool_version, _now(), _dump(sub.source_json),
                     _dump(sub.provenance_json)),
                )
                new_id = cursor.lastrowid
                if sub.kommun is not None and sub.year is not None and sub.status != "unreadable":
                    conn.execute(
                        "UPDATE submissions SET superseded_by = ? WHERE kommun = ? AND year = ? AND id != ?"
                        " AND superseded_by IS NULL AND status != 'unreadable'",
                        (new_id, sub.kommun, sub.year, new_id),
                    )
        stored = next(self._select("WHERE id = ?", (new_id,)))
        return stored

    def current(self, kommun: str, year: int) -> StoredSubmission | None:
        return next(self._select("WHERE kommun = ? AND year = ? AND superseded_by IS NULL"
                                 " AND status != 'unreadable'", (kommun, year), order="id DESC"), None)

    def history(self, kommun: str, year: int) -> list[StoredSubmission]:
        return list(self._select("WHERE kommun = ? AND year = ?", (kommun, year)))

    def list(self, *, year: int | None = None, include_superseded: bool = False) -> list[StoredSubmission]:
        clauses, params = [], []
        if year is not None:
            clauses.append("year = ?")
            params.append(year)
        if not include_superseded:
            clauses.append("superseded_by IS NULL")
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        return list(self._select(where, params, order="kommun IS NULL, kommun, year, id"))

    def overview(self, *, include_superseded: bool = False) -> list[SubmissionOverview]:
        """Every submission without its record and provenance (a listing of hundreds stays fast)."""
        where = "" if include_superseded else "WHERE superseded_by IS NULL"
        sql = ("SELECT id, sha256, path, kommun, year, status, findings_json, source_json, ingested_at, superseded_by"
               f" FROM submissions {where} ORDER BY kommun IS NULL, kommun, year, id")
        return [SubmissionOverview(r[0], r[1], r[2], r[3], r[4], r[5], _load(r[6]) or [], _load(r[7]), r[8], r[9])
                for r in self._conn.execute(sql)]

    def integrity(self) -> str:
        """``PRAGMA integrity_check``'s answer ("ok" when the file is sound)."""
        return str(self._conn.execute("PRAGMA integrity_check").fetchone()[0])

    def close(self) -> None:
        self._conn.close()


def open_store(path: Path | str | None = None, *, readonly: bool = False) -> Store:
    """Open the store at ``path`` (default: :func:`default_store_path`)."""
    return SQLiteStore(path or default_store_path(), readonly=readonly)


def latest_record(store: Store | Path | str | None, kommun: str, year: int) -> Record | None:
    """The current stored record of a kommun and year, or None (for ``generate --prefill-from-store``).

    ``store`` is an open :class:`Store`, a path to one, or None for the default store; a missing store
    file gives None.
    """
    if isinstance(store, Store):
        found = store.current(kommun, year)
        return found.record() if found else None
    path = Path(store) if store is not None else default_store_path()
    if not path.exists():
        return None
    with SQLiteStore(path, readonly=True) as opened:
        found = opened.current(kommun, year)
        return found.record() if found else None
