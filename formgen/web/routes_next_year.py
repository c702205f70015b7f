"""Nästa års blankett: a kommun's form for the year after its latest submission, pre-filled, as a fillable PDF
or a DOCX (formgen.generate.sendout.next_year_form, as ``formgen generate --prefill-from-store``)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from formgen.web.db import open_request_store
from formgen.web.downloads import attachment
from formgen.web.queries import kommuner_with_years

blueprint = Blueprint("next_year", __name__)
FORMAT_LABELS = {"pdf": "PDF (ifyllbar)", "docx": "Word (DOCX)"}


@blueprint.get("/nasta-ar")
def choose() -> str:
    kommuner = kommuner_with_years(open_request_store())
    chosen = request.args.get("kommun")
    if chosen not in kommuner:
        chosen = None
    summary_lines: list[str] = []
    if chosen is not None:
        summary_lines = _prefill_summary(chosen, kommuner[chosen][0])
    return render_template("next_year.html", kommuner=kommuner, chosen=chosen, formats=FORMAT_LABELS,
                           summary_lines=summary_lines)


def _prefill_summary(kommun: str, year: int) -> list[str]:
    """What pre-filling carries over and clears, in Swedish lines (formgen.generate's own summary)."""
    from formgen.generate.prefill import next_year_record
    from formgen.generate.sendout import error_keys

    last = open_request_store().current(kommun, year)
    record = last.record() if last is not None else None
    if last is None or record is None:
        return []
    _, summary = next_year_record(record, year + 1, withhold=error_keys(last.findings_json))
    return [line for line in summary.to_text().splitlines() if line.strip()]


@blueprint.get("/nasta-ar/blankett")
def download() -> Response:
    from formgen.generate.sendout import error_keys, next_year_form

    kommun = request.args.get("kommun", "")
    fmt = request.args.get("format", "pdf")
    if fmt not in FORMAT_LABELS:
        abort(404)
    store = open_request_store()
    years = kommuner_with_years(store).get(kommun)
    if not years:
        abort(404)
    last = store.current(kommun, years[0])
    if last is None or last.record_json is None:
        abort(404)
    record = last.record()
    assert record is not None
    form = next_year_form(years[0] + 1, record, formats=(fmt,), withhold=error_keys(last.findings_json))
    return attachment(form.files[fmt], f"{form.stem}.{fmt}", fmt)
