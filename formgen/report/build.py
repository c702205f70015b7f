"""``build_report``: the county or national report of a year from the store, exact or masked for publication."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from formgen import __version__
from formgen.errors import FormgenError
from formgen.names import safe_stem
from formgen.places import Lan, lan_named
from formgen.report.gather import gather
from formgen.report.mask import mask_report
from formgen.report.model import Report
from formgen.report.parts import Scope
from formgen.report.tables import TableBuilder, chart_of
from formgen.report.wording import check_sources, load_wording
from formgen.spec import load_form
from formgen.store import SQLiteStore, Store


class NoSubmissions(FormgenError):
    """The store has no readable submission for the year (in the län asked for)."""

    code = "no-submissions"


def _county(lan: Lan) -> str:
    # "Länsstyrelsen i Stockholms län" -> "Stockholms län"
    return lan.lansstyrelse.split(" i ", 1)[1] if " i " in lan.lansstyrelse else lan.name


def build_report(store: Store | Path | str, year: int, lan: Lan | str | None = None,
                 publish: bool = False) -> Report:
    """The year's report over one län (``lan``: a Lan or a name such as "Stockholm") or, without it, every län.

    Raises UnknownLan for a name that is none of the 21 län and NoSubmissions when the store has no readable
    submission for the year in that scope. ``store`` is an open Store or the path of one (opened read-only).
    """
    if isinstance(store, str | Path):
        path = Path(store)
        if not path.exists():
            raise FileNotFoundError(2, "databasen finns inte", str(path))
        with SQLiteStore(path, readonly=True) as opened:
            return build_report(opened, year, lan, publish)
    chosen = lan_named(lan) if isinstance(lan, str) else lan
    wording = load_wording()
    scope = Scope(chosen)
    scope_text = wording.text("scope_lan", county=_county(chosen)) if chosen else wording.text("scope_national")
    ovriga_key = wording.source("ovriga_kommuner")
    gathered = gather(store, year, ovriga_key=ovriga_key)
    ours = [v for v in gathered.verksamheter if scope.includes(v)]
    if not ours:
        raise NoSubmissions(wording.text("no_submissions", ar=year, scope=scope_text))
    form = load_form(year)
    check_sources(wording, form, year)
    tables = TableBuilder(gathered, scope, form, wording).build()
    slug = safe_stem(chosen.name) if chosen else safe_stem(wording.text("scope_national"))
    variables = {"ar": year, "prev": year - 1, "scope": scope_text, "scope_slug": slug}
    kontakt = next(t for t in tables if t.id == "kontaktorsaker")
    figure = wording.table("kontaktorsaker")
    chart_title = wording.render(figure.figure or figure.caption, **variables)
    report = Report(
        year=year,
        scope=scope_text,
        scope_slug=slug,
        lan_code=chosen.code if chosen else None,
        publish=False,
        title=wording.text("title", **variables),
        subtitle=wording.text("subtitle", **variables),
        edition=wording.text("edition_publish" if publish else "edition_internal"),
        about_heading=wording.text("about_heading"),
        about=wording.text("about"),
        generated=wording.text("generated", version=__version__, n=len(ours)),
        marked_note=wording.text("marked_note"),
        empty_table=wording.text("empty_table"),
        symbols={k: str(v) for k, v in wording.data["symbols"].items()},
        units={k: str(v) for k, v in wording.data["units"].items()},
        file_stem=wording.text("file_stem", **variables),
        tables=tables,
        chart=chart_of(kontakt, chart_title, wording.text("chart_file", **variables)),
        submissions=len(ours),
    )
    if not publish:
        return report
    low, high, step = wording.publish_rule()
    masked = mask_report(report, low, high, step)
    kontakt = masked.table("kontaktorsaker")
    return replace(masked, chart=chart_of(kontakt, chart_title, report.chart.file_name))
