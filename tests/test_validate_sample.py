"""The real Spånga-Tensta 2020 submission gives exactly the known findings."""

from __future__ import annotations

from formgen.findings import summarise
from formgen.validate import validate
from tests.test_validate_helpers import sample

W = "warning"
PINNED = [
    ("reason-exceeds-new-clients", W, ("kontaktorsaker.ekonomi.kvinnor", "klienter.nya.kvinnor")),
    ("reason-exceeds-new-clients", W, ("kontaktorsaker.ekonomi.man", "klienter.nya.man")),
    ("reason-exceeds-new-clients", W, ("kontaktorsaker.struktur_i_vardagen.kvinnor", "klienter.nya.kvinnor")),
    ("reason-exceeds-new-clients", W, ("kontaktorsaker.struktur_i_vardagen.man", "klienter.nya.man")),
    ("reason-exceeds-new-clients", W, ("kontaktorsaker.bryta_isolering.kvinnor", "klienter.nya.kvinnor")),
    ("reason-exceeds-new-clients", W, ("kontaktorsaker.stod_myndighet.kvinnor", "klienter.nya.kvinnor")),
    ("reason-exceeds-new-clients", W, ("kontaktorsaker.stod_myndighet.man", "klienter.nya.man")),
    ("reason-exceeds-new-clients", W, ("kontaktorsaker.stod_sjukvard.kvinnor", "klienter.nya.kvinnor")),
    ("fte-decimals", W, ("ekonomi.beviljade_arsanstallningar",)),
    ("fte-decimals", W, ("ekonomi.forbrukade_arsanstallningar",)),
]


def test_sample_gives_exactly_the_pinned_findings_in_form_order():
    found = validate(sample())
    assert [(f.code, f.severity, f.fields) for f in found] == PINNED


def test_sample_messages_name_the_figures():
    messages = [f.message for f in validate(sample())]
    assert messages[0] == ("Kontaktorsaken ”Ekonomi” anges för 34 kvinnor, fler än antalet nya klienter (kvinnor) "
                           "som är 14. Orsakerna ska gälla årets nya klienter.")
    assert messages[-1] == ("Förbrukade årsanställningar är skrivet ”1,0” med 1 decimal; "
                            "blanketten begär 2 decimaler, t.ex. ”1,00”.")


def test_sample_is_valid_with_warnings_only():
    assert summarise(validate(sample())) == {"errors": 0, "warnings": 10, "infos": 0, "valid": True}


def test_validation_is_deterministic():
    record = sample()
    assert validate(record) == validate(record)
