"""The county and national report (formgen report): a county inbox of varied submissions goes through the real
inbox and store; every total in the XLSX and the DOCX is checked against sums computed here from the input
records; publishing masks small counts; the DOCX opens in python-docx and LibreOffice."""

from __future__ import annotations

import copy
import hashlib
import json
import random
import shutil
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from formgen.cli import main
from formgen.inbox import run_inbox
from formgen.report import NoSubmissions, build_report, write_report
from formgen.report.mask import mask_table, masked_atoms, round_to
from formgen.report.model import Cell, Column, Row, Table
from formgen.store import NewSubmission, open_store
from tests.helpers import sample_record_json

YEAR = 2020
NBSP = "\u00a0"
BANDS = ("alder_18_29", "alder_30_49", "alder_50_64", "alder_65_plus")
GENDERS = ("kvinnor", "man")
FLOWS = ("totalt", "nya", "avslutade")
REASONS = ("ekonomi", "bostad", "sysselsattning", "struktur_i_vardagen", "bryta_isolering", "relationsfragor",
           "existentiella_fragor", "stod_myndighet", "stod_sjukvard")
MEMBERS = ("kommun", "arbetsformedlingen", "forsakringskassan", "primarvard", "psykiatri")


def make_record(name: str, seed: int, *, ovriga: tuple[str, ...] = (), small: bool = False,
                stiftelse: str | None = None, missing: tuple[str, ...] = (), ko: str = "nej",
                prioritering: str = "ja") -> dict[str, Any]:
    """A plausible, internally consistent record with its own figures (small: counts of 0–3)."""
    rng = random.Random(seed)
    top = 3 if small else 40
    r = copy.deepcopy(sample_record_json())
    r["kontakt"]["kommun"] = name
    r["kontakt"]["ovriga_kommuner"] = list(ovriga)
    k = r["klienter"]
    for g in GENDERS:
        totals = {b: rng.randint(0 if small else 1, top) for b in BANDS}
        if small and g == "man":
            totals = dict(zip(BANDS, (1, 1, 0, 0), strict=True))  # two men: masked when publishing
        for b in BANDS:
            k["totalt"][b][g] = totals[b]
            k["nya"][b][g] = rng.randint(0, totals[b])
            k["avslutade"][b][g] = rng.randint(0, totals[b])
        for flow in FLOWS:
            k[flow][g] = sum(k[flow][b][g] for b in BANDS)
        k["hemmavarande_barn"][g] = rng.randint(0, k["totalt"][g])
        for reason in REASONS:
            r["kontaktorsaker"][reason][g] = rng.randint(0, k["nya"][g])
    ombud_k, ombud_m = (1, 0) if small else (rng.randint(1, 4), rng.randint(0, 3))
    r["ombud"]["antal"] = {"kvinnor": ombud_k, "man": ombud_m}
    fte = Decimal(rng.randint(50, 100 * (ombud_k + ombud_m))) / 100
    r["ombud"]["tjanster"] = f"{fte:.2f}"
    granted = rng.randint(150, 900) * 1000 + rng.randint(0, 999)
    r["ekonomi"].update(beviljat_kr=granted, forbrukat_kr=granted - rng.randint(0, 20000),
                        beviljade_arsanstallningar=f"{fte:.2f}", forbrukade_arsanstallningar=f"{fte:.2f}")
    r["tillgang"].update(ko=ko, vantetid="Två veckor" if ko in ("ja", "delvis") else None,
                         prioritering=prioritering,
                         prioritering_ordning="Klienter med barn" if prioritering == "ja" else None,
                         prioritering_varfor_inte=None if prioritering == "ja" else "Ingen kö")
    for member in MEMBERS:
        r["ledningsgrupp"]["myndigheter"][member] = "nej" if member in missing else "ja"
    r["ledningsgrupp"]["saknas_varfor"] = "Har inte kunnat rekrytera" if missing else None
    if stiftelse:
        r["organisation"]["utforare"] = {"kommun": "nej", "forening": None, "stiftelse": "ja", "aktiebolag": None,
                                         "annan": None}
        r["organisation"]["annan_utforare_namn"] = stiftelse
    r["samhallsservice"]["brister"] = f"Brister hos {name}: långa väntetider."
    r["samhallsservice"]["atgarder"] = f"Åtgärder hos {name}: samverkan."
    return r


