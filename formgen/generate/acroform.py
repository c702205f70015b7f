"""AcroForm fields written with reportlab's PDF objects: a real field hierarchy named by the record keys.

reportlab's own ``canvas.acroForm`` cannot build a hierarchy (a "." inside a partial name /T is not allowed
by the PDF spec), so the fields are written here: "kontakt.kommun" is a parent field /T (kontakt) with a kid
/T (kommun). Every widget carries its own appearance streams (/AP /N; buttons also /Off, /AS = the parent's
/V), drawn with the same positions as the flattened page (``layout.slot_lines``): viewers that only draw
what is there (PDFium, Poppler, pdf.js, Preview) show the values, and /NeedAppearances is never set.

The appearance streams draw with the same embedded DejaVu Sans subset as the page text (reportlab's shared
font dictionary, with its ToUnicode map), so every character of a value shows and extracts as typed.
The fields' default appearance (/DA, for a viewer that redraws a field while someone types in it) names
the standard Helvetica in /DR: a full Unicode font there would embed the whole font file (~750 kB).
"""

from __future__ import annotations

from reportlab.pdfbase.pdfdoc import (
    BasicFonts,
    PDFArray,
    PDFDictionary,
    PDFName,
    PDFObjectReference,
    PDFStream,
    PDFString,
)
from reportlab.pdfgen.canvas import Canvas

from formgen.generate.layout import PAGE_H, Slot, slot_lines
from formgen.generate.pdf_fonts import FontCodes

FF_READONLY = 1
FF_MULTILINE = 1 << 12
FF_RADIO = 1 << 15
ANNOT_PRINT = 4
CHECK_ON = "Yes"  # the on-state of a check box (a reader looks it up in /AP /N)
_ALIGN = {"left": 0, "center": 1, "right": 2}
_NUMBER_JS = 'AFNumber_{}(0, 1, 0, 0, "", true);'


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


