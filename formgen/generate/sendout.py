"""Next year's forms: one for a kommun (:func:`next_year_form`) and a whole län's send-out (:func:`send_out`).

A send-out takes every verksamhet of the län with a record of the year before in the store (the current,
not superseded, submission), pre-fills its form through :func:`formgen.generate.prefill.next_year_record`,
addresses it to the län's Länsstyrelse and names it after the organisation that submitted it (unique names,
so two stadsdelar never share a file). Kommuner of the län that no record covers (neither as the reporting
kommun nor among ``kontakt.ovriga_kommuner``) get a blank form with their name filled in. The list of what
went out (``utskick.csv``/``.xlsx``, formgen.generate.sendout_list) is made for a mail merge.

Checks before it goes out: a record whose last year had errors is pre-filled with its carried values that had
no error (the rest withheld, the clients hint left out when its counts had errors) and the list says so; an
e-post that is not an address is left out of the list with the reason, never repaired.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from formgen.atomic import write_atomic
from formgen.errors import FormgenError
from formgen.generate.docx import render_docx
from formgen.generate.naming import output_stem
from formgen.generate.pdf import render_pdf
from formgen.generate.prefill import PrefillSummary, next_year_record
from formgen.generate.recipient import Addressee, addressee
from formgen.generate.sendout_list import write_list
from formgen.names import submission_stem
from formgen.places import Kommun, Lan, kommuner_in, lan_of, match_kommun, swedish_sort_key
from formgen.record import Record, blank_record
from formgen.store import SQLiteStore, Store, StoredSubmission, default_store_path
from formgen.values import is_valid_email

FORMATS: tuple[str, ...] = ("pdf", "docx")  # in the order files are written and listed
LIST_STEM = "utskick"
T = TypeVar("T")


@dataclass(frozen=True)
class NextYearForm:
    """One kommun's form for a year: the record drawn, what pre-filling did, its recipient and its files."""

    record: Record
    summary: PrefillSummary | None  # None for a blank form
    addressee: Addressee
    stem: str  # file name without extension
    files: dict[str, bytes] = field(repr=False)  # format ("pdf", "docx") -> file bytes


def formats_of(choice: str | Sequence[str]) -> tuple[str, ...]:
    """"pdf", "docx", "both" or a list of formats → the formats in writing order; FormgenError when unknown."""
    wanted = set(FORMATS) if choice == "both" else {choice} if isinstance(choice, str) else set(choice)
    unknown = wanted - set(FORMATS)
    if unknown or not wanted:
        raise FormgenError(f"okänt filformat: {', '.join(sorted(unknown)) or '(inget)'}; välj pdf, docx eller "
                           "both", code="unknown-format")
    return tuple(f for f in FORMATS if f in wanted)


def error_keys(findings: Iterable[Mapping[str, Any]]) -> set[str]:
    """The keys that findings (as stored: JSON objects) of severity error point at: what not to carry over."""
    return {key for f in findings if f.get("severity") == "error" for key in f.get("fields", ())}


def next_year_form(year: int, last: Record | None = None, *, lan: Lan | None = None, kommun: Kommun | None = None,
                   formats: str | Sequence[str] = ("pdf",), flatten: bool = False,
                   withhold: Collection[str] = ()) -> NextYearForm:
    """The form of ``year`` for one kommun: pre-filled from ``last`` (last year's record) or blank.

    The recipient is ``lan``'s Länsstyrelse, else that of ``kommun``, else that of the kommun the record names;
    a blank form for ``kommun`` has the kommun's name filled in. ``withhold`` names keys not to carry (answers
    that had errors). FormgenError when ``lan`` is not the län of the kommun the record or ``kommun`` names.
    """
    chosen = formats_of(formats)
    if last is not None:
        record, summary = next_year_record(last, year, withhold=withhold)
        named = match_kommun(record.kommun)
    else:
        record, summary = blank_record(year), None
        named = kommun
        if kommun is not None:
            record = record.replace({record.form.identity.kommun_key: kommun.name})
    if lan is not None and named is not None and lan_of(named) != lan:
        raise FormgenError(f"{record.kommun or named.name} hör till {lan_of(named).lansstyrelse}, inte till "
                           f"{lan.lansstyrelse}; ange rätt län eller inget", code="lan-mismatch")
    to = addressee(record, lan or (lan_of(named) if named is not None else None))
    stem = output_stem(record, blank=last is None and kommun is None)
    files: dict[str, bytes] = {}
    for fmt in chosen:
        if fmt == "pdf":
            files[fmt] = render_pdf(record, flatten=flatten, lan=to.lan)
        else:
            files[fmt] = render_docx(record, lan=to.lan)
    return NextYearForm(record=record, summary=summary, addressee=to, stem=stem, files=files)


# ---------------------------------------------------------------------------------------------- the send-out

@dataclass(frozen=True)
class SendOutItem:
    """One form of a send-out: a kommun of the län and the submission it is pre-filled from (None: blank)."""

    kommun: Kommun
    last: StoredSubmission | None


