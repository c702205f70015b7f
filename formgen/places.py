"""Sweden's 290 kommuner and 21 län (with their Länsstyrelser) as data, and name matching.

The data lives in ``formgen/data/kommuner.yaml`` and ``formgen/data/lan.yaml`` (package data, never fetched at run
time). Submissions name their kommun in many ways ("Sollentuna kommun", "Solna stad", "Rinkeby-Kista
stadsdelsförvaltning, Stockholms stad"); :func:`match_kommun` maps such a name to its kommun by exact comparison
after normalisation (case, punctuation, organisational words such as "kommun" or "stad", a genitive "s") and never
guesses: a name that matches nothing, or parts that name two different kommuner, give ``None``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

__all__ = [
    "Kommun",
    "Lan",
    "UnknownLan",
    "all_kommuner",
    "all_lan",
    "kommun_by_code",
    "kommuner_in",
    "lan_by_code",
    "lan_named",
    "lan_of",
    "match_kommun",
    "swedish_sort_key",
]


@dataclass(frozen=True)
class Lan:
    code: str  # "01"
    name: str  # "Stockholm" (as Tabell 1 of the 2017 lägesrapport names it)
    lansstyrelse: str  # "Länsstyrelsen i Stockholms län"
    email: str  # "stockholm@lansstyrelsen.se"
    address: str  # postal address, one line: "Box 22067, 104 22 Stockholm"


@dataclass(frozen=True)
class Kommun:
    code: str  # kommunkod "0180"
    name: str  # "Stockholm"
    lan_code: str  # "01"


class UnknownLan(ValueError):
    """A län name that is none of the 21; the message (Swedish) names them all."""

    code = "unknown-lan"

    def __init__(self, name: str) -> None:
        names = ", ".join(lan.name for lan in sorted(all_lan(), key=lambda lan: swedish_sort_key(lan.name)))
        super().__init__(f"Okänt län: {name!r}. Länen är: {names}.")
        self.name = name


# Swedish alphabet: å, ä, ö come after z in this order (code points would put ä before å).
_SWEDISH_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}"})  # the characters after "z"


def swedish_sort_key(text: str) -> tuple[str, str]:
    """Sort key giving Swedish alphabetical order (… x y z å ä ö), case-insensitive, accents on é etc. ignored."""
    lowered = unicodedata.normalize("NFC", text).casefold().translate(_SWEDISH_ORDER)
    folded = "".join(
        ch for ch in unicodedata.normalize("NFD", lowered) if not unicodedata.combining(ch)
    )
    return folded, text


# Words that name an organisation rather than a place; in a name they separate its parts
# ("Rinkeby-Kista stadsdelsförvaltning Stockholms stad" has the parts "Rinkeby-Kista" and "Stockholms").
_ORGANISATION_WORDS = frozenset(
    {
        "kommun", "kommuns", "kommunen", "kommunens",
        "stad", "stads", "staden", "stadens",
        "region", "regionen", "regionens",
        "stadsdelsförvaltning", "stadsdelsförvaltningen", "stadsdelsförvaltningens",
        "stadsdelsnämnd", "stadsdelsnämnden", "stadsdelsnämndens",
        "stadsdelsområde", "stadsdelsområdet", "stadsområde", "stadsområdet", "stadsområdesförvaltning",
        "sdf", "sdn", "sof",
    }
)
_SEPARATORS = re.compile(r"[,;:/()\[\]|\n]+")
_PUNCTUATION = re.compile(r"[^\w\s]+")
_HYPHENS = re.compile(r"[-\u2010\u2011\u2012\u2013\u2014_]+")


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).casefold()
    text = _HYPHENS.sub(" ", text)
    text = _PUNCTUATION.sub(" ", text)
    return text.split()


def name_key(text: str) -> str:
    """A name for comparing names: case, spacing, hyphens and punctuation ignored ("LIDINGÖ STAD." = "Lidingö stad")."""
    return " ".join(_words(text))


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def _load(name: str) -> dict:
    text = resources.files("formgen").joinpath("data", name).read_text(encoding="utf-8")
    loaded = yaml.safe_load(text)
    if not isinstance(loaded, dict):
        raise RuntimeError(f"formgen/data/{name}: expected a mapping")
    return loaded


@lru_cache(maxsize=1)
def _lan_data() -> tuple[tuple[Lan, ...], dict[str, Lan]]:
    entries = _load("lan.yaml")["lan"]
    lans = tuple(
        Lan(
            code=str(e["code"]),
            name=str(e["name"]),
            lansstyrelse=str(e["lansstyrelse"]),
            email=str(e["email"]),
            address=str(e["address"]),
        )
        for e in entries
    )
    index: dict[str, Lan] = {}
    for entry, lan in zip(entries, lans, strict=True):
        county = str(entry["county"])  # "Stockholms län"
        genitive = county.removesuffix(" län")
        for alias in (lan.code, lan.name, county, genitive, lan.lansstyrelse):
            for key in {name_key(alias), _fold(name_key(alias))}:
                known = index.setdefault(key, lan)
                if known != lan:
                    raise RuntimeError(f"formgen/data/lan.yaml: {alias!r} names both {known.name} and {lan.name}")
    return tuple(sorted(lans, key=lambda lan: lan.code)), index


@lru_cache(maxsize=1)
def _kommun_data() -> tuple[tuple[Kommun, ...], dict[str, Kommun], dict[str, Kommun]]:
    """All kommuner in code order, the index by code, and the index by normalised name or part name."""
    lan_codes = {lan.code for lan in all_lan()}
    kommuner: list[Kommun] = []
    by_code: dict[str, Kommun] = {}
    by_name: dict[str, Kommun] = {}
    for entry in _load("kommuner.yaml")["kommuner"]:
        kommun = Kommun(code=str(entry["code"]), name=str(entry["name"]), lan_code=str(entry["lan"]))
        if kommun.lan_code not in lan_codes or kommun.code in by_code:
            raise RuntimeError(f"formgen/data/kommuner.yaml: bad entry {entry!r}")
        kommuner.append(kommun)
        by_code[kommun.code] = kommun
        for alias in (kommun.name, *entry.get("parts", ()), *entry.get("aliases", ())):
            key = " ".join(w for w in _words(alias) if w not in _ORGANISATION_WORDS)
            if by_name.setdefault(key, kommun) != kommun:
                raise RuntimeError(f"formgen/data/kommuner.yaml: {alias!r} names two kommuner")
    kommuner.sort(key=lambda k: k.code)
    return tuple(kommuner), by_code, by_name


def all_lan() -> tuple[Lan, ...]:
    """The 21 län in code order."""
    return _lan_data()[0]


def all_kommuner() -> tuple[Kommun, ...]:
    """The 290 kommuner in code order."""
    return _kommun_data()[0]


def lan_named(name: str) -> Lan:
    """The län called ``name`` ("Stockholm", "Stockholms län", "Vastra Gotaland", "01"); else UnknownLan."""
    key = name_key(name or "")
    index = _lan_data()[1]
    found = index.get(key) or index.get(_fold(key))
    if found is None:
        raise UnknownLan(name)
    return found


def lan_by_code(code: str) -> Lan | None:
    return next((lan for lan in all_lan() if lan.code == code), None)


def kommuner_in(lan: Lan) -> tuple[Kommun, ...]:
    """The län's kommuner in Swedish alphabetical order."""
    return tuple(
        sorted((k for k in all_kommuner() if k.lan_code == lan.code), key=lambda k: swedish_sort_key(k.name))
    )


