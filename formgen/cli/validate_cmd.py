"""``formgen validate``: check a submission and print its findings (text for a handläggare, or JSON)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from extractors.registry import ReadOptions
from formgen.cli.common import EXIT_FINDINGS, EXIT_OK, dump_json, ocr_option, one_line_errors
from formgen.findings import Finding, Severity, summarise
from formgen.pipeline import load_for_validation
from formgen.record import Record
from formgen.validate import validate as validate_record

_HEADINGS: dict[Severity, str] = {"error": "FEL", "warning": "VARNING", "info": "INFO"}


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Utdata: läsbar text eller JSON.")
@ocr_option
@one_line_errors
def validate(file: Path, fmt: str, ocr: str) -> None:
    """Granska en redovisning (PDF, DOCX eller en post i JSON) och skriv ut fel, varningar och upplysningar."""
    record, findings = load_for_validation(file, ReadOptions(ocr=ocr))
    findings = [*findings, *validate_record(record)]
    summary = summarise(findings)
    if fmt == "json":
        click.echo(dump_json({"findings": [f.to_json() for f in findings], "summary": summary}), nl=False)
    else:
        click.echo(render_text(record, findings), nl=False)
    sys.exit(EXIT_OK if summary["valid"] else EXIT_FINDINGS)


def render_text(record: Record, findings: list[Finding]) -> str:
    """Findings as a handläggare reads them: a header, findings grouped by severity, a summary line."""
    lines = [f"Granskning av redovisning: {record.kommun or '(kommun ej angiven)'}, "
             f"statsbidrag avseende år {record.year}", ""]
    for severity, heading in _HEADINGS.items():
        group = [f for f in findings if f.severity == severity]
        if not group:
            continue
        lines.append(f"{heading} ({len(group)})")
        for f in group:
            lines.append(f"  - {f.message}")
            lines.append(f"    Fält: {', '.join(f.fields)}  [{f.code}]")
        lines.append("")
    if not findings:
        lines.extend(["Inga anmärkningar.", ""])
    s = summarise(findings)
    verdict = "Redovisningen har inga fel." if s["valid"] else "Redovisningen har fel som måste rättas."
    lines.append(f"Sammanfattning: {s['errors']} fel, {s['warnings']} varningar, {s['infos']} info. {verdict}")
    return "\n".join(lines) + "\n"
