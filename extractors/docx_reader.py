"""The DOCX extractor: a Word document (plain text, legacy form fields or content controls) → Extraction.

Content controls tagged with record keys (our own generated documents: ``kontakt.kommun``, a count cell's
key, ``tillgang.ko=delvis`` for a choice's check box, a flag's key for its check box) are read by tag,
exactly (``read_tagged_controls``). Everything else is read by the form's labels with the same
label-anchored reader as PDFs and scans: extractors.docx_words lays the document out as positioned words
and extractors.layout_reader reads them; each value's words then say where it stood in the document.
Values stay raw text here; extractors.assemble types them, so a DOCX is parsed by the same rules as every
other input. ``source.method`` names the path that read the file: "docx: content controls" (tags),
"docx: legacy form fields" or "docx: labels" (the label reader), joined by " + " when both were needed.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from extractors.assemble import Reading, assemble
from extractors.base import Extraction, Problem, Source
from extractors.detect import detect_form
from extractors.docx_model import DocModel, W, build_model
from extractors.docx_words import DocxWords, docx_words
from extractors.geometry import Anchor
from extractors.layout_reader import TICKED, read_layout
from formgen.errors import InputError
from formgen.guard import sha256_file
from formgen.spec import Choice, ChoiceGridBlock, CountGridBlock, FormSpec

__all__ = ["TaggedReadings", "load_document_xml", "read_by_labels", "read_docx", "read_tagged_controls"]

_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_OFFICE_DOCUMENT = "/officeDocument"


def read_docx(path: Path, root: Path | None = None) -> Extraction:
    """Extract the record of a filled-in Word form (.docx); ``root`` is the forms root (None: the package's)."""
    path = Path(path)
    try:
        model = build_model(load_document_xml(path))
    except RecursionError:
        raise InputError(str(path), "Word-filen är för djupt nästlad för att kunna läsas.",
                         code="damaged-docx") from None
    found = detect_form(str(path), model.text(), root)
    form, year = found.form, found.year
    tagged = read_tagged_controls(model, form, year)
    readings: dict[str, Reading] = {}
    problems: list[Problem] = []
    if not tagged.covers_all:
        readings, problems = read_by_labels(model, form, year)
        problems = [p for p in problems if not set(p.fields) <= tagged.readings.keys()]
    readings.update(tagged.readings)
    record, provenance, typed_problems = assemble(form, year, readings)
    method = _method(model, tags=bool(tagged.readings), labels=not tagged.covers_all)
    source = Source(str(path), sha256_file(path), "docx", method, form.form, year)
    return found.finish(Extraction(record, source, provenance, tuple(problems + tagged.problems + typed_problems)))


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


def _method(model: DocModel, *, tags: bool, labels: bool) -> str:
    """Which paths read the document: tagged content controls, the label reader (legacy form fields or not)."""
    found = ["content controls"] if tags else []
    if labels or not found:
        found.append("legacy form fields" if model.legacy_fields else "labels")
    return "docx: " + " + ".join(found)


# ---------------------------------------------------------------------------------------------- labels

_PAGE_PLACE = re.compile(r"\(sida \d+, [^()]*pt\)$")  # a problem's place on a page, at the end of its message


def read_by_labels(model: DocModel, form: FormSpec, year: int) -> tuple[dict[str, Reading], list[Problem]]:
    """Readings by the form's labels: the document as positioned words through the shared layout reader, each
    reading's note saying where its words stood (no pages and no boxes: a DOCX has neither)."""
    placed = docx_words(model)
    layout = read_layout(list(placed.words), form, year)
    where = _Locator(model, placed, _header_columns(layout.anchors, placed, model, form, year))
    readings = {key: replace(reading, page=None, bbox=None,
                             note="; ".join(filter(None, (where.reading(reading), reading.note))) or None)
                for key, reading in layout.readings.items()}
    return readings, [where.problem(problem) for problem in layout.problems]


def _header_columns(anchors: dict[str, Anchor], placed: DocxWords, model: DocModel, form: FormSpec,
                    year: int) -> dict[tuple[int, int], str]:
    """(table, grid column) → the name of the grid column whose header the reader found in that table (or in a
    table just above that shares its columns: a grid's header row split from its rows)."""
    names: dict[tuple[str, str], str] = {}
    for section in form.active_sections(year):
        for block in section.blocks:
            if isinstance(block, CountGridBlock):
                names.update(((block.rows[0].key, c.value), form.render(c.label, year)) for c in block.columns)
            elif isinstance(block, ChoiceGridBlock):
                names.update(((block.rows[0].key, c.value), c.short) for c in block.choices)
                if block.text_column:
                    names[(block.rows[0].key, "__text__")] = form.render(block.text_column, year)
    out: dict[tuple[int, int], str] = {}
    for anchor_id, anchor in anchors.items():
        kind, _, rest = anchor_id.partition(":")
        first_row, _, value = rest.partition(":")
        name = names.get((first_row, value.split("@")[0])) if kind == "col" else None
        for word in anchor.words if name else ():
            index = placed.index_of(word)
            cell = model.paras[placed.paras[index]].cell if index is not None else None
            if cell is not None:
                owner = placed.column_owner.get(cell.table, cell.table)
                out.update(((owner, g), name) for g in range(cell.gcol, cell.gcol + cell.span))
    return out


@dataclass
class _Locator:
    """Where a reading's words stood: "tabell 3, rad 2, kolumn Ja" (named by the grid's header, else numbered),
    "stycke 42" or "stycke 42–44"."""

    model: DocModel
    placed: DocxWords
    columns: dict[tuple[int, int], str]

    def reading(self, reading: Reading) -> str | None:
        """Where a reading's words stood (its marks only, for a choice), or None when it has none."""
        if reading.bbox is None:
            return None
        ids = self.placed.within(reading.bbox)
        if reading.marks:
            ids = [i for i in ids if self.placed.words[i].text in TICKED]
        return self.place(ids)

    def problem(self, problem: Problem) -> Problem:
        """A problem with a place on the virtual page placed in the document instead (a DOCX has no pages)."""
        if problem.bbox is None:
            return problem
        place = self.place(self.placed.within(problem.bbox))
        message = _PAGE_PLACE.sub(f"({place})", problem.message) if place else problem.message
        return replace(problem, message=message, page=None, bbox=None)

    def place(self, ids: list[int]) -> str | None:
        """Where words (indices into the placed words) stood."""
        if not ids:
            return None
        paras = sorted({self.placed.paras[i] for i in ids})
        cells = [self.model.paras[p].cell for p in paras]
        if any(c is None for c in cells) or len({(c.table, c.row) for c in cells if c is not None}) != 1:
            return self.model.where(paras[0], paras[-1])
        ordered = sorted({id(c): c for c in cells if c is not None}.values(), key=lambda c: c.gcol)
        names = [self.columns.get((self.placed.column_owner.get(c.table, c.table), c.gcol), str(c.col + 1))
                 for c in ordered]
        return f"tabell {ordered[0].table}, rad {ordered[0].row + 1}, kolumn {', '.join(dict.fromkeys(names))}"


# ---------------------------------------------------------------------------------------------- tags


@dataclass
class TaggedReadings:
    """Readings of content controls tagged with record keys, and whether they answer every key."""

    readings: dict[str, Reading] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    covers_all: bool = False


def read_tagged_controls(model: DocModel, form: FormSpec, year: int) -> TaggedReadings:
    """The fast path: readings from content controls whose tag is a record key ("key" or "key=choice value"),
    as our own generated documents have them. A control's text is its paragraphs joined by "\\n"."""
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
        ticked = control.checked if control.checked is not None else _is_mark(control.text)
        if value:
            if not spec.is_choice or value not in {c.value for c in spec.choices}:
                continue
            before = out.readings.get(key, Reading())
            out.readings[key] = Reading(
                raw=" ".join(filter(None, (before.raw, "☒" if ticked else ""))),
                marks=before.marks + ((value,) if ticked else ()),
                note=where if ticked or before.note is None else before.note)
        elif spec.type == "flag":
            out.readings[key] = Reading(raw="☒" if ticked else "", marks=(form.flag_value,) if ticked else (),
                                        note=where)
        elif spec.is_choice:
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
    wanted = {k for k, s in fields.items() if s.derived_from is None and k != form.identity.year_key}
    out.covers_all = bool(out.readings) and wanted <= out.readings.keys()
    return out


def _choice_by_text(choices: tuple[Choice, ...], text: str, where: str) -> Reading:
    """A choice answered in a text or drop-down content control: its value or its label, nothing else."""
    said = " ".join(text.split()).casefold()
    for choice in choices:
        if said in (choice.value.casefold(), choice.label.casefold(), choice.short.casefold()):
            return Reading(raw=text, marks=(choice.value,), note=where)
    return Reading(raw=text, note=where)


def _is_mark(text: str) -> bool:
    """Whether a control's text is a tick mark ("x", "☒", "✓"), not empty, not a word."""
    parts = text.split()
    return bool(parts) and all(part in TICKED for part in parts)
