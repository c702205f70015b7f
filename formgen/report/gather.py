"""Gather a year's verksamheter from the store: the latest record per submitting organisation, placed in its
kommun and län.

The store keeps one current submission per organisation name and year (a corrected resubmission supersedes the
earlier one); superseded submissions are never counted. Two stadsdelar of Stockholm are two organisations, so two
verksamheter. Two current submissions whose organisation names differ only in case, spacing or punctuation are
one organisation written two ways: the later one counts and the earlier is listed under data quality.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from formgen.places import Kommun, Lan, lan_by_code, match_kommun, name_key, swedish_sort_key
from formgen.record import Record, blank_value
from formgen.record_json import value_at
from formgen.spec import FieldSpec, FormSpec, load_form
from formgen.store import Store, StoredSubmission


@dataclass(frozen=True)
class Verksamhet:
    """One current submission: a verksamhet with personligt ombud."""

    id: int
    organisation: str  # the submitting organisation's name as written
    path: str
    status: str  # ok, warnings, errors
    errors: tuple[str, ...]  # error messages of the submission's findings
    record: Record
    kommun: Kommun | None  # None: the name matches no kommun
    lan: Lan | None  # the kommun's län; for an unknown name, the övriga kommuner's län when they agree
    ovriga: tuple[Kommun, ...]  # the other kommuner the verksamhet covers
    ovriga_unknown: tuple[str, ...]  # övriga kommuner's names that match no kommun

    @property
    def covered(self) -> tuple[Kommun, ...]:
        """Every kommun the verksamhet covers: its own and the övriga, once each."""
        seen: dict[str, Kommun] = {}
        for kommun in (self.kommun, *self.ovriga):
            if kommun is not None:
                seen.setdefault(kommun.code, kommun)
        return tuple(seen.values())


@dataclass(frozen=True)
class Coverage:
    """Who had personligt ombud in a year: the kommuner covered and the län each verksamhet is placed in."""

    covered: frozenset[str]  # kommunkoder
    lan_codes: frozenset[str]  # län with at least one readable submission


@dataclass(frozen=True)
class Gathered:
    year: int
    verksamheter: tuple[Verksamhet, ...]  # every län, ordered by organisation name
    unreadable: tuple[StoredSubmission, ...]
    superseded: tuple[StoredSubmission, ...]
    duplicates: tuple[tuple[StoredSubmission, str], ...]  # (the earlier submission, the name that counts)
    unparsable: tuple[tuple[StoredSubmission, str], ...]  # (submission, reason): stored record cannot be read
    previous: Coverage | None  # the year before, when the store has it


def _place(name: str | None, ovriga_names: Sequence[str]) -> tuple[Kommun | None, Lan | None, tuple[Kommun, ...],
                                                                       tuple[str, ...]]:
    kommun = match_kommun(name)
    ovriga: list[Kommun] = []
    unknown: list[str] = []
    for other in ovriga_names:
        found = match_kommun(other)
        if found is None:
            unknown.append(other)
        elif found not in ovriga and found != kommun:
            ovriga.append(found)
    lan: Lan | None = None
    if kommun is not None:
        lan = lan_by_code(kommun.lan_code)
    else:
        codes = {k.lan_code for k in ovriga}
        if len(codes) == 1:
            lan = lan_by_code(codes.pop())
    return kommun, lan, tuple(ovriga), tuple(unknown)


def _walk(data: Mapping[str, Any], fields: Mapping[str, FieldSpec], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name, value in data.items():
        key = prefix + name
        if key not in fields and isinstance(value, Mapping):
            yield from _walk(value, fields, key + ".")
        else:
            yield key, value


def stored_record(row: StoredSubmission, form: FormSpec, year: int, fields: Mapping[str, FieldSpec]) -> Record:
    """The stored record of a submission read back without re-checking every value (the store holds what the
    pipeline checked; the report's arithmetic ignores a value of the wrong type). Keys the form does not have are
    left out; ValueError when the stored record is not an object."""
    data = row.record_json
    if not isinstance(data, Mapping):
        raise ValueError("posten är inte ett JSON-objekt")
    values = {key: blank_value(spec) for key, spec in fields.items()}
    values.update((k, v) for k, v in _walk(data, fields) if k in fields)
    return Record(form, year, values)


def _error_messages(findings: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    return tuple(str(f.get("message", f.get("code", ""))) for f in findings if f.get("severity") == "error")


def _current_readable(rows: Sequence[StoredSubmission]) -> list[StoredSubmission]:
    return [r for r in rows if r.current and r.status != "unreadable" and r.record_json is not None]


def _coverage(rows: Sequence[StoredSubmission], ovriga_key: str) -> Coverage | None:
    current = _current_readable(rows)
    if not current:
        return None
    covered: set[str] = set()
    lans: set[str] = set()
    for row in current:
        names = value_at(row.record_json, ovriga_key) or []
        kommun, lan, ovriga, _ = _place(row.kommun, [n for n in names if isinstance(n, str)])
        covered.update(k.code for k in (kommun, *ovriga) if k is not None)
        if lan is not None:
            lans.add(lan.code)
    return Coverage(frozenset(covered), frozenset(lans))


def gather(store: Store, year: int, *, ovriga_key: str) -> Gathered:
    """The year's verksamheter and data-quality cases from the store (every län)."""
    everything = store.list(include_superseded=True)  # one pass: the store has no filter by status
    rows = [r for r in everything if r.year == year]
    unreadable = [r for r in everything if r.status == "unreadable" and r.year in (year, None)]
    superseded = tuple(r for r in rows if not r.current and r.status != "unreadable")
    latest: dict[str, StoredSubmission] = {}
    duplicates: list[tuple[StoredSubmission, str]] = []
    for row in sorted(_current_readable(rows), key=lambda r: r.id):
        key = name_key(row.kommun or "")
        earlier = latest.get(key)
        if earlier is not None:
            duplicates.append((earlier, row.kommun or ""))
        latest[key] = row
    verksamheter: list[Verksamhet] = []
    unparsable: list[tuple[StoredSubmission, str]] = []
    form = load_form(year) if latest else None
    fields = form.fields_for_year(year) if form else {}
    for row in latest.values():
        try:
            record = stored_record(row, form, year, fields)  # type: ignore[arg-type]
        except ValueError as exc:
            unparsable.append((row, str(exc)))
            continue
        ovriga_names = record.get(ovriga_key) or []
        kommun, lan, ovriga, unknown = _place(row.kommun, [n for n in ovriga_names if isinstance(n, str)])
        verksamheter.append(
            Verksamhet(
                id=row.id,
                organisation=row.kommun or "",
                path=row.path,
                status=row.status,
                errors=_error_messages(row.findings_json),
                record=record,
                kommun=kommun,
                lan=lan,
                ovriga=ovriga,
                ovriga_unknown=unknown,
            )
        )
    verksamheter.sort(key=lambda v: swedish_sort_key(v.organisation))
    previous = _coverage([r for r in everything if r.year == year - 1], ovriga_key)
    return Gathered(
        year=year,
        verksamheter=tuple(verksamheter),
        unreadable=tuple(unreadable),
        superseded=superseded,
        duplicates=tuple(duplicates),
        unparsable=tuple(unparsable),
        previous=previous,
    )
