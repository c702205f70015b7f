"""Checks of OCR'd free text and phone numbers (extractors.ocr_text_checks): confident misreads are flagged
("uncertain-ocr" naming the key), right text is not. The lexicon tests use Tesseract's own Swedish word list
(CI installs tesseract-ocr and tesseract-ocr-swe: without them they fail); the rest use small hand-made
lexicons."""

from __future__ import annotations

import pytest

from extractors import ocr_text_checks as tc
from extractors.assemble import Reading, assemble
from extractors.ocr_checks import check_plausible, repair_reading
from extractors.ocr_lexicon import Lexicon, swedish_lexicon
from formgen.record import blank_record
from formgen.spec import load_form

YEAR = 2020


@pytest.fixture(scope="module")
def swedish() -> Lexicon:
    words = swedish_lexicon()
    assert words is not None, "Tesseract's tools or Swedish data missing: install tesseract-ocr tesseract-ocr-swe"
    extended = tc.form_lexicon(load_form(YEAR), YEAR, words)
    assert extended is not None
    return extended


@pytest.fixture(scope="module")
def corrections() -> Lexicon:
    words = tc.correction_lexicon()
    assert words is not None, "Tesseract's tools or Swedish data missing: install tesseract-ocr tesseract-ocr-swe"
    return words


# Misreads in running text, each with the word the message must name (and the likely reading, if any).
MISREADS = [
    ("Kontakten med psykiätrin har förbättrats under hösten.", "psykiätrin", "psykiatrin"),
    ("Ombuden har fått grupphandledning av en extern handledäre.", "handledäre", "handledare"),
    ("Kommunen har tre ornbud på heltid.", "ornbud", "ombud"),
    ("Flera klienter behöver hiälp att söka bostad.", "hiälp", "hjälp"),
    ("Samverkan med Hämösand fungerar bra.", "Hämösand", "Härnösand"),
    ("Klienterna saknar ofta ett eget hern.", "hern", "hem"),
    ("Ombuden deltog i en konferens om ekonorni.", "ekonorni", "ekonomi"),
    ("Väntetiden var fyra veckor i höstas, nu är den kortare för rnånga.", "rnånga", "många"),
    ("Vi har ett bra samarbets med Arbetsförmedlingen.", "samarbets", "samarbete"),
    ("Det har varit svårt att nå en del.av klienterna.", "del.av", None),
    ("Flera har flyttat till eget boende..Ombuden har stöttat dem.", "..", None),
    ("Många behöver hjälp. med ekonomin och myndighetskontakter.", "hjälp. med", None),
    ("Det gäller främst yngre män och kvinnor:", ":", None),
    ("Bostadsbristen gör det svårt att hitta ett eget boende,", 'slutar med ","', None),
    ("Ombuden arbetar i hela kommunen. Möten har ersatt en del av besöken", "utan punkt", None),
    ("Möten har ersatt en' del av besöken.", "en'", None),
    ("Klienter med skulder,, hot om vräkning och ensamhet.", ",,", None),
    ("Ombuden har arbetat med struktur;vardag och ekonomi.", "struktur;vardag", None),
    ("Handledning sker en gång i rnånaden.", "rnånaden", "månaden"),
    ("Ledningsgruppen träffas fyra gånger per ar.", '"ar" saknar ring eller prickar', None),
    ("Bra. Ar det svårt att få tid?", '"Ar" saknar ring eller prickar', None),
    ("Klienterna far stöd pa olika sätt.", '"pa" saknar ring eller prickar; kanske "på"', None),
    ("Bra möten. VI har haft kontakt med dem.", "VI", "Vi"),
]

