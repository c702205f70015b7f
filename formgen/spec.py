"""The form as data: ``forms/<version>/form.yaml`` and ``rules.yaml`` parsed once into frozen objects."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from formgen.errors import SpecError
from forms import FORMS_ROOT

FIELD_TYPES: frozenset[str] = frozenset({"text", "int", "kr", "fte", "date", "jn", "jdn", "jnk", "flag", "list"})
CHOICE_TYPES: frozenset[str] = frozenset({"jn", "jdn", "jnk"})
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
    """One answer of a choice set: the stored value and the printed label."""

    value: str
    label: str


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
    fields: Mapping[str, FieldSpec] = field(repr=False)

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
            "recipient": self.parameters.get("recipient", ""),
        }

    def render(self, template: str, year: int) -> str:
        """Render one piece of year-dependent wording."""
        if "{" not in template:
            return template
        return _compiled(template).render(**self.template_vars(year))

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


def blocks_of(form: FormSpec, year: int) -> Iterator[tuple[Section, Block]]:
    """Every block of the year's form, with its section, in form order."""
    for section in form.active_sections(year):
        for block in section.blocks:
            yield section, block


# ---------------------------------------------------------------------------------------------- loading


def form_versions(root: Path = FORMS_ROOT) -> list[int]:
    """The form versions available, oldest first (folders named by year holding form.yaml)."""
    return sorted(int(p.name) for p in root.iterdir() if p.name.isdigit() and (p / "form.yaml").is_file())


def load_form(year: int, root: Path = FORMS_ROOT) -> FormSpec:
    """The form version in force for a grant year: the newest version not newer than the year."""
    usable = [v for v in form_versions(root) if v <= year]
    if not usable:
        raise SpecError(f"Det finns ingen blankett för år {year}", code="no-form-for-year")
    return _load_cached(str(root / str(usable[-1])))


@lru_cache(maxsize=16)
def _load_cached(folder: str) -> FormSpec:
    return load_form_dir(Path(folder))


def load_form_dir(folder: Path) -> FormSpec:
    """Parse and check one form folder (form.yaml, rules.yaml)."""
    raw = _read_yaml(folder / "form.yaml")
    rules = _read_yaml(folder / "rules.yaml") if (folder / "rules.yaml").is_file() else {}
    return _Builder(folder, raw, rules).build()


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SpecError(f"{path}: kan inte läsas: {exc}") from None
    if not isinstance(data, dict):
        raise SpecError(f"{path}: ska vara en YAML-mappning")
    return data


_ALLOWED_FIELD_ATTRS = frozenset(
    {"key", "type", "label", "required", "format", "inline", "sublabel", "prefix_label", "footnote"}
)
_RULE_VALUE_SLOTS_NOT_KEYS = frozenset({"is", "decimals", "tolerance"})