@dataclass(frozen=True)
class SendOutPlan:
    """What a send-out will write, before anything is written (the CLI sizes its progress bar by it)."""

    year: int
    lan: Lan
    items: tuple[SendOutItem, ...]
    unmatched: tuple[str, ...]  # last year's organisations whose name matches no kommun (not sent to)

    def __len__(self) -> int:
        return len(self.items)


@dataclass(frozen=True)
class SendOutRow:
    """One line of the send-out list (utskick.csv / .xlsx)."""

    kommun: str  # the kommun as the kommun list names it
    verksamhet: str | None  # the organisation as it wrote its name last year; None for a blank form
    kontaktperson: str | None
    epost: str | None  # None when missing or not an address (the reason is in notes)
    files: dict[str, str]  # format -> file name written
    basis: str  # "prefilled", "prefilled-errors" or "blank"
    carried: str | None  # what was carried over ("Överfört (22 svar): …")
    hint: str | None  # the continuing-clients hint
    notes: tuple[str, ...] = ()  # Swedish: why something is missing or was held back


@dataclass(frozen=True)
class SendOutResult:
    """What a send-out wrote."""

    year: int
    lan: Lan
    outdir: Path
    rows: tuple[SendOutRow, ...]
    list_files: tuple[Path, ...]  # utskick.csv, utskick.xlsx
    unmatched: tuple[str, ...]

    @property
    def form_files(self) -> tuple[Path, ...]:
        """Every form file written, in list order."""
        return tuple(self.outdir / name for row in self.rows for name in row.files.values())

    def count(self, basis: str) -> int:
        """How many rows have a basis ("prefilled", "prefilled-errors", "blank")."""
        return sum(1 for row in self.rows if row.basis == basis)


def plan_send_out(store: Store | Path | str | None, year: int, lan: Lan) -> SendOutPlan:
    """Which forms a send-out for ``lan`` and ``year`` writes: last year's current records of the län's
    kommuner (one per verksamhet), then a blank form for every kommun of the län no record covers."""
    submissions = _last_year(store, year - 1)
    items: list[SendOutItem] = []
    covered: set[str] = set()
    unmatched: list[str] = []
    for sub in submissions:
        record = sub.record()
        assert record is not None  # _last_year keeps readable records only
        kommun = match_kommun(record.kommun)
        if kommun is None:
            unmatched.append(record.kommun or sub.path)
            continue
        if lan_of(kommun) != lan:
            continue
        items.append(SendOutItem(kommun, sub))
        covered.add(kommun.code)
        others_key = record.form.identity.other_kommuner_key
        others = record.get(others_key) if others_key else None
        for name in others if isinstance(others, list) else ():
            other = match_kommun(name)
            if other is not None and lan_of(other) == lan:
                covered.add(other.code)
    items += [SendOutItem(k, None) for k in kommuner_in(lan) if k.code not in covered]
    items.sort(key=lambda item: (swedish_sort_key(item.kommun.name),
                                 swedish_sort_key(item.last.kommun or "") if item.last else ("", "")))
    return SendOutPlan(year=year, lan=lan, items=tuple(items), unmatched=tuple(sorted(set(unmatched))))


def run_send_out(plan: SendOutPlan, outdir: Path, formats: str | Sequence[str] = "both", *, flatten: bool = False,
                 on_item: Callable[[SendOutRow], None] | None = None, jobs: int = 1) -> SendOutResult:
    """Write the plan's forms and the list into ``outdir`` (atomically, file by file); ``on_item`` is called
    after each form (a progress bar). ``jobs`` > 1 renders in that many forked processes (only from a process
    with one thread, where forking is safe; otherwise in this one); files are written here, in plan order."""
    chosen = formats_of(formats)
    outdir = Path(outdir)
    tasks = [_Task(item, plan.year, plan.lan, chosen, flatten) for item in plan.items]
    taken: set[str] = set()
    rows: list[SendOutRow] = []
    with _renderer(jobs, len(tasks)) as render:
        for task, made in zip(tasks, render(_render, tasks), strict=True):
            row = _write_one(task, made, outdir, taken)
            rows.append(row)
            if on_item is not None:
                on_item(row)
    list_files = write_list(rows, outdir / LIST_STEM, chosen, plan.year)
    return SendOutResult(year=plan.year, lan=plan.lan, outdir=outdir, rows=tuple(rows), list_files=list_files,
                         unmatched=plan.unmatched)


def send_out(store: Store | Path | str | None, year: int, lan: Lan, outdir: Path,
             formats: str | Sequence[str] = "both", *, flatten: bool = False,
             on_item: Callable[[SendOutRow], None] | None = None, jobs: int = 1) -> SendOutResult:
    """Next year's form for every verksamhet and kommun of ``lan``, and the send-out list, written to ``outdir``."""
    return run_send_out(plan_send_out(store, year, lan), outdir, formats, flatten=flatten, on_item=on_item,
                        jobs=jobs)