def lan_of(kommun: Kommun) -> Lan:
    found = lan_by_code(kommun.lan_code)
    if found is None:  # the loader refuses such data
        raise RuntimeError(f"kommun {kommun.name} has unknown län code {kommun.lan_code}")
    return found


def kommun_by_code(code: str) -> Kommun | None:
    return _kommun_data()[1].get(str(code).strip())


def _segments(name: str) -> list[list[str]]:
    """The name's parts as word lists: split at punctuation separators and at organisational words."""
    segments: list[list[str]] = []
    for piece in _SEPARATORS.split(name):
        current: list[str] = []
        for word in _words(piece):
            if word in _ORGANISATION_WORDS:
                if current:
                    segments.append(current)
                current = []
            else:
                current.append(word)
        if current:
            segments.append(current)
    return segments


def _match_segment(words: list[str], index: dict[str, Kommun]) -> Kommun | None:
    key = " ".join(words)
    found = index.get(key)
    if found is None and key.endswith("s"):  # genitive: "Stockholms stad", "Marks kommun"
        found = index.get(key[:-1])
    return found


def match_kommun(name: str | None) -> Kommun | None:
    """The kommun a submission's name refers to, or None when it matches none or names two different kommuner."""
    if not name or not name.strip():
        return None
    index = _kommun_data()[2]
    matched = {_match_segment(words, index) for words in _segments(name)} - {None}
    if len(matched) != 1:
        return None
    return matched.pop()
