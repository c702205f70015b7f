"""Next year's form pre-filled from this year's record: what carries over is the form's data, not code.

form.yaml ``prefill.carry`` lists key prefixes whose answers a kommun keeps (contact details, ombud, the
organisation); everything else is cleared, the year advances and the wording and deadline are those of the
new year's form. ``prefill.hint`` names the counts behind the one hint printed: clients expected to continue.
The summary's wording is the form's (``texts: prefill_*`` in form.yaml).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

from formgen.errors import FormgenError, RecordError
from formgen.record import Record, Value, blank_record, check_value
from formgen.spec import FieldSpec, FormSpec, load_form


@dataclass(frozen=True)
class PrefillSummary:
    """What pre-filling did: keys carried over, answers cleared, answers the new form has no place for."""

    from_year: int
    to_year: int
    kommun: str | None
    carried: tuple[str, ...]  # answered keys copied to the new record
    cleared: tuple[str, ...]  # answered keys left blank on the new form
    dropped: tuple[str, ...]  # answered keys that are not on the new year's form
    continuing: tuple[tuple[str, int | None], ...]  # (column label, clients expected to continue)
    carried_sections: tuple[tuple[str, int], ...] = ()  # (section title, answers carried)
    cleared_sections: tuple[tuple[str, int], ...] = ()  # (section title, answers cleared)
    dropped_sections: tuple[tuple[str, int], ...] = ()  # (section title, answers with no place next year)
    withheld: tuple[str, ...] = ()  # carried keys not copied because last year's answer had an error
    withheld_sections: tuple[tuple[str, int], ...] = ()
    forms_root: Path | None = None  # the forms root of the record's form (None: the shipped forms)

    @property
    def form(self) -> FormSpec:
        """The new year's form, whose wording the summary uses."""
        return load_form(self.to_year, self.forms_root)

    def to_text(self) -> str:
        """A short Swedish summary for the person who is about to fill in the new form (form.yaml texts)."""
        form, year = self.form, self.to_year
        common = {"from_year": self.from_year, "to_year": self.to_year, "kommun": self.kommun}
        lines = [form.text("prefill_intro", year, **common)]
        if self.carried:
            lines.append(form.text("prefill_carried", year, n=len(self.carried), sections=self.carried_sections,
                                   **common))
        else:
            lines.append(form.text("prefill_nothing_carried", year, **common))
        for name, keys, sections in (("prefill_withheld", self.withheld, self.withheld_sections),
                                     ("prefill_cleared", self.cleared, self.cleared_sections),
                                     ("prefill_dropped", self.dropped, self.dropped_sections)):
            if keys:
                lines.append(form.text(name, year, n=len(keys), sections=sections, **common))
        hint = self.hint()
        if hint:
            lines.append(hint)
        return "\n".join(lines)

    def carried_text(self) -> str:
        """The line on what was carried over alone (one cell of the send-out list)."""
        form, year = self.form, self.to_year
        if not self.carried:
            return form.text("prefill_nothing_carried", year)
        return form.text("prefill_carried", year, n=len(self.carried), sections=self.carried_sections)

    def hint(self) -> str | None:
        """The continuing-clients hint (last year's totalt − avslutade per column, texts.prefill_hint), or None."""
        known = [(label, n) for label, n in self.continuing if n is not None]
        if not known:
            return None
        return self.form.text("prefill_hint", self.to_year, continuing=known,
                                            from_year=self.from_year, to_year=self.to_year, kommun=self.kommun)


def carried_by(form: FormSpec, key: str) -> bool:
    """Whether a key's answer carries over to the next year (it is under a prefix in prefill.carry)."""
    return any(key == prefix or key.startswith(prefix + ".") for prefix in form.prefill_carry)


def next_year_record(record: Record, year: int, *, withhold: Collection[str] = ()) -> tuple[Record, PrefillSummary]:
    """A record for ``year`` with the carried answers of ``record`` and everything else blank.

    ``withhold`` names keys whose answers are not carried even where prefill.carry lists them (last year's
    answers that had errors); the clients hint is left out when one of its counts is withheld.
    """
    if year <= record.year:
        raise FormgenError(f"förifyllning går bara framåt: posten gäller {record.year}; "
                           f"välj ett senare år än {record.year}", code="prefill-not-later")
    new_form = load_form(year, record.form.root)
    target = blank_record(year, new_form)
    new_fields = new_form.fields_for_year(year)
    old_fields = record.form.fields_for_year(record.year)
    held = set(withhold)
    changes: dict[str, Value] = {}
    carried, cleared, dropped, withheld = [], [], [], []
    for key, value in record.items():
        if key == record.form.identity.year_key or not _answered(value):
            continue
        if key not in new_fields:
            dropped.append(key)
        elif carried_by(new_form, key):
            if key in held:
                withheld.append(key)
                continue
            try:
                changes[key] = check_value(new_fields[key], value)
                carried.append(key)
            except RecordError:
                cleared.append(key)  # the new form asks it differently
        else:
            cleared.append(key)
    summary = PrefillSummary(
        from_year=record.year, to_year=year, kommun=record.kommun, carried=tuple(carried),
        cleared=tuple(cleared), dropped=tuple(dropped), continuing=_continuing(record, held),
        carried_sections=_by_section(record.form, old_fields, carried, record.year),
        cleared_sections=_by_section(record.form, old_fields, cleared, record.year),
        dropped_sections=_by_section(record.form, old_fields, dropped, record.year),
        withheld=tuple(withheld),
        withheld_sections=_by_section(record.form, old_fields, withheld, record.year),
        forms_root=record.form.root,
    )
    return target.replace(changes), summary


def _answered(value: Value) -> bool:
    return value not in (None, False, [])


def _by_section(form: FormSpec, fields: Mapping[str, FieldSpec], keys: list[str], year: int,
                ) -> tuple[tuple[str, int], ...]:
    """How many of the keys each section of the form holds, in form order, by the section's printed title."""
    titles = {s.id: form.render(s.title, year) if s.title else s.id for s in form.sections}
    counts: dict[str, int] = {}
    for key in keys:
        title = titles.get(fields[key].section, fields[key].section)
        counts[title] = counts.get(title, 0) + 1
    return tuple(counts.items())


def _continuing(record: Record, withheld: Collection[str] = ()) -> tuple[tuple[str, int | None], ...]:
    """Last year's clients not ended, per column of the form's Kvinnor/Män grids (form.yaml prefill.hint);
    None for a column whose counts are missing, inconsistent or withheld."""
    rule = record.form.prefill_hint.get("continuing_clients")
    if not rule:
        return ()
    out = []
    for gender in record.form.genders:
        keys = (f"{rule['minuend']}.{gender.value}", f"{rule['subtrahend']}.{gender.value}")
        total, ended = (record.get(k) for k in keys)
        ok = isinstance(total, int) and isinstance(ended, int) and total >= ended and not set(keys) & set(withheld)
        out.append((gender.label, total - ended if ok else None))  # type: ignore[operator]
    return tuple(out)
