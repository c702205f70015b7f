"""Field names that are record keys, as the PDF specification wants them: a tree of partial names.

A "." inside a field's partial name (/T) is not allowed (ISO 32000-1, 12.7.3.2) and some viewers break on
it; the fully qualified name "kontakt.kommun" is a field "kommun" whose parent is a field "kontakt". reportlab
writes flat names, so before the document is saved each field is given its last partial name and hung
under parent fields built here, in memory (no second pass over the PDF).
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.acroform import RadioGroup
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFString
from reportlab.pdfgen.canvas import Canvas


class _NestedRadioGroup(RadioGroup):
    """A radio group that also writes its /Parent."""

    parent_ref: Any = None

    def format(self, doc: Any) -> bytes:
        kids = PDFArray(list(self.kids))
        d: dict[str, Any] = {"Ff": self.Ff, "Kids": kids, "FT": _name("Btn"), "T": PDFString(self.T)}
        if self.V:
            d["V"] = _name(self.V)
        if self.TU:
            d["TU"] = PDFString(self.TU)
        if self.parent_ref is not None:
            d["Parent"] = self.parent_ref
        return PDFDictionary(d).format(doc)


def _name(value: str) -> Any:
    from reportlab.pdfbase.pdfdoc import PDFName

    return PDFName(value)


def nest_field_names(canvas: Canvas) -> None:
    """Replace the flat dotted field names of the canvas's AcroForm by a tree of partial names."""
    form = canvas.acroForm
    doc = canvas._doc
    parents: dict[str, tuple[Any, PDFDictionary]] = {}
    top: list[Any] = []

    def parent_of(path: str) -> Any:
        if path in parents:
            return parents[path][0]
        *above, last = path.split(".")
        node = PDFDictionary({"T": PDFString(last), "Kids": PDFArray([])})
        ref = doc.Reference(node)
        parents[path] = (ref, node)
        if above:
            up = parent_of(".".join(above))
            node["Parent"] = up
            parents[".".join(above)][1]["Kids"].sequence.append(ref)
        else:
            top.append(ref)
        return ref

    for ref in form.fields:
        obj = doc.idToObject[ref.name]
        full = obj.T if isinstance(obj, RadioGroup) else _text_of(obj["T"])
        if "." not in full:
            top.append(ref)
            continue
        path, last = full.rsplit(".", 1)
        parent = parent_of(path)
        parents[path][1]["Kids"].sequence.append(ref)
        if isinstance(obj, RadioGroup):
            obj.__class__ = _NestedRadioGroup
            obj.T = last
            obj.parent_ref = parent
        else:
            obj["T"] = PDFString(last)
            obj["Parent"] = parent
    form.fields = top


def _text_of(value: Any) -> str:
    return value.s if isinstance(value, PDFString) else str(value)