@dataclass
class County:
    store: Path
    counted: dict[str, dict[str, Any]]  # organisation -> record, the submissions the Stockholm report counts
    national_extra: dict[str, dict[str, Any]]  # counted in the national report besides
    superseded: dict[str, Any]
    unknown_name: str
    broken: str


SPANGA = "Spånga-Tensta stadsdelsförvaltning, Stockholms stad"
RINKEBY = "Rinkeby-Kista stadsdelsförvaltning, Stockholms stad"
SOLLENTUNA = "Sollentuna kommun"
SOLNA = "Solna stad"
NACKA = "Nacka kommun"
NORDOST = "Personligt ombud Nordost"
MALMO = "Malmö stad"
GOTLAND = "Region Gotland"


def _write(path: Path, record: dict[str, Any]) -> None:
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> County:
    root = tmp_path_factory.mktemp("report")
    inbox = root / "inkorg"
    inbox.mkdir()
    records = {
        SPANGA: make_record(SPANGA, 1),
        RINKEBY: make_record(RINKEBY, 2, ko="delvis"),
        SOLLENTUNA: make_record(SOLLENTUNA, 3, ovriga=("Järfälla", "Upplands-Bro kommun", "Sundbybergs stad"),
                                stiftelse="Stiftelsen Parasoll", missing=("primarvard",), ko="ja"),
        NACKA: make_record(NACKA, 4, small=True, missing=("primarvard", "arbetsformedlingen"), prioritering="nej"),
    }
    # Nacka's age bands do not add up to its total: an error, included and marked
    records[NACKA]["klienter"]["totalt"]["kvinnor"] += 1
    solna_first = make_record(SOLNA, 5)
    solna_corrected = make_record(SOLNA, 6)
    nordost = make_record(NORDOST, 7)
    others = {MALMO: make_record(MALMO, 8), GOTLAND: make_record(GOTLAND, 9)}
    for i, record in enumerate([*records.values(), solna_first, nordost, *others.values()]):
        _write(inbox / f"redovisning-{i}.json", record)
    (inbox / "trasig.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntrasig")
    db = root / "store.sqlite3"
    with open_store(db) as store:
        run_inbox(inbox, store, jobs=1)
        # the corrected resubmission arrives later and supersedes the first
        _write(inbox / "solna-rattad.json", solna_corrected)
        run_inbox(inbox, store, jobs=1)
        # last year: Sollentuna covered Järfälla too (the store has 2019, so the change can be shown)
        last_year = {"ar": YEAR - 1, "kontakt": {"kommun": SOLLENTUNA, "ovriga_kommuner": ["Järfälla"]}}
        store.add(NewSubmission(hashlib.sha256(b"2019").hexdigest(), "2019/sollentuna.json", SOLLENTUNA, YEAR - 1,
                                "2020", last_year, [], "ok", "test"))
        statuses = {s.kommun: s.status for s in store.list(year=YEAR)}
    assert statuses[NACKA] == "errors"
    records[SOLNA] = solna_corrected
    return County(db, records, others | {NORDOST: nordost}, solna_first, NORDOST, "trasig.pdf")


# -- independent sums ----------------------------------------------------------------------------------------------


def total(records: dict[str, dict[str, Any]], *path: str) -> int:
    out = 0
    for record in records.values():
        node: Any = record
        for part in path:
            node = node[part]
        out += node or 0
    return out


def fte_total(records: dict[str, dict[str, Any]], section: str, key: str) -> Decimal:
    return sum((Decimal(r[section][key]) for r in records.values()), Decimal(0))


def kr(n: int) -> str:
    return f"{n:,}".replace(",", " ") + " kr"


def grouped(n: int) -> str:
    return f"{n:,}".replace(",", " ")