# Right text (as a kommun writes it): compounds and names absent from the lexicon, abbreviations, addresses,
# genitives after a colon, quotes in pairs, hyphenated words, an ellipsis, lists.
CLEAN = [
    "Brukarorganisationerna och Försäkringskassan deltar i ledningsgruppen.",
    "Ombuden har bl.a. gått en kurs om t.ex. beroende, psykos m.m. fr.o.m. mars.",
    "Se www.personligtombud.se och kommunens e-tjänster, s.k. självservice.",
    "PO:s uppdrag har utvecklats; LSS:en och SoL styr resten.",
    "Projektet \"Ett gott liv\" fortsätter nästa år.",
    "Arbets- och samarbetsformerna ses över av förvaltningen...",
    "Handläggare från Arbetsförmedlingen, Kronofogden och Migrationsverket.",
    "Vi har haft ett nära samarbete med socialpsykiatrin och beroendevården.",
    "Klienterna är ofta ensamstående män 50–64 år med psykisk ohälsa.",
    "Ombuden. De träffas varje vecka.",
    "Lars' grupp och Anna Lindqvists team ansvarar för uppföljningen.",
    "Riksförbundet för social och mental hälsa (RSMH), Attention och NSPH.",
    "Mikael Öhman",
    "Per-Olof Nyström",
    "Enheten för socialpsykiatri",
    "Vård- och omsorgsnämnden",
    "Härnösand, Kramfors, Sollefteå",
    "Universitetsbacken 1",
    "Sundsvall den 12 januari 2021",
    "Digitala möten via Teams har ersatt en del av de fysiska besöken under pandemin.",
    "Väntetiden har varierat mellan två och sex veckor, beroende på ärendets art.",
    "Ungefär 1,5 månader i genomsnitt.",
    "1. Hemlösa 2. Föräldrar med barn 3. Övriga",
    "Vi har haft fler möten. Ni har fått svar, och LSS har ändrats; IT-stödet har förbättrats.",
    "Man var tvungen att söka hjälp för att få stöd där man bor.",
    "Fler söker stöd. Se bilaga",                  # a short last line after a sentence
    "Bra samarbete med regionen\nFler möten i år",  # lines without periods
    "Handledare är Anna Lange och Per Da Silva.",
]


@pytest.mark.parametrize(("text", "word", "reading"), MISREADS)
def test_misreads_are_flagged(swedish: Lexicon, text: str, word: str, reading: str | None) -> None:
    why = tc.text_problem(text, swedish)
    assert why is not None, text
    assert word in why
    if reading:
        assert f'kanske "{reading}"' in why


@pytest.mark.parametrize("text", CLEAN)
def test_right_text_is_not_flagged(swedish: Lexicon, text: str) -> None:
    assert tc.text_problem(text, swedish) is None


def test_likely_reading_by_confusions() -> None:
    words = Lexicon.of(["ombud", "hjälp", "psykiatrin", "dag", "Illberg", "ledning", "samarbete", "samarbets"])
    assert tc.likely_reading("ornbud", words) == "ombud"      # m read as rn
    assert tc.likely_reading("hiälp", words) == "hjälp"       # j as i
    assert tc.likely_reading("psykiätrin", words) == "psykiatrin"
    assert tc.likely_reading("clag", words) == "dag"          # d as cl
    assert tc.likely_reading("1edning", words) == "ledning"   # l as 1
    assert tc.likely_reading("psykiätrln", words) == "psykiatrin"  # two confusions in a long word
    assert tc.likely_reading("ombud", words) is None          # known
    assert tc.likely_reading("Ombud", words) is None          # known in lower case
    assert tc.likely_reading("ornbudet", words) is None       # no neighbour is a word
    assert tc.likely_reading("LSS", words) is None            # a short acronym
    assert tc.likely_reading("clåg", words) is None           # one confusion only in a short word
    assert tc.likely_reading("Ilberg", Lexicon.of(["lIberg"])) is None  # no reading with a capital inside


def test_noise_is_checked_quickly() -> None:
    words = Lexicon.of(["ombud"])
    noise = " ".join(["ammmaaarnrnrnoooiiillltttfff" * 3] * 50 + ["a" * 5000])
    assert tc.likely_reading("a" * 5000, words) is None
    assert tc.text_problem(noise, words) is None  # returns at all: no pair explosion on long tokens


def test_compounds_are_not_flagged_by_the_lexicon_alone() -> None:
    words = Lexicon.of(["brukar", "organisationerna", "har", "bjudits", "in", "försäkringskassan"])
    assert tc.text_problem("Brukarorganisationerna har bjudits in", words) is None
    assert tc.text_problem("Försäkringskasseenheten har bjudits in", words) is None


