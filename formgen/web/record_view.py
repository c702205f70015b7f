"""One submission laid out for reading: the record as a form (sections, labels, Swedish values), findings
grouped by section, and a box per value read with its colour by finding and its provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from formgen.errors import FormgenError
from formgen.record import Record
from formgen.spec import FieldSpec, FormSpec, load_form
from formgen.store import StoredSubmission
from formgen.values import format_fte_sv, format_int_sv
from formgen.web.present import SEVERITY_LABELS

SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}
WHOLE = "Hela redovisningen"


def anchor(key: str) -> str:
    """An id-safe form of a record key ("kontakt.kommun" → "kontakt--kommun")."""
    return key.replace(".", "--")


@dataclass(frozen=True)
class Box:
    """A value's place on a page image (percentages of the page) and how to draw it."""

    key: str
    number: int
    page: int
    left: float
    top: float
    width: float
    height: float
    tone: str  # "fel", "varning", "osaker", "last"
    label: str
    tip: str


@dataclass
class FieldView:
    """One line of the readable form: a label and one value, or a grid row with a value per column."""

    label: str
    cells: list[tuple[str | None, str, str | None, str]]  # (column label, shown value, key, tone)


@dataclass
class SectionView:
    """A section of the form with its lines and the findings about it."""

    id: str
    title: str
    lines: list[FieldView] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)


def value_sv(spec: FieldSpec | None, value: Any) -> str:
    """A record value as a person reads it; "Ej besvarat" for null."""
    if value is None:
        return "Ej besvarat"
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, int):
        return format_int_sv(value)
    choices = {c.value: c.label for c in spec.choices} if spec else {}
    if isinstance(value, list):
        return ", ".join(choices.get(v, v) for v in value) or "Inget valt"
    if spec is not None and spec.type == "fte":
        try:
            return format_fte_sv(value)
        except (FormgenError, ValueError):
            return str(value)
    return choices.get(value, str(value))


def _tone(key: str, severities: dict[str, str], provenance: dict[str, Any]) -> str:
    worst = severities.get(key)
    if worst == "error":
        return "fel"
    if worst == "warning":
        return "varning"
    prov = provenance.get(key) or {}
    confidence = prov.get("confidence")
    if confidence is not None and confidence < 0.8:
        return "osaker"
    return "last"


def _severities(findings: list[dict[str, Any]], keys: list[str]) -> dict[str, str]:
    """The worst severity of the findings that name each key (a finding naming a prefix names its keys)."""
    worst: dict[str, str] = {}
    for f in findings:
        for ref in f.get("fields") or ():
            for key in keys:
                if key == ref or key.startswith(ref + "."):
                    old = worst.get(key)
                    if old is None or SEVERITY_RANK[f["severity"]] < SEVERITY_RANK[old]:
                        worst[key] = f["severity"]
    return worst


def provenance_tip(prov: dict[str, Any] | None) -> str:
    """Where a value was read, in words: page, the raw text, OCR certainty and repairs."""
    if not prov:
        return "Ingen uppgift om var värdet lästes."
    parts = []
    if prov.get("page"):
        parts.append(f"Sida {prov['page']}")
    raw = (prov.get("raw") or "").strip()
    parts.append(f"läst text: ”{raw}”" if raw else "ingen text på platsen")
    if prov.get("confidence") is not None:
        parts.append(f"säkerhet {round(prov['confidence'] * 100)} %")
    if prov.get("note"):
        parts.append(str(prov["note"]))
    return ", ".join(parts) + "."


@dataclass
class SubmissionView:
    """Everything the Inlämning page shows about one stored submission."""

    sub: StoredSubmission
    form: FormSpec | None
    sections: list[SectionView]
    boxes: list[Box]
    tips: dict[str, str]
    counts: dict[str, int]

    @property
    def pages(self) -> list[int]:
        return sorted({b.page for b in self.boxes})


def build_view(sub: StoredSubmission, page_sizes: dict[int, tuple[float, float]]) -> SubmissionView:
    """Lay a stored submission out for its page (``page_sizes``: page number → width, height in points)."""
    findings = sorted(sub.findings_json, key=lambda f: SEVERITY_RANK.get(f.get("severity"), 3))
    counts = {s: sum(f.get("severity") == s for f in findings) for s in SEVERITY_LABELS}
    provenance = sub.provenance_json or {}
    record: Record | None = None
    form: FormSpec | None = None
    try:
        record = sub.record()
        form = load_form(record.year) if record is not None else None
    except FormgenError:
        record = form = None
    if record is None or form is None:
        whole = SectionView("hela", WHOLE, findings=findings)
        return SubmissionView(sub, None, [whole], [], {}, counts)
    specs = form.fields_for_year(record.year)
    keys = list(specs)
    severities = _severities(findings, keys)
    tips = {k: provenance_tip(provenance.get(k)) for k in keys if k in provenance}
    sections: dict[str, SectionView] = {}
    for section in form.active_sections(record.year):
        sections[section.id] = SectionView(section.id, form.section_title(section, record.year) or "Inledning")
    columns = {c.value: c.label for c in form.genders}
    last_group: tuple[str, str] | None = None
    for key, spec in specs.items():
        view = sections.get(spec.section)
        if view is None:
            continue
        tone = _tone(key, severities, provenance)
        value = record.get(key)
        shown = str(value) if spec.label == form.year_label and value is not None else value_sv(spec, value)
        cell = (columns.get(spec.column, spec.column) if spec.column else None, shown, key, tone)
        group = (key.rsplit(".", 1)[0], spec.label)
        if spec.column and group == last_group and view.lines:
            view.lines[-1].cells.append(cell)
        else:
            view.lines.append(FieldView(spec.label if not spec.sublabel else f"{spec.label} ({spec.sublabel})",
                                        [cell]))
        last_group = group if spec.column else None
    whole = SectionView("hela", WHOLE)
    for f in findings:
        refs = [r for r in f.get("fields") or () if r in specs or any(k.startswith(r + ".") for k in keys)]
        target = whole
        if refs:
            first = refs[0] if refs[0] in specs else next(k for k in keys if k.startswith(refs[0] + "."))
            target = sections.get(specs[first].section, whole)
            f = {**f, "target": first}
        target.findings.append(f)
    ordered = ([whole] if whole.findings else []) + list(sections.values())
    boxes = []
    for number, (key, prov) in enumerate(provenance.items()):
        page, bbox = prov.get("page"), prov.get("bbox")
        if not page or not bbox or page not in page_sizes or key not in specs:
            continue
        width, height = page_sizes[page]
        x0, top, x1, bottom = bbox
        pad = 2.0
        boxes.append(Box(key, number, page, 100 * (x0 - pad) / width, 100 * (top - pad) / height,
                         100 * (x1 - x0 + 2 * pad) / width, 100 * (bottom - top + 2 * pad) / height,
                         _tone(key, severities, provenance), _label(specs[key], columns), tips.get(key, "")))
    return SubmissionView(sub, form, ordered, boxes, tips, counts)


def _label(spec: FieldSpec, columns: dict[str, str]) -> str:
    return f"{spec.label} – {columns.get(spec.column, spec.column)}" if spec.column else spec.label


def boxes_css(boxes: list[Box]) -> str:
    """The boxes' positions as a style sheet (the page's CSP allows no inline styles)."""
    lines = [f"#ruta-{anchor(b.key)}{{left:{b.left:.3f}%;top:{b.top:.3f}%;width:{b.width:.3f}%;"
             f"height:{b.height:.3f}%}}" for b in boxes]
    return "\n".join(lines) + "\n"