# -- reading the outputs -----------------------------------------------------------------------------------------


def sheet_rows(path: Path, sheet: str) -> tuple[list[str], list[list[Any]], Any]:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header = [str(h) for h in rows[0]]
    body = [r for r in rows[1:] if any(v is not None for v in r)]
    return header, body, ws


def xlsx_row(path: Path, sheet: str, first: str) -> dict[str, Any]:
    header, body, _ = sheet_rows(path, sheet)
    row = next(r for r in body if r[0] == first)
    return dict(zip(header, row, strict=False))


def docx_tables(path: Path) -> dict[str, list[list[str]]]:
    """Each table of the document under its caption ("Tabell N. ..."), cells as text with spaces normalised."""
    document = docx.Document(str(path))
    body = document.element.body
    tables: dict[str, list[list[str]]] = {}
    caption = None
    table_index = 0
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            if text.startswith("Tabell "):
                caption = text
        elif tag == "tbl":
            table = document.tables[table_index]
            table_index += 1
            tables[caption or f"#{table_index}"] = [[c.text.replace(NBSP, " ") for c in row.cells]
                                                    for row in table.rows]
    return tables


def docx_table(tables: dict[str, list[list[str]]], caption_part: str) -> tuple[list[str], list[list[str]]]:
    key = next(k for k in tables if caption_part in k)
    rows = tables[key]
    return rows[0], rows[1:]


def docx_row(tables: dict[str, list[list[str]]], caption_part: str, first: str) -> dict[str, str]:
    header, body = docx_table(tables, caption_part)
    row = next(r for r in body if r[0].rstrip("*") == first)
    return dict(zip(header, row, strict=False))


# -- the tests -----------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def internal(county: County, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("internal")
    report = build_report(county.store, YEAR, "Stockholm")
    paths = write_report(report, out, ["all"])
    return {p.suffix: p for p in paths}


def test_outputs_written(internal: dict[str, Path]) -> None:
    assert set(internal) == {".docx", ".xlsx", ".md", ".png"}
    assert internal[".docx"].name == "personligt-ombud-2020-stockholm.docx"
    assert internal[".png"].read_bytes().startswith(b"\x89PNG")
    assert not list(internal[".docx"].parent.glob("*.tmp"))


def test_omfattning_counts_kommuner_verksamheter_and_change(county: County, internal: dict[str, Path]) -> None:
    # covered: Stockholm (two stadsdelar), Sollentuna + Järfälla, Upplands-Bro, Sundbyberg, Solna, Nacka
    covered = {"Stockholm", "Sollentuna", "Järfälla", "Upplands-Bro", "Sundbyberg", "Solna", "Nacka"}
    last_year = {"Sollentuna", "Järfälla"}
    expected = {"Län": "Stockholm", "Antal kommuner": 26, "Antal kommuner som erbjuder PO": len(covered),
                "Förändring jämfört med 2019": len(covered) - len(last_year),
                "Antal verksamheter": len(county.counted)}
    assert xlsx_row(internal[".xlsx"], "Omfattning", "Stockholm") == expected
    row = docx_row(docx_tables(internal[".docx"]), "Kommuner som erbjuder PO", "Stockholm")
    assert row == {k: (f"+{v}" if k.startswith("Förändring") else str(v)) for k, v in expected.items()}

    header, body, _ = sheet_rows(internal[".xlsx"], "Kommuner utan redovisning")
    own = {"Stockholm", "Sollentuna", "Solna", "Nacka"}
    stockholms_lan = {"Botkyrka", "Danderyd", "Ekerö", "Haninge", "Huddinge", "Järfälla", "Lidingö", "Nacka",
                      "Norrtälje", "Nykvarn", "Nynäshamn", "Salem", "Sigtuna", "Sollentuna", "Solna", "Stockholm",
                      "Sundbyberg", "Södertälje", "Tyresö", "Täby", "Upplands Väsby", "Upplands-Bro", "Vallentuna",
                      "Vaxholm", "Värmdö", "Österåker"}
    assert sorted(r[1] for r in body) == sorted(stockholms_lan - own)
    by_name = {r[1]: r[2] for r in body}
    assert by_name["Järfälla"] == by_name["Sundbyberg"] == SOLLENTUNA
    assert by_name["Botkyrka"] == "Ingen redovisning"


