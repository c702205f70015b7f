"""The send-out list (``utskick.csv`` and ``utskick.xlsx``): one row per form sent, for a mail merge.

Swedish headings; the CSV is what a double-click in a Swedish Excel opens as columns (";" between cells,
UTF-8 with BOM); both are written by the inbox summary's table writers, so every cell passes through
:func:`formgen.summary.neutralise` (no cell runs as a formula).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from formgen.atomic import write_atomic
from formgen.summary_csv import table_csv

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
    """One row's cells in heading order (None where nothing is known); both writers neutralise them."""
    return [row.kommun, row.verksamhet, row.kontaktperson, row.epost, *(row.files.get(f) for f in formats),
            BASIS_SV[row.basis], row.carried, row.hint, "; ".join(row.notes) or None]


def csv_bytes(rows: Sequence[SendOutRow], formats: Sequence[str]) -> bytes:
    """The list as CSV for a Swedish Excel: ";" separated, UTF-8 with BOM, CRLF, header first."""
    return table_csv(headings(formats), (cells(row, formats) for row in rows))


def xlsx_bytes(rows: Sequence[SendOutRow], formats: Sequence[str], year: int) -> bytes:
    """The list as an XLSX workbook: one sheet "Utskick <år>", laid out as the inbox summary (bold frozen
    header, autofilter, fitted widths), text never a formula."""
    from openpyxl import Workbook

    from formgen.summary_xlsx import write_table

    wb = Workbook()
    ws = wb.active
    ws.title = f"Utskick {year}"
    write_table(ws, headings(formats), (cells(row, formats) for row in rows))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_list(rows: Sequence[SendOutRow], stem: Path, formats: Sequence[str], year: int) -> tuple[Path, Path]:
    """Write ``<stem>.csv`` and ``<stem>.xlsx`` atomically; their paths."""
    csv_path, xlsx_path = stem.with_suffix(".csv"), stem.with_suffix(".xlsx")
    write_atomic(csv_path, csv_bytes(rows, formats))
    write_atomic(xlsx_path, xlsx_bytes(rows, formats, year))
    return csv_path, xlsx_path
