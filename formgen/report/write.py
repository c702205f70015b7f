"""``write_report``: the report's files in the formats asked for, each written atomically."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from formgen.atomic import write_atomic
from formgen.report.chart import chart_png
from formgen.report.docx import docx_bytes
from formgen.report.markdown import markdown_text
from formgen.report.model import Report
from formgen.report.xlsx import xlsx_bytes

FORMATS = ("docx", "xlsx", "md")


def expand_formats(formats: Iterable[str] | str) -> tuple[str, ...]:
    """("all",) or "all" -> every format; unknown names raise ValueError."""
    asked = [formats] if isinstance(formats, str) else list(formats)
    if "all" in asked:
        return FORMATS
    unknown = [f for f in asked if f not in FORMATS]
    if unknown:
        raise ValueError(f"okänt format: {', '.join(unknown)} (välj bland {', '.join(FORMATS)}, all)")
    return tuple(f for f in FORMATS if f in asked)


def write_report(report: Report, outdir: Path | str, formats: Iterable[str] | str = ("all",)) -> list[Path]:
    """Write the report as DOCX, XLSX and/or Markdown (with its chart PNG) into ``outdir``; the paths written."""
    out = Path(outdir)
    chosen = expand_formats(formats)
    written: list[Path] = []
    png = chart_png(report.chart) if ("docx" in chosen or "md" in chosen) and report.chart.categories else None
    if "docx" in chosen:
        path = out / f"{report.file_stem}.docx"
        write_atomic(path, docx_bytes(report, png))
        written.append(path)
    if "xlsx" in chosen:
        path = out / f"{report.file_stem}.xlsx"
        write_atomic(path, xlsx_bytes(report))
        written.append(path)
    if "md" in chosen:
        chart_file = None
        if png is not None:
            chart_path = out / report.chart.file_name
            write_atomic(chart_path, png)
            written.append(chart_path)
            chart_file = chart_path.name
        path = out / f"{report.file_stem}.md"
        write_atomic(path, markdown_text(report, chart_file))
        written.append(path)
    return written
