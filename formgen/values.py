"""Swedish value parsing for the form "Redovisning – statsbidrag personligt ombud".

Every ``parse_*`` function returns ``None`` for a blank (not answered) value, see :func:`is_blank`,
and raises :class:`ValueParseError` for anything it cannot read; it never guesses silently.
Negative numbers are refused everywhere: the form has no negative quantities.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "TICK_MARKS",
    "ValueParseError",
    "collapse_whitespace",
    "format_fte_sv",
    "format_int_sv",
    "format_kr_sv",
    "fte_decimals",
    "is_blank",
    "is_valid_email",
    "is_valid_phone",
    "is_valid_postnummer",
    "join_wrapped",
    "normalise_phone",
    "normalise_spaces",
    "parse_choice_mark",
    "parse_date",
    "parse_decimal",
    "parse_email",
    "parse_fte",
    "parse_int",
    "parse_kr",
    "parse_phone",
    "parse_postnummer",
    "parse_year",
    "unwrap_email",
]

_KIND_NOUNS = {
    "int": "ett heltal",
    "kr": "ett belopp i hela kronor",
    "decimal": "ett decimaltal",
    "fte": "ett antal årsarbetare",
    "date": "ett datum",
    "year": "ett årtal",
    "email": "en e-postadress",
    "phone": "ett telefonnummer",
    "postnummer": "ett postnummer",
    "mark": "en kryssmarkering",
}


class ValueParseError(ValueError):
    """A value on the form cannot be read as the kind asked for; the message is Swedish."""

    def __init__(self, raw: str, kind: str, reason: str | None = None) -> None:
        self.raw = raw
        self.kind = kind
        self.reason = reason
        message = f'Kan inte tolka "{raw}" som {_KIND_NOUNS.get(kind, kind)}'
        super().__init__(f"{message}: {reason}" if reason else message)


# ---------------------------------------------------------------- white space and blanks

_HORIZONTAL_WS = re.compile(r"[^\S\n\r]+")  # every white space but line breaks (NBSP, \u202f, \t ...)
_ANY_WS = re.compile(r"\s+")
_INVISIBLE = re.compile(r"[\s\u00ad\u200b\u2060\ufeff]+")
_BLANK = re.compile(r"[\s\u200b\u2060\ufeff_.…]*")


def normalise_spaces(raw: str) -> str:
    """Turn NBSP, narrow NBSP, thin space, tabs into spaces, collapse runs, strip; keep line breaks."""
    return _HORIZONTAL_WS.sub(" ", raw).strip()


def collapse_whitespace(raw: str) -> str:
    """Collapse every run of white space, line breaks included, to one space and strip."""
    return _ANY_WS.sub(" ", raw).strip()


def is_blank(raw: str) -> bool:
    """True when the value is not answered: empty, only white space, or only underscores/dots."""
    return _BLANK.fullmatch(raw) is not None


# ---------------------------------------------------------------- numbers

_NEGATIVE = re.compile(r"^[-\u2212\u2013]\s*\d")
_INT_UNIT = re.compile(r"\s*(?:st\.?|stycken|pers\.?|personer)$", re.IGNORECASE)
_KR_PREFIX = re.compile(r"^(?:kr\.?|sek)\s*", re.IGNORECASE)
_KR_SUFFIX = re.compile(r"\s*(?:kr\.?|kronor|sek|[:,.]-)$", re.IGNORECASE)
_CANONICAL_FTE = re.compile(r"\d+(?:\.(\d+))?")


def _number_pattern(seps: str) -> re.Pattern[str]:
    """Digits with optional thousands groups (one separator from ``seps``) and optional decimals."""
    return re.compile(
        rf"(?P<int>[1-9]\d{{0,2}}(?P<sep>[{seps}])\d{{3}}(?:(?P=sep)\d{{3}})*|\d+)"
        r"(?:(?P<mark>[,.])(?P<frac>\d+))?"
    )


_INT_NUMBER = _number_pattern(" .'’")  # dot groups are thousands: "402.638" = 402638
_DEC_NUMBER = _number_pattern(" '’")  # dot is the decimal mark: "1.25"
_DEC_NUMBER_DOT_GROUPS = _number_pattern(" .'’")  # "1.234,50" once a comma marks the decimals


def _split_number(raw: str, kind: str, text: str, pattern: re.Pattern[str]) -> tuple[int, str]:
    """Read ``text`` as whole part and decimal digits ("" when none written)."""
    if _NEGATIVE.match(text):
        raise ValueParseError(raw, kind, "negativa tal är inte tillåtna")
    m = pattern.fullmatch(text)
    if m is None or (m["sep"] is not None and m["mark"] == m["sep"]):
        raise ValueParseError(raw, kind)
    return int(re.sub(r"\D", "", m["int"])), m["frac"] or ""


def _decimal_parts(raw: str, kind: str) -> tuple[int, str] | None:
    text = collapse_whitespace(raw)
    if is_blank(text):
        return None
    pattern = _DEC_NUMBER_DOT_GROUPS if "," in text else _DEC_NUMBER
    return _split_number(raw, kind, text, pattern)


def parse_int(raw: str) -> int | None:
    """Whole non-negative count ("1 234", "1,00", "12 st"); None when blank."""
    text = collapse_whitespace(raw)
    if is_blank(text):
        return None
    value, frac = _split_number(raw, "int", _INT_UNIT.sub("", text), _INT_NUMBER)
    if frac.strip("0"):
        raise ValueParseError(raw, "int", "ett antal kan inte ha decimaler")
    return value


def parse_kr(raw: str) -> int | None:
    """Whole kronor ("402 638 kr", "402.638", "402 638:-", "402 638,00 kr"); None when blank."""
    text = collapse_whitespace(raw)
    if is_blank(text):
        return None
    text = _KR_SUFFIX.sub("", _KR_PREFIX.sub("", text))
    value, ore = _split_number(raw, "kr", text, _INT_NUMBER)
    if ore.strip("0"):
        raise ValueParseError(raw, "kr", "beloppet är inte i hela kronor (öre är inte tillåtna)")
    return value


def parse_decimal(raw: str) -> Decimal | None:
    """Non-negative decimal number, comma or dot as decimal mark ("1 234,50", "1.25"); None when blank."""
    parts = _decimal_parts(raw, "decimal")
    if parts is None:
        return None
    whole, frac = parts
    return Decimal(f"{whole}.{frac}" if frac else str(whole))


def parse_fte(raw: str) -> str | None:
    """Årsarbetare as canonical text keeping the written decimals ("1,00" → "1.00"); None when blank."""
    parts = _decimal_parts(raw, "fte")
    if parts is None:
        return None
    whole, frac = parts
    return f"{whole}.{frac}" if frac else str(whole)


def fte_as_decimal(value: object) -> Decimal | None:
    """A record's FTE value (a decimal string, "1.50") as a Decimal keeping its decimals; None when it is not
    answered or not a finite number."""
    if not isinstance(value, str):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def fte_decimals(value: str) -> int:
    """Number of decimals written in a canonical FTE string ("1.0" → 1, "1" → 0)."""
    m = _CANONICAL_FTE.fullmatch(value)
    if m is None:
        raise ValueParseError(value, "fte", "inte på formen 1.25")
    return len(m[1] or "")


def format_fte_sv(value: str) -> str:
    """Canonical FTE string written the Swedish way ("1.00" → "1,00")."""
    fte_decimals(value)  # validates
    return value.replace(".", ",")


def format_int_sv(value: int) -> str:
    """Integer with Swedish thousands spaces ("402 638"), a normal space as separator."""
    return f"{value:,}".replace(",", " ")


def format_kr_sv(value: int) -> str:
    """Whole kronor the Swedish way ("402 638 kr")."""
    return f"{format_int_sv(value)} kr"


def parse_year(raw: str) -> int | None:
    """A four-digit year ("2020"); None when blank."""
    text = collapse_whitespace(raw)
    if is_blank(text):
        return None
    if not re.fullmatch(r"\d{4}", text):
        raise ValueParseError(raw, "year")
    return int(text)


# ---------------------------------------------------------------- dates

_MONTHS = {
    name: number
    for number, full in enumerate(
        ("januari", "februari", "mars", "april", "maj", "juni", "juli",
         "augusti", "september", "oktober", "november", "december"),
        start=1,
    )
    for name in (full, full[:3])
} | {"sept": 9}

_ISO_DATE = re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)")
_COMPACT_DATE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?!\d)")
_NUMERIC_DATE = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})[/.\-](?P<m>\d{1,2})(?:\s*[/.\-]\s*|\s+)(?P<y>\d{4})(?!\d)"
)
_TEXT_DATE = re.compile(
    r"(?<!\d)(?P<d>\d{1,2})(?::[ae])?\.?\s*(?P<m>[a-zåäö]+)\.?\s*(?P<y>\d{4})(?!\d)"
)


def _date_candidates(text: str) -> list[tuple[int, int, int]]:
    """Every (year, month, day) written in ``text`` (lower-cased), valid or not."""
    found = []
    for pattern in (_ISO_DATE, _COMPACT_DATE, _NUMERIC_DATE, _TEXT_DATE):
        for m in pattern.finditer(text):
            month = _MONTHS.get(m["m"]) if pattern is _TEXT_DATE else int(m["m"])
            if month is not None:
                found.append((int(m["y"]), month, int(m["d"])))
    return found


def parse_date(raw: str) -> datetime.date | None:
    """One date in ISO, compact, D/M YYYY, D.M.YYYY or Swedish words, around place text; None when blank."""
    text = collapse_whitespace(raw)
    if is_blank(text):
        return None
    dates = set()
    for year, month, day in _date_candidates(text.lower()):
        try:
            dates.add(datetime.date(year, month, day))
        except ValueError:
            raise ValueParseError(raw, "date", "datumet finns inte") from None
    if not dates:
        raise ValueParseError(raw, "date")
    if len(dates) > 1:
        raise ValueParseError(raw, "date", "flera olika datum, oklart vilket som gäller")
    return dates.pop()


# ---------------------------------------------------------------- e-mail, phone, postnummer

_EMAIL = re.compile(
    r"[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*"
    r"@(?:[^\W_](?:[\w-]*[^\W_])?\.)+[^\W\d_]{2,}"
)
_PHONE = re.compile(r"(?:\+46[ -]?)?\d+(?:(?: *- *| +)\d+)*")  # unambiguous: no backtracking blow-up
_POSTNUMMER = re.compile(r"\d{3} \d{2}")
_POSTNUMMER_LOOSE = re.compile(r"(?:s(?:e)?\s*-?\s*)?(\d{3}) ?(\d{2})", re.IGNORECASE)


def unwrap_email(raw: str) -> str:
    """Remove every white space (line breaks included) and invisible character from an e-mail address."""
    return _INVISIBLE.sub("", raw)


def normalise_phone(raw: str) -> str:
    """Phone number as written, only white space normalised ("08 508 03 \\n000" → "08 508 03 000")."""
    return collapse_whitespace(raw)


def join_wrapped(lines: list[str], kind: str = "text") -> str:
    """Join the pieces of one value that a narrow cell wrapped; ``kind`` is "text", "email" or "phone"."""
    if kind == "email":
        return unwrap_email("".join(lines))
    if kind == "phone":
        return normalise_phone(" ".join(lines))
    if kind != "text":
        raise ValueError(f"okänd sort av värde: {kind!r}")
    joined = ""
    for piece in filter(None, map(collapse_whitespace, lines)):
        glue = "" if not joined or joined.endswith("\u00ad") else " "
        joined = joined.removesuffix("\u00ad") + glue + piece
    return joined.removesuffix("\u00ad")


def is_valid_email(value: str) -> bool:
    """True for a plain address local@domain.tld (no white space, no quoted parts)."""
    return _EMAIL.fullmatch(value) is not None


def is_valid_phone(value: str) -> bool:
    """True for a Swedish number: digits, spaces, hyphens, optional leading +46, 7–15 digits."""
    return _PHONE.fullmatch(value) is not None and 7 <= sum(c.isdigit() for c in value) <= 15


def is_valid_postnummer(value: str) -> bool:
    """True for a postnummer written exactly "NNN NN"."""
    return _POSTNUMMER.fullmatch(value) is not None


def parse_postnummer(raw: str) -> str | None:
    """Postnummer as "NNN NN" from "16304", "163 04" or "SE-163 04"; None when blank."""
    text = collapse_whitespace(raw)
    if is_blank(text):
        return None
    m = _POSTNUMMER_LOOSE.fullmatch(text)
    if m is None:
        raise ValueParseError(raw, "postnummer")
    return f"{m[1]} {m[2]}"


def parse_email(raw: str) -> str | None:
    """E-mail address with wrapping white space removed, validated; None when blank."""
    if is_blank(raw):
        return None
    value = unwrap_email(raw)
    if not is_valid_email(value):
        raise ValueParseError(raw, "email")
    return value


def parse_phone(raw: str) -> str | None:
    """Phone number as written with white space normalised, validated; None when blank."""
    if is_blank(raw):
        return None
    value = normalise_phone(raw)
    if not is_valid_phone(value):
        raise ValueParseError(raw, "phone")
    return value


# ---------------------------------------------------------------- tick marks

TICK_MARKS: frozenset[str] = frozenset({"x", "X", "☒", "✓", "✔", "✗", "✘", "☑", "■"})


def parse_choice_mark(raw: str) -> bool:
    """True for a lone tick mark ("x", "☒", "✓" ...), False when blank, else ValueParseError."""
    if is_blank(raw):
        return False
    if collapse_whitespace(raw) in TICK_MARKS:
        return True
    raise ValueParseError(raw, "mark")
