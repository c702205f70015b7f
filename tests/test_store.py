"""The SQLite store: idempotent adds, supersession, latest_record, and survival of kill -9."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfWriter

from formgen.store import NewSubmission, SQLiteStore, latest_record, open_store
from tests.helpers import ROOT, SAMPLES, sample_record_json

PDF_SAMPLES = ("spanga-tensta-2020.pdf", "spanga-tensta-2020-grid.pdf", "spanga-tensta-2020-checkboxes.pdf")


def pdf_variants(dest: Path, count: int, *, prefix: str = "inskick") -> list[Path]:
    """``count`` flattened sample PDFs with distinct content hashes (a varied /Subject), cycling the layouts."""
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(count):
        writer = PdfWriter(clone_from=str(SAMPLES / PDF_SAMPLES[i % len(PDF_SAMPLES)]))
        writer.add_metadata({"/Subject": f"Inskick nr {i}"})
        buffer = io.BytesIO()
        writer.write(buffer)
        path = dest / f"{prefix}-{i:03d}.pdf"
        path.write_bytes(buffer.getvalue())
        out.append(path)
    return out


def _sub(sha: str, kommun: str | None = "Åre", year: int | None = 2020, status: str = "ok") -> NewSubmission:
    record = sample_record_json()
    record["kontakt"]["kommun"] = kommun
    record["ar"] = year or 2020
    return NewSubmission(sha, f"{sha}.json", kommun, year, "2020", None if status == "unreadable" else record,
                         [], status, "test")


def test_add_is_idempotent_and_supersedes(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        first = store.add(_sub("a"))
        assert store.add(_sub("a")).id == first.id
        second = store.add(_sub("b"))
        other = store.add(_sub("c", kommun="Bräcke"))
        store.add(_sub("d", kommun=None, year=None, status="unreadable"))
        assert store.get_by_sha("a").superseded_by == second.id  # type: ignore[union-attr]
        assert store.current("Åre", 2020).id == second.id  # type: ignore[union-attr]
        assert [s.sha256 for s in store.history("Åre", 2020)] == ["a", "b"]
        assert {s.sha256 for s in store.list()} == {"b", "c", "d"}
        assert len(store.list(include_superseded=True)) == 4
        assert store.known_hashes() == {"a", "b", "c", "d"}
        assert other.current
        record = latest_record(store, "Åre", 2020)
        assert record is not None and record.kommun == "Åre" and record.year == 2020
        assert latest_record(store, "Åre", 2019) is None
    assert latest_record(tmp_path / "s.db", "Bräcke", 2020) is not None
    assert latest_record(tmp_path / "missing.db", "Åre", 2020) is None


def test_wal_and_schema(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    SQLiteStore(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    columns = {r[1] for r in conn.execute("PRAGMA table_info(submissions)")}
    assert {"id", "sha256", "path", "kommun", "year", "form_version", "record_json", "findings_json", "status",
            "tool_version", "ingested_at", "superseded_by"} <= columns
    conn.close()


def _count(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return conn.execute("SELECT count(*) FROM submissions").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def test_kill_9_leaves_store_consistent_and_rerun_finishes(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    files = pdf_variants(inbox, 30)
    db, out = tmp_path / "store.db", tmp_path / "out"
    cmd = [sys.executable, "-m", "formgen", "inbox", str(inbox), "--out", str(out), "--store", str(db),
           "--jobs", "1"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 60
        while _count(db) < 2 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    killed_at = _count(db)
    if killed_at >= len(files):
        pytest.skip("the batch finished before it could be killed")
    assert killed_at >= 2
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for sha, record_json, findings_json, status in conn.execute(
            "SELECT sha256, record_json, findings_json, status FROM submissions"):
        assert len(sha) == 64 and status in ("ok", "warnings", "errors")
        assert json.loads(record_json)["ar"] == 2020 and isinstance(json.loads(findings_json), list)
    conn.close()
    rerun = subprocess.run(cmd, capture_output=True, env=env, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows = conn.execute("SELECT sha256, count(*) FROM submissions GROUP BY sha256").fetchall()
    assert len(rows) == len(files) and all(n == 1 for _, n in rows)
    current = conn.execute("SELECT count(*) FROM submissions WHERE superseded_by IS NULL").fetchone()[0]
    assert current == 1  # all 30 are the same kommun and year: the last one is current
    conn.close()


def test_a_later_reading_replaces_an_earlier_failure(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite")
    failed = store.add(_sub("f" * 64, kommun=None, year=None, status="unreadable"))
    assert failed.status == "unreadable"
    read = store.add(_sub("f" * 64))
    assert read.status == "ok" and read.kommun == "Åre"
    assert [s.status for s in store.history("Åre", 2020)] == ["ok"]
    assert store.add(_sub("f" * 64, kommun=None, year=None, status="unreadable")).status == "ok"
    store.close()