def test_klienter_totals_match_input(county: County, internal: dict[str, Path]) -> None:
    recs = county.counted
    tables = docx_tables(internal[".docx"])
    for gender, label in (("kvinnor", "Kvinnor"), ("man", "Män")):
        row = xlsx_row(internal[".xlsx"], "Klienter ålder och kön", label)
        assert row["Summa"] == total(recs, "klienter", "totalt", gender)
        doc_row = docx_row(tables, "Klienternas ålder och kön", label)
        assert doc_row["Summa"] == grouped(total(recs, "klienter", "totalt", gender))
        for band, heading in zip(BANDS, ("18–29 år", "30–49 år", "50–64 år", "65– år"), strict=True):
            assert row[heading] == total(recs, "klienter", "totalt", band, gender)
            assert doc_row[heading] == grouped(total(recs, "klienter", "totalt", band, gender))
    grand = sum(total(recs, "klienter", "totalt", g) for g in GENDERS)
    assert xlsx_row(internal[".xlsx"], "Klienter ålder och kön", "Totalt")["Summa"] == grand
    assert docx_row(tables, "Klienternas ålder och kön", "Totalt")["Summa"] == grouped(grand)

    for flow, label in (("totalt", "Klienter totalt"), ("nya", "Nya klienter"), ("avslutade", "Avslutade klienter"),
                        ("hemmavarande_barn", "Klienter med hemmavarande barn")):
        row = xlsx_row(internal[".xlsx"], "Klienter nya och avslutade", label)
        k, m = total(recs, "klienter", flow, "kvinnor"), total(recs, "klienter", flow, "man")
        assert (row["Kvinnor"], row["Män"], row["Totalt"]) == (k, m, k + m)
        doc_row = docx_row(tables, "nya, avslutade", label)
        assert (doc_row["Kvinnor"], doc_row["Män"], doc_row["Totalt"]) == (grouped(k), grouped(m), grouped(k + m))


def test_kontaktorsaker_and_chart(county: County, internal: dict[str, Path]) -> None:
    recs = county.counted
    tables = docx_tables(internal[".docx"])
    labels = {"ekonomi": "Ekonomi", "bostad": "Bostad", "sysselsattning": "Sysselsättning",
              "struktur_i_vardagen": "Struktur i vardagen", "bryta_isolering": "Bryta isolering",
              "relationsfragor": "Relationsfrågor", "existentiella_fragor": "Existentiella frågor",
              "stod_myndighet": "Stöd i kontakten med myndighet", "stod_sjukvard": "Stöd i kontakten med sjukvården"}
    for reason, label in labels.items():
        k, m = total(recs, "kontaktorsaker", reason, "kvinnor"), total(recs, "kontaktorsaker", reason, "man")
        row = xlsx_row(internal[".xlsx"], "Kontaktorsaker", label)
        assert (row["Kvinnor"], row["Män"], row["Totalt"]) == (k, m, k + m)
        assert docx_row(tables, "Kontaktorsaker", label)["Totalt"] == grouped(k + m)
    all_k = sum(total(recs, "kontaktorsaker", r, "kvinnor") for r in REASONS)
    all_m = sum(total(recs, "kontaktorsaker", r, "man") for r in REASONS)
    row = xlsx_row(internal[".xlsx"], "Kontaktorsaker", "Totalt")
    assert (row["Kvinnor"], row["Män"], row["Totalt"]) == (all_k, all_m, all_k + all_m)
    assert docx_row(tables, "Kontaktorsaker", "Totalt")["Totalt"] == grouped(all_k + all_m)
    document = docx.Document(str(internal[".docx"]))
    assert len(document.inline_shapes) == 1  # the bar chart
    assert any(p.text.startswith("Figur 1. Kontaktorsaker") for p in document.paragraphs)