def test_linking_form_alone_but_not_before_a_hyphen() -> None:
    words = Lexicon.of(["arbete", "arbets", "och", "ett", "bra", "samarbete", "samarbets"])
    assert "samarbete" in (tc.text_problem("ett bra samarbets och", words) or "")
    assert tc.text_problem("arbets- och samarbetsformer", words) is None


def test_without_a_lexicon_only_punctuation_is_checked() -> None:
    assert tc.text_problem("Kontakten med psykiätrin", None) is None
    assert tc.text_problem("en del.av klienterna", None) is not None
    assert tc.text_problem("yngre kvinnor;", None) is not None


@pytest.mark.parametrize("phone", ["0611-34 80 00", "08-508 03 000 (vx)", "+46 (0)611 34 80 00",
                                   "070-123 45 67, 08-12 34 56", "Tel: 026-830 00 00", "0651-180 00 eller 070-1",
                                   "08-123-45-67", "0293-21 80 00, 070-123 45 67"])
def test_right_phone_numbers(phone: str) -> None:
    assert tc.phone_problem(phone) is None


@pytest.mark.parametrize(("phone", "char"), [("0611-34:80 00", ":"), ("O611-34 80 00", "O"), ("08-5O8 03 000", "O"),
                                             ("0611.34 80 00", "."), ("026-830 00 00;", ";"), ("063-14 3l 00", "l"),
                                             ("<|0611-34 80 00", "|"), ("0293-21-80 00", "-")])
def test_misread_phone_numbers(phone: str, char: str) -> None:
    why = tc.phone_problem(phone)
    assert why is not None and f'"{char}"' in why


@pytest.mark.parametrize(("address", "reading"), [
    ("fredrik.dahl@harmosand.se", "harnosand"), ("anna.ek@0stersund.se", "ostersund"),
    ("per@rnolndal.se", "molndal"), ("eva@socialforvaltningen.upplands-vasbv.se", "vasby"),
    ("karin@harnosand.se", None), ("karin@upplands-vasby.se", None), ("lars@vgregion.se", None),
    ("a@stadsdelsforvaltning.stockholm.se", None), ("b@gmail.com", None), ("c@lansstyrelsen.se", None),
    ("d@kommun.se", None), ("e@regionhalland.se", None)])
def test_email_domain_one_confusion_from_a_kommun(address: str, reading: str | None) -> None:
    why = tc.email_problem(address)
    assert (why is None) if reading is None else (why is not None and f'kanske "{reading}"' in why)


def test_free_text_problems_choose_fields_by_type() -> None:
    form = load_form(YEAR)
    words = Lexicon.of(["psykiatrin", "hos", "tid"])
    readings = {
        "tendenser.orsaker": "tid hos psykiätrin",           # free text
        "kontakt.ovriga_kommuner": "Sundsvall, Hämösand",    # a list (kommun names come with the form)
        "kontakt.telefon": "0611-34:80 00",                  # phone
        "underskrift.telefon": "0611-34 80 00",              # right phone
        "kontakt.epost": "anna.ek:kommun.se",                # e-mail without "@": ocr_checks' own check
        "underskrift.epost": "karin@harmosand.se",           # e-mail domain
        "kontakt.postnummer": "871 8O",                      # postnummer: its own check
        "ombud.tjanster": "1.5O",                            # a number
        "kontakt.kommun": "Härnösands kommun",               # right
        "utbildning.vilka": "",                              # empty
    }
    found = dict(tc.free_text_problems(form, YEAR, readings, words))
    assert set(found) == {"tendenser.orsaker", "kontakt.ovriga_kommuner", "kontakt.telefon", "underskrift.epost"}
    assert found["kontakt.ovriga_kommuner"] == 'ordet "Hämösand" finns inte i ordlistan; kanske "Härnösand"'


def test_text_of_prefers_the_assembled_value() -> None:
    assert tc.text_of("e-tjänster", "e-\ntjänster") == "e-tjänster"
    assert tc.text_of(["Sala", "Tierp"], "Sala och Tierp") == "Sala, Tierp"
    assert tc.text_of(None, "raw") == "raw"


