"""OCR readings: unambiguous repairs of typical misreads, and the checks that flag an unsure value.

Repairs (each written into the reading's note): "Q"/"©"/"Ö"/"&"/"(at)" and other misreadings of the missing
"@" of an e-mail (only when the result is a valid address), "O"/"o" for "0" and "l"/"I"/"|" for "1" inside
a number, a thousands separator read as "," in a kronor amount, and in free text the misreads with one clear
reading (``ocr_text_checks.corrected_text``: "psykiätrin" → "psykiatrin", "del.av" → "del av"; each corrected
value stays flagged, naming the correction). Checks: the weakest word's confidence, the
weakest digit's confidence of a number, two reads of a number that disagree, age bands that do not add up
to their total (an unread band included), nya/avslutade above totalt, a kontaktorsak above all clients, kr
that are not årsanställningar × the year's grant (where known), counts and amounts with an implausible number
of digits, an e-mail without "@", a postnummer not "NNN NN", a mark seen only faintly, and confident misreads
of free text and phone numbers (``ocr_text_checks``: words off Tesseract's lexicon, stray punctuation). Each
becomes a Problem "uncertain-ocr" ("osäker tolkning").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from extractors.assemble import Reading
from extractors.base import Problem
from extractors.ocr_text_checks import (
    corrected_text,
    correction_lexicon,
    corrections_in_note,
    free_text_problems,
    is_free_text,
    is_name_field,
    text_of,
)
from formgen import values as v
from formgen.record import Record
from formgen.spec import FieldSpec, FormSpec

UNCERTAIN = "uncertain-ocr"
_NUMBER_TYPES = frozenset({"int", "kr", "fte"})
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})
# An address whose "@" OCR read as something else: lower-case local part and domain around one misreading.
_EMAIL_AT_MISREAD = re.compile(r"([a-z0-9._%+\-]+)"
                               r"([öÖ]{2}|[öÖQ]@|@[öÖQ]|\(Q|\(@|QQ|Q|©|®|\(at\)|\([öÖ]|[öÖ]|@@|\(ä|&|G|C)"
                               r"([a-z0-9\-]+(?:[.:][a-z0-9\-]+)*[.:][a-z]{2,})")
_KR_COMMA_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\s*kr)?$")


def repair_reading(spec: FieldSpec, reading: Reading) -> Reading:
    """The reading with unambiguous OCR misreads repaired and the repair noted; unchanged otherwise. Free text
    (not a person's name or an address) gets ``corrected_text``'s corrections, each noted as
    'OCR: "psykiätrin" rättat till "psykiatrin" (ordlistan)'; check_plausible flags those values."""
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
    elif is_free_text(spec) and not is_name_field(spec):  # confident misreads with one clear reading
        fixed, corrections = corrected_text(raw, correction_lexicon(), as_list=spec.type == "list")
        notes += [c.note() for c in corrections]
    if not notes:
        return reading
    note = "; ".join(filter(None, [reading.note, *notes]))
    return replace(reading, raw=fixed, note=note)


def _repair_email(raw: str) -> str:
    compact = raw.strip()
    misread = _EMAIL_AT_MISREAD.fullmatch(compact.replace(" ", ""))
    if misread:
        candidate = f"{misread.group(1)}@{misread.group(3).replace(':', '.')}"
        if v.is_valid_email(v.unwrap_email(candidate)):
            return candidate
    for pattern in (r"\s*\(at\)\s*", r"\s*\[at\]\s*", "©", "Q"):
        hits = re.findall(pattern, compact)
        if len(hits) == 1:
            candidate = re.sub(pattern, "@", compact)
            if v.is_valid_email(v.unwrap_email(candidate)):
                return candidate
    return raw


def repair_digits(raw: str) -> str:
    """A number as read with digit look-alikes inside its tokens repaired ("4O2 638" → "402 638")."""
    return " ".join(_repair_number_token(tok) for tok in raw.split())


def _repair_number_token(tok: str) -> str:
    """"4O2" → "402", "l5" → "15", ":14" → "14": only inside a token that has a digit and becomes all
    digits/separators (a speck glued before or after a number dropped)."""
    if not any(ch.isdigit() for ch in tok):
        return tok
    core = tok.lstrip(":;'`´‘’").rstrip(".:;,'`´‘’").translate(_DIGIT_LOOKALIKES)  # specks glued to a number
    return core if re.fullmatch(r"[\d.,\-]+", core) else tok


def uncertain(key: str, raw: str, why: str) -> Problem:
    """An "uncertain-ocr" problem on a key: the value as read and why it is in doubt (Swedish)."""
    shown = " ".join(raw.split())
    return Problem(UNCERTAIN, (key,), f'osäker tolkning: {key} = "{shown}" ({why})')



def _why(problem: Problem, key: str, raw: str) -> str:
    """The reason an "uncertain-ocr" problem on ``key`` = ``raw`` gives (what ``uncertain`` wrote in parentheses)."""
    head = uncertain(key, raw, "").message[:-1]
    message = problem.message
    return message[len(head):-1] if message.startswith(head) and message.endswith(")") else message


def check_plausible(form: FormSpec, year: int, record: Record, readings: Mapping[str, Reading],
                    unsure_marks: set[str], threshold: float, doubts: Mapping[str, str] | None = None,
                    char_conf: Mapping[str, float] | None = None) -> list[Problem]:
    """"uncertain-ocr" problems: low confidence (of a word, or of one character of a number), two reads of a
    number that disagree (``doubts``: key → why), failed plausibility and the form's own redundancy (age
    bands that do not add up, nya or avslutade above totalt, a kontaktorsak above the clients, kr that are
    not årsanställningar × the year's grant, a count or amount with an implausible number of digits), marks
    seen only faintly, confident misreads of free text and phones, and every value repair_reading corrected as
    free text (the reason names each correction, after any other reason)."""
    fields = form.fields_for_year(year)
    values = record.values
    flagged: dict[str, Problem] = {}
    for key in sorted(unsure_marks):
        flagged[key] = uncertain(key, readings[key].raw if key in readings else "",
                                "en svag markering eller fläck i svarsfältet")
    for key, why in sorted((doubts or {}).items()):
        if key not in flagged and key in readings:
            flagged[key] = uncertain(key, readings[key].raw, why)
    for key, conf in sorted((char_conf or {}).items()):
        spec = fields.get(key)
        if key in flagged or key not in readings or spec is None or spec.type not in _NUMBER_TYPES:
            continue
        if conf < CHAR_THRESHOLD:
            flagged[key] = uncertain(key, readings[key].raw, f"OCR-säkerhet för en siffra {conf:.2f}")
    for key, reading in readings.items():
        if key in flagged or not reading.raw.strip():
            continue
        spec = fields.get(key)
        if reading.confidence is not None and reading.confidence < threshold:
            flagged[key] = uncertain(key, reading.raw, f"OCR-säkerhet {reading.confidence:.2f}")
            continue
        if spec is None:
            continue
        value = values.get(key)
        if spec.format == "email" and "@" not in reading.raw:
            flagged[key] = uncertain(key, reading.raw, 'e-postadressen saknar "@"')
        elif spec.format == "email" and isinstance(value, str) and not v.is_valid_email(value):
            flagged[key] = uncertain(key, reading.raw, "ogiltig e-postadress")
        elif spec.format == "postnummer" and not v.is_valid_postnummer(" ".join(reading.raw.split())):
            flagged[key] = uncertain(key, reading.raw, 'postnumret är inte "NNN NN"')
    texts = {key: text_of(values.get(key), r.raw) for key, r in readings.items() if key not in flagged}
    text_whys = dict(free_text_problems(form, year, texts))  # confident misreads of free text and phones
    for key, reading in readings.items():  # a corrected misread stays flagged, naming the correction
        corrected = corrections_in_note(reading.note)
        if corrected:
            earlier = _why(flagged[key], key, reading.raw) if key in flagged else None
            text_whys[key] = "; ".join(filter(None, [earlier, *corrected, text_whys.get(key)]))
    for key, why in text_whys.items():
        flagged[key] = uncertain(key, readings[key].raw, why)
    for key, why in [*_age_band_breaks(fields, values), *_redundancy_breaks(form, year, fields, values)]:
        if key not in flagged:
            flagged[key] = uncertain(key, readings[key].raw if key in readings else "", why)
    return list(flagged.values())


CHAR_THRESHOLD = 0.55  # a number one of whose digits Tesseract is less sure of is flagged
MAX_COUNT_DIGITS = 5   # no kommun has 100 000 clients
KR_DIGITS = (5, 8)     # a grant is between 10 000 kr and 99 999 999 kr


def _redundancy_breaks(form: FormSpec, year: int, fields: Mapping[str, FieldSpec],
                       values: Mapping[str, object]) -> list[tuple[str, str]]:
    """Keys whose value breaks what the form's other answers say, by the relations the rules declare
    (rules.yaml): a part above its whole (nya/avslutade above totalt, per gender and age band), a kontaktorsak
    above the whole the new clients belong to, kr ≠ årsanställningar × grant (where the year's grant is known),
    and a count or amount with an implausible number of digits."""
    out: list[tuple[str, str]] = []
    wholes = {str(p["part"]): str(p["whole"]) for p in form.rules.get("part_of_total", [])}
    reasons = form.rules.get("reasons_within_new") or {}
    if reasons:
        new_clients = str(reasons["new_clients"])
        for reason in reasons.get("reasons", []):
            wholes.setdefault(str(reason), wholes.get(new_clients, new_clients))
    for part, whole in wholes.items():
        for key in fields:
            if not key.startswith(part + "."):
                continue
            whole_key = whole + key[len(part):]
            value, total = values.get(key), values.get(whole_key)
            if isinstance(value, int) and isinstance(total, int) and whole_key in fields and value > total:
                out += [(key, f"{value} är fler än {whole_key} ({total})"),
                        (whole_key, f"färre än {key} ({value})")]
    for key, spec in fields.items():
        value = values.get(key)
        if spec.type == "int" and isinstance(value, int) and len(str(value)) > MAX_COUNT_DIGITS:
            out.append((key, f"{value} har orimligt många siffror"))
        if spec.type == "kr" and isinstance(value, int) and not KR_DIGITS[0] <= len(str(value)) <= KR_DIGITS[1]:
            out.append((key, f"{value} kr är ett orimligt belopp"))
    rate = form.grant_per_arsanstallning(year)
    grant = form.rules.get("grant") or {}
    kr_key, fte_key = grant.get("granted_kr"), grant.get("granted_fte")
    kr, fte = values.get(kr_key) if kr_key else None, values.get(fte_key) if fte_key else None
    if rate and isinstance(kr, int) and fte is not None:
        try:
            expected = round(float(str(fte).replace(",", ".")) * rate)
        except ValueError:
            expected = kr
        if expected != kr:
            why = f"{kr} kr är inte {fte} årsanställningar × {rate} kr"
            out += [(kr_key, why), (fte_key, why)]
    return out


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
        if not isinstance(total, int) or any(p is not None and not isinstance(p, int) for p in parts) \
                or all(p is None for p in parts):
            continue  # bands left empty as a whole are an answer, not a misread
        if sum(p or 0 for p in parts) != total:
            why = f"åldersgrupperna summerar till {sum(p or 0 for p in parts)}, inte {total}"
            out += [(k, why) for k in [key, *band_keys]]  # an unread (null) band is the first suspect
    return out