@dataclass(frozen=True)
class _Task:
    item: SendOutItem
    year: int
    lan: Lan
    formats: tuple[str, ...]
    flatten: bool


@dataclass(frozen=True)
class _Made:
    files: dict[str, bytes]
    summary: PrefillSummary | None


def _render(task: _Task) -> _Made:
    """One form of a send-out rendered (in a worker process or this one)."""
    sub = task.item.last
    last = sub.record() if sub is not None else None
    made = next_year_form(task.year, last, lan=task.lan, kommun=task.item.kommun if last is None else None,
                          formats=task.formats, flatten=task.flatten,
                          withhold=error_keys(sub.findings_json) if sub is not None else ())
    return _Made(made.files, made.summary)


@contextmanager
def _renderer(jobs: int, count: int) -> Iterator[Callable[[Callable[[_Task], _Made], list[_Task]], Iterator[_Made]]]:
    """``map`` in order: over a pool of forked processes when asked for and safe, else in this process."""
    if jobs <= 1 or count <= 1 or threading.active_count() > 1 or "fork" not in mp.get_all_start_methods():
        yield map
        return
    with ProcessPoolExecutor(max_workers=min(jobs, count - 1), mp_context=mp.get_context("fork")) as pool:
        # the first form is rendered here before the workers fork (they start on the first submit), so they
        # inherit warm caches (fonts, the DOCX template, compiled wording) instead of each building its own
        yield lambda fn, tasks: itertools.chain([fn(tasks[0])], pool.map(fn, tasks[1:]))


def last_submission(store: Store | Path | str | None, kommun: str, year: int) -> StoredSubmission | None:
    """The current readable submission of a kommun (as the store names it) and year, or None; FormgenError when
    the store file does not exist. With :func:`error_keys` of its findings it is what one kommun's form is
    pre-filled from (``formgen generate --prefill-from-store``, the web page)."""
    found = _with_store(store, lambda opened: opened.current(kommun, year))
    return found if found is not None and found.record_json is not None else None


def _last_year(store: Store | Path | str | None, year: int) -> list[StoredSubmission]:
    """The current readable submissions of a year."""
    found = _with_store(store, lambda opened: opened.list(year=year))
    return [s for s in found if s.record_json is not None and s.status != "unreadable"]


def _with_store(store: Store | Path | str | None, query: Callable[[Store], T]) -> T:
    """``query`` on an open store, or on the store file at a path (default: the user's) opened read-only."""
    if isinstance(store, Store):
        return query(store)
    path = Path(store) if store is not None else default_store_path()
    if not path.is_file():
        raise FormgenError(f"{path}: lagret finns inte", code="no-store")
    with SQLiteStore(path, readonly=True) as opened:
        return query(opened)


def _write_one(task: _Task, made: _Made, outdir: Path, taken: set[str]) -> SendOutRow:
    """Write one rendered form under a unique name and make its row of the list."""
    item, year = task.item, task.year
    last = item.last.record() if item.last is not None else None
    name = last.kommun if last is not None else item.kommun.name
    stem = submission_stem(name, year, taken)
    files: dict[str, str] = {}
    for fmt, data in made.files.items():
        path = outdir / f"{stem}.{fmt}"
        write_atomic(path, data)
        files[fmt] = path.name
    if item.last is None or last is None or made.summary is None:
        return SendOutRow(kommun=item.kommun.name, verksamhet=None, kontaktperson=None, epost=None, files=files,
                          basis="blank", carried=None, hint=None,
                          notes=(f"Ingen redovisning för {year - 1}: tom blankett",))
    errors = [f for f in item.last.findings_json if f.get("severity") == "error"]
    notes: list[str] = []
    if errors:
        notes.append(_errors_note(len(errors), made.summary))
    identity = last.form.identity
    epost = _email(last.get(identity.contact_email_key) if identity.contact_email_key else None, notes)
    person = last.get(identity.contact_person_key) if identity.contact_person_key else None
    if not isinstance(person, str) or not person.strip():
        person = None
        notes.append("Kontaktperson saknas i förra årets redovisning")
    return SendOutRow(kommun=item.kommun.name, verksamhet=last.kommun, kontaktperson=person, epost=epost,
                      files=files, basis="prefilled-errors" if errors else "prefilled",
                      carried=made.summary.carried_text(), hint=made.summary.hint(), notes=tuple(notes))


def _errors_note(n: int, summary: PrefillSummary) -> str:
    note = f"Förra årets redovisning hade {n} fel: bara överförda uppgifter utan fel är ifyllda"
    if summary.withheld:
        held = ", ".join(f"{title} ({k})" for title, k in summary.withheld_sections)
        note += f"; inte överfört: {held}"
    return note


def _email(value: object, notes: list[str]) -> str | None:
    """Last year's e-post when it is an address; else None and the reason in ``notes`` (never repaired)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        notes.append("E-post saknas i förra årets redovisning")
        return None
    if not isinstance(value, str) or not is_valid_email(value):
        notes.append(f"E-post utelämnad: \"{value}\" är ingen e-postadress")
        return None
    return value

