"""Next year's form pre-filled from last year's record: what carries over is listed in forms/, not here."""

from __future__ import annotations

from dataclasses import dataclass, field

from formgen.record import Record, Value, blank_record, blank_value
from formgen.spec import FormSpec, load_form


@dataclass(frozen=True)
class PrefillSummary:
    """What pre-filling did: keys carried over (answered ones), keys cleared, and the hint for the kommun."""

    from_year: int
    to_year: int
    carried: tuple[str, ...]
    cleared: tuple[str, ...]
    continuing_clients: dict[str, int | None] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The summary in Swedish, a few lines for the terminal."""
        out = [f"Förifylld blankett för {self.to_year} från redovisningen för {self.from_year}:",
               f"  {len(self.carried)} svar förda över (kontaktuppgifter, ombud, utförare, ledningsgrupp, "
               "prioriteringsordning)",
               f"  {len(self.cleared)} fält tömda (antal, belopp och årets svar)"]
        if any(v is not None for v in self.continuing_clients.values()):
            women = self.continuing_clients.get("kvinnor")
            men = self.continuing_clients.get("man")
            out.append(f"  Tips: {_n(women)} kvinnor och {_n(men)} män var klienter vid årets slut och "
                       f"väntas fortsätta under {self.to_year} (totalt − avslutade {self.from_year}).")
        return out


def _n(value: int | None) -> str:
    return "?" if value is None else str(value)


def carried_keys(form: FormSpec, year: int) -> list[str]:
    """The keys of a year's record that next year's form keeps (form.yaml prefill.carry, by prefix)."""
    prefixes = form.prefill_carry
    return [k for k in form.fields_for_year(year) if any(k == p or k.startswith(p + ".") for p in prefixes)]


def next_year_record(record: Record, year: int) -> tuple[Record, PrefillSummary]:
    """A record for ``year`` keeping what carries over from ``record`` and nothing else."""
    if year <= record.year:
        raise ValueError(f"year {year} is not after the record's year {record.year}")
    form = load_form(year)
    target = blank_record(year, form)
    source_form = record.form
    carry = [k for k in carried_keys(source_form, record.year) if k in target.values]
    changes: dict[str, Value] = {}
    for key in carry:
        value = record.get(key)
        if value != blank_value(source_form.fields[key]):
            changes[key] = value
    prefilled = target.replace(changes)
    cleared = tuple(k for k, v in record.items() if k not in changes and k != "ar"
                    and v != blank_value(source_form.fields_for_year(record.year)[k]))
    hint = _continuing(record, source_form)
    summary = PrefillSummary(record.year, year, tuple(changes), cleared, hint)
    return prefilled, summary


def _continuing(record: Record, form: FormSpec) -> dict[str, int | None]:
    rule = form.prefill_hint.get("continuing_clients") or {}
    minuend, subtrahend = rule.get("minuend"), rule.get("subtrahend")
    if not minuend or not subtrahend:
        return {}
    out: dict[str, int | None] = {}
    for gender in form.genders:
        total = record.get(f"{minuend}.{gender.value}")
        closed = record.get(f"{subtrahend}.{gender.value}")
        out[gender.value] = total - (closed or 0) if isinstance(total, int) else None
    return out
