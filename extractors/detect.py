"""Recognising the form and its grant year in a document's text, explaining a refusal."""

from __future__ import annotations

from extractors.labels import text_contains
from formgen.errors import InputError
from formgen.spec import FormSpec, form_versions, load_form


def detect_form(path: str, text: str) -> tuple[FormSpec, int]:
    """The form version and grant year a document's text is, or InputError code "not-this-form"."""
    newest = load_form(form_versions()[-1])
    missing = [m for m in newest.detect.markers if not text_contains(text, m)]
    if len(missing) > len(newest.detect.markers) // 2:
        raise InputError(path, "inte en Redovisning-blankett för personligt ombud (not a Redovisning form); "
                         "saknar: " + "; ".join(f'"{m}"' for m in missing), code="not-this-form")
    match = newest.detect.year_pattern.search(" ".join(text.split()))
    if match is None:
        raise InputError(path, 'blanketten anger inget år ("Statsbidrag avseende år ...") ', code="no-year")
    year = int(match.group(1))
    try:
        form = load_form(year)
    except Exception as exc:  # noqa: BLE001 - any spec problem means the year is unsupported
        raise InputError(path, f"år {year} stöds inte: {exc}", code="unsupported-year") from None
    still_missing = [m for m in form.detect.markers if not text_contains(text, m)]
    if len(still_missing) > len(form.detect.markers) // 2:
        raise InputError(path, "inte en Redovisning-blankett (not a Redovisning form); saknar: "
                         + "; ".join(f'"{m}"' for m in still_missing), code="not-this-form")
    return form, year