def test_check_plausible_names_the_key(swedish: Lexicon) -> None:
    form = load_form(YEAR)
    values = {"tendenser.orsaker": "Kontakten med psykiätrin har ökat.", "kontakt.telefon": "0611-34:80 00",
              "tendenser.grupper": "Fler yngre kvinnor söker stöd.", "kontakt.postort": "Härnösand"}
    record = blank_record(YEAR, form).replace(values)
    readings = {k: Reading(raw=v, page=1, confidence=0.98) for k, v in values.items()}
    problems = check_plausible(form, YEAR, record, readings, set(), 0.5)
    by_key = {p.fields: p for p in problems}
    assert set(by_key) == {("tendenser.orsaker",), ("kontakt.telefon",)}
    assert by_key[("tendenser.orsaker",)].code == "uncertain-ocr"
    assert by_key[("tendenser.orsaker",)].message == (
        'osäker tolkning: tendenser.orsaker = "Kontakten med psykiätrin har ökat." '
        '(ordet "psykiätrin" finns inte i ordlistan; kanske "psykiatrin")')
    assert "tecken som inte hör till ett telefonnummer" in by_key[("kontakt.telefon",)].message


def test_checks_are_skipped_without_a_lexicon(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tc, "swedish_lexicon", lambda: None)
    form = load_form(YEAR)
    readings = {"tendenser.orsaker": "Kontakten med psykiätrin.", "tendenser.grupper": "en del.av dem"}
    assert dict(tc.free_text_problems(form, YEAR, readings)) == {
        "tendenser.grupper": 'skiljetecken inne i "del.av"'}


# ---------------------------------------------------------------------------------------------------------------
# Corrections: misreads with exactly one clear reading are corrected (and stay flagged through the notes).

# (as read, as corrected, the part the correction names as read)
CORRECTED = [
    ("Samarbetet med psykiätrin i regionen har blivit bättre.",
     "Samarbetet med psykiatrin i regionen har blivit bättre.", "psykiätrin"),
    ("Vi har två ornbud som delar på tjänsten.", "Vi har två ombud som delar på tjänsten.", "ornbud"),
    ("De flesta behövde hiälp med bostaden.", "De flesta behövde hjälp med bostaden.", "hiälp"),
    ("Ombuden träffar kollegor i Hämösand och Sundsvall varje månad.",
     "Ombuden träffar kollegor i Härnösand och Sundsvall varje månad.", "Hämösand"),
    ("Utbildningen hölls i januan och februari.", "Utbildningen hölls i januari och februari.", "januan"),
    ("Ornbuden har extern handledäre sedan hösten.", "Ombuden har extern handledare sedan hösten.", "Ornbuden"),
    ("Kontakterna med kornmunen och sarnverkan fungerar.",
     "Kontakterna med kommunen och samverkan fungerar.", "kornmunen"),
    ("Bra år. VI har fått fler uppdrag.", "Bra år. Vi har fått fler uppdrag.", "VI"),
    ("VI ser en ökning bland unga.", "Vi ser en ökning bland unga.", "VI"),
    ("Vi når en stor del.av målgruppen.", "Vi når en stor del av målgruppen.", "del.av"),
    ("Tiden räcker inte;ombuden har många ärenden.", "Tiden räcker inte ombuden har många ärenden.", "inte;ombuden"),
    ("Fler har fått ett eget boende..Ombuden följer upp.",
     "Fler har fått ett eget boende. Ombuden följer upp.", "boende..Ombuden"),
    ("Det tar tid.. men det går.", "Det tar tid. men det går.", "tid.."),
    ("Skulder,, ensamhet och oro.", "Skulder, ensamhet och oro.", "Skulder,,"),
    ("Digitala möten ersätter en' del besök.", "Digitala möten ersätter en del besök.", "en'"),
    ("Flera klienter behöver stöd. med ekonomin.", "Flera klienter behöver stöd. med ekonomin.", ""),
    ("Många behöver hjälp. med myndighetskontakter.", "Många behöver hjälp med myndighetskontakter.", "hjälp. med"),
    ("Fler söker stöd. Det gäller främst unga kvinnor:", "Fler söker stöd. Det gäller främst unga kvinnor.",
     "kvinnor:"),
    ("Ombuden har ett nära samarbets med Försäkringskassan.",
     "Ombuden har ett nära samarbete med Försäkringskassan.", "samarbets"),
    ("Gruppen träffas sex gånger per ar.", "Gruppen träffas sex gånger per år.", "ar"),     # "år" after "per"
    ("Nästa ar vill vi utöka.", "Nästa år vill vi utöka.", "ar"),
    ("Gruppen träffas två gånger per\nar.", "Gruppen träffas två gånger per\når.", "ar"),     # across a line
    ("Kommunen har tva ombud.", "Kommunen har två ombud.", "tva"),                          # one marked form
    ("Stödet har ökat. Det gäller främst unga vuxna,", "Stödet har ökat. Det gäller främst unga vuxna.", "vuxna,"),
]

