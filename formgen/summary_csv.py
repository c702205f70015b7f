"""The inbox summary as CSV, in two dialects.

- ``excel-sv`` (the default): what a double-click in a Swedish Excel or LibreOffice Calc opens as columns:
  ";" between cells, "," as the decimal sign, UTF-8 with BOM, Swedish headings and statuses.
- ``machine``: for scripts: "," between cells, "." as the decimal sign, the stable English column ids and
  status ids, UTF-8 with BOM (as it has always been written).

Every cell passes through :func:`formgen.summary.neutralise`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from formgen.summary import SummaryLayout, SummaryRow, neutralise, summary_layout


@dataclass(frozen=True)
class CsvDialect:
    """How one CSV dialect writes headings, statuses, decimals and separators."""

    name: str
    delimiter: str
    decimal_sign: str
    swedish: bool


CSV_DIALECTS: dict[str, CsvDialect] = {
    "excel-sv": CsvDialect("excel-sv", ";", ",", swedish=True),
    "machine": CsvDialect("machine", ",", ".", swedish=False),
}


def _cell(value: Any, dialect: CsvDialect) -> Any:
    value = neutralise(value)
    if value is None:
        return ""
    if isinstance(value, Decimal | float):
        return str(value).replace(".", dialect.decimal_sign)
    return value


def csv_bytes(rows: Iterable[SummaryRow], *, dialect: str = "excel-sv", layout: SummaryLayout | None = None) -> bytes:
    """The summary as CSV in a dialect of :data:`CSV_DIALECTS`; header first, one row per file."""
    chosen = CSV_DIALECTS[dialect]
    layout = layout or summary_layout()
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=chosen.delimiter, lineterminator="\r\n")
    columns = layout.ids
    writer.writerow([layout.heading(c) if chosen.swedish else c for c in columns])
    for row in rows:
        values = []
        for column in columns:
            value = row.value(column)
            if column == "status" and chosen.swedish:
                value = layout.status(value)
            values.append(_cell(value, chosen))
        writer.writerow(values)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
