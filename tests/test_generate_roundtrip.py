"""formgen.generate's files read back by the project's readers (extractors.registry): the same record."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from extractors.registry import extract
from formgen.generate import next_year_record, render_docx, render_pdf
from formgen.record import Record, record_from_json
from tests.helpers import record_diffs, sample_record_json
from tests.record_strategies import records


@pytest.fixture(scope="module")
def sample() -> Record:
    return record_from_json(sample_record_json())


def _read(tmp_path: Path, data: bytes, suffix: str) -> tuple[str, dict]:
    path = tmp_path / f"form{suffix}"
    path.write_bytes(data)
    extraction = extract(path, sandbox=False)
    assert extraction.problems == (), [p.to_json() for p in extraction.problems]
    return extraction.source.method, extraction.record.to_json()


def test_sample_through_every_format(tmp_path: Path, sample: Record) -> None:
    want = sample.to_json()
    method, got = _read(tmp_path, render_pdf(sample, flatten=False), ".pdf")
    assert method == "acroform" and got == want
    method, got = _read(tmp_path, render_pdf(sample, flatten=True), ".pdf")
    assert method == "text" and record_diffs(want, got) == []
    tricky = sample.replace({"samhallsservice.atgarder": 'Tab\there <b> & "citat"\nny rad',
                             "kontakt.ovriga_kommuner": ["Solna", "Sundbyberg"]})
    assert _read(tmp_path, render_docx(tricky), ".docx")[1] == tricky.to_json()


def test_prefilled_2021_through_every_format(tmp_path: Path, sample: Record) -> None:
    record, _ = next_year_record(sample, 2021)
    for data, suffix in ((render_pdf(record, flatten=False), ".pdf"), (render_pdf(record, flatten=True), ".pdf"),
                         (render_docx(record), ".docx")):
        assert record_diffs(record.to_json(), _read(tmp_path, data, suffix)[1]) == []


def test_a_long_printed_answer_is_read_across_the_page_break(tmp_path: Path, sample: Record) -> None:
    long = "\n".join(f"Rad {i}: insatser och samverkan med brukare i {i} kommuner" for i in range(80))
    record = sample.replace({"samhallsservice.brister": long})
    assert record_diffs(record.to_json(), _read(tmp_path, render_pdf(record, flatten=True), ".pdf")[1]) == []


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=records(2020))
def test_generated_records_through_every_format(tmp_path: Path, record: Record) -> None:
    want = record.to_json()
    assert _read(tmp_path, render_pdf(record, flatten=False), ".pdf")[1] == want
    assert _read(tmp_path, render_docx(record), ".docx")[1] == want
    assert record_diffs(want, _read(tmp_path, render_pdf(record, flatten=True), ".pdf")[1]) == []
