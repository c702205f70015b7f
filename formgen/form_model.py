"""The form model: one version of the form (``forms/<version>/``) as frozen objects, and what it answers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from formgen.errors import SpecError

FIELD_TYPES: frozenset[str] = frozenset({"text", "int", "kr", "fte", "date", "choice", "flag", "list"})
# The field type of every choice question (its choice set is ``FieldSpec.choice_set``). Kept as a set so that
# ``spec.type in CHOICE_TYPES`` reads as before; prefer ``spec.is_choice``.
CHOICE_TYPES: frozenset[str] = frozenset({"choice"})
FORMATS: frozenset[str] = frozenset({"email", "phone", "postnummer"})
MONTHS_SV: tuple[str, ...] = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)
_SECTION_NUMBER = re.compile(r"^(\d+)\.\s+(.*)$", re.S)
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$")
_JINJA = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)


@dataclass(frozen=True)
class Choice:
    """One answer of a choice set: the stored value, the printed label and its short form (the label without
    its explanation, "Delvis" for "Delvis (t.ex. ...)"; used in messages, and where a reader matches a label)."""

    value: str
    label: str
    short: str = ""

    def __post_init__(self) -> None:
        if not self.short:
            object.__setattr__(self, "short", self.label)


@dataclass(frozen=True)
class FieldSpec:
    """One record key: its type, the form's label (a template) and where it stands on the form."""

    key: str
    type: str
    label: str
    section: str
    block: int
    required: bool = False
    format: str | None = None
    inline: bool = False
    sublabel: str | None = None
    prefix_label: str | None = None
    footnote: str | None = None
    choices: tuple[Choice, ...] = ()
    column: str | None = None
    derived_from: str | None = None
    choice_set: str | None = None   # type "choice": the name of its choice set ("jn", "jdn", "jnk")

    @property
    def is_choice(self) -> bool:
        """Whether the field is answered by one value of a choice set."""
        return self.type == "choice"

    @property
    def catalogue_type(self) -> str:
        """The type as the field catalogue (the interchange contract) names it: a choice field by its set."""
        return self.choice_set if self.is_choice and self.choice_set else self.type

    def short_label(self, value: str) -> str:
        """The short label of one of the field's choices (the value itself when it is not one)."""
        return next((c.short for c in self.choices if c.value == value), value)


@dataclass(frozen=True)
class NoteBlock:
    """Printed text only: an instruction or a sub-heading."""

    text: str
    heading: bool = False
    kind: str = "note"


@dataclass(frozen=True)
class TextBlock:
    """Labels each followed by an answer (below the label, or after it on the same line)."""

    fields: tuple[FieldSpec, ...]
    kind: str = "text"


@dataclass(frozen=True)
class CellsBlock:
    """A grid of cells, each a label above its value."""

    rows: tuple[tuple[FieldSpec, ...], ...]
    kind: str = "cells"


@dataclass(frozen=True)
class GridRow:
    """A row of a count grid: the key prefix (one key per column) and the row's label."""

    key: str
    label: str
    required: bool = False
    footnote: str | None = None
    band_of: str | None = None


@dataclass(frozen=True)
class CountGridBlock:
    """Rows of whole-number counts, one column per gender."""

    columns: tuple[Choice, ...]
    rows: tuple[GridRow, ...]
    header: str | None = None
    kind: str = "count_grid"

    def cell_key(self, row: GridRow, column: Choice) -> str:
        """The record key of one cell."""
        return f"{row.key}.{column.value}"


@dataclass(frozen=True)
class ChoiceRow:
    """A question answered by a mark in one of the grid's choice columns."""

    key: str
    label: str
    required: bool = False
    text_key: str | None = None


@dataclass(frozen=True)
class ChoiceGridBlock:
    """Rows of questions, each answered by a mark under one choice column (Ja / Nej ...)."""

    choice_set: str
    choices: tuple[Choice, ...]
    rows: tuple[ChoiceRow, ...]
    text_column: str | None = None
    require_any: str | None = None
    kind: str = "choice_grid"


@dataclass(frozen=True)
class ChoiceListBlock:
    """One question answered by a mark before one of its options, one option per line."""

    key: str
    label: str
    choice_set: str
    choices: tuple[Choice, ...]
    required: bool = False
    kind: str = "choice_list"


@dataclass(frozen=True)
class FlagRow:
    """A statement that is ticked or not; optionally followed by a text answer."""

    key: str
    label: str
    text_key: str | None = None


@dataclass(frozen=True)
class FlagListBlock:
    """A question followed by statements to tick, several allowed."""

    label: str
    flags: tuple[FlagRow, ...]
    kind: str = "flag_list"


Block = NoteBlock | TextBlock | CellsBlock | CountGridBlock | ChoiceGridBlock | ChoiceListBlock | FlagListBlock
BLOCK_KINDS: tuple[str, ...] = ("note", "text", "cells", "count_grid", "choice_grid", "choice_list", "flag_list")


@dataclass(frozen=True)
class Section:
    """A numbered section of the form."""

    id: str
    title: str | None
    blocks: tuple[Block, ...]
    years: tuple[int, ...] | None = None

    def active(self, year: int) -> bool:
        """Whether this section is on the form for the given grant year."""
        return self.years is None or year in self.years


@dataclass(frozen=True)
class Footnote:
    """A numbered footnote printed under the part of the form that refers to it."""

    mark: str
    text: str