def test_ombud_and_ekonomi_totals(county: County, internal: dict[str, Path]) -> None:
    recs = county.counted
    tables = docx_tables(internal[".docx"])
    row = xlsx_row(internal[".xlsx"], "Ombud", "Totalt")
    k, m = total(recs, "ombud", "antal", "kvinnor"), total(recs, "ombud", "antal", "man")
    assert (row["Kvinnor"], row["Män"], row["Totalt"]) == (k, m, k + m)
    assert Decimal(str(row["Tjänster (heltid)"])) == fte_total(recs, "ombud", "tjanster")
    doc = docx_row(tables, "Personliga ombud", "Totalt")
    assert doc["Totalt"] == grouped(k + m)
    assert doc["Tjänster (heltid)"] == f"{fte_total(recs, 'ombud', 'tjanster'):.2f}".replace(".", ",")

    granted, used = total(recs, "ekonomi", "beviljat_kr"), total(recs, "ekonomi", "forbrukat_kr")
    row = xlsx_row(internal[".xlsx"], "Ekonomi", "Totalt")
    assert (row["Beviljat"], row["Förbrukat"], row["Differens"]) == (granted, used, granted - used)
    doc = docx_row(tables, "Beviljat och förbrukat", "Totalt")
    assert (doc["Beviljat"], doc["Förbrukat"], doc["Differens"]) == (kr(granted), kr(used), kr(granted - used))
    assert granted > 1_000_000 and " " in kr(granted)  # "12 345 600 kr": grouped by spaces
    for name, record in recs.items():
        assert docx_row(tables, "Beviljat och förbrukat", name)["Beviljat"] == kr(record["ekonomi"]["beviljat_kr"])


def test_per_verksamhet_counts_latest_only(county: County, internal: dict[str, Path]) -> None:
    header, body, ws = sheet_rows(internal[".xlsx"], "Per verksamhet")
    names = [r[0].rstrip("*") for r in body if r[0] != "Totalt"]
    assert sorted(names) == sorted(county.counted)  # two stadsdelar are two; Solna once; unknown name not counted
    solna = xlsx_row(internal[".xlsx"], "Per verksamhet", SOLNA)
    corrected = county.counted[SOLNA]["klienter"]["totalt"]
    assert (solna["Klienter kvinnor"], solna["Klienter män"]) == (corrected["kvinnor"], corrected["man"])
    assert solna["Kommun"] == "Solna"
    assert xlsx_row(internal[".xlsx"], "Per verksamhet", RINKEBY)["Kommun"] == "Stockholm"
    assert xlsx_row(internal[".xlsx"], "Per verksamhet", SOLLENTUNA)["Övriga kommuner"] == \
        "Järfälla, Upplands-Bro, Sundbyberg"
    tot = xlsx_row(internal[".xlsx"], "Per verksamhet", "Totalt")
    recs = county.counted
    assert tot["Klienter totalt"] == sum(total(recs, "klienter", "totalt", g) for g in GENDERS)
    assert tot["Nya klienter"] == sum(total(recs, "klienter", "nya", g) for g in GENDERS)
    assert tot["Avslutade klienter"] == sum(total(recs, "klienter", "avslutade", g) for g in GENDERS)
    assert tot["Ombud"] == sum(total(recs, "ombud", "antal", g) for g in GENDERS)
    assert tot["Beviljat"] == total(recs, "ekonomi", "beviljat_kr")
    assert [r[0] for r in body if r[0].endswith("*")] == [NACKA + "*"]
    # numbers are numbers (not text, not formulas) with Swedish formats; the header row is frozen
    assert ws.freeze_panes in ("A2", "B2")
    totals_row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "Totalt")
    numeric = [c for c in totals_row if isinstance(c.value, int | float)]
    assert numeric and all(c.data_type == "n" for c in numeric)
    assert any("kr" in c.number_format and "#,##0" in c.number_format for c in numeric)
    doc = docx_row(docx_tables(internal[".docx"]), "Nyckeltal per verksamhet", "Totalt")
    expected = {
        "Ombud": grouped(sum(total(recs, "ombud", "antal", g) for g in GENDERS)),
        "Tjänster (heltid)": f"{fte_total(recs, 'ombud', 'tjanster'):.2f}".replace(".", ","),
        "Klienter kvinnor": grouped(total(recs, "klienter", "totalt", "kvinnor")),
        "Klienter män": grouped(total(recs, "klienter", "totalt", "man")),
        "Klienter totalt": grouped(sum(total(recs, "klienter", "totalt", g) for g in GENDERS)),
        "Nya klienter": grouped(sum(total(recs, "klienter", "nya", g) for g in GENDERS)),
        "Avslutade klienter": grouped(sum(total(recs, "klienter", "avslutade", g) for g in GENDERS)),
        "Beviljat": kr(total(recs, "ekonomi", "beviljat_kr")),
        "Förbrukat": kr(total(recs, "ekonomi", "forbrukat_kr")),
    }
    assert {k: doc[k] for k in expected} == expected


