"""Inkorg ("/"): every submission in the store, filterable and sortable, with counts and downloads."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request

from formgen.web.db import open_request_store
from formgen.web.downloads import attachment, county_report_bytes, summary_bytes
from formgen.web.present import SORT_KEYS, STATUS_ORDER, InboxRow
from formgen.web.queries import InboxQuery, inbox_page

blueprint = Blueprint("inbox", __name__)
SORT_TITLES = {"fil": "Fil", "kommun": "Kommun", "ar": "År", "blankett": "Blankett", "status": "Status",
               "fel": "Fel", "varningar": "Varningar", "forsta_fel": "Första felet", "inlast": "Inläst"}


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _query() -> InboxQuery:
    args = request.args
    status = args.get("status") if args.get("status") in STATUS_ORDER else None
    sort = args.get("sortera") if args.get("sortera") in SORT_KEYS else "inlast"
    descending = args.get("ordning", "fallande" if sort == "inlast" else "stigande") == "fallande"
    return InboxQuery(status, _int(args.get("ar")), sort, descending, args.get("ersatta") == "ja")


def _unstored_rows() -> list[InboxRow]:
    runner = current_app.extensions["formgen_jobs"]
    return [InboxRow(f.sha256, f.name, None, None, "–", "unreadable", 1, 0, f.reason, created, True, stored=False)
            for created, f in runner.unstored_failures()]


def _has_report_api() -> bool:
    try:
        import formgen.report as report
    except ImportError:
        return False
    return hasattr(report, "build_report") and hasattr(report, "write_report")


@blueprint.get("/")
def index() -> str:
    query = _query()
    page = inbox_page(open_request_store(), query, _unstored_rows())
    report = _has_report_api()
    lan_choices = []
    if report:
        from formgen.places import all_lan

        lan_choices = [(lan.name, lan.lansstyrelse.replace("Länsstyrelsen i ", "")) for lan in all_lan()]
    return render_template("inbox.html", page=page, query=query, sort_titles=SORT_TITLES, report_available=report,
                           lan_choices=lan_choices, busy=current_app.extensions["formgen_jobs"].busy())


@blueprint.get("/sammanstallning.<fmt>")
def summary(fmt: str) -> Response:
    if fmt not in ("csv", "xlsx"):
        abort(404)
    year = _int(request.args.get("ar"))
    data = summary_bytes(open_request_store(), year, fmt)
    return attachment(data, f"sammanstallning-{year or 'alla-ar'}.{fmt}", fmt)


@blueprint.get("/lansrapport")
def county_report() -> Response | tuple[str, int]:
    from formgen.errors import FormgenError
    from formgen.places import UnknownLan

    year = _int(request.args.get("ar"))
    fmt = request.args.get("format", "xlsx")
    if fmt not in ("xlsx", "docx") or year is None or not _has_report_api():
        abort(404)
    lan = request.args.get("lan") or None
    try:
        data, name = county_report_bytes(current_app.config["FORMGEN"].store_path, year, fmt, lan,
                                         publish=request.args.get("publicering") == "ja")
    except (FormgenError, UnknownLan) as exc:
        text = getattr(exc, "reason", None) or str(exc)
        return render_template("error.html", title="Ingen länsrapport", text=text, code=404), 404
    return attachment(data, name, fmt)
