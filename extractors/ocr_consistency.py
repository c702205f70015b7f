"""Answers of one submission that repeat one another, checked against each other after OCR.

An e-mail address repeats its owner's name ("fredrik.dahl@…" beside "Fredrik Dahl"). When the two spellings are
one or two letters apart (compared without case and diacritics), one of them is an OCR misread that no
dictionary can catch: "fredrik.dah1" for "fredrik.dahl", "lars.ekstrorn" for "lars.ekstrom", or the name read
as "Fredrik Dabl". Equal spellings and spellings far apart (a shared mailbox "info@…", initials) say nothing
and are left alone. (An e-mail domain is checked against the kommun names by extractors.ocr_text_checks.)

The names that say who reports (the form's identity: the kommun and the contact person) must hold letters: a
kommun read as "1" (a speck under a label found in the wrong place) is flagged.

Which answers repeat which is the form's knowledge, declared in rules.yaml under ``ocr_consistency``:
``same_person`` pairs a name with an e-mail address.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from formgen.names import ascii_fold
from formgen.spec import FormSpec

NEAR = (1, 2)      # edit distances that mean "the same spelling, misread"
MIN_LENGTH = 4     # shorter name parts are too alike by chance ("per", "pia")
_PARTS = re.compile(r"[.\-_+]+")


def consistency_problems(form: FormSpec, values: Mapping[str, object]) -> list[tuple[str, str]]:
    """(key, Swedish reason) for each answer that nearly, but not exactly, repeats another answer, and each
    identity name without a letter."""
    rules = form.rules.get("ocr_consistency") or {}
    out: list[tuple[str, str]] = []
    for pair in rules.get("same_person", []):
        name_key, email_key = str(pair["name"]), str(pair["email"])
        name, email = values.get(name_key), values.get(email_key)
        if isinstance(name, str) and isinstance(email, str) and "@" in email:
            local = email.split("@", 1)[0]
            near = _near_pair(_PARTS.split(ascii_fold(local)), ascii_fold(name).replace("-", " ").split())
            if near:
                why = f'e-postadressens "{near[0]}" liknar namnets "{near[1]}" men skiljer sig'
                out += [(email_key, why), (name_key, why)]
    identity = form.identity
    for key in (identity.kommun_key, identity.contact_person_key):
        value = values.get(key) if key else None
        if key and isinstance(value, str) and value.strip() and not any(ch.isalpha() for ch in value):
            out.append((key, "ett namn utan bokstäver"))
    return out


def _near_pair(written: list[str], other: list[str]) -> tuple[str, str] | None:
    """The first (written, other) pair of words one or two edits apart (none when any pair is equal)."""
    written = [w for w in written if len(w) >= MIN_LENGTH]
    other = [o for o in other if len(o) >= MIN_LENGTH]
    if set(written) & set(other):
        return None if len(written) <= 1 else _near_pair([w for w in written if w not in other], other)
    for w in written:
        for o in other:
            if NEAR[0] <= edit_distance(w, o, NEAR[1] + 1) <= NEAR[1]:
                return w, o
    return None


def edit_distance(a: str, b: str, cap: int) -> int:
    """Levenshtein distance of two strings, or ``cap`` when it is at least that (stops early)."""
    if abs(len(a) - len(b)) >= cap:
        return cap
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) >= cap:
            return cap
        previous = current
    return min(previous[-1], cap)