def test_utforare_tillgang_ledningsgrupp(county: County, internal: dict[str, Path]) -> None:
    _, body, _ = sheet_rows(internal[".xlsx"], "Utförare")
    assert [(r[0], r[1], r[2]) for r in body] == [("Stiftelsen Parasoll", "Stiftelse", SOLLENTUNA)]
    _, body, _ = sheet_rows(internal[".xlsx"], "Tillgång")
    answers = {(r[0], r[1]): r[2] for r in body}
    ko = [r["tillgang"]["ko"] for r in county.counted.values()]
    assert answers[("Kö eller väntetid", "Ja")] == ko.count("ja")
    assert answers[("Kö eller väntetid", "Delvis")] == ko.count("delvis")
    assert answers[("Kö eller väntetid", "Nej")] == ko.count("nej")
    prio = [r["tillgang"]["prioritering"] for r in county.counted.values()]
    assert answers[("Bedömningsriktlinjer eller prioriteringsordning", "Nej")] == prio.count("nej")
    row = xlsx_row(internal[".xlsx"], "Ledningsgrupp sammanfattning", "Landstingets primärvård")
    assert row["Verksamheter som saknar"] == 2  # Sollentuna and Nacka
    assert row["Andel av verksamheterna"] == pytest.approx(2 / len(county.counted))
    row = xlsx_row(internal[".xlsx"], "Ledningsgrupp sammanfattning", "Saknar en eller flera")
    assert row["Verksamheter som saknar"] == 2
    nacka = xlsx_row(internal[".xlsx"], "Ledningsgrupp", NACKA + "*")
    assert nacka["Saknade representanter"] == "Arbetsförmedlingen, Landstingets primärvård"
    brister = xlsx_row(internal[".xlsx"], "Brister och åtgärder", SPANGA)
    assert brister["Uppmärksammade brister"] == county.counted[SPANGA]["samhallsservice"]["brister"]


def test_datakvalitet(county: County, internal: dict[str, Path]) -> None:
    _, body, _ = sheet_rows(internal[".xlsx"], "Datakvalitet")
    problems = {(r[0], r[1]): r[2] for r in body}
    by_org = {org: text for (_, org), text in problems.items() if org}
    assert "fel" in by_org[NACKA]
    assert "matchar ingen kommun" in by_org[county.unknown_name]
    assert "Ersatt" in by_org[SOLNA]
    assert any(f == county.broken and "kunde inte läsas" in t for (f, _), t in problems.items())
    assert MALMO not in by_org  # another län's submission is not this county's concern


