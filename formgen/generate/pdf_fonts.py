"""Text in the embedded font as PDF operators, for page content and field appearance streams alike.

reportlab embeds a TrueType font as subsets of up to 256 glyphs, each with a ToUnicode map, and gives every
character a code in one subset the first time a document uses it (``TTFont.splitString``). That call walks
the text in Python per character and is most of a form's drawing time, so ``FontCodes`` asks it once per
character and document and encodes whole strings from its own table after that.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfdoc import PDFDocument
from reportlab.pdfbase.pdfmetrics import getFont

from formgen.generate.typeset import printable


def _num(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def pdf_string(raw: bytes) -> bytes:
    """A PDF (hexadecimal) string of the given codes: made at C speed, and the content streams are compressed."""
    return b"<%s>" % raw.hex().encode()


class FontCodes:
    """One document's codes of one embedded font: text → runs of (subset font name, codes)."""

    def __init__(self, font_name: str, doc: PDFDocument) -> None:
        self.font = getFont(font_name)
        self.doc = doc
        self.codes: dict[str, int] = {}  # character → subset * 256 + code
        self.names: dict[int, bytes] = {}  # subset → its font resource name ("/F1+0")

    def _learn(self, text: str) -> None:
        for ch in set(text) - self.codes.keys():
            ((subset, code),) = self.font.splitString(ch, self.doc)
            self.codes[ch] = subset << 8 | code[0]

    def name(self, subset: int) -> bytes:
        found = self.names.get(subset)
        if found is None:
            found = self.names[subset] = self.font.getSubsetInternalName(subset, self.doc).encode()
        return found

    def runs(self, text: str) -> list[tuple[bytes, bytes]]:
        """The text (made printable) as runs of one subset each: (font resource name, codes)."""
        text = printable(text)
        codes = self.codes
        if not codes.keys() >= set(text):
            self._learn(text)
        numbers = [codes[ch] for ch in text]
        if not numbers:
            return []
        if max(numbers) < 256:
            return [(self.name(0), bytes(numbers))]
        out: list[tuple[bytes, bytes]] = []
        current, chunk = numbers[0] >> 8, bytearray()
        for n in numbers:
            if n >> 8 != current:
                out.append((self.name(current), bytes(chunk)))
                current, chunk = n >> 8, bytearray()
            chunk.append(n & 0xFF)
        out.append((self.name(current), bytes(chunk)))
        return out

    def show(self, text: str, size: float) -> bytes:
        """Operators showing the text at the current text position: a Tf and a Tj per subset run."""
        size_op = _num(size).encode()
        return b" ".join(b"%s %s Tf %s Tj" % (name, size_op, pdf_string(codes)) for name, codes in self.runs(text))
