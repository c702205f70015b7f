"""The inbox batch: statuses, summaries, outputs, idempotent reruns, timeouts, untouched inputs, CLI."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import shutil
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from formgen.cli import main
from formgen.findings import Finding
from formgen.guard import Limits
from formgen.inbox import extract_inline, find_inputs, run_inbox
from formgen.record import Record
from formgen.store import open_store
from tests.helpers import SAMPLES, sample_record_json

KOMMUN = "Spånga-Tensta Stadsdelsförvaltning, Stockholms satd"


def _write_json(path: Path, data: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    root = tmp_path / "inkorg"
    root.mkdir()
    for sample in sorted(SAMPLES.iterdir()):
        if sample.suffix in (".pdf", ".docx", ".json"):
            shutil.copy(sample, root / sample.name)
    bad = sample_record_json()
    bad["ekonomi"]["forbrukat_kr"] = bad["ekonomi"]["beviljat_kr"] + 1000  # förbrukat > beviljat
    bad["kontakt"]["kommun"] = "Felby kommun"
    _write_json(root / "sub" / "felby.json", bad)
    (root / "tom.pdf").write_bytes(b"")
    (root / "webbsida.pdf").write_text("<!DOCTYPE html><html><body>Logga in</body></html>")
    (root / "avkortad.pdf").write_bytes((SAMPLES / "spanga-tensta-2020.pdf").read_bytes()[:4000])
    hidden = root / ".dold"
    hidden.mkdir()
    (hidden / "x.pdf").write_bytes(b"")
    (root / ".gömd.json").write_text("{}")
    return root


def _snapshot(root: Path) -> dict[str, tuple[str, int]]:
    return {p.relative_to(root).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in root.rglob("*") if p.is_file()}


def test_batch_statuses_outputs_and_idempotent_rerun(inbox: Path, tmp_path: Path) -> None:
    before = _snapshot(inbox)
    out = inbox / "ut"  # our own output inside the inbox must be skipped on the rerun
    db = tmp_path / "store.db"
    with open_store(db) as store:
        result = run_inbox(inbox, store, out=out, jobs=2)
    rows = {r.file: r for r in result.rows}
    assert ".dold/x.pdf" not in rows and ".gömd.json" not in rows
    assert rows["spanga-tensta-2020.json"].status == "warnings"
    assert rows["spanga-tensta-2020.pdf"].status == "warnings"
    assert rows["spanga-tensta-2020-grid.pdf"].status == "warnings"
    assert rows["sub/felby.json"].status == "errors"
    assert rows["sub/felby.json"].first_error and rows["sub/felby.json"].errors >= 1
    for name, code in (("tom.pdf", "empty-file"), ("webbsida.pdf", "html-not-pdf"), ("avkortad.pdf", None)):
        assert rows[name].status == "unreadable" and rows[name].first_error, name
        if code:
            assert rows[name].first_error_code == code
    for name in ("spanga-tensta-2020.docx", "spanga-tensta-2020-legacy.docx"):
        assert rows[name].status in ("ok", "warnings", "unreadable")  # the DOCX reader may not have landed yet
    ok_row = rows["spanga-tensta-2020.json"]
    figures = ok_row.figures
    assert (ok_row.kommun, ok_row.year, figures["klienter_kvinnor"], figures["klienter_man"]) == (KOMMUN, 2020, 35, 56)
    assert (figures["ombud_tjanster"], figures["beviljat_kr"], figures["forbrukat_kr"]) == (1.0, 402638, 402638)
    assert result.exit_code == 1

    current = out / "spanga-tensta-stadsdelsforvaltning-stockholms-satd-2020.json"
    document = json.loads(current.read_text(encoding="utf-8"))
    assert set(document) >= {"record", "source", "provenance", "findings"} and not document["superseded"]
    assert (out / "felby-kommun-2020.txt").read_text(encoding="utf-8").count("Fel") >= 1
    with (out / "summary.csv").open(encoding="utf-8-sig", newline="") as fh:
        csv_rows = list(csv.DictReader(fh, delimiter=";"))
    assert [r["Fil"] for r in csv_rows] == [r.file for r in result.rows]
    sheet = openpyxl.load_workbook(out / "summary.xlsx").active
    assert sheet.max_row == len(result.rows) + 1
    first_csv = (out / "summary.csv").read_bytes()

    with open_store(db) as store:
        history = store.history(KOMMUN, 2020)
        assert sum(h.current for h in history) == 1 and len(history) >= 4  # later files supersede earlier
        count = len(store.list(include_superseded=True))
        started = time.monotonic()
        again = run_inbox(inbox, store, out=out, jobs=2)
        assert time.monotonic() - started < 10
        assert len(store.list(include_superseded=True)) == count
    assert all(r.cached for r in again.results if r.row.first_error_code != "timeout")
    assert again.rows == result.rows
    assert (out / "summary.csv").read_bytes() == first_csv
    assert _snapshot(inbox) == {**before, **{k: v for k, v in _snapshot(inbox).items() if k.startswith("ut/")}}


def test_exit_zero_when_only_warnings(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    shutil.copy(SAMPLES / "spanga-tensta-2020.json", root / "a.json")
    shutil.copy(SAMPLES / "spanga-tensta-2020.pdf", root / "b.pdf")
    with open_store(tmp_path / "s.db") as store:
        result = run_inbox(root, store, out=tmp_path / "out", jobs=1)
    assert [r.status for r in result.rows] == ["warnings", "warnings"] and result.exit_code == 0


def hanging_reader(path: str, limits: Limits) -> dict[str, Any]:
    """A reader that never finishes on files named hang*; must be importable for the workers."""
    if Path(path).name.startswith("hang"):
        time.sleep(3600)
    return extract_inline(path, limits)


def test_hanging_file_becomes_timeout_row(tmp_path: Path) -> None:
    root = tmp_path / "in"
    root.mkdir()
    shutil.copy(SAMPLES / "spanga-tensta-2020.json", root / "a.json")
    shutil.copy(SAMPLES / "spanga-tensta-2020.pdf", root / "hang.pdf")
    shutil.copy(SAMPLES / "spanga-tensta-2020-grid.pdf", root / "z.pdf")
    limits = dataclasses.replace(Limits(), timeout_seconds=1.5)
    started = time.monotonic()
    with open_store(tmp_path / "s.db") as store:
        result = run_inbox(root, store, jobs=1, limits=limits, reader=hanging_reader)
        assert store.get_by_sha(result.results[1].sha256 or "") is None  # a timeout is retried next time
    assert time.monotonic() - started < 15
    assert [(r.file, r.status) for r in result.rows] == [("a.json", "warnings"), ("hang.pdf", "unreadable"),
                                                         ("z.pdf", "warnings")]
    assert result.rows[1].first_error_code == "timeout"


def test_previous_year_is_passed_to_the_validator(tmp_path: Path) -> None:
    root = tmp_path / "in"
    this = sample_record_json()
    this["ar"] = 2021
    del this["corona"]  # a 2020-only section
    seen: list[tuple[int, int | None]] = []

    def stand_in(record: Record, previous: Record | None = None) -> list[Finding]:
        seen.append((record.year, previous.year if previous else None))
        return [Finding("stand-in", "warning", (), "från ersättaren")]

    root.mkdir()
    shutil.copy(SAMPLES / "spanga-tensta-2020.json", root / "2020.json")
    with open_store(tmp_path / "s.db") as store:
        run_inbox(root, store, validator=stand_in, jobs=1)
        _write_json(root / "2021.json", this)
        result = run_inbox(root, store, validator=stand_in, jobs=1)
    assert seen == [(2020, None), (2021, 2020)]
    assert [r.status for r in result.rows] == ["warnings", "warnings"]


def test_extraction_problems_become_error_findings() -> None:
    from formgen.pipeline import problem_findings

    found = problem_findings([{"code": "conflict", "fields": ["a.b"], "message": "två värden"}])
    assert found == [Finding("conflict", "error", ("a.b",), "två värden")]


def test_hostile_kommun_names_in_outputs(tmp_path: Path) -> None:
    root = tmp_path / "in"
    names = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1", "-2", "../../etc/passwd", "a/b", "..", "CON"]
    for i, name in enumerate(names):
        data = sample_record_json()
        data["kontakt"]["kommun"] = name
        data["ekonomi"]["beviljat_kr"] += i  # distinct content
        _write_json(root / f"{i}.json", data)
    out = tmp_path / "out"
    with open_store(tmp_path / "s.db") as store:
        result = run_inbox(root, store, out=out, jobs=2)
    assert [r.kommun for r in result.rows] == names
    written = [p for p in out.rglob("*") if p.is_file()]
    assert all(p.parent == out for p in written)  # nothing escaped the output directory
    assert len([p for p in written if p.suffix == ".json"]) == len(names)
    assert not (tmp_path / "etc").exists()
    with (out / "summary.csv").open(encoding="utf-8-sig", newline="") as fh:
        kommuner = [r["Kommun"] for r in csv.DictReader(fh, delimiter=";")]
    assert kommuner[:4] == ["'" + n for n in names[:4]]
    sheet = openpyxl.load_workbook(out / "summary.xlsx").active
    cells = [sheet.cell(row=i + 2, column=2) for i in range(len(names))]
    assert all(c.data_type == "s" for c in cells) and cells[0].value.startswith("'=")


def test_find_inputs_skips_hidden_and_output(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.pdf").write_bytes(b"%PDF-")
    (tmp_path / ".h").mkdir()
    (tmp_path / ".h" / "y.pdf").write_bytes(b"%PDF-")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "summary.csv").write_text("x")
    (tmp_path / "link.pdf").symlink_to(tmp_path / "a" / "x.pdf")
    assert [p.name for p in find_inputs(tmp_path, exclude=[tmp_path / "out"])] == ["x.pdf"]


def test_cli_exit_codes_and_store_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    db, out = tmp_path / "s.db", tmp_path / "out"
    missing = runner.invoke(main, ["inbox", str(tmp_path / "saknas"), "--store", str(db)])
    assert missing.exit_code == 2 and "saknas" in missing.output
    root = tmp_path / "in"
    root.mkdir()
    shutil.copy(SAMPLES / "spanga-tensta-2020.json", root / "a.json")
    ok = runner.invoke(main, ["inbox", str(root), "--store", str(db), "--out", str(out), "--format", "json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["files"][0]["status"] == "warnings"
    (root / "tom.pdf").write_bytes(b"")
    bad = runner.invoke(main, ["inbox", str(root), "--store", str(db), "--out", str(out)])
    assert bad.exit_code == 1 and "Oläslig" in bad.output and "1 oläsbara" in bad.output
    listed = runner.invoke(main, ["store", "list", "--store", str(db)])
    assert listed.exit_code == 0 and KOMMUN in listed.output and "warnings" in listed.output
    shown = runner.invoke(main, ["store", "show", KOMMUN, "2020", "--store", str(db)])
    assert shown.exit_code == 0 and json.loads(shown.output)["ar"] == 2020
    for fmt in ("csv", "xlsx", "json"):
        target = tmp_path / f"export.{fmt}"
        done = runner.invoke(main, ["store", "export", "--year", "2020", "--format", fmt, "-o", str(target),
                                    "--store", str(db)])
        assert done.exit_code == 0 and target.stat().st_size > 0, done.output
    assert json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))[0]["kommun"] == KOMMUN
    nothing = runner.invoke(main, ["store", "show", "Ingen", "2020", "--store", str(db)])
    assert nothing.exit_code == 2


def test_uncertain_ocr_readings_become_warnings() -> None:
    from formgen.pipeline import problem_findings

    found = problem_findings([{"code": "uncertain-ocr", "fields": ["kontakt.epost"], "message": "osäker tolkning"}])
    assert [f.severity for f in found] == ["warning"]
