"""The DOCX extractor: a Word document (plain text, legacy form fields or content controls) → Extraction.

Content controls tagged with record keys (our own generated documents: ``kontakt.kommun``, a count cell's
key, ``tillgang.ko=delvis`` for a choice's check box, a flag's key for its check box) are read by tag,
exactly. Everything else is read by the form's labels (extractors.docx_layout). Values stay raw text here;
extractors.assemble types them, so a DOCX is parsed by the same rules as every other input.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from extractors.assemble import Reading, assemble
from extractors.base import Extraction, Problem, Source
from extractors.detect import detect_form
from extractors.docx_layout import LayoutReader
from extractors.docx_match import mark_kind
from extractors.docx_model import DocModel, W, build_model
from formgen.errors import InputError
from formgen.guard import sha256_file
from formgen.spec import CHOICE_TYPES, Choice, FormSpec

__all__ = ["read_docx", "read_controls", "load_document_xml", "TaggedReadings"]

_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_DOCUMENT = "/officeDocument"


def read_docx(path: Path) -> Extraction:
    """Extract the record of a filled-in Word form (.docx)."""
    path = Path(path)
    try:
        model = build_model(load_document_xml(path))
    except RecursionError:
        raise InputError(str(path), "Word-filen är för djupt nästlad för att kunna läsas.",
                         code="damaged-docx") from None
    form, year = detect_form(str(path), model.text())
    tagged = read_controls(model, form, year)
    readings: dict[str, Reading] = {}
    problems: list[Problem] = []
    if not tagged.covers_all:
        readings, problems = LayoutReader(model, form, year).read()
        problems = [p for p in problems if not set(p.fields) <= tagged.readings.keys()]
    readings.update(tagged.readings)
    record, provenance, typed_problems = assemble(form, year, readings)
    source = Source(str(path), sha256_file(path), "docx", _method(model, tagged), form.form, year)
    return Extraction(record, source, provenance, tuple(problems + tagged.problems + typed_problems))


def load_document_xml(path: Path) -> etree._Element:
    """The root element of a DOCX's main document part, or InputError with a Swedish reason."""
    name = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            part = _main_part_name(archive)
            try:
                data = archive.read(part)
            except KeyError:
                raise InputError(name, f"Word-filen saknar huvuddokumentet ({part}).", code="not-a-docx") from None
    except InputError:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError,
            ValueError) as exc:
        raise InputError(name, "Word-filen är trasig och kan inte läsas (ZIP-arkivet är skadat).",
                         code="damaged-docx") from exc
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(name, "Word-filens dokumentdel är trasig XML och kan inte läsas.",
                         code="damaged-docx") from exc
    if root.find(W + "body") is None:
        raise InputError(name, "Word-filens dokumentdel saknar innehåll (ingen w:body).", code="not-a-docx")
    return root


def _main_part_name(archive: zipfile.ZipFile) -> str:
    """The main document part named by _rels/.rels (word/document.xml by convention)."""
    try:
        rels = etree.fromstring(archive.read("_rels/.rels"),
                                etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except (KeyError, etree.XMLSyntaxError):
        return "word/document.xml"
    for rel in rels.iter(_REL + "Relationship"):
        if (rel.get("Type") or "").endswith(_OFFICE_DOCUMENT) and rel.get("TargetMode") != "External":
            target = (rel.get("Target") or "").lstrip("/")
            if target:
                return posixpath.normpath(target)
    return "word/document.xml"


def _method(model: DocModel, tagged: TaggedReadings) -> str:
    found = []
    if tagged.readings or model.controls:
        found.append("content controls")
    if model.legacy_fields:
        found.append("legacy form fields")
    return "docx: " + (" + ".join(found) if found else "plain text")


# ---------------------------------------------------------------------------------------------- tags


@dataclass
class TaggedReadings:
    """Readings of content controls tagged with record keys, and whether they answer every key."""

    readings: dict[str, Reading] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    covers_all: bool = False


def read_controls(model: DocModel, form: FormSpec, year: int) -> TaggedReadings:
    """Readings from content controls whose tag is a record key ("key" or "key=choice value")."""
    fields = form.fields_for_year(year)
    out = TaggedReadings()
    texts: dict[str, list[tuple[str, str]]] = {}
    for control in model.controls:
        key, _, value = (control.tag or "").strip().partition("=")
        spec = fields.get(key)
        if spec is None or spec.derived_from is not None:
            continue
        place = f", {model.where(control.para)}" if control.para < len(model.paras) else ""
        where = f'innehållskontroll "{control.tag}"{place}'
        ticked = control.checked if control.checked is not None else mark_kind(control.text) == "mark"
        if value:
            if spec.type not in CHOICE_TYPES or value not in {c.value for c in spec.choices}:
                continue
            before = out.readings.get(key, Reading())
            out.readings[key] = Reading(
                raw=" ".join(filter(None, (before.raw, "☒" if ticked else ""))),
                marks=before.marks + ((value,) if ticked else ()),
                note=where if ticked or before.note is None else before.note)
        elif spec.type == "flag":
            out.readings[key] = Reading(raw="☒" if ticked else "", marks=("ja",) if ticked else (), note=where)
        elif spec.type in CHOICE_TYPES:
            out.readings[key] = _choice_by_text(spec.choices, control.text, where)
            if control.text.strip() and not out.readings[key].marks:
                out.problems.append(Problem("unreadable-mark", (key,),
                                            f'{key}: "{control.text.strip()}" är inget av svarsalternativen'))
        else:
            texts.setdefault(key, []).append((control.text, where))
    for key, found in texts.items():
        written = list(dict.fromkeys(t for t, _ in found if t.strip()))
        if len(written) > 1:
            out.problems.append(Problem("conflicting-values", (key,),
                                        f"{key}: flera innehållskontroller med olika text; värdet lämnas tomt"))
            written = []
        text, where = next(((t, w) for t, w in found if written and t == written[0]), found[0])
        out.readings[key] = Reading(raw=text if written else "", note=where, exact=True)
    wanted = {k for k, s in fields.items() if s.derived_from is None and k != "ar"}
    out.covers_all = bool(out.readings) and wanted <= out.readings.keys()
    return out


def _choice_by_text(choices: tuple[Choice, ...], text: str, where: str) -> Reading:
    """A choice answered in a text or drop-down content control: its value or its label, nothing else."""
    said = " ".join(text.split()).casefold()
    for choice in choices:
        if said in (choice.value.casefold(), choice.label.casefold(), choice.label.split(" (")[0].casefold()):
            return Reading(raw=text, marks=(choice.value,), note=where)
    return Reading(raw=text, note=where)