# Right text, and misreads without one clear reading: never changed.
LEFT_ALONE = [
    *CLEAN,
    "Klienterna saknar ofta ett eget hern.",                 # "hern": "hem" or "bern", two readings
    "Det gäller främst yngre män och kvinnor:",              # one sentence: was it "." or nothing? flagged only
    "Det ar svårt att hinna med alla.",                      # "ar": "år" or "är"
    "Av dessa tre ar två kvinnor.",                          # "tre ar": "år" or "är"
    "Kontakt via anna.lindqvist@harnosand.se eller www.harnosand.se/ombud.",
    "Ring 0611-34 80 00 (vx) eller läs på kommun.se.",
    "Läs mer på https://www.kommun.se/ornbud/hiälp eller skriv till hiälp@kommun.se.",  # addresses: untouched
    "Handledning ges av Mikaei Sjöström och Lena Ohrnan.",   # names inside a sentence: never corrected
    "LSS, SoL, NPF och HVB-hem.",                            # acronyms
    "Ombuden har t.ex. träffat Kronofogden, bl.a. i mars.",  # abbreviations
    "Socialpsykiatrienheten och brukarrådet.",               # compounds off the lexicon without a neighbour
    "Projektet \"Hemma i Härnösand\" fortsätter.",           # quotes in pairs
    "Budget 2021: 1 200 000 kr, 1,5 tjänster.",              # numbers
    "Forts. med samma upplägg.",
    "Ombuden arbetar i hela kommunen. Möten har ersatt en del av besöken",  # a lost final period: flagged only
]


@pytest.mark.parametrize(("text", "fixed", "was"), CORRECTED)
def test_misreads_with_one_reading_are_corrected(corrections: Lexicon, text: str, fixed: str, was: str) -> None:
    got, made = tc.corrected_text(text, corrections)
    assert got == fixed
    assert (was in [c.was for c in made]) if was else made == []


@pytest.mark.parametrize("text", LEFT_ALONE)
def test_right_text_and_unclear_misreads_are_left_alone(corrections: Lexicon, text: str) -> None:
    assert tc.corrected_text(text, corrections) == (text, [])


def test_only_readings_lists_every_word_at_the_fewest_confusions() -> None:
    words = Lexicon.of(["hem", "bern", "ombud", "Ombud", "dag"])
    assert tc.only_readings("hern", words) == ["bern", "hem"]
    assert tc.only_readings("ornbud", words) == ["Ombud"] or tc.only_readings("ornbud", words) == ["ombud"]
    assert tc.only_readings("ombud", words) == []
    assert tc.only_readings("xyz", words) == []


def test_a_list_is_corrected_by_words_only() -> None:
    words = Lexicon.of(["Sundsvall", "Härnösand", "och"])
    assert tc.corrected_text("Sundsvall;Hämösand", words, as_list=True)[0] == "Sundsvall;Härnösand"


def test_a_capitalised_word_is_corrected_to_a_place_name_only() -> None:
    words = Lexicon.of(["med", "Anna", "Härnösand", "Ombuden"]).extended({"Härnösand", "Härnösands"})
    assert tc.corrected_text("med Annä", words)[0] == "med Annä"                 # a person's name: left alone
    assert tc.corrected_text("med Hämösands", words)[0] == "med Härnösands"      # a kommun (genitive)


