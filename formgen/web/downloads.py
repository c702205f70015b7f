"""Files the pages hand out: summaries, the county report, next year's form. Every download is an
attachment with its type set from what formgen wrote, never guessed from a name."""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import quote

from flask import Response

from formgen.store import Store
from formgen.web.queries import current_for_year

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "json": "application/json; charset=utf-8",
    "png": "image/png",
}


def attachment(data: bytes, filename: str, fmt: str) -> Response:
    """A download: the bytes, their type, and a file name (ASCII fallback plus the UTF-8 name)."""
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    response = Response(data, mimetype=MEDIA[fmt].split(";")[0])
    response.headers["Content-Type"] = MEDIA[fmt]
    response.headers["Content-Disposition"] = (f'attachment; filename="{ascii_name}"; '
                                               f"filename*=UTF-8''{quote(filename)}")
    return response


def summary_bytes(store: Store, year: int | None, fmt: str) -> bytes:
    """summary.csv / summary.xlsx of a year's current submissions (what ``formgen store export`` writes)."""
    from formgen.summary import row_for

    rows = [row_for(s.path, s.record_json, s.findings_json) for s in current_for_year(store, year)]
    if fmt == "csv":
        from formgen.summary_csv import csv_bytes

        return csv_bytes(rows)
    from formgen.summary_xlsx import xlsx_bytes

    return xlsx_bytes(rows)


def county_report_bytes(store_path: Path, year: int, fmt: str, lan: str | None, *,
                        publish: bool = False) -> tuple[bytes, str]:
    """The county report of a year (formgen.report) in one format, with the file name it wrote."""
    from formgen.report import build_report, write_report
    from formgen.store import SQLiteStore

    with SQLiteStore(store_path, readonly=True) as store:
        report = build_report(store, year, lan=lan, publish=publish)
    with tempfile.TemporaryDirectory(prefix="formgen-report-") as tmp:
        written = write_report(report, Path(tmp), [fmt])
        paths = [Path(p) for p in (written or [])] or sorted(Path(tmp).glob(f"*.{fmt}"))
        path = next(p for p in paths if p.suffix == f".{fmt}")
        return path.read_bytes(), path.name