class _Builder:
    """Turns the raw YAML into a FormSpec, refusing anything inconsistent with a clear SpecError."""

    def __init__(self, folder: Path, raw: dict[str, Any], rules: dict[str, Any]) -> None:
        self.folder = folder
        self.raw = raw
        self.rules = rules
        self.fields: dict[str, FieldSpec] = {}
        self.block_index = 0
        self.section_id = ""

    def fail(self, message: str) -> SpecError:
        return SpecError(f"{self.folder.name}/form.yaml: {message}")

    def build(self) -> FormSpec:
        raw = self.raw
        for name in ("form", "version", "sections", "choice_sets", "genders", "detect", "parameters"):
            if name not in raw:
                raise self.fail(f"saknar '{name}'")
        self.choice_sets = {
            name: tuple(Choice(str(c["value"]), str(c["label"])) for c in choices)
            for name, choices in raw["choice_sets"].items()
        }
        for name in CHOICE_TYPES:
            if name not in self.choice_sets:
                raise self.fail(f"valmängden '{name}' saknas")
        self.genders = tuple(Choice(str(g["key"]), str(g["label"])) for g in raw["genders"])
        self.age_bands = tuple(Choice(str(b["key"]), str(b["label"])) for b in raw.get("age_bands", []))
        sections = tuple(self.section(s) for s in raw["sections"])
        derived = tuple(self.derived(d) for d in raw.get("derived", []))
        detect = self.detect(raw["detect"])
        prefill = raw.get("prefill", {}) or {}
        form = FormSpec(
            form=str(raw["form"]),
            version=int(raw["version"]),
            valid_from=int(raw.get("valid_from", raw["version"])),
            folder=self.folder,
            title=str(raw.get("title", "")),
            subtitle=str(raw.get("subtitle", "")),
            send_to=str(raw.get("send_to", "")),
            year_label=str(raw.get("year_label", "")),
            parameters=raw["parameters"],
            detect=detect,
            choice_sets=self.choice_sets,
            genders=self.genders,
            footnotes=tuple(Footnote(str(f["mark"]), str(f["text"])) for f in raw.get("footnotes", [])),
            sections=sections,
            derived=derived,
            prefill_carry=tuple(prefill.get("carry", [])),
            prefill_hint=prefill.get("hint", {}) or {},
            rules=self.rules,
            fields=dict(self.fields),
        )
        self.check_references(form)
        self.check_templates(form)
        return form

    # -- sections and blocks

    def section(self, raw: dict[str, Any]) -> Section:
        self.section_id = str(raw.get("id") or "")
        if not self.section_id:
            raise self.fail("en sektion saknar id")
        years = raw.get("years")
        blocks = tuple(self.block(b) for b in raw.get("blocks", []))
        return Section(self.section_id, raw.get("title"), blocks, tuple(years) if years else None)

    def block(self, raw: dict[str, Any]) -> Block:
        kind = raw.get("kind")
        builder = getattr(self, f"block_{kind}", None) if isinstance(kind, str) else None
        if builder is None:
            raise self.fail(f"okänd blocktyp '{kind}' i sektion {self.section_id}")
        self.block_index += 1
        return builder(raw)

    def block_note(self, raw: dict[str, Any]) -> NoteBlock:
        return NoteBlock(str(raw["text"]), bool(raw.get("heading", False)))

    def block_text(self, raw: dict[str, Any]) -> TextBlock:
        return TextBlock(tuple(self.add_field(f) for f in raw["fields"]))

    def block_cells(self, raw: dict[str, Any]) -> CellsBlock:
        return CellsBlock(tuple(tuple(self.add_field(f) for f in row) for row in raw["rows"]))

    def block_count_grid(self, raw: dict[str, Any]) -> CountGridBlock:
        columns = (
            tuple(Choice(str(c["key"]), str(c["label"])) for c in raw["columns"])
            if raw.get("columns")
            else self.genders
        )
        rows: list[GridRow] = []
        for r in raw["rows"]:
            row = GridRow(str(r["key"]), str(r["label"]), bool(r.get("required", False)), r.get("footnote"))
            rows.append(row)
            if raw.get("age_bands"):
                rows.extend(GridRow(f"{row.key}.{b.value}", b.label, row.required, None, row.key)
                            for b in self.age_bands)
        block = CountGridBlock(columns, tuple(rows), raw.get("header"))
        for row in block.rows:
            for col in columns:
                self.put(FieldSpec(block.cell_key(row, col), "int", row.label, self.section_id,
                                   self.block_index, row.required, column=col.value))
        return block

    def block_choice_grid(self, raw: dict[str, Any]) -> ChoiceGridBlock:
        set_name = str(raw.get("choices"))
        choices = self.choice_set(set_name)
        rows = []
        for r in raw["rows"]:
            row = ChoiceRow(str(r["key"]), str(r["label"]), bool(r.get("required", False)), r.get("text_key"))
            self.put(FieldSpec(row.key, set_name, row.label, self.section_id, self.block_index, row.required,
                               choices=choices))
            if row.text_key:
                label = str(raw.get("text_column") or row.label)
                self.put(FieldSpec(row.text_key, "text", label, self.section_id, self.block_index))
            rows.append(row)
        return ChoiceGridBlock(set_name, choices, tuple(rows), raw.get("text_column"), raw.get("require_any"))

    def block_choice_list(self, raw: dict[str, Any]) -> ChoiceListBlock:
        set_name = str(raw.get("choices"))
        choices = self.choice_set(set_name)
        block = ChoiceListBlock(str(raw["key"]), str(raw["label"]), set_name, choices,
                                bool(raw.get("required", False)))
        self.put(FieldSpec(block.key, set_name, block.label, self.section_id, self.block_index, block.required,
                           choices=choices))
        return block

    def block_flag_list(self, raw: dict[str, Any]) -> FlagListBlock:
        flags = []
        for f in raw["flags"]:
            row = FlagRow(str(f["key"]), str(f["label"]), f.get("text_key"))
            self.put(FieldSpec(row.key, "flag", row.label, self.section_id, self.block_index))
            if row.text_key:
                self.put(FieldSpec(row.text_key, "text", row.label, self.section_id, self.block_index))
            flags.append(row)
        return FlagListBlock(str(raw["label"]), tuple(flags))

    # -- fields

    def choice_set(self, name: str) -> tuple[Choice, ...]:
        if name not in self.choice_sets:
            raise self.fail(f"okänd valmängd '{name}' i sektion {self.section_id}")
        return self.choice_sets[name]

    def add_field(self, raw: dict[str, Any]) -> FieldSpec:
        unknown = set(raw) - _ALLOWED_FIELD_ATTRS
        if unknown:
            raise self.fail(f"fältet {raw.get('key')}: okända egenskaper {sorted(unknown)}")
        ftype = str(raw.get("type"))
        if ftype not in FIELD_TYPES:
            raise self.fail(f"fältet {raw.get('key')}: okänd typ '{ftype}'")
        fmt = raw.get("format")
        if fmt is not None and fmt not in FORMATS:
            raise self.fail(f"fältet {raw.get('key')}: okänt format '{fmt}'")
        spec = FieldSpec(
            key=str(raw["key"]), type=ftype, label=str(raw["label"]), section=self.section_id,
            block=self.block_index, required=bool(raw.get("required", False)), format=fmt,
            inline=bool(raw.get("inline", False)), sublabel=raw.get("sublabel"),
            prefix_label=raw.get("prefix_label"), footnote=raw.get("footnote"),
            choices=self.choice_sets.get(ftype, ()),
        )
        self.put(spec)
        return spec

    def put(self, spec: FieldSpec) -> None:
        if not _KEY_RE.match(spec.key):
            raise self.fail(f"ogiltig nyckel '{spec.key}'")
        if spec.key in self.fields:
            raise self.fail(f"nyckeln '{spec.key}' förekommer två gånger")
        self.fields[spec.key] = spec

    def derived(self, raw: dict[str, Any]) -> FieldSpec:
        ftype = str(raw.get("type"))
        if ftype not in FIELD_TYPES:
            raise self.fail(f"härlett fält {raw.get('key')}: okänd typ '{ftype}'")
        source = str(raw.get("from"))
        if source not in self.fields:
            raise self.fail(f"härlett fält {raw.get('key')}: källfältet '{source}' finns inte")
        spec = FieldSpec(str(raw["key"]), ftype, str(raw.get("label", raw["key"])),
                         self.fields[source].section, self.fields[source].block, derived_from=source)
        if spec.key in self.fields:
            raise self.fail(f"nyckeln '{spec.key}' förekommer två gånger")
        return spec

    def detect(self, raw: dict[str, Any]) -> Detect:
        markers = tuple(str(m) for m in raw.get("markers", []))
        if not markers:
            raise self.fail("detect.markers är tom")
        try:
            pattern = re.compile(str(raw["year_pattern"]))
        except (KeyError, re.error) as exc:
            raise self.fail(f"detect.year_pattern är ogiltigt: {exc}") from None
        if pattern.groups != 1:
            raise self.fail("detect.year_pattern ska ha exakt en grupp (året)")
        return Detect(markers, pattern)

    # -- cross checks

    def check_references(self, form: FormSpec) -> None:
        known = set(form.fields) | {d.key for d in form.derived}

        def covers(ref: str) -> bool:
            return ref in known or any(k.startswith(ref + ".") for k in known)

        for ref in form.prefill_carry:
            if not covers(ref):
                raise self.fail(f"prefill.carry nämner '{ref}' som inte är ett fält")
        for where, ref in _references(form.prefill_hint, "prefill.hint"):
            if not covers(ref):
                raise self.fail(f"{where} nämner '{ref}' som inte är ett fält")
        for where, ref in _references(self.rules, "rules"):
            if not covers(ref):
                raise SpecError(f"{self.folder.name}/rules.yaml: {where} nämner fältet '{ref}' som inte finns")
        for block in (b for s in form.sections for b in s.blocks):
            for key in _text_keys(block):
                if key not in form.fields:
                    raise self.fail(f"text_key '{key}' finns inte")

    def check_templates(self, form: FormSpec) -> None:
        year = form.valid_from
        for f in form.fields.values():
            for text in (f.label, f.sublabel or ""):
                try:
                    form.render(text, year)
                except jinja2.TemplateError as exc:
                    raise self.fail(f"fältet {f.key}: mallen kan inte fyllas i: {exc}") from None
        for text in (form.send_to, form.title, form.subtitle):
            try:
                form.render(text, year)
            except jinja2.TemplateError as exc:
                raise self.fail(f"mallen '{text}' kan inte fyllas i: {exc}") from None


def _text_keys(block: Block) -> list[str]:
    if isinstance(block, ChoiceGridBlock):
        return [r.text_key for r in block.rows if r.text_key]
    if isinstance(block, FlagListBlock):
        return [f.text_key for f in block.flags if f.text_key]
    return []


def _references(node: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every field reference in a rules/prefill mapping: strings except under value slots."""
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _references(item, f"{where}[{i}]")
    elif isinstance(node, dict):
        for k, v in node.items():
            if k not in _RULE_VALUE_SLOTS_NOT_KEYS:
                yield from _references(v, f"{where}.{k}")
