"""What a report covers (one län or every län) and the parts of the year's form it reads: genders, age bands,
contact reasons, utförare kinds, ledningsgrupp members, choice labels, found by the keys report.sv.yaml names."""

from __future__ import annotations

from dataclasses import dataclass

from formgen.places import Lan, all_lan, swedish_sort_key
from formgen.report.gather import Verksamhet
from formgen.report.wording import Wording
from formgen.spec import Choice, ChoiceGridBlock, CountGridBlock, FormSpec, GridRow, blocks_of


@dataclass(frozen=True)
class Scope:
    """What a report covers: one län, or every län (national)."""

    lan: Lan | None

    @property
    def national(self) -> bool:
        return self.lan is None

    def lans(self) -> tuple[Lan, ...]:
        lans = all_lan() if self.lan is None else (self.lan,)
        return tuple(sorted(lans, key=lambda lan: swedish_sort_key(lan.name)))

    def includes(self, verksamhet: Verksamhet) -> bool:
        return self.lan is None or (verksamhet.lan is not None and verksamhet.lan.code == self.lan.code)


@dataclass(frozen=True)
class FormParts:
    """The parts of the year's form the report reads, found by the keys named in report.sv.yaml."""

    genders: tuple[Choice, ...]
    klienter_bands: tuple[GridRow, ...]  # age-band rows of klienter.totalt
    kontaktorsaker: tuple[GridRow, ...]
    utforare: tuple[tuple[str, str], ...]  # (key, label)
    required_members: tuple[tuple[str, str], ...]
    organisationer: tuple[tuple[str, str, str | None], ...]  # (key, label, text key)
    choice_labels: dict[str, tuple[Choice, ...]]  # record key -> its choices


def form_parts(form: FormSpec, year: int, wording: Wording) -> FormParts:
    count_rows: list[GridRow] = []
    choice_rows: list[tuple[str, str, str | None]] = []
    choice_labels: dict[str, tuple[Choice, ...]] = {}
    for _, block in blocks_of(form, year):
        if isinstance(block, CountGridBlock):
            count_rows.extend(block.rows)
        elif isinstance(block, ChoiceGridBlock):
            for row in block.rows:
                choice_rows.append((row.key, form.render(row.label, year), row.text_key))
                choice_labels[row.key] = block.choices
    band_of = wording.source("klienter_totalt")
    reasons = wording.source("kontaktorsaker")

    def under(prefix: str) -> list[tuple[str, str, str | None]]:
        return [r for r in choice_rows if r[0].startswith(prefix + ".")]

    return FormParts(
        genders=form.genders,
        klienter_bands=tuple(r for r in count_rows if r.band_of == band_of),
        kontaktorsaker=tuple(r for r in count_rows if r.key.startswith(reasons + ".") and r.band_of is None),
        utforare=tuple((k, label) for k, label, _ in under(wording.source("utforare"))),
        required_members=tuple((k, label) for k, label, _ in under(wording.source("ledningsgrupp_required"))),
        organisationer=tuple(under(wording.source("ledningsgrupp_organisationer"))),
        choice_labels=choice_labels,
    )
