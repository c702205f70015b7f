"""The send-out list (``utskick.csv`` and ``utskick.xlsx``): one row per form sent, for a mail merge.

Swedish headings; the CSV is what a double-click in a Swedish Excel opens as columns (";" between cells,
UTF-8 with BOM); every cell passes through :func:`formgen.summary.neutralise` (no cell runs as a formula).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from formgen.atomic import write_atomic
from formgen.summary import neutralise

if TYPE_CHECKING:
    from formgen.generate.sendout import SendOutRow

BASIS_SV = {
    "prefilled": "Förifylld",
    "prefilled-errors": "Förifylld, förra året med fel",
    "blank": "Tom blankett",
}
_FILE_HEADING = {"pdf": "Blankett (PDF)", "docx": "Blankett (Word)"}


def headings(formats: Sequence[str]) -> list[str]:
    """The list's column headings: one file column per format written."""
    return ["Kommun", "Verksamhet", "Kontaktperson", "E-post", *(_FILE_HEADING[f] for f in formats),
            "Underlag", "Överfört", "Tips", "Anmärkning"]


def cells(row: SendOutRow, formats: Sequence[str]) -> list[Any]:
    """One row's cells in heading order, neutralised (None where nothing is known)."""
    values = [row.kommun, row.verksamhet, row.kontaktperson, row.epost, *(row.files.get(f) for f in formats),
              BASIS_SV[row.basis], row.carried, row.hint, "; ".join(row.notes) or None]
    return [neutralise(v) for v in values]


def csv_bytes(rows: Sequence[SendOutRow], formats: Sequence[str]) -> bytes:
    """The list as CSV for a Swedish Excel: ";" separated, UTF-8 with BOM, CRLF, header first."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headings(formats))
    for row in rows:
        writer.writerow(["" if v is None else v for v in cells(row, formats)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows: Sequence[SendOutRow], formats: Sequence[str], year: int) -> bytes:
    """The list as an XLSX workbook: one sheet "Utskick <år>", bold header row frozen, text never a formula."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=f"Utskick {year}")
    ws.freeze_panes = "A2"
    heads = headings(formats)
    widths = [max(len(h), *(len(str(c or "")) for c in (cells(r, formats)[i] for r in rows)), 8)
              for i, h in enumerate(heads)] if rows else [len(h) + 2 for h in heads]
    for i, width in enumerate(widths):
        ws.column_dimensions[_column_letter(i)].width = min(width + 2, 60)
    bold = Font(bold=True)
    header = []
    for heading in heads:
        cell = WriteOnlyCell(ws, value=heading)
        cell.font = bold
        header.append(cell)
    ws.append(header)
    for row in rows:
        ws.append(cells(row, formats))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_list(rows: Sequence[SendOutRow], stem: Path, formats: Sequence[str], year: int) -> tuple[Path, Path]:
    """Write ``<stem>.csv`` and ``<stem>.xlsx`` atomically; their paths."""
    csv_path, xlsx_path = stem.with_suffix(".csv"), stem.with_suffix(".xlsx")
    write_atomic(csv_path, csv_bytes(rows, formats))
    write_atomic(xlsx_path, xlsx_bytes(rows, formats, year))
    return csv_path, xlsx_path


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
