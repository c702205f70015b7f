"""Kommuner and län as data: counts per län against Tabell 1 of Socialstyrelsen's lägesrapport 2017, name matching."""

from __future__ import annotations

import pytest

from formgen.places import (
    UnknownLan,
    all_kommuner,
    all_lan,
    kommun_by_code,
    kommuner_in,
    lan_named,
    lan_of,
    match_kommun,
    swedish_sort_key,
)

# Tabell 1 "Kommuner som erbjuder PO per län 2017", column "Antal kommuner" (copied from the lägesrapport).
TABELL_1_ANTAL_KOMMUNER = {
    "Blekinge": 5,
    "Dalarna": 15,
    "Gotland": 1,
    "Gävleborg": 10,
    "Halland": 6,
    "Jämtland": 8,
    "Jönköping": 13,
    "Kalmar": 12,
    "Kronoberg": 8,
    "Norrbotten": 14,
    "Skåne": 33,
    "Stockholm": 26,
    "Södermanland": 9,
    "Uppsala": 8,
    "Värmland": 16,
    "Västerbotten": 15,
    "Västernorrland": 7,
    "Västmanland": 10,
    "Västra Götaland": 49,
    "Örebro": 12,
    "Östergötland": 13,
}
TABELL_1_TOTALT = 290


def test_count_per_lan_matches_tabell_1() -> None:
    counts = {lan.name: len(kommuner_in(lan)) for lan in all_lan()}
    assert counts == TABELL_1_ANTAL_KOMMUNER
    assert sum(counts.values()) == TABELL_1_TOTALT == len(all_kommuner())


def test_codes_are_unique_and_start_with_the_lan_code() -> None:
    codes = [k.code for k in all_kommuner()]
    assert len(set(codes)) == 290
    assert all(len(c) == 4 and c.isdigit() for c in codes)
    assert all(k.code.startswith(k.lan_code) for k in all_kommuner())
    assert [lan.code for lan in all_lan()] == sorted(lan.code for lan in all_lan())
    assert len(all_lan()) == 21


def test_known_kommunkoder() -> None:
    assert kommun_by_code("0180").name == "Stockholm"
    assert kommun_by_code("1480").name == "Göteborg"
    assert kommun_by_code("1280").name == "Malmö"
    assert kommun_by_code("0980").name == "Gotland"
    assert kommun_by_code("0163").name == "Sollentuna"
    assert kommun_by_code("9999") is None
    assert lan_of(kommun_by_code("2584")).name == "Norrbotten"


def test_lansstyrelse_data() -> None:
    stockholm = lan_named("Stockholm")
    assert stockholm.code == "01"
    assert stockholm.lansstyrelse == "Länsstyrelsen i Stockholms län"
    assert stockholm.email == "stockholm@lansstyrelsen.se"
    assert stockholm.address == "Box 22067, 104 22 Stockholm"
    for lan in all_lan():
        assert lan.email.endswith("@lansstyrelsen.se") and lan.email.isascii()
        assert lan.lansstyrelse.startswith("Länsstyrelsen")
        assert lan.address


@pytest.mark.parametrize(
    "text",
    ["Västra Götaland", "Västra Götalands län", "västra götaland", "VÄSTRA GÖTALAND", "Vastra Gotaland", "14"],
)
def test_lan_named_is_tolerant(text: str) -> None:
    assert lan_named(text).name == "Västra Götaland"


def test_lan_named_variants_of_stockholm() -> None:
    for text in ("Stockholm", "Stockholms län", "stockholm", "Länsstyrelsen i Stockholms län"):
        assert lan_named(text).code == "01"


def test_unknown_lan_names_all_21() -> None:
    with pytest.raises(UnknownLan) as caught:
        lan_named("Norrland")
    message = str(caught.value)
    assert "Okänt län" in message and "Norrland" in message
    for name in TABELL_1_ANTAL_KOMMUNER:
        assert name in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sollentuna kommun", "Sollentuna"),
        ("Falu kommun", "Falun"),
        ("Solna stad", "Solna"),
        ("Malmö stad", "Malmö"),
        ("Region Gotland", "Gotland"),
        ("Rinkeby-Kista stadsdelsförvaltning, Stockholms stad", "Stockholm"),
        ("Rinkeby-Kista stadsdelsförvaltning Stockholms stad", "Stockholm"),
        ("Spånga-Tensta", "Stockholm"),
        ("Spånga–Tensta stadsdelsförvaltning", "Stockholm"),
        ("Göteborgs Stad, SDF Angered", "Göteborg"),
        ("Stockholms stad", "Stockholm"),
        ("STOCKHOLM", "Stockholm"),
        ("Upplands Väsby kommun", "Upplands Väsby"),
        ("Upplands-Väsby", "Upplands Väsby"),
        ("Upplands-Bro kommun", "Upplands-Bro"),
        ("Malung-Sälens kommun", "Malung-Sälen"),
        ("Dals-Eds kommun", "Dals-Ed"),
        ("Marks kommun", "Mark"),
        ("Borås Stad", "Borås"),
        ("Kramfors kommun", "Kramfors"),
        ("Håbo kommun", "Håbo"),
        ("Habo kommun", "Habo"),
        ("Sollentuna kommun, Socialförvaltningen", "Sollentuna"),
        ("  Lidingö   stad. ", "Lidingö"),
    ],
)
def test_match_kommun(text: str, expected: str) -> None:
    found = match_kommun(text)
    assert found is not None, text
    assert found.name == expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "Norrland kommun",
        "Sollentun",  # no fuzzy matching
        "Personligt ombud Sollentuna",  # not exactly a kommun's name
        "Solna stad, Sundbybergs stad",  # two different kommuner: not guessed
        "Hisingen",
    ],
)
def test_match_kommun_never_guesses(text: str | None) -> None:
    assert match_kommun(text) is None


def test_kommuner_in_swedish_order() -> None:
    names = [k.name for k in kommuner_in(lan_named("Stockholm"))]
    assert names[0] == "Botkyrka"
    assert names[-3:] == ["Vaxholm", "Värmdö", "Österåker"]
    uppsala = [k.name for k in kommuner_in(lan_named("Uppsala"))]
    assert uppsala == ["Enköping", "Heby", "Håbo", "Knivsta", "Tierp", "Uppsala", "Älvkarleby", "Östhammar"]
    assert sorted(["Örebro", "Åmål", "Älmhult", "Zinkgruvan"], key=swedish_sort_key) == [
        "Zinkgruvan",
        "Åmål",
        "Älmhult",
        "Örebro",
    ]
