"""OCR readings: unambiguous repairs of typical misreads, and the checks that flag an unsure value.

Repairs (each written into the reading's note): "Q"/"©"/"(at)" for the missing "@" of an e-mail, "O"/"o" for
"0" and "l"/"I"/"|" for "1" inside a number, a thousands separator read as "," in a kronor amount. Checks:
the weakest word's confidence, age bands that do not add up to their total, an e-mail without "@", a
postnummer not "NNN NN", a mark seen only faintly. Each becomes a Problem "uncertain-ocr".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from extractors.assemble import Reading
from extractors.base import Problem
from formgen import values as v
from formgen.record import Record
from formgen.spec import FieldSpec, FormSpec

UNCERTAIN = "uncertain-ocr"
_NUMBER_TYPES = frozenset({"int", "kr", "fte"})
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})
_KR_COMMA_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\s*kr)?$")


def repair_reading(spec: FieldSpec, reading: Reading) -> Reading:
    """The reading with unambiguous OCR misreads repaired and the repair noted; unchanged otherwise."""
    raw = reading.raw
    if not raw.strip() or reading.marks:
        return reading
    fixed, notes = raw, []
    if spec.format == "email" and "@" not in raw:
        fixed = _repair_email(raw)
        if fixed != raw:
            notes.append(f'OCR: "@" återställt i "{raw.strip()}"')
    elif spec.type in _NUMBER_TYPES:
        fixed = " ".join(_repair_number_token(tok) for tok in raw.split())
        if fixed != " ".join(raw.split()):
            notes.append(f'OCR: siffror återställda i "{raw.strip()}" → "{fixed}"')
        else:
            fixed = raw
        if spec.type == "kr" and _KR_COMMA_THOUSANDS.match(fixed.strip()):
            fixed = fixed.replace(",", " ")
            notes.append(f'OCR: tusentalsavgränsare "," läst som mellanslag i "{raw.strip()}"')
    if not notes:
        return reading
    note = "; ".join(filter(None, [reading.note, *notes]))
    return replace(reading, raw=fixed, note=note)


def _repair_email(raw: str) -> str:
    compact = raw.strip()
    for pattern in (r"\s*\(at\)\s*", r"\s*\[at\]\s*", "©", "Q"):
        hits = re.findall(pattern, compact)
        if len(hits) == 1:
            candidate = re.sub(pattern, "@", compact)
            if v.is_valid_email(v.unwrap_email(candidate)):
                return candidate
    return raw


def _repair_number_token(tok: str) -> str:
    """"4O2" → "402", "l5" → "15": only inside a token that has a digit and becomes all digits/separators."""
    if not any(ch.isdigit() for ch in tok):
        return tok
    core = tok.translate(_DIGIT_LOOKALIKES)
    return core if re.fullmatch(r"[\d.,\-]+", core) else tok


def _problem(key: str, raw: str, why: str) -> Problem:
    shown = " ".join(raw.split())
    return Problem(UNCERTAIN, (key,), f'osäker tolkning: {key} = "{shown}" ({why})')


def check_plausible(form: FormSpec, year: int, record: Record, readings: Mapping[str, Reading],
                    unsure_marks: set[str], threshold: float) -> list[Problem]:
    """"uncertain-ocr" problems: low confidence, failed plausibility, marks seen only faintly."""
    fields = form.fields_for_year(year)
    values = record.values
    flagged: dict[str, Problem] = {}
    for key in sorted(unsure_marks):
        flagged[key] = _problem(key, readings[key].raw if key in readings else "",
                                "en svag eller otydlig markering")
    for key, reading in readings.items():
        if key in flagged or not reading.raw.strip():
            continue
        spec = fields.get(key)
        if reading.confidence is not None and reading.confidence < threshold:
            flagged[key] = _problem(key, reading.raw, f"OCR-säkerhet {reading.confidence:.2f}")
            continue
        if spec is None:
            continue
        value = values.get(key)
        if spec.format == "email" and "@" not in reading.raw:
            flagged[key] = _problem(key, reading.raw, 'e-postadressen saknar "@"')
        elif spec.format == "email" and isinstance(value, str) and not v.is_valid_email(value):
            flagged[key] = _problem(key, reading.raw, "ogiltig e-postadress")
        elif spec.format == "postnummer" and not v.is_valid_postnummer(" ".join(reading.raw.split())):
            flagged[key] = _problem(key, reading.raw, 'postnumret är inte "NNN NN"')
    for key, why in _age_band_breaks(fields, values):
        if key not in flagged:
            flagged[key] = _problem(key, readings[key].raw if key in readings else "", why)
    return list(flagged.values())


def _age_band_breaks(fields: Mapping[str, FieldSpec],
                     values: Mapping[str, object]) -> list[tuple[str, str]]:
    """Keys of a count row whose age bands do not add up to its total (each read count is named)."""
    out: list[tuple[str, str]] = []
    for key in fields:
        head, _, gender = key.rpartition(".")
        band_keys = [k for k in fields if k.startswith(f"{head}.") and k.endswith(f".{gender}")
                     and k.count(".") == key.count(".") + 1 and fields[k].type == "int"]
        if len(band_keys) < 2 or fields[key].type != "int":
            continue
        total = values.get(key)
        parts = [values.get(k) for k in band_keys]
        if not isinstance(total, int) or any(p is not None and not isinstance(p, int) for p in parts):
            continue
        if sum(p or 0 for p in parts) != total:
            why = f"åldersgrupperna summerar till {sum(p or 0 for p in parts)}, inte {total}"
            out += [(k, why) for k in [key, *band_keys] if values.get(k) is not None]
    return out