def test_national_report(county: County, tmp_path: Path) -> None:
    report = build_report(county.store, YEAR)
    paths = write_report(report, tmp_path, "xlsx")
    header, body, _ = sheet_rows(paths[0], "Omfattning")
    rows = {r[0]: dict(zip(header, r, strict=False)) for r in body}
    assert len([r for r in rows if r not in ("Totalt", "Okänt län")]) == 21
    assert rows["Totalt"]["Antal kommuner"] == 290
    assert rows["Skåne"]["Antal verksamheter"] == 1 and rows["Gotland"]["Antal kommuner som erbjuder PO"] == 1
    assert rows["Okänt län"]["Antal verksamheter"] == 1  # the unknown name, counted and listed
    assert rows["Totalt"]["Antal verksamheter"] == len(county.counted) + len(county.national_extra)
    assert rows["Skåne"]["Förändring jämfört med 2019"] is None  # no 2019 submissions from Skåne in the store
    everything = county.counted | county.national_extra
    tot = xlsx_row(paths[0], "Klienter ålder och kön", "Totalt")
    assert tot["Summa"] == sum(total(everything, "klienter", "totalt", g) for g in GENDERS)
    ombud = xlsx_row(paths[0], "Ombud", "Stockholm")  # national: one row per län
    assert ombud["Totalt"] == sum(total(county.counted, "ombud", "antal", g) for g in GENDERS)


def test_publish_masks_small_counts(county: County, tmp_path: Path) -> None:
    exact = build_report(county.store, YEAR, "Stockholm")
    report = build_report(county.store, YEAR, "Stockholm", publish=True)
    paths = {p.suffix: p for p in write_report(report, tmp_path, ["xlsx", "docx"])}
    nacka = county.counted[NACKA]
    men = nacka["klienter"]["totalt"]["man"]
    assert 1 <= men <= 3
    row = xlsx_row(paths[".xlsx"], "Per verksamhet", NACKA + "*")
    assert row["Klienter män"] == "<4"
    assert row["Ombud"] == "<4"  # one ombud
    # the totals that include Nacka's masked men are rounded to tens and marked "ca"
    recs = county.counted
    men_total = total(recs, "klienter", "totalt", "man")
    _, body, ws = sheet_rows(paths[".xlsx"], "Per verksamhet")
    header = [c.value for c in ws[1]]
    cell = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "Totalt")[header.index("Klienter män")]
    assert cell.value == round_to(men_total, 10) and '"ca "' in cell.number_format
    doc = docx_row(docx_tables(paths[".docx"]), "Nyckeltal per verksamhet", "Totalt")
    assert doc["Klienter män"] == f"ca {grouped(round_to(men_total, 10))}"
    assert docx_row(docx_tables(paths[".docx"]), "Nyckeltal per verksamhet", NACKA)["Klienter män"] == "<4"
    # counts of 4 or more with no masked figure inside stay exact; amounts are never masked
    spanga = xlsx_row(paths[".xlsx"], "Per verksamhet", SPANGA)
    assert spanga["Klienter kvinnor"] == recs[SPANGA]["klienter"]["totalt"]["kvinnor"]
    assert xlsx_row(paths[".xlsx"], "Ekonomi", "Totalt")["Beviljat"] == total(recs, "ekonomi", "beviljat_kr")
    # nothing 1-3 is left visible anywhere among counts of persons; the exact report masks nothing
    for table in report.tables:
        for r in table.rows:
            for c, column in zip(r.cells, table.columns, strict=True):
                if column.kind == "persons" and isinstance(c.value, int) and not c.approx:
                    assert not 1 <= c.value <= 3, (table.id, c)
    assert not any(c.masked or c.approx for t in exact.tables for r in t.rows for c in r.cells)


def test_mask_rule_on_a_small_table() -> None:
    a, b, c = (1, "x.kvinnor"), (1, "x.man"), (2, "x.kvinnor")
    table = Table("t", 1, "T", "T", "T", (Column("label", ""), Column("k", "", "persons"), Column("n", "", "count")), (
        Row((Cell("a"), Cell(2, frozenset({a})), Cell(2))),
        Row((Cell("b"), Cell(0, frozenset({b})), Cell(1))),
        Row((Cell("c"), Cell(17, frozenset({c})), Cell(3))),
        Row((Cell("Totalt"), Cell(19, frozenset({a, b, c})), Cell(6)), total=True),
    ))
    hidden = masked_atoms((table,), 1, 3)
    assert hidden == {a}
    masked = mask_table(table, hidden, 1, 3, 10)
    cells = [r.cells[1] for r in masked.rows]
    assert cells[0].masked and cells[0].value is None  # 2 persons -> "<4"
    assert cells[1].value == 0 and not cells[1].masked  # zero is shown
    assert cells[2].value == 17 and not cells[2].approx  # no masked figure inside
    assert cells[3].approx and cells[3].value == 20  # 19 includes the masked 2 -> ca 20
    assert [r.cells[2].value for r in masked.rows] == [2, 1, 3, 6]  # counts of verksamheter are never masked
    assert (round_to(4, 10), round_to(15, 10), round_to(4124, 10), round_to(4125, 10)) == (10, 20, 4120, 4130)


