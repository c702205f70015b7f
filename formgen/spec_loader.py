"""Reading a form folder (form.yaml, rules.yaml) into a FormSpec, refusing anything inconsistent."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import yaml

from formgen.errors import SpecError
from formgen.form_model import (
    FIELD_TYPES,
    FORMATS,
    Block,
    CellsBlock,
    Choice,
    ChoiceGridBlock,
    ChoiceListBlock,
    ChoiceRow,
    CountGridBlock,
    Detect,
    FieldSpec,
    FlagListBlock,
    FlagRow,
    Footnote,
    FormSpec,
    GridRow,
    Identity,
    NoteBlock,
    Section,
    TextBlock,
    key_is_valid,
)


def load_form_dir(folder: Path) -> FormSpec:
    """Parse and check one form folder (form.yaml, rules.yaml)."""
    raw = read_yaml(folder / "form.yaml")
    rules = read_yaml(folder / "rules.yaml") if (folder / "rules.yaml").is_file() else {}
    return FormBuilder(folder, raw, rules).build()


# libyaml's safe loader when PyYAML was built with it (about ten times faster), else the pure-Python one
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise SpecError(f"{path}: kan inte läsas: {exc}") from None
    if not isinstance(data, dict):
        raise SpecError(f"{path}: ska vara en YAML-mappning")
    return data


_ALLOWED_FIELD_ATTRS = frozenset(
    {"key", "type", "label", "required", "format", "inline", "sublabel", "prefix_label", "footnote", "choices"}
)
_RULE_VALUE_SLOTS_NOT_KEYS = frozenset({"is", "decimals", "tolerance", "takes_part"})


class FormBuilder:
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
        for name in ("form", "version", "sections", "choice_sets", "genders", "detect", "parameters", "identity",
                     "flag_value"):
            if name not in raw:
                raise self.fail(f"saknar '{name}'")
        self.choice_sets = {
            str(name): tuple(Choice(str(c["value"]), str(c["label"]), str(c.get("short") or "")) for c in choices)
            for name, choices in raw["choice_sets"].items()
        }
        for name in self.choice_sets:
            if name in FIELD_TYPES:
                raise self.fail(f"valmängden '{name}' har samma namn som en fälttyp")
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
            identity=self.identity(raw["identity"]),
            flag_value=str(raw["flag_value"]),
            fields=dict(self.fields),
            texts={str(k): str(v) for k, v in (raw.get("texts") or {}).items()},
            summary=raw.get("summary") or {},
        )
        self.check_identity(form)
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
            self.put(FieldSpec(row.key, "choice", row.label, self.section_id, self.block_index, row.required,
                               choices=choices, choice_set=set_name))
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
        self.put(FieldSpec(block.key, "choice", block.label, self.section_id, self.block_index, block.required,
                           choices=choices, choice_set=set_name))
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
        set_name = raw.get("choices")
        if (ftype == "choice") != (set_name is not None):
            raise self.fail(f"fältet {raw.get('key')}: typen 'choice' och 'choices' (valmängden) hör ihop")
        choices = self.choice_set(str(set_name)) if set_name is not None else ()
        spec = FieldSpec(
            key=str(raw["key"]), type=ftype, label=str(raw["label"]), section=self.section_id,
            block=self.block_index, required=bool(raw.get("required", False)), format=fmt,
            inline=bool(raw.get("inline", False)), sublabel=raw.get("sublabel"),
            prefix_label=raw.get("prefix_label"), footnote=raw.get("footnote"),
            choices=choices, choice_set=str(set_name) if set_name is not None else None,
        )
        self.put(spec)
        return spec

    def put(self, spec: FieldSpec) -> None:
        if not key_is_valid(spec.key):
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

    def identity(self, raw: Any) -> Identity:
        if not isinstance(raw, dict) or not raw.get("year") or not raw.get("kommun"):
            raise self.fail("identity ska ange 'year' (årets nyckel) och 'kommun' (kommunens nyckel)")
        optional = {name: str(raw[name]) if raw.get(name) else None
                    for name in ("contact_person", "contact_email", "other_kommuner")}
        return Identity(str(raw["year"]), str(raw["kommun"]), contact_person_key=optional["contact_person"],
                        contact_email_key=optional["contact_email"], other_kommuner_key=optional["other_kommuner"])

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

    def check_identity(self, form: FormSpec) -> None:
        year = form.fields.get(form.identity.year_key)
        if year is None or year.type != "int":
            raise self.fail(f"identity.year '{form.identity.year_key}' är inte ett heltalsfält")
        kommun = form.fields.get(form.identity.kommun_key)
        if kommun is None or kommun.type != "text":
            raise self.fail(f"identity.kommun '{form.identity.kommun_key}' är inte ett textfält")
        for name, key, wanted in (("contact_person", form.identity.contact_person_key, "text"),
                                  ("contact_email", form.identity.contact_email_key, "text"),
                                  ("other_kommuner", form.identity.other_kommuner_key, "list")):
            if key is not None and (key not in form.fields or form.fields[key].type != wanted):
                raise self.fail(f"identity.{name} '{key}' är inte ett fält av typen {wanted}")
        if any(s.years is not None for s in form.sections if s.id in (year.section, kommun.section)):
            raise self.fail("identitetens fält ska finnas alla år (inte i en sektion med 'years')")

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
        for i, figure in enumerate(form.summary.get("figures", [])):
            if figure.get("key") not in form.fields:
                raise self.fail(f"summary.figures[{i}] nämner '{figure.get('key')}' som inte är ett fält")
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
