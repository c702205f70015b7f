"""``formgen extract``: a submission (PDF, DOCX, record JSON) → record, source, provenance, problems."""

from __future__ import annotations

from pathlib import Path

import click

from formgen.cli.common import dump_json, fail, ocr_option, one_line_errors, write_atomic


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Skriv JSON hit.")
@click.option("--annotate", type=click.Path(path_type=Path, dir_okay=False),
              help="Rita in lästa värden på sidorna: OUT.png eller OUT.pdf.")
@ocr_option
@one_line_errors
def extract(file: Path, output: Path | None, annotate: Path | None, ocr: str) -> None:
    """Läs en inskickad redovisning och skriv posten som JSON."""
    from extractors.registry import ReadOptions
    from extractors.registry import extract as extract_file

    if not file.exists():
        fail(f"{file}: filen finns inte")
    extraction = extract_file(file, options=ReadOptions(ocr=ocr))
    text = dump_json(extraction.to_json())
    if output:
        write_atomic(output, text)
    else:
        click.echo(text, nl=False)
    if annotate:
        if extraction.source.kind != "pdf":
            fail(f"{file}: --annotate kräver en PDF (filen är {extraction.source.kind})")
        from formgen.annotate import write_annotated

        write_atomic(annotate, write_annotated(file, extraction, annotate))
