"""Next year's form pre-filled from this year's record: what carries over is the form's data, not code.

form.yaml ``prefill.carry`` lists key prefixes whose answers a kommun keeps (contact details, ombud, the
organisation); everything else is cleared, the year advances and the wording and deadline are those of the
new year's form. ``prefill.hint`` names the counts behind the one hint printed: clients expected to continue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

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

    def to_text(self) -> str:
        """A short Swedish summary for the person who is about to fill in the new form."""
        who = f" för {self.kommun}" if self.kommun else ""
        lines = [f"Blanketten för {self.to_year} är förifylld{who} från redovisningen för {self.from_year}."]
        if self.carried:
            lines.append(f"Överfört ({len(self.carried)} svar): {_sections(self.carried_sections)}.")
        else:
            lines.append("Inget överfört: förra årets redovisning har inga svar som förs över.")
        if self.cleared:
            lines.append(f"Tömt, fylls i på nytt för {self.to_year} ({len(self.cleared)} svar): "
                         f"{_sections(self.cleared_sections)}.")
        if self.dropped:
            lines.append(f"Finns inte på blanketten för {self.to_year} ({len(self.dropped)} svar): "
                         f"{_sections(self.dropped_sections)}.")
        hint = self.hint()
        if hint:
            lines.append(hint)
        return "\n".join(lines)

    def hint(self) -> str | None:
        """"Tips: 23 kvinnor och 34 män ... väntas fortsätta" (last year's totalt − avslutade), or None."""
        known = [(label, n) for label, n in self.continuing if n is not None]
        if not known:
            return None
        counts = " och ".join(f"{n} {label.lower()}" for label, n in known)
        return (f"Tips: {counts} var klienter under {self.from_year} utan att avslutas och väntas fortsätta "
                f"under {self.to_year} (totalt antal klienter − antal avslutade klienter).")


def carried_by(form: FormSpec, key: str) -> bool:
    """Whether a key's answer carries over to the next year (it is under a prefix in prefill.carry)."""
    return any(key == prefix or key.startswith(prefix + ".") for prefix in form.prefill_carry)


def next_year_record(record: Record, year: int) -> tuple[Record, PrefillSummary]:
    """A record for ``year`` with the carried answers of ``record`` and everything else blank."""
    if year <= record.year:
        raise FormgenError(f"förifyllning går bara framåt: posten gäller {record.year}; "
                           f"välj ett senare år än {record.year}", code="prefill-not-later")
    new_form = load_form(year)
    target = blank_record(year, new_form)
    new_fields = new_form.fields_for_year(year)
    old_fields = record.form.fields_for_year(record.year)
    changes: dict[str, Value] = {}
    carried, cleared, dropped = [], [], []
    for key, value in record.items():
        if key == "ar" or not _answered(value):
            continue
        if key not in new_fields:
            dropped.append(key)
        elif carried_by(new_form, key):
            try:
                changes[key] = check_value(new_fields[key], value)
                carried.append(key)
            except RecordError:
                cleared.append(key)  # the new form asks it differently
        else:
            cleared.append(key)
    summary = PrefillSummary(
        from_year=record.year, to_year=year, kommun=record.kommun, carried=tuple(carried),
        cleared=tuple(cleared), dropped=tuple(dropped), continuing=_continuing(record),
        carried_sections=_by_section(record.form, old_fields, carried, record.year),
        cleared_sections=_by_section(record.form, old_fields, cleared, record.year),
        dropped_sections=_by_section(record.form, old_fields, dropped, record.year),
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


def _sections(counts: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(f"{title} ({n})" for title, n in counts)


def _continuing(record: Record) -> tuple[tuple[str, int | None], ...]:
    """Last year's clients not ended, per column of the form's Kvinnor/Män grids (form.yaml prefill.hint)."""
    rule = record.form.prefill_hint.get("continuing_clients")
    if not rule:
        return ()
    out = []
    for gender in record.form.genders:
        total = record.get(f"{rule['minuend']}.{gender.value}")
        ended = record.get(f"{rule['subtrahend']}.{gender.value}")
        ok = isinstance(total, int) and isinstance(ended, int) and total >= ended
        out.append((gender.label, total - ended if ok else None))  # type: ignore[operator]
    return tuple(out)
