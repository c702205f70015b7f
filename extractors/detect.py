"""Recognising the form version a document was printed from and the grant year it reports, explaining a refusal.

Every version of the catalogue is scored by its markers and its year pattern; the best match is the printed
version. A submission is read with the labels of that version and typed as the record of the year it reports
(``Detection.finish`` converts when the two differ).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from extractors.base import Extraction
from extractors.labels import find_label, tokens
from extractors.version_convert import to_reported_year
from formgen.catalogue import FormCatalogue, catalogue
from formgen.errors import InputError, SpecError
from formgen.form_model import FormSpec

_YEARS_LOOKED_AT = 12   # how many years back a version is considered as printed for


@dataclass(frozen=True)
class Detection:
    """What a document is: the version it was printed from and the year it reports."""

    form: FormSpec            # the printed version: the document is read with its labels
    year: int                 # the year whose wording and sections the print has (read the layout with it)
    reported_year: int        # the grant year the submission reports: the record's year
    record_form: FormSpec     # the version in force for the reported year: the record's form

    @property
    def is_old_version(self) -> bool:
        """Whether the document is another form than the reported year's: another version, or the same version
        as printed for another year (its year-limited sections and dated wording differ)."""
        return self.form.folder != self.record_form.folder or self.year != self.reported_year

    def finish(self, extraction: Extraction) -> Extraction:
        """An extraction read by the printed version as the record of the reported year (unchanged when the
        printed version is the year's own)."""
        if not self.is_old_version:
            return extraction
        return to_reported_year(extraction, self.record_form, self.reported_year)


@dataclass(frozen=True)
class _Score:
    form: FormSpec
    matched: tuple[str, ...]
    missing: tuple[str, ...]
    year: int | None

    @property
    def acceptable(self) -> bool:
        return len(self.missing) <= len(self.form.detect.markers) // 2

    def rank(self, cat: FormCatalogue) -> tuple[bool, bool, float, bool, int]:
        in_force = self.year is not None and _in_force(cat, self.year) == self.form.version
        share = len(self.matched) / max(len(self.form.detect.markers), 1)
        return self.acceptable, self.year is not None, share, in_force, self.form.version


def detect_form(path: str, text: str, root: Path | None = None) -> Detection:
    """The printed version and the reported year of a document's text, or InputError: "not-this-form" naming,
    for the closest version, the markers found and those missing; "no-year"; "unsupported-year"."""
    cat = catalogue(root)
    flat = " ".join(text.split())
    words = tokens(text)
    scores = [_score(form, words, flat) for form in cat.forms()]
    best = max(scores, key=lambda s: s.rank(cat))
    form = best.form
    if not best.acceptable:
        found = "; ".join(f'"{m}"' for m in best.matched) or "inga"
        raise InputError(path, f"{form.text('not_this_form', form.valid_from)}; närmast blankettversion "
                         f"{form.version}: saknar " + "; ".join(f'"{m}"' for m in best.missing)
                         + f"; hittade {found}", code="not-this-form")
    if best.year is None:
        raise InputError(path, form.text("no_year", form.valid_from, year_label=form.year_label), code="no-year")
    year = best.year
    try:
        record_form = cat.for_year(year)
    except SpecError as exc:
        raise InputError(path, f"år {year} stöds inte: {exc.reason}", code="unsupported-year") from None
    return Detection(form, _print_year(form, year, words, _years_in_force(cat, form, year)), year, record_form)


def detect_by_keys(keys: Iterable[str], year: int, root: Path | None = None) -> Detection:
    """The printed version of a document whose fields are named by record keys (our fillable PDF), and the year
    it was made for: the one whose keys cover most of the document's fields, the reported year's own version
    (and the year nearest to it) on a tie. SpecError when no version is in force for the year."""
    cat = catalogue(root)
    record_form = cat.for_year(year)
    names = set(keys)

    def rank(option: tuple[FormSpec, int]) -> tuple[int, bool, int]:
        form, made_for = option
        covered = names & set(form.fields_for_year(made_for))
        return len(covered), form.folder == record_form.folder, -abs(made_for - year)

    form, made_for = max(((f, y) for f in cat.forms() for y in _years_in_force(cat, f, year)), key=rank)
    return Detection(form, made_for, year, record_form)


def _score(form: FormSpec, words: tuple[str, ...], flat: str) -> _Score:
    matched = tuple(m for m in form.detect.markers if find_label(tokens(m), words) is not None)
    missing = tuple(m for m in form.detect.markers if m not in matched)
    found = form.detect.year_pattern.search(flat)
    return _Score(form, matched, missing, int(found.group(1)) if found else None)


def _in_force(cat: FormCatalogue, year: int) -> int | None:
    usable = [v for v in cat.versions if v <= year]
    return usable[-1] if usable else None


def _years_in_force(cat: FormCatalogue, form: FormSpec, reported: int) -> list[int]:
    """The years a version may have been printed for, up to the reported year (or the version's last year),
    nearest to the reported year first."""
    last = cat.last_year_of(form)
    upper = max(reported, form.valid_from)
    upper = min(upper, last) if last is not None else upper
    years = range(max(form.valid_from, upper - _YEARS_LOOKED_AT + 1), upper + 1)
    return sorted(years, key=lambda y: abs(y - reported))


def _print_year(form: FormSpec, reported: int, words: tuple[str, ...], years: list[int]) -> int:
    """The year a printed version was made for, by what the print shows: its sections limited to some years
    (the 2020 corona section) and its wording that names the year ("under 2020"); the year nearest to the
    reported one when nothing tells them apart (a form kept from last year was printed for its last year)."""
    if len(years) == 1:
        return years[0]
    limited = [s for s in form.sections if s.years is not None and s.title]
    shown = {s.id: find_label(tokens(_unnumbered(form.render(s.title or "", form.valid_from))), words) is not None
             for s in limited}
    joined = f" {' '.join(words)} "
    dated = [f for f in form.fields.values() if "{{" in f.label]

    def evidence(year: int) -> int:
        sections = sum(s.active(year) == shown[s.id] for s in limited)
        active = {s.id for s in form.active_sections(year)}
        wording = sum(f" {' '.join(tokens(form.render(f.label, year)))} " in joined for f in dated
                      if f.section in active)
        return sections + wording

    return max(years, key=evidence)


def _unnumbered(title: str) -> str:
    head, _, rest = title.partition(". ")
    return rest if head.isdigit() else title
