"""What the pages ask the store: the Inkorg's rows with filters and sorting, years, kommuner."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from formgen.store import SQLiteStore, Store, StoredSubmission
from formgen.web.present import SORT_KEYS, STATUS_ORDER, InboxRow, inbox_row


@dataclass(frozen=True)
class InboxQuery:
    """The Inkorg's filters and order, as read from the query string."""

    status: str | None = None
    year: int | None = None
    sort: str = "inlast"
    descending: bool = True
    include_superseded: bool = False


@dataclass
class InboxPage:
    """The rows to show and the counts above them."""

    rows: list[InboxRow]
    counts: dict[str, int]
    total: int
    years: list[int]


def inbox_page(store: Store, query: InboxQuery, extra: list[InboxRow] = ()) -> InboxPage:  # type: ignore[assignment]
    """Rows of the Inkorg: the store's (current ones unless asked) plus ``extra`` (unstored failures)."""
    subs = store.overview(include_superseded=query.include_superseded) if isinstance(store, SQLiteStore) \
        else store.list(include_superseded=query.include_superseded)
    all_rows = [inbox_row(s) for s in subs] + list(extra)
    years = sorted({r.year for r in all_rows if r.year is not None}, reverse=True)
    in_year = [r for r in all_rows if query.year is None or r.year == query.year]
    counts = Counter(r.status for r in in_year)
    rows = [r for r in in_year if query.status is None or r.status == query.status]
    key = SORT_KEYS.get(query.sort, SORT_KEYS["inlast"])
    rows.sort(key=key, reverse=query.descending)
    return InboxPage(rows, {s: counts.get(s, 0) for s in STATUS_ORDER}, len(in_year), years)


def current_for_year(store: Store, year: int | None) -> list[StoredSubmission]:
    """Current readable submissions of a year (every year when None), for the summary downloads."""
    return [s for s in store.list(year=year) if s.status != "unreadable"]


def kommuner_with_years(store: Store) -> dict[str, list[int]]:
    """Each kommun in the store with the years of its current readable submissions, newest first."""
    found: dict[str, set[int]] = {}
    for s in store.list():
        if s.kommun and s.year is not None and s.status != "unreadable":
            found.setdefault(s.kommun, set()).add(s.year)
    return {k: sorted(v, reverse=True) for k, v in sorted(found.items(), key=lambda kv: kv[0].lower())}
