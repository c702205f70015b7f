"""An inbox batch's outputs: per submission a JSON document and a Swedish text report, and the summaries."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from formgen.atomic import write_atomic
from formgen.catalogue import catalogue
from formgen.findings import Finding, summarise
from formgen.inbox_results import FileResult
from formgen.json_text import compact_json, dump_json
from formgen.names import safe_stem, unique_stem
from formgen.store import Store
from formgen.summary import summary_layout
from formgen.values import format_fte_sv, format_kr_sv

_CONTROL = str.maketrans({c: None for c in [*range(0, 9), 11, 12, *range(14, 32), 127]})

def _clean(value: Any) -> str:
    return "–" if value is None else str(value).translate(_CONTROL)


def _sv(value: Any, *, kr: bool = False) -> str:
    """A key figure written the Swedish way ("402 638 kr", "1,00"), "–" when not known."""
    if value is None:
        return "–"
    if kr and isinstance(value, int):
        return format_kr_sv(value)
    return format_fte_sv(str(value)) if isinstance(value, Decimal) else _clean(value)


def _form_name(year: int | None) -> str:
    """The form's name as its version for the year (the newest version when the year is not known) gives it."""
    forms = catalogue()
    known = year is not None and year >= forms.versions[0]
    form = forms.for_year(year) if known and year is not None else forms.version(forms.versions[-1])
    return form.text("form_name", year if known and year is not None else form.valid_from)


def report_text(result: FileResult, *, superseded: bool = False) -> str:
    """A readable Swedish report of one submission."""
    payload = result.payload or {}
    findings = payload.get("findings", [])
    row = result.row
    counts = summarise(Finding(f["code"], f["severity"], tuple(f["fields"]), f["message"]) for f in findings)
    lines = [
        _form_name(row.year),
        "",
        f"Kommun:  {_clean(row.kommun)}",
        f"År:      {_clean(row.year)}",
        f"Fil:     {_clean(row.file)}",
        f"SHA-256: {result.sha256}",
        f"Status:  {summary_layout().status(row.status)}",
        f"Fel: {counts['errors']}   Varningar: {counts['warnings']}   Upplysningar: {counts['infos']}",
    ]
    if superseded:
        lines.append("Ersatt av en senare inskickad redovisning för samma kommun och år.")
    lines += ["", "Nyckeltal"]
    lines += [f"  {figure.heading}: {_sv(row.figure(figure.id), kr=figure.type == 'kr')}"
              for figure in summary_layout().figures]
    for severity, title in (("error", "Fel"), ("warning", "Varningar"), ("info", "Upplysningar")):
        chosen = [f for f in findings if f["severity"] == severity]
        if chosen:
            lines += ["", title]
            for f in chosen:
                where = f" ({', '.join(f['fields'])})" if f["fields"] else ""
                lines.append(f"  - {_clean(f['message'])}{where} [{f['code']}]")
    return "\n".join(lines) + "\n"


def document_text(document: dict[str, Any]) -> str:
    """A per-submission JSON document: indented, except provenance (one compact line per key; it is large).

    ``json.dumps`` with ``indent`` uses the pure-Python encoder, ~10x slower than the C one on provenance.
    """
    provenance = document.get("provenance") or {}
    rest = dump_json({k: v for k, v in document.items() if k != "provenance"}).rstrip()
    if not provenance:
        return rest[:-1].rstrip() + ',\n  "provenance": {}\n}\n'
    lines = [f"    {compact_json(k)}: {compact_json(v)}" for k, v in provenance.items()]
    return rest[:-1].rstrip() + ',\n  "provenance": {\n' + ",\n".join(lines) + "\n  }\n}\n"


def _document_head(head: dict[str, Any]) -> bytes:
    """How a document written by :func:`document_text` with these first keys begins."""
    return (dump_json(head).rstrip()[:-1].rstrip() + ",\n").encode("utf-8")


def _starts_with(path: Path, prefix: bytes) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(prefix)) == prefix
    except OSError:
        return False


def _write_if_changed(path: Path, data: str | bytes) -> bool:
    """write_atomic, skipped when the file already holds exactly these bytes; True when written."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if path.stat().st_size == len(payload) and path.read_bytes() == payload:
            return False
    except OSError:
        pass
    write_atomic(path, payload)
    return True


def write_outputs(out: Path, results: Sequence[FileResult], store: Store, *,
                  csv_dialect: str = "excel-sv") -> list[Path]:
    """Per submission ``<kommun>-<år>.json`` and ``.txt`` (superseded ones get a hash suffix); summaries
    (summary.csv in ``csv_dialect``, summary.xlsx with a link from each file to its text report)."""
    from formgen.summary_csv import csv_bytes

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    taken: set[str] = {"summary"}
    seen: set[str] = set()
    links: dict[str, str] = {}
    superseded = store.superseded_hashes()
    for result in results:
        if result.payload is None or result.sha256 is None or result.sha256 in seen:
            continue
        seen.add(result.sha256)
        stem = safe_stem(result.row.kommun) + (f"-{result.row.year}" if result.row.year is not None else "")
        old = result.sha256 in superseded
        if old:
            stem = f"{stem}-{result.sha256[:8]}"
        stem = unique_stem(stem, taken)
        head = {"file": result.rel, "sha256": result.sha256, "status": result.row.status, "superseded": old}
        target = out / f"{stem}.json"
        # A submission's record, findings and provenance never change once stored (same sha256), so a document
        # already written with the same head is left as it is: a warm rerun does not re-encode provenance.
        if not (result.cached and _starts_with(target, _document_head(head))):
            _write_if_changed(target, document_text({**head, **result.payload}))
        written.append(target)
        target = out / f"{stem}.txt"
        _write_if_changed(target, report_text(result, superseded=old))
        written.append(target)
        links[result.rel] = f"{stem}.txt"
    rows = [r.row for r in results]
    csv_changed = _write_if_changed(out / "summary.csv", csv_bytes(rows, dialect=csv_dialect))
    xlsx = out / "summary.xlsx"
    if csv_changed or not xlsx.exists():  # same rows as the CSV: rewrite only when they changed
        from formgen.summary_xlsx import xlsx_bytes  # openpyxl costs 0.4 s to import: only when writing

        write_atomic(xlsx, xlsx_bytes(rows, links=links))
    return [*written, out / "summary.csv", xlsx]