@dataclass(frozen=True)
class Detect:
    """How a document is recognised as this form: markers that must all occur, and the year."""

    markers: tuple[str, ...]
    year_pattern: re.Pattern[str]


@dataclass(frozen=True)
class Identity:
    """The record keys that say which report a record is (the grant year and the reporting kommun) and, where
    the form has them, whom to write to about it and which other kommuner the verksamhet covers."""

    year_key: str
    kommun_key: str
    contact_person_key: str | None = None
    contact_email_key: str | None = None
    other_kommuner_key: str | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        """Both keys, year first."""
        return (self.year_key, self.kommun_key)


@dataclass(frozen=True)
class FormSpec:
    """One version of the form, with its fields in form order and its rules' parameters."""

    form: str
    version: int
    valid_from: int
    folder: Path
    title: str
    subtitle: str
    send_to: str
    year_label: str
    parameters: Mapping[str, Any]
    detect: Detect
    choice_sets: Mapping[str, tuple[Choice, ...]]
    genders: tuple[Choice, ...]
    footnotes: tuple[Footnote, ...]
    sections: tuple[Section, ...]
    derived: tuple[FieldSpec, ...]
    prefill_carry: tuple[str, ...]
    prefill_hint: Mapping[str, Any]
    rules: Mapping[str, Any]
    identity: Identity
    flag_value: str   # what a ticked check box stands for: a flag's mark and its export value ("ja")
    fields: Mapping[str, FieldSpec] = field(repr=False)
    texts: Mapping[str, str] = field(default_factory=dict)
    summary: Mapping[str, Any] = field(default_factory=dict)  # the inbox summary's headings and key figures

    @property
    def root(self) -> Path:
        """The forms root this version was loaded from (its catalogue)."""
        return self.folder.parent

    def deadline(self, year: int) -> dt.date:
        """The submission deadline for a grant year (15 January of the following year on the 2020 form)."""
        rule = self.parameters["deadline"]
        return dt.date(year + int(rule["years_after_grant_year"]), int(rule["month"]), int(rule["day"]))

    def grant_per_arsanstallning(self, year: int) -> int | None:
        """Statsbidrag per årsanställning in kronor for a year, or None where it is not known."""
        known = self.parameters.get("grant_per_arsanstallning") or {}
        value = known.get(year)
        return int(value) if value is not None else None

    def template_vars(self, year: int) -> dict[str, Any]:
        """The variables year-dependent wording may use."""
        deadline = self.deadline(year)
        return {
            "ar": year,
            "deadline_sv": f"{deadline.day} {MONTHS_SV[deadline.month - 1]} {deadline.year}",
            # the form's addressee: a caller that knows the kommun's län passes its own (render(..., recipient=))
            "recipient": self.parameters.get("recipient") or self.texts.get("recipient_unknown", ""),
        }

    def render(self, template: str, year: int, **extra: Any) -> str:
        """Render one piece of year-dependent wording; ``extra`` overrides or adds template variables."""
        if "{" not in template:
            return template
        return _compiled(template).render(**{**self.template_vars(year), **extra})

    def text(self, name: str, year: int, **extra: Any) -> str:
        """A named piece of the form's wording (``texts:`` in form.yaml), rendered for a year; ``extra`` adds
        template variables of its own (a page number, a count). SpecError when the form has no such text."""
        template = self.texts.get(name)
        if template is None:
            raise SpecError(f"{self.folder.name}/form.yaml: texten '{name}' saknas under texts", code="missing-text")
        if "{" not in template:
            return template
        return _compiled(template).render(**{**self.template_vars(year), **extra})

    def active_sections(self, year: int) -> tuple[Section, ...]:
        """The sections printed on the form of a grant year."""
        return tuple(s for s in self.sections if s.active(year))

    def section_title(self, section: Section, year: int) -> str:
        """A section's printed title for a year: numbered in order among the year's sections, so a section
        left out (the 2020 corona section in 2021) leaves no gap in the numbering."""
        title = self.render(section.title or "", year)
        match = _SECTION_NUMBER.match(title)
        if not match:
            return title
        numbered = [s.id for s in self.active_sections(year) if s.title and _SECTION_NUMBER.match(s.title)]
        return f"{numbered.index(section.id) + 1}. {match.group(2)}" if section.id in numbered else title

    def fields_for_year(self, year: int) -> dict[str, FieldSpec]:
        """Every record key of a grant year's record, in form order (derived keys included)."""
        active = {s.id for s in self.active_sections(year)}
        keys = {k: f for k, f in self.fields.items() if f.section in active}
        for d in self.derived:
            if d.derived_from in keys:
                keys[d.key] = d
        return keys

    def covers_prefix(self, ref: str) -> bool:
        """Whether a reference names a field key or a dotted prefix of one."""
        return ref in self.fields or any(k.startswith(ref + ".") for k in self.fields)


@lru_cache(maxsize=1024)
def _compiled(template: str) -> jinja2.Template:
    return _JINJA.from_string(template)


def key_is_valid(key: str) -> bool:
    """Whether a record key is well formed: lower-case dotted words ("kontakt.kommun")."""
    return _KEY_RE.match(key) is not None


def blocks_of(form: FormSpec, year: int) -> Iterator[tuple[Section, Block]]:
    """Every block of the year's form, with its section, in form order."""
    for section in form.active_sections(year):
        for block in section.blocks:
            yield section, block
