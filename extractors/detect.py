"""Recognising the form and its grant year in a document's text, explaining a refusal."""

from __future__ import annotations

from extractors.labels import text_contains
from formgen.errors import InputError
from formgen.spec import FormSpec, form_versions, load_form


def detect_form(path: str, text: str) -> tuple[FormSpec, int]:
    """The form version and grant year a document's text is, or InputError code "not-this-form"."""
    newest = load_form(form_versions()[-1])
    _check_markers(path, text, newest)
    match = newest.detect.year_pattern.search(" ".join(text.split()))
    if match is None:
        raise InputError(path, 'blanketten anger inget år ("Statsbidrag avseende år ...") ', code="no-year")
    year = int(match.group(1))
    try:
        form = load_form(year)
    except Exception as exc:  # noqa: BLE001 - any spec problem means the year is unsupported
        raise InputError(path, f"år {year} stöds inte: {exc}", code="unsupported-year") from None
    if form is not newest:
        _check_markers(path, text, form)  # an older version has markers of its own
    return form, year


def _check_markers(path: str, text: str, form: FormSpec) -> None:
    """Refuse a text missing more than half of a form version's markers, naming the missing ones."""
    missing = [m for m in form.detect.markers if not text_contains(text, m)]
    if len(missing) > len(form.detect.markers) // 2:
        raise InputError(path, "inte en Redovisning-blankett för personligt ombud (not a Redovisning form); "
                         "saknar: " + "; ".join(f'"{m}"' for m in missing), code="not-this-form")
