"""The report as Markdown for a quick look: headings, pipe tables, the chart as an image beside the file."""

from __future__ import annotations

from formgen.report.formatting import cell_text
from formgen.report.model import Report, Table


def _escape(text: str) -> str:
    """Text safe inside a table cell or a paragraph: no pipes, no line ends, no emphasis or HTML of its own."""
    text = text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "")
    for ch in "*_`[]<>#":
        text = text.replace(ch, "\\" + ch)
    return text.replace("\n", "<br>")


def _table(table: Table, report: Report) -> list[str]:
    lines = [f"## {table.heading}", "", f"*Tabell {table.number}. {_escape(table.caption)}*", ""]
    lines.append("| " + " | ".join(_escape(c.heading) for c in table.columns) + " |")
    lines.append("|" + "|".join("---" if c.kind == "text" else "---:" for c in table.columns) + "|")
    for row in table.rows:
        cells = []
        for i, (cell, column) in enumerate(zip(row.cells, table.columns, strict=True)):
            content = _escape(cell_text(cell, column, report))
            if i == 0 and row.marked:
                content += _escape(report.symbols["error_mark"])
            if row.total and content:
                content = f"**{content}**"
            cells.append(content)
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    if not table.rows:
        lines += [_escape(report.empty_table), ""]
    if table.note:
        lines += [f"*{_escape(table.note)}*", ""]
    if any(row.marked for row in table.rows):
        lines += [_escape(report.marked_note), ""]
    return lines


def markdown_text(report: Report, chart_file: str | None = None) -> str:
    """The report as Markdown; ``chart_file`` is the chart PNG's name beside the Markdown file, if written."""
    lines = [f"# {report.title}", "", report.subtitle, "", f"**{report.edition}**", "", report.generated, "",
             f"## {report.about_heading}", "", report.about, ""]
    for table in report.tables:
        lines += _table(table, report)
        if table.id == report.chart_after and chart_file:
            lines += [f"![Figur 1. {report.chart.title}]({chart_file})", "", f"*Figur 1. {report.chart.title}*", ""]
    return "\n".join(lines)