class FieldWriter:
    """Adds one field per record key to a reportlab canvas, page by page; ``finish`` writes /AcroForm."""

    def __init__(self, canvas: Canvas, codes: FontCodes) -> None:
        self.canvas = canvas
        self.doc = canvas._doc
        self.roots: list[PDFObjectReference] = []
        self.nodes: dict[str, tuple[PDFObjectReference, PDFArray]] = {}
        self.radios: dict[str, tuple[PDFObjectReference, PDFArray]] = {}
        self.terminals: set[str] = set()
        self.count = 0
        self.appearances: dict[tuple[float, float, bytes], PDFObjectReference] = {}
        helv = PDFDictionary({"Type": PDFName("Font"), "Subtype": PDFName("Type1"),
                              "BaseFont": PDFName("Helvetica"), "Encoding": PDFName("WinAnsiEncoding")})
        self.helv = self.doc.Reference(helv)
        self.codes = codes  # the page text's codes of the regular font: one subset set for the whole file
        self.resources = self.doc.Reference(PDFDictionary({"Font": PDFObjectReference(BasicFonts)}))

    # ------------------------------------------------------------------ the hierarchy

    def node(self, path: str) -> tuple[PDFObjectReference, PDFArray]:
        """The non-terminal field of a key prefix ("kontakt"), made on first use with its parents."""
        if path in self.terminals:
            raise ValueError(f"nyckeln {path} är både ett fält och en förälder till fält")
        found = self.nodes.get(path)
        if found is None:
            parent, _, part = path.rpartition(".")
            kids = PDFArray([])
            node = PDFDictionary({"T": PDFString(part), "Kids": kids})
            ref = self.doc.Reference(node)
            self.attach(node, ref, parent)
            found = self.nodes[path] = (ref, kids)
        return found

    def attach(self, field: PDFDictionary, ref: PDFObjectReference, parent: str) -> None:
        if parent:
            parent_ref, kids = self.node(parent)
            field["Parent"] = parent_ref
            kids.sequence.append(ref)
        else:
            self.roots.append(ref)

    def terminal(self, key: str) -> tuple[str, str]:
        if key in self.terminals or key in self.nodes:
            raise ValueError(f"nyckeln {key} förekommer två gånger bland fälten")
        self.terminals.add(key)
        parent, _, leaf = key.rpartition(".")
        return parent, leaf

    def widget_on_page(self, widget: PDFDictionary) -> PDFObjectReference:
        self.count += 1
        self.canvas._addAnnotation(widget, f"W{self.count}")
        return self.doc.Reference(widget)

    # ------------------------------------------------------------------ appearances

    def stream(self, w: float, h: float, ops: bytes) -> PDFObjectReference:
        """An appearance XObject; widgets of the same size that look the same share one (most fields of a
        new year's form are empty, and every Off state is blank), so the file holds each look once."""
        key = (round(w, 2), round(h, 2), ops)
        found = self.appearances.get(key)
        if found is None:
            form = PDFDictionary({"Type": PDFName("XObject"), "Subtype": PDFName("Form"),
                                  "BBox": PDFArray([0, 0, key[0], key[1]]), "Resources": self.resources})
            found = self.appearances[key] = self.doc.Reference(PDFStream(form, ops))
        return found

    def text_ops(self, slot: Slot, w: float, h: float) -> bytes:
        parts = [b"/Tx BMC q 1 1 %s %s re W n BT 0 g" % (_num(w - 2).encode(), _num(h - 2).encode())]
        for dx, baseline, line in slot_lines(slot):
            parts.append(b"1 0 0 1 %s %s Tm %s" % (_num(dx).encode(), _num(h - baseline).encode(),
                                                     self.codes.show(line, slot.size)))
        parts.append(b"ET Q EMC")
        return b"\n".join(parts)

    def off_stream(self, w: float, h: float) -> PDFObjectReference:
        return self.stream(w, h, b"")

    def on_stream(self, slot: Slot, w: float, h: float) -> PDFObjectReference:
        shown = slot.lines or ("X",)
        marked = Slot(slot.key, slot.kind, slot.box, shown[:1], slot.value, slot.baseline, slot.size,
                      align=slot.align)
        dx, baseline, text = slot_lines(marked)[0]
        ops = b"q BT 0 g %s %s Td %s ET Q" % (_num(dx).encode(), _num(h - baseline).encode(),
                                               self.codes.show(text, slot.size))
        return self.stream(w, h, ops)

    # ------------------------------------------------------------------ fields

    @staticmethod
    def rect(slot: Slot) -> tuple[PDFArray, float, float]:
        x0, top, x1, bottom = slot.box
        return PDFArray([round(x0, 2), round(PAGE_H - bottom, 2), round(x1, 2), round(PAGE_H - top, 2)]), \
            x1 - x0, bottom - top

    def add(self, slot: Slot) -> None:
        """The field (or radio button) of one slot on the current page."""
        if slot.kind == "radio":
            self.add_radio(slot)
        elif slot.kind == "check":
            self.add_check(slot)
        else:
            self.add_text(slot)

    def add_text(self, slot: Slot) -> None:
        parent, leaf = self.terminal(slot.key)
        rect, w, h = self.rect(slot)
        flags = (FF_MULTILINE if slot.multiline else 0) | (FF_READONLY if slot.readonly else 0)
        field = PDFDictionary({
            "FT": PDFName("Tx"), "T": PDFString(leaf), "TU": PDFString(slot.tooltip),
            "Type": PDFName("Annot"), "Subtype": PDFName("Widget"), "Rect": rect, "F": ANNOT_PRINT,
            "DA": PDFString(f"/Helv {_num(slot.size)} Tf 0 g"), "Q": _ALIGN[slot.align],
            "AP": PDFDictionary({"N": self.stream(w, h, self.text_ops(slot, w, h))}),
        })
        if flags:
            field["Ff"] = flags
        if slot.value:
            field["V"] = PDFString(slot.value)
        if slot.kind == "number":
            field["AA"] = PDFDictionary({
                name: PDFDictionary({"S": PDFName("JavaScript"), "JS": PDFString(_NUMBER_JS.format(js))})
                for name, js in (("K", "Keystroke"), ("F", "Format"))
            })
        self.attach(field, self.widget_on_page(field), parent)

    def add_check(self, slot: Slot) -> None:
        parent, leaf = self.terminal(slot.key)
        rect, w, h = self.rect(slot)
        state = PDFName(CHECK_ON if slot.on else "Off")
        field = PDFDictionary({
            "FT": PDFName("Btn"), "T": PDFString(leaf), "TU": PDFString(slot.tooltip),
            "Type": PDFName("Annot"), "Subtype": PDFName("Widget"), "Rect": rect, "F": ANNOT_PRINT,
            "V": state, "AS": state,
            "AP": PDFDictionary({"N": PDFDictionary({CHECK_ON: self.on_stream(slot, w, h),
                                                     "Off": self.off_stream(w, h)})}),
        })
        self.attach(field, self.widget_on_page(field), parent)

    def add_radio(self, slot: Slot) -> None:
        export = slot.export or ""
        found = self.radios.get(slot.key)
        if found is None:
            parent, leaf = self.terminal(slot.key)
            kids = PDFArray([])
            field = PDFDictionary({
                "FT": PDFName("Btn"), "Ff": FF_RADIO, "T": PDFString(leaf), "TU": PDFString(slot.tooltip),
                "Kids": kids, "V": PDFName(slot.value or "Off"),
            })
            ref = self.doc.Reference(field)
            self.attach(field, ref, parent)
            found = self.radios[slot.key] = (ref, kids)
        ref, kids = found
        rect, w, h = self.rect(slot)
        widget = PDFDictionary({
            "Type": PDFName("Annot"), "Subtype": PDFName("Widget"), "Rect": rect, "F": ANNOT_PRINT,
            "Parent": ref, "AS": PDFName(export if slot.on else "Off"),
            "AP": PDFDictionary({"N": PDFDictionary({export: self.on_stream(slot, w, h),
                                                     "Off": self.off_stream(w, h)})}),
        })
        kids.sequence.append(self.widget_on_page(widget))

    def finish(self) -> None:
        """Write the document's /AcroForm: the top-level fields and the default font resources."""
        self.doc.Catalog.AcroForm = PDFDictionary({
            "Fields": PDFArray(self.roots),
            "DR": PDFDictionary({"Font": PDFDictionary({"Helv": self.helv})}),
            "DA": PDFString("/Helv 0 Tf 0 g"),
        })