def test_without_a_lexicon_only_doubled_punctuation_is_corrected() -> None:
    assert tc.corrected_text("boende..Ombuden och psykiätrin,, del.av", None)[0] == \
        "boende. Ombuden och psykiätrin, del.av"


def test_correction_notes_are_found_again() -> None:
    notes = [tc.Correction("psykiätrin", "psykiatrin", "ordlistan").note(),
             tc.Correction("en'", "en", "löst tecken").note()]
    assert tc.corrections_in_note("; ".join(["OCR: omläst som siffror", *notes])) == notes
    assert tc.corrections_in_note(None) == []


def test_repair_reading_corrects_and_check_plausible_still_flags() -> None:
    form = load_form(YEAR)
    fields = form.fields_for_year(YEAR)
    raws = {"tendenser.orsaker": "Kontakten med psykiätrin har ökat. VI ser fler unga.",
            "kontakt.ovriga_kommuner": "Sundsvall, Hämösand",
            "kontakt.kontaktperson": "Mikaei Ornberg",                   # a person's name: never corrected
            "tendenser.grupper": "Fler yngre kvinnor söker stöd.",       # right: unchanged, not flagged
            "kontakt.telefon": "0611-34 80 00"}
    readings = {k: repair_reading(fields[k], Reading(raw=r, page=1, confidence=0.97, note="läst på sidan 3"
                                                     if k == "tendenser.orsaker" else None))
                for k, r in raws.items()}
    orsaker = readings["tendenser.orsaker"]
    assert orsaker.raw == "Kontakten med psykiatrin har ökat. Vi ser fler unga."
    assert orsaker.note == ('läst på sidan 3; OCR: "psykiätrin" rättat till "psykiatrin" (ordlistan); '
                            'OCR: "VI" rättat till "Vi" (versal I före gemener)')
    assert readings["kontakt.ovriga_kommuner"].raw == "Sundsvall, Härnösand"
    assert readings["kontakt.kontaktperson"] == Reading(raw="Mikaei Ornberg", page=1, confidence=0.97)
    assert readings["tendenser.grupper"].note is None
    record, _, _ = assemble(form, YEAR, readings)
    assert record.values["kontakt.ovriga_kommuner"] == ["Sundsvall", "Härnösand"]
    problems = {p.fields[0]: p for p in check_plausible(form, YEAR, record, readings, set(), 0.5)}
    assert set(problems) == {"tendenser.orsaker", "kontakt.ovriga_kommuner", "kontakt.kontaktperson"}
    assert "rättat" not in problems["kontakt.kontaktperson"].message  # flagged as before, not corrected
    assert problems["tendenser.orsaker"].code == "uncertain-ocr"
    assert problems["tendenser.orsaker"].message == (
        'osäker tolkning: tendenser.orsaker = "Kontakten med psykiatrin har ökat. Vi ser fler unga." '
        '(OCR: "psykiätrin" rättat till "psykiatrin" (ordlistan); OCR: "VI" rättat till "Vi" (versal I före gemener))')
    assert 'OCR: "Hämösand" rättat till "Härnösand"' in problems["kontakt.ovriga_kommuner"].message


def test_a_corrected_value_flagged_for_another_reason_names_both() -> None:
    form = load_form(YEAR)
    spec = form.fields_for_year(YEAR)["tendenser.orsaker"]
    reading = repair_reading(spec, Reading(raw="Kontakten med psykiätrin har ökat.", page=1, confidence=0.3))
    record = blank_record(YEAR, form).replace({"tendenser.orsaker": reading.raw})
    [problem] = check_plausible(form, YEAR, record, {"tendenser.orsaker": reading}, set(), 0.5)
    assert "OCR-säkerhet 0.30" in problem.message and '"psykiätrin" rättat till "psykiatrin"' in problem.message


# A compound misread in its last part ("-erna" read as "-ema"), and right compounds (linking "s" included).
@pytest.mark.parametrize(("text", "reading"), [
    ("Brukarorganisationema har bjudits in men inte kunnat delta.", "Brukarorganisationerna"),
    ("Anhörigorganisationema deltar i ledningsgruppen.", "Anhörigorganisationerna"),
])
def test_compound_misread_in_its_last_part(swedish: Lexicon, text: str, reading: str) -> None:
    why = tc.text_problem(text, swedish)
    assert why is not None and f'kanske "{reading}"' in why


