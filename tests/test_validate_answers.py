"""Answers: conditional answers (rule 8), ledningsgrupp (9), required questions (10), contact block (11)."""

from __future__ import annotations

from formgen.validate import validate
from formgen.validate.rules import conditional, contact, ledningsgrupp, required
from tests.test_validate_helpers import blank, codes, fire, pairs, sample

EFFECTS = ("okad_efterfragan", "minskad_efterfragan", "okat_utbud", "minskat_utbud", "inga_utbildningar",
           "ingen_handledning", "annan")


# ------------------------------------------------------------------ rule 8: conditional answers


def test_conditional_silent_on_sample_and_blank():
    assert fire(conditional.conditional_answers, sample()) == []
    assert fire(conditional.conditional_answers, blank()) == []


def test_yes_without_the_asked_text():
    [f] = fire(conditional.conditional_answers, sample().replace({"utbildning.vilka": None}))
    assert (f.code, f.severity, f.fields) == ("conditional-answer-missing", "error",
                                              ("utbildning.vilka", "utbildning.erbjuden"))
    assert f.message == ("”Ombuden har erbjudits utbildning” är besvarad med Ja; "
                         "då ska även ”Om ja, ange vilken/vilka utbildningar” fyllas i.")


def test_no_and_partly_need_their_own_answers():
    record = sample().replace({"handledning.erbjuden": "nej", "tillgang.ko": "delvis"})
    assert pairs(fire(conditional.conditional_answers, record)) == {
        ("conditional-answer-missing", ("handledning.varfor_inte", "handledning.erbjuden")),
        ("conditional-answer-missing", ("tillgang.vantetid", "tillgang.ko")),
    }
    answered = record.replace({"handledning.varfor_inte": "Inställd", "tillgang.vantetid": "2 veckor"})
    assert fire(conditional.conditional_answers, answered) == []


def test_positive_count_needs_its_text():
    [f] = fire(conditional.conditional_answers, sample().replace({"kontaktorsaker.annan.man": 2}))
    assert f.fields == ("kontaktorsaker.annan_vilken", "kontaktorsaker.annan.kvinnor", "kontaktorsaker.annan.man")
    assert f.message == "”Annan orsak” anges för 2 klienter; då ska även ”Om annan orsak, ange vilken” fyllas i."
    assert fire(conditional.conditional_answers, sample().replace({"kontaktorsaker.annan.man": 0})) == []


def test_ticked_flag_needs_its_text():
    [f] = fire(conditional.conditional_answers, sample().replace({"corona.effekter.annan": True}))
    assert f.fields[0] == "corona.annan_vad"
    assert f.message == ("”Annan förändring, ange vad” är ikryssad; "
                         "då ska även ”Annan förändring, ange vad” fyllas i.")


def test_yes_needs_at_least_one_effect_ticked():
    record = sample().replace({f"corona.effekter.{e}": False for e in EFFECTS})
    [f] = fire(conditional.conditional_answers, record)
    assert (f.code, f.severity) == ("conditional-none-ticked", "error")
    assert f.fields == ("corona.paverkat", *(f"corona.effekter.{e}" for e in EFFECTS))
    assert "inget av de 7 alternativen" in f.message
    assert fire(conditional.conditional_answers, record.replace({"corona.paverkat": "nej"})) == []


def test_conditional_on_2021_record_without_corona_section():
    record = blank(2021).replace({"utbildning.erbjuden": "ja"})
    assert pairs(fire(conditional.conditional_answers, record)) == {
        ("conditional-answer-missing", ("utbildning.vilka", "utbildning.erbjuden"))}


# ------------------------------------------------------------------ rule 9: ledningsgrupp


def test_ledningsgrupp_complete_on_sample():
    assert fire(ledningsgrupp.ledningsgrupp_members, sample()) == []


def test_member_missing_without_reason():
    record = sample().replace({"ledningsgrupp.myndigheter.psykiatri": "nej",
                               "ledningsgrupp.myndigheter.primarvard": "nej"})
    found = fire(ledningsgrupp.ledningsgrupp_members, record)
    assert [(f.code, f.severity, f.fields) for f in found] == [
        ("ledningsgrupp-member-missing", "warning", ("ledningsgrupp.myndigheter.primarvard",)),
        ("ledningsgrupp-member-missing", "warning", ("ledningsgrupp.myndigheter.psykiatri",)),
        ("ledningsgrupp-missing-unexplained", "error",
         ("ledningsgrupp.saknas_varfor", "ledningsgrupp.myndigheter.primarvard",
          "ledningsgrupp.myndigheter.psykiatri")),
    ]
    assert found[0].message == "Landstingets primärvård ingår inte i ledningsgruppen (svar: Nej)."
    assert found[2].message == ("Ledningsgruppen saknar Landstingets primärvård och Landstingets psykiatri, "
                                "men det är inte angivet varför.")