def test_docx_opens_in_libreoffice(internal: dict[str, Path], tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = tmp_path / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(internal[".docx"])], check=True, capture_output=True, timeout=240)
    pdf = tmp_path / (internal[".docx"].stem + ".pdf")
    assert pdf.exists() and pdf.stat().st_size > 10_000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Tabell 1. Kommuner som erbjuder PO per län 2020" in text
        assert "Figur 1. Kontaktorsaker" in text


def test_no_submissions_and_unknown_lan(county: County) -> None:
    with pytest.raises(NoSubmissions) as caught:
        build_report(county.store, 2018)
    assert "Inga redovisningar för 2018" in caught.value.reason
    with pytest.raises(NoSubmissions):
        build_report(county.store, YEAR, "Uppsala")


def test_cli(county: County, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["report", "--year", "2020", "--lan", "Norrland", "--store", str(county.store),
                                  "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "Okänt län" in result.output and "Västra Götaland" in result.output and "Östergötland" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(main, ["report", "--year", "2017", "--store", str(county.store), "-o", str(tmp_path)])
    assert result.exit_code == 2 and "Inga redovisningar för 2017" in result.output
    result = runner.invoke(main, ["report", "--year", "2020", "--store", str(tmp_path / "saknas.sqlite3"),
                                  "-o", str(tmp_path)])
    assert result.exit_code == 2 and "databasen finns inte" in result.output
    result = runner.invoke(main, ["report", "--year", "2020", "--lan", "stockholms län", "--store",
                                  str(county.store), "--format", "md", "--publish", "-o", str(tmp_path / "ut")])
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (tmp_path / "ut").iterdir())
    assert written == ["kontaktorsaker-2020-stockholm.png", "personligt-ombud-2020-stockholm.md"]
    text = (tmp_path / "ut" / "personligt-ombud-2020-stockholm.md").read_text(encoding="utf-8")
    assert "Publiceringsversion" in text and "<4" in text and "| Stockholm |" in text


def test_same_organisation_spelt_two_ways_counts_once(tmp_path: Path) -> None:
    db = tmp_path / "store.sqlite3"
    first, second = make_record("Lidingö stad", 11), make_record("LIDINGÖ STAD.", 12)
    with open_store(db) as store:
        for i, record in enumerate((first, second)):
            store.add(NewSubmission(hashlib.sha256(f"l{i}".encode()).hexdigest(), f"lidingo-{i}.json",
                                    record["kontakt"]["kommun"], YEAR, "2020", record, [], "ok", "test"))
        store.add(NewSubmission(hashlib.sha256(b"bad").hexdigest(), "trasig-post.json", "Vaxholms stad", YEAR,
                                "2020", ["inte", "ett", "objekt"], [], "ok", "test"))  # type: ignore[arg-type]
    report = build_report(db, YEAR, "Stockholm")
    per = report.table("per_verksamhet")
    assert [r.cells[0].value for r in per.rows if not r.total] == ["LIDINGÖ STAD."]
    klienter = report.table("klienter").total_row()
    assert klienter is not None
    assert klienter.cells[-1].value == sum(second["klienter"]["totalt"][g] for g in GENDERS)
    problems = [(r.cells[0].value, r.cells[2].value) for r in report.table("datakvalitet").rows]
    assert any(f == "lidingo-0.json" and "två gånger" in str(p) for f, p in problems)
    assert any(f == "trasig-post.json" and "kunde inte läsas" in str(p) for f, p in problems)