@pytest.mark.parametrize("text", [
    "Brukarorganisationerna har bjudits in.", "Stadsmissionen och nätverksträffar ingår.",
    "Ledningsgruppsträffar hålls varje månad.", "Bidragsformen är densamma.", "Patientorganisationer deltar.",
])
def test_right_compounds_are_not_flagged(swedish: Lexicon, text: str) -> None:
    assert tc.text_problem(text, swedish) is None


@pytest.mark.parametrize(("text", "flagged"), [
    ("Universitetsbacken I", True), ("Storgatan l", True), ("Box | 100", True),
    ("Universitetsbacken 1", False), ("I år har vi haft fler klienter.", False), ("Klienter i kommunen", False),
])
def test_a_digit_read_as_a_letter_standing_alone(swedish: Lexicon, text: str, flagged: bool) -> None:
    why = tc.text_problem(text, swedish)
    assert (why is not None and "siffran" in why) is flagged


# "arbetar I hela": a photocopied "i" read as a capital "I" between lower-case words; a value of one sign.
@pytest.mark.parametrize(("text", "corrected"), [
    ("Verksamheten har två ombud som arbetar I hela kommunen.",
     "Verksamheten har två ombud som arbetar i hela kommunen."),
    ("Ombuden har deltagit I en regional utbildning, I samverkan med regionen.",
     "Ombuden har deltagit i en regional utbildning, i samverkan med regionen."),
])
def test_capital_i_inside_a_sentence_is_flagged_and_corrected(swedish: Lexicon, text: str, corrected: str) -> None:
    why = tc.text_problem(text, swedish)
    assert why is not None and 'versalt "I" mitt i meningen' in why
    fixed, corrections = tc.corrected_text(text, swedish)
    assert fixed == corrected and all(c.was == "I" and c.now == "i" for c in corrections)


@pytest.mark.parametrize("text", ["I år har vi haft fler klienter.", "Vi började i maj. I juni kom fler.",
                                  "Arbetet sker i fas II och I.", "Klienter i kommunen"])
def test_capital_i_opening_a_sentence_or_as_a_numeral_is_not_made_small(swedish: Lexicon, text: str) -> None:
    fixed, _ = tc.corrected_text(text, swedish)
    assert fixed == text
    why = tc.text_problem(text, swedish) or ""
    assert "mitt i meningen" not in why


@pytest.mark.parametrize(("text", "flagged"), [("I", True), ("l", True), ("-", True), ("Ja", False), ("Nej.", False)])
def test_a_value_of_one_sign_is_flagged(swedish: Lexicon, text: str, flagged: bool) -> None:
    why = tc.text_problem(text, swedish)
    assert (why is not None) is flagged


# A photocopy fills or breaks the eyes of small round letters: "e" read as "a" or "o", and back.
@pytest.mark.parametrize(("text", "reading"), [
    ("Det är svårt för klianterna att hitta ett boende.", "klienterna"),
    ("Väntetidan har varit kort.", "Väntetiden"),
    ("Brukarorganisetionerna har bjudits in.", "Brukarorganisationerna"),
])
def test_round_letters_confused_on_a_photocopy_are_flagged(swedish: Lexicon, text: str, reading: str) -> None:
    why = tc.text_problem(text, swedish)
    assert why is not None and f'kanske "{reading}"' in why


@pytest.mark.parametrize(("text", "flagged"), [
    ("Digitala möten har ersatt en del! av de fysiska besöken.", '"!" mitt i meningen'),
    ("Det &r svårt att få tid hos psykiatrin.", 'tecknet "&"'),
    ("Vad händer nu? Vi vet inte.", None), ("Vi samarbetar med H&M och Kost & hälsa.", None),
    ("Hälften (50%) av tiden.", None),
])
def test_signs_print_does_not_put_there(swedish: Lexicon, text: str, flagged: str | None) -> None:
    why = tc.text_problem(text, swedish)
    assert (flagged in why) if flagged and why else why is None and flagged is None