def test_member_missing_with_reason_is_warning_only():
    record = sample().replace({"ledningsgrupp.myndigheter.primarvard": "nej",
                               "ledningsgrupp.saknas_varfor": "Många vårdgivare"})
    assert codes(fire(ledningsgrupp.ledningsgrupp_members, record)) == ["ledningsgrupp-member-missing"]


def test_unanswered_member_is_left_to_required_fields():
    record = sample().replace({"ledningsgrupp.myndigheter.kommun": None})
    assert fire(ledningsgrupp.ledningsgrupp_members, record) == []
    assert pairs(validate(record)) >= {("choice-missing", ("ledningsgrupp.myndigheter.kommun",))}


# ------------------------------------------------------------------ rule 10: required questions


def test_required_silent_on_sample():
    assert fire(required.required_fields, sample()) == []


def test_blank_record_misses_every_required_answer_once():
    found = fire(required.required_fields, blank())
    keys = [f.fields for f in found]
    assert len(keys) == len(set(keys))
    assert ("choice-missing", ("utbildning.erbjuden",)) in pairs(found)
    assert ("choice-missing", ("corona.paverkat",)) in pairs(found)
    assert ("required-missing", ("ombud.tjanster",)) in pairs(found)
    assert ("required-missing", ("klienter.totalt.kvinnor",)) in pairs(found)
    flat = {k for f in found for k in f.fields}
    assert not flat & {"kontakt.kommun", "kontakt.epost"}, "the contact block is rule 11's"
    assert not [k for k in flat if ".alder_" in k], "age bands are rule 1's"


def test_required_messages():
    by_key = {f.fields[0]: f for f in fire(required.required_fields, blank())}
    assert by_key["klienter.nya.man"].message == "Uppgiften ”nya klienter” (män) är inte ifylld."
    assert by_key["tillgang.ko"].severity == "error"
    assert by_key["tillgang.ko"].message.endswith("kryssa i ett av alternativen Ja, Delvis eller Nej.")


def test_required_choice_for_2021_has_no_corona():
    assert "corona.paverkat" not in {f.fields[0] for f in fire(required.required_fields, blank(2021))}


def test_choice_grid_needs_one_yes():
    utforare = [f"organisation.utforare.{k}" for k in ("kommun", "forening", "stiftelse", "aktiebolag", "annan")]
    record = sample().replace({"organisation.utforare.kommun": "nej"})
    [f] = fire(required.required_fields, record)
    assert (f.code, f.severity, f.fields) == ("choice-grid-none", "error", tuple(utforare))
    assert f.message == ("Minst ett av alternativen Kommun, Förening, Stiftelse, Aktiebolag och Annan utförare "
                         "ska besvaras med Ja, men inget är det.")
    assert fire(required.required_fields, record.replace({"organisation.utforare.stiftelse": "ja"})) == []


# ------------------------------------------------------------------ rule 11: contact block


def test_contact_silent_on_sample():
    assert fire(contact.contact_details, sample()) == []


def test_missing_contact_detail_is_one_warning():
    record = sample().replace({"kontakt.epost": None})
    assert [(f.code, f.severity, f.fields) for f in validate(record) if "kontakt.epost" in f.fields] == [
        ("contact-missing", "warning", ("kontakt.epost",))]
    [f] = fire(contact.contact_details, record)
    assert f.message == "Kontaktuppgifterna saknar ”E-postadress”."


def test_contact_formats():
    record = sample().replace({"kontakt.postnummer": "16304", "kontakt.epost": "mikael.stockholm.se",
                               "underskrift.telefon": "08-ABC", "underskrift.epost": "m@x"})
    found = fire(contact.contact_details, record)
    assert pairs(found) == {
        ("postnummer-format", ("kontakt.postnummer",)), ("email-invalid", ("kontakt.epost",)),
        ("phone-invalid", ("underskrift.telefon",)), ("email-invalid", ("underskrift.epost",)),
    }
    assert {f.severity for f in found} == {"warning"}
    by_key = {f.fields[0]: f.message for f in found}
    assert by_key["kontakt.postnummer"] == "Postnumret ”16304” är inte skrivet som NNN NN (t.ex. ”163 04”)."
    assert by_key["kontakt.epost"] == ("Kontaktuppgifternas e-postadress ”mikael.stockholm.se” "
                                       "ser inte ut som en giltig e-postadress.")


def test_unanswered_optional_contact_formats_are_silent():
    assert fire(contact.contact_details, sample().replace({"underskrift.telefon": None})) == []
