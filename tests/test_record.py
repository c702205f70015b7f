"""The record model: parse and serialise exactly as the field catalogue says; refuse what does not fit."""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import pytest

from formgen.errors import RecordError
from formgen.record import blank_record, nest, record_from_json
from formgen.schema import record_schema
from formgen.spec import load_form
from tests.helpers import ROOT, flatten, sample_record_json


def test_sample_round_trips_exactly() -> None:
    data = sample_record_json()
    record = record_from_json(data)
    assert record.to_json() == data
    assert record.get("ekonomi.beviljade_arsanstallningar") == "1.0"
    assert record.get("ombud.antal.man") is None
    assert record.kommun and record.kommun.startswith("Spånga")


@pytest.mark.parametrize(("path", "value", "key"), [
    (("kontakt", "kommunen"), "x", "kontakt.kommunen"),
    (("extra",), 1, "extra"),
    (("klienter", "totalt", "kvinnor"), "35", "klienter.totalt.kvinnor"),
    (("klienter", "totalt", "kvinnor"), -1, "klienter.totalt.kvinnor"),
    (("klienter", "totalt", "kvinnor"), True, "klienter.totalt.kvinnor"),
    (("ekonomi", "beviljat_kr"), 402638.5, "ekonomi.beviljat_kr"),
    (("ombud", "tjanster"), 1.0, "ombud.tjanster"),
    (("ombud", "tjanster"), "1,00", "ombud.tjanster"),
    (("utbildning", "erbjuden"), "Ja", "utbildning.erbjuden"),
    (("tillgang", "ko"), "kanske", "tillgang.ko"),
    (("corona", "effekter", "annan"), None, "corona.effekter.annan"),
    (("underskrift", "datum"), "15 januari 2021", "underskrift.datum"),
    (("underskrift", "datum"), "2021-02-30", "underskrift.datum"),
    (("kontakt", "epost"), "", "kontakt.epost"),
    (("kontakt", "ovriga_kommuner"), "Solna", "kontakt.ovriga_kommuner"),
])
def test_wrong_keys_and_types_are_refused_with_the_key_named(path: tuple[str, ...], value: object,
                                                             key: str) -> None:
    data = copy.deepcopy(sample_record_json())
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    with pytest.raises(RecordError) as err:
        record_from_json(data)
    assert err.value.key == key
    assert key in str(err.value)


def test_year_is_required() -> None:
    data = sample_record_json()
    del data["ar"]
    with pytest.raises(RecordError, match="ar"):
        record_from_json(data)


def test_missing_keys_are_not_answered() -> None:
    record = record_from_json({"ar": 2020, "kontakt": {"kommun": "Solna"}})
    assert record.get("kontakt.kommun") == "Solna"
    assert record.get("klienter.totalt.kvinnor") is None
    assert record.get("corona.effekter.okad_efterfragan") is False
    assert record.get("kontakt.ovriga_kommuner") == []


def test_blank_record_has_every_key_of_the_year() -> None:
    form = load_form(2020)
    assert set(flatten(blank_record(2020).to_json())) == set(form.fields_for_year(2020))
    later = flatten(blank_record(2021).to_json())
    assert later["ar"] == 2021
    assert not any(k.startswith("corona.") for k in later)


def test_a_2021_record_refuses_corona_keys() -> None:
    with pytest.raises(RecordError, match="corona"):
        record_from_json({"ar": 2021, "corona": {"paverkat": "ja"}})


def test_nest_keeps_order_and_nesting() -> None:
    assert nest({"a.b": 1, "a.c.d": None, "e": [1]}) == {"a": {"b": 1, "c": {"d": None}}, "e": [1]}


def test_replace_checks_types() -> None:
    record = record_from_json(sample_record_json())
    changed = record.replace({"ekonomi.forbrukat_kr": 1})
    assert changed.get("ekonomi.forbrukat_kr") == 1 and record.get("ekonomi.forbrukat_kr") == 402638
    with pytest.raises(RecordError):
        record.replace({"ekonomi.forbrukat_kr": "1"})
    with pytest.raises(RecordError):
        record.replace({"nope": 1})


def _schema_accepts(schema: dict, value: object) -> bool:
    """A small JSON Schema checker for what record_schema uses (type, enum, pattern, properties)."""
    import re

    if "enum" in schema:
        return value in schema["enum"]
    types = schema.get("type")
    types = [types] if isinstance(types, str) else types
    names = {"object": dict, "string": str, "array": list, "boolean": bool, "null": type(None)}
    ok = any((t == "integer" and isinstance(value, int) and not isinstance(value, bool))
             or (t in names and isinstance(value, names[t])) for t in types)
    if not ok:
        return False
    if isinstance(value, dict):
        props = schema["properties"]
        return set(value) <= set(props) and all(_schema_accepts(props[k], v) for k, v in value.items())
    if isinstance(value, str) and "pattern" in schema:
        return re.match(schema["pattern"], value) is not None
    return True


def test_schema_describes_the_sample_and_refuses_unknown_keys() -> None:
    schema = record_schema(load_form(2020), 2020)
    sample = sample_record_json()
    assert _schema_accepts(schema, sample)
    bad = copy.deepcopy(sample)
    bad["kontakt"]["fax"] = "08-1"
    assert not _schema_accepts(schema, bad)
    assert schema["properties"]["tillgang"]["properties"]["ko"]["enum"] == ["ja", "delvis", "nej", None]
    # the field catalogue's type names (the interchange contract) stay visible on every choice field
    assert schema["properties"]["tillgang"]["properties"]["ko"]["x-catalogue-type"] == "jdn"
    assert schema["properties"]["utbildning"]["properties"]["erbjuden"]["x-catalogue-type"] == "jn"


def test_schema_command_prints_json() -> None:
    run = subprocess.run([sys.executable, "-m", "formgen.cli", "schema", "--year", "2021"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0
    schema = json.loads(run.stdout)
    assert "corona" not in schema["properties"]
    assert schema["properties"]["ar"]["const"] == 2021
