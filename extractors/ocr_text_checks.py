"""Checks of free text and phone numbers read by OCR: misreads Tesseract is sure of, found by what they are.

Tesseract reads "psykiätrin" for "psykiatrin" or "ornbud" for "ombud" with a confidence of 0.98, so its
confidence cannot tell. What can:

- a word that is not in the Swedish lexicon (``extractors.ocr_lexicon``, the words Tesseract itself reads
  with, plus every kommun and län name and the form's own wording) while a spelling one or two typical OCR
  confusions away is (ä/a, å/a, ö/o, rn/m, ri/n, li/h, i/j, t/f, e/s, c/e, l/I/1, cl/d, vv/w, …): the word is
  named with its likely reading. A word with no such neighbour (a compound such as "Brukarorganisationerna",
  a name) is left alone; so is every word that is in the lexicon, except three kinds of lexicon entries print
  does not have: a compound's linking form in "-ets" standing alone where the "-ete" noun exists ("samarbets"
  for "samarbete"), a common word without its ring or dots ("ar", "pa": the list holds web spellings), and a
  two-letter word in capitals ending in "I" opening a sentence that goes on in lower case ("VI har");
- punctuation print does not make: a period, colon or semicolon between two letters ("del.av"; not in
  abbreviations such as "t.ex", "bl.a", "fr.o.m", nor "PO:s" or a web address), ".." or ",,", an apostrophe
  or a quote glued to a word's edge ("en' del"), a value ending in ":" or ";", and a period followed by a
  lower-case word after a long word of the lexicon ("hjälp. med");
- in an e-mail address, a domain one OCR confusion away from a kommun's name ("harmosand.se");
- in a phone number, any character but digits, spaces, "-", "+", "(", ")" (and words such as "vx"), or a
  second hyphen in a number grouped with spaces ("0293-21-80 00").

Without the lexicon (Tesseract's tools or data missing) the word checks are skipped; punctuation and phone
checks still run.

``corrected_text`` corrects the misreads that have exactly one clear reading (the only lexicon word at the
fewest OCR confusions; a period between two lexicon words; ".."; a stray apostrophe; "VI har"; …) and lists
each correction; ``extractors.ocr_checks.repair_reading`` applies it to free-text fields (never to a person's
name, an address, e-mail, phone or number) and notes each correction, and ``check_plausible`` keeps every
corrected value flagged "uncertain-ocr", naming the correction, so the handläggare still checks it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

from extractors.ocr_lexicon import Lexicon, swedish_lexicon
from formgen import places
from formgen.spec import FieldSpec, FormSpec

# What OCR read → what was printed. Each is one substitution; a word gets at most MAX_SUBSTITUTIONS.
CONFUSIONS: tuple[tuple[str, str], ...] = (
    ("ä", "a"), ("a", "ä"), ("å", "a"), ("a", "å"), ("ä", "å"), ("å", "ä"), ("ö", "o"), ("o", "ö"),
    ("Ä", "A"), ("A", "Ä"), ("Å", "A"), ("A", "Å"), ("Ö", "O"), ("O", "Ö"),
    ("rn", "m"), ("m", "rn"), ("in", "m"), ("m", "in"), ("ri", "n"), ("n", "ri"), ("li", "h"), ("h", "li"),
    ("i", "j"), ("j", "i"), ("t", "f"), ("f", "t"), ("e", "s"), ("s", "e"), ("c", "e"), ("e", "c"),
    ("l", "I"), ("I", "l"), ("1", "l"), ("l", "i"), ("i", "l"), ("0", "o"), ("cl", "d"), ("d", "cl"),
    ("vv", "w"), ("w", "vv"), ("u", "ü"), ("ii", "ü"), ("é", "e"), ("è", "e"), ("á", "a"), ("à", "a"),
    ("ó", "o"), ("ò", "ö"), ("ô", "ö"), ("ü", "u"), ("ú", "u"), ("í", "i"), ("ï", "i"), ("fi", "h"), ("b", "h"),
    ("h", "b"), ("n", "u"), ("u", "n"), ("m", "n"), ("n", "m"), ("v", "y"), ("y", "v"),
    # a photocopy fills or breaks the eyes of small round letters
    ("a", "e"), ("e", "a"), ("o", "e"), ("e", "o"), ("o", "a"), ("a", "o"),
)
MAX_SUBSTITUTIONS = 2
TWO_SUBSTITUTIONS = (6, 24)  # word lengths that get two substitutions (short words have many neighbours)
SHORT_ACRONYM = 4            # all-capital words up to this long (LSS, NPF, ABF) are not looked up
LONGEST_WORD = 40            # longer "words" are noise, not looked up (their variants would be too many)
_DIGIT_LIKE_WORDS = frozenset({"l", "|"})  # no Swedish word; "I" is one only where a sentence opens with it
COMPOUND_HEAD = 4        # a compound's first part, looked up by itself, at least this long
COMPOUND_TAIL = 6        # and its last part
LONG_WORD = 5                # "hjälp. med": the word before the period at least this long
PHONE_WORDS = frozenset({"vx", "växel", "vxl", "tel", "telefon", "mobil", "mob", "direkt", "dir", "eller", "och",
                         "fax", "sms", "kl", "nr"})
# Swedish abbreviations written with periods between letters (lower-case, without a final period).
ABBREVIATIONS = frozenset({
    "t.ex", "bl.a", "m.m", "m.fl", "fr.o.m", "t.o.m", "s.k", "o.s.v", "p.g.a", "d.v.s", "d.ä", "e.d", "o.d",
    "f.d", "f.n", "f.ö", "t.v", "t.h", "m.a.o", "o.dyl", "e.dyl", "fil.dr", "fil.kand", "fil.mag", "med.dr",
    "med.kand", "jur.kand", "tekn.dr", "civ.ing", "tel.nr", "org.nr", "reg.nr", "ref.nr", "art.nr", "dnr",
    "inkl.moms", "exkl.moms", "s.a.s", "p.s", "o.k", "a.m", "p.m", "ev", "d.y", "d.s", "l.p", "i.o.m",
    "i.st.f", "m.h.a", "m.h.t", "u.a", "s.a", "v.g", "o.a", "dvs", "osv", "fr.a", "st.f",
})
# Common Swedish words written without their ring or dots ("år"/"är" → "ar", "på" → "pa"): the word list holds
# these spellings (web text drops the marks) though print never has them, and they are typical OCR misreads.
STRIPPED_FORMS = frozenset({
    "ar", "pa", "nar", "fran", "aven", "ocksa", "maste", "bade", "sjalv", "tva", "fatt", "ganger", "behover",
    "nagon", "nagot", "nagra", "fa", "ga", "da", "dar", "vantar", "ratt", "aret", "battre", "lange", "gor",
    "gora", "tillrackligt", "manad", "manader", "vard", "tyvarr", "kop", "sarskilt", "aldre", "mojlighet",
})
DIACRITIC_CONFUSIONS = (("a", "å"), ("a", "ä"), ("o", "ö"))  # in the order readings are suggested
TOP_LEVEL_DOMAINS = frozenset({"se", "nu", "com", "org", "net", "fi", "no", "dk", "eu", "info", "io", "gov",
                               "html", "htm", "pdf", "docx", "xlsx"})
_WORD = re.compile(r"[^\W\d_]+")                     # letters only
_TOKEN = re.compile(r"[^\W_]+(?:[.:;'’][^\W_]+)*")   # letters and digits, with inner punctuation
_GLUED = re.compile(r"(?<=[^\W\d_])[.:;](?=[^\W\d_])")
_DOUBLED = re.compile(r"(?<![.])\.\.(?![.])|,,")
_APOSTROPHES = "'’‘`´"
_QUOTES = "\"“”„«»"
_COLON_SUFFIX = re.compile(r"^[A-ZÅÄÖ0-9]{2,}:(?:s|n|en|an|ar|arna|er|erna|na|ns|ens|ets|et|or|orna)$")
_PERIOD_LOWER = re.compile(r"([^\W\d_]+)\. ([a-zåäö][^\W\d_]*)")
_MARK_LOWER = re.compile(r"([^\W\d_]+)([!?]) ([a-zåäö][^\W\d_]*)")
_SIGN_IN_WORD = re.compile(r"([&#%§$|\\^~{}<>])(?=[a-zåäö])|(?<=[a-zåäö])([&#§$|\\^~{}<>])")
_PHONE_OK = re.compile(r"[\d\s\-+()]")
_PHONE_SEPARATOR = re.compile(r",|\b(?:eller|och)\b|[^\W\d_]+\.?:?", re.I)  # between numbers of one value


def free_text_problems(form: FormSpec, year: int, readings: Mapping[str, str],
                       lexicon: Lexicon | None = None) -> list[tuple[str, str]]:
    """(key, why) for each free-text, phone or e-mail value read by OCR (``readings``: key → the text as read) that
    looks misread. ``lexicon`` defaults to Tesseract's Swedish words; without one the word checks are
    skipped."""
    fields = form.fields_for_year(year)
    words = form_lexicon(form, year, lexicon if lexicon is not None else swedish_lexicon())
    out: list[tuple[str, str]] = []
    for key, text in readings.items():
        spec = fields.get(key)
        if spec is None or not text.strip():
            continue
        why = phone_problem(text) if spec.format == "phone" else email_problem(text) if spec.format == "email" \
            else text_problem(text, words) if is_free_text(spec) else None
        if why:
            out.append((key, why))
    return out


def text_of(value: object, raw: str) -> str:
    """The text to check of a value: the assembled text (hyphenation joined), a list's items joined by
    ", ", else the raw reading."""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return ", ".join(value)
    return raw


def is_free_text(spec: FieldSpec) -> bool:
    """Whether a field is written as free text (text, multi-line text, names, places, lists), not a number,
    date, mark or formatted value."""
    return spec.type in ("text", "list") and spec.format is None and spec.derived_from is None


def form_lexicon(form: FormSpec, year: int, lexicon: Lexicon | None) -> Lexicon | None:
    """The lexicon with every kommun and län name and the words of the form's own wording."""
    if lexicon is None:
        return None
    return _extended(lexicon, _form_words(form, year))


@lru_cache(maxsize=8)
def _extended(lexicon: Lexicon, extra: frozenset[str]) -> Lexicon:
    return lexicon.extended(extra)


def _form_words(form: FormSpec, year: int) -> frozenset[str]:
    texts: list[str] = []
    for spec in form.fields_for_year(year).values():
        texts += [spec.label, spec.sublabel or "", spec.prefix_label or "", *(c.label for c in spec.choices)]
    for lan in places.all_lan():
        texts += [lan.name, lan.lansstyrelse, lan.address]
    texts += [k.name for k in places.all_kommuner()]
    return frozenset(w for text in texts for w in _WORD.findall(text))


def text_problem(text: str, lexicon: Lexicon | None) -> str | None:
    """Why a free text looks misread by OCR (Swedish, for the message), or None."""
    reasons = list(_punctuation_reasons(text, lexicon))
    if lexicon is not None:
        reasons += _word_reasons(text, lexicon)
    return "; ".join(dict.fromkeys(reasons)) or None


def phone_problem(text: str) -> str | None:
    """Why a phone number looks misread (a character no phone number has, a space read as a second hyphen),
    or None."""
    odd: list[str] = []
    for token in text.split():
        word = token.strip(",()").casefold()
        if word.rstrip(".:") in PHONE_WORDS:  # "(vx)", "Tel:", "eller"
            continue
        if token.endswith(",") and any(ch.isdigit() for ch in token):  # "0611-34 80 00, 070-…": a list
            token = token[:-1]
        odd += [ch for ch in token if not _PHONE_OK.fullmatch(ch)]
    if odd:
        shown = ", ".join(f'"{ch}"' for ch in dict.fromkeys(odd))
        return f"tecken som inte hör till ett telefonnummer: {shown}"
    for number in _PHONE_SEPARATOR.split(text):
        if number.count("-") > 1 and " " in number.strip():  # "0293-21-80 00": a space read as "-"
            return f'fler än ett "-" i "{number.strip()}"'
    return None


def email_problem(text: str) -> str | None:
    """Why an e-mail address looks misread: a part of its domain that is not a kommun's or län's name while a
    spelling one OCR confusion away is ("harmosand.se" for "harnosand.se"), or None."""
    _, at, domain = text.strip().lower().rpartition("@")
    if not at:
        return None  # no "@": flagged by ocr_checks already
    names = _domain_names()
    for label in re.split(r"[.\-]", domain)[:-1]:
        reading = likely_reading(label, names) if len(label) > 3 and label.isalnum() else None
        if reading:
            return f'domänen "{label}" är inget kommunnamn; kanske "{reading}"'
    return None


@lru_cache(maxsize=1)
def _domain_names() -> Lexicon:
    """Kommun and län names as web domains write them ("härnösand" → "harnosand", "upplands väsby" →
    "upplandsvasby", "upplands-vasby")."""
    fold = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})
    out: set[str] = set()
    for name in [k.name for k in places.all_kommuner()] + [lan.name for lan in places.all_lan()]:
        folded = name.lower().translate(fold)
        out |= {folded.replace(" ", ""), folded.replace(" ", "-"), *re.split(r"[\s\-]+", folded)}
    return Lexicon.of(out)


def _punctuation_reasons(text: str, lexicon: Lexicon | None) -> Iterator[str]:
    for token in _TOKEN.findall(text):
        if _GLUED.search(token) and not _allowed_inner_punctuation(token):
            yield f'skiljetecken inne i "{token}"'
    for hit in _DOUBLED.finditer(text):
        yield f'dubbla skiljetecken "{hit.group()}" i "{_around(text, hit.start(), hit.end())}"'
    paired = sum(ch in _QUOTES for ch in text) % 2 == 0
    for token in text.split():
        stray = _stray_quote(token, paired)
        if stray:
            yield f'lösa tecknet "{stray}" i "{token}"'
    words = text.split()
    for i, token in enumerate(words):  # "Universitetsbacken I": a digit read as a letter standing alone
        if token in _DIGIT_LIKE_WORDS or token == "I" and i == len(words) - 1 and i > 0:
            yield f'"{token}" står ensamt; kanske siffran "1"'
    for hit in re.finditer(r"(?<!\S)I(?!\S)", text):
        if _capital_i_mid_sentence(text, hit.start(), hit.end()):
            context = " ".join([*text[:hit.start()].split()[-1:], "I", *text[hit.end():].split()[:1]])
            yield f'versalt "I" mitt i meningen ("{context}"); kanske "i"'
    if len(text.strip()) == 1:
        yield f'värdet är ett enda tecken "{text.strip()}"'
    end = text.rstrip()
    if end.endswith((":", ";", ",")) and len(end) > 1:
        yield f'värdet slutar med "{end[-1]}"'
    elif _lost_final_period(end):
        yield "sista meningen slutar utan punkt (de andra har punkt)"
    for hit in _MARK_LOWER.finditer(text):  # "en del! av": an exclamation or question mark inside a sentence
        yield f'"{hit.group(2)}" mitt i meningen ("{hit.group(1)}{hit.group(2)} {hit.group(3)}")'
    for hit in _SIGN_IN_WORD.finditer(text):  # "&r" for "är": a sign print never glues to a small letter
        yield f'tecknet "{hit.group(1) or hit.group(2)}" i ordet "{_around(text, hit.start(), hit.end())}"'
    for hit in _PERIOD_LOWER.finditer(text):
        before, after = hit.group(1), hit.group(2)
        if len(before) >= LONG_WORD and before.casefold() not in ABBREVIATIONS and \
                (lexicon is None or before in lexicon):
            yield f'punkt mitt i meningen i "{before}. {after}"'


def _lost_final_period(text: str) -> bool:
    """Whether a text of several sentences, each of the others ending in ".", ends its last sentence (of three
    words or more) in a letter: OCR lost the period ("… besöken")."""
    if not text[-1:].isalpha():
        return False
    sentences = re.split(r"(?<=[^\W\d_][.!?])\s+(?=[A-ZÅÄÖ])", text)
    return len(sentences) > 1 and len(sentences[-1].split()) >= 3 and \
        all(sentence.rstrip().endswith((".", "!", "?")) for sentence in sentences[:-1])


def _allowed_inner_punctuation(token: str) -> bool:
    """An abbreviation ("t.ex", "fr.o.m"), a genitive or ending after a colon ("PO:s", "LSS:en"), a web
    address or file name ("www.kommun.se"), or a number with letters ("kl.13")."""
    folded = token.casefold().rstrip(".")
    if folded in ABBREVIATIONS or _COLON_SUFFIX.match(token):
        return True
    parts = re.split(r"[.:;]", folded)
    return ("." in folded and parts[-1] in TOP_LEVEL_DOMAINS) or parts[0] == "www"


def _stray_quote(token: str, quotes_paired: bool) -> str | None:
    """An apostrophe at a word's edge, or a quote character glued to a word when the value's quotes are
    not in pairs."""
    core = token.strip(".,;:!?()")
    if not core or not any(ch.isalpha() for ch in core):
        return None
    for ch in (core[0], core[-1]):
        if ch in _APOSTROPHES and not (ch == core[-1] and core[:-1][-1:].casefold() in "sxz" and len(core) > 3):
            return ch  # (a name's genitive apostrophe "Hans'" and "Lars'" is allowed)
    quotes = [ch for ch in core if ch in _QUOTES]
    return quotes[0] if quotes and not quotes_paired else None


def _around(text: str, start: int, end: int) -> str:
    left = text.rfind(" ", 0, start) + 1
    right = text.find(" ", end)
    return text[left:right if right >= 0 else len(text)]


def _word_reasons(text: str, lexicon: Lexicon) -> Iterator[str]:
    for hit in _TOKEN.finditer(text):
        token = hit.group()
        if any(ch in token for ch in ".:;'’") or _allowed_inner_punctuation(token):
            continue  # inner punctuation: judged above; the words on either side are looked up by themselves
        if token.isdigit() or not any(ch.isalpha() for ch in token):
            continue
        reading = likely_reading(token, lexicon)
        if reading:
            yield f'ordet "{token}" finns inte i ordlistan; kanske "{reading}"'
        elif text[hit.end():hit.end() + 1] != "-" and _linking_form_alone(token, lexicon):  # not "arbets- och"
            yield f'"{token}" står ensamt; kanske "{token[:-1]}e"'
        elif token.lower() in STRIPPED_FORMS and (token.islower() or _opens_sentence(text, hit.start())):
            marked = " eller ".join(f'"{w}"' for w in _with_marks(token, lexicon)) or "med å, ä eller ö"
            yield f'"{token}" saknar ring eller prickar; kanske {marked}'
        elif _capital_i_for_small(token, text, hit.start(), hit.end(), lexicon):
            yield f'"{token}" i versaler före gemener; kanske "{token[0]}{token[1:].lower()}"'
    for token in _inner_parts(text):
        reading = likely_reading(token, lexicon)
        if reading:
            yield f'ordet "{token}" finns inte i ordlistan; kanske "{reading}"'


def _inner_parts(text: str) -> Iterable[str]:
    """The words on either side of inner punctuation ("del.av" → "del", "av")."""
    for token in _TOKEN.findall(text):
        if any(ch in token for ch in ".:;'’") and not _allowed_inner_punctuation(token):
            yield from (w for w in _WORD.findall(token) if len(w) > 2)


def likely_reading(word: str, lexicon: Lexicon) -> str | None:
    """The spelling one or two OCR confusions away that the lexicon knows, when ``word`` itself is unknown;
    None when the word is known, too short or too long, an acronym, or no neighbour is a word."""
    if not _looked_up(word, lexicon) or any(ch.isdigit() for ch in word) and sum(ch.isalpha() for ch in word) < 2:
        return None
    found = _nearest(word, lexicon)
    if found:  # the likeliest: a word as written, then lower case, then by the confusions' order
        return min(found, key=lambda hit: (not lexicon.has_exactly(hit[1]), hit[1] != hit[1].lower(), hit[0],
                                           hit[1]))[1]
    return _compound_reading(word, lexicon)


def _looked_up(word: str, lexicon: Lexicon) -> bool:
    """Whether a word is one to look for neighbours of: unknown, of a reasonable length, not an acronym."""
    acronym = word.isupper() and len(word) <= SHORT_ACRONYM
    return 2 <= len(word) <= LONGEST_WORD and word not in lexicon and not acronym


def _nearest(word: str, lexicon: Lexicon) -> list[tuple[int, str]]:
    """(rank, spelling) of the lexicon words at the fewest OCR confusions from ``word`` (one, or two for words of
    TWO_SUBSTITUTIONS letters), in the confusions' order; empty when none is a word."""
    most = MAX_SUBSTITUTIONS if TWO_SUBSTITUTIONS[0] <= len(word) <= TWO_SUBSTITUTIONS[1] else 1
    for depth in range(1, most + 1):
        found = [(rank, c) for c, rank in _variants(word, depth) if _cased_like_a_word(c) and c in lexicon]
        if found:
            return found
    return []


def _compound_reading(word: str, lexicon: Lexicon) -> str | None:
    """A compound (off the lexicon as a whole) whose first part is a word while its last part is off the lexicon
    and one OCR confusion away from a word ("Brukarorganisationema": "Brukar" + "organisationerna"): the
    compound with that part so read; None otherwise (a right compound's last part is a word)."""
    if len(word) < COMPOUND_HEAD + COMPOUND_TAIL or not word.isalpha() or _is_compound(word.lower(), lexicon):
        return None
    for cut in range(COMPOUND_HEAD, len(word) - COMPOUND_TAIL + 1):
        head, tail = word[:cut], word[cut:].lower()
        if head in lexicon and tail not in lexicon:
            for variant, _ in _variants(tail, 1):
                if len(variant) >= COMPOUND_TAIL and variant in lexicon:
                    return head + variant
    return None


def _is_compound(word: str, lexicon: Lexicon, parts: int = 3) -> bool:
    """Whether a word is made of up to ``parts`` lexicon words of at least three letters, joined directly or
    by a linking "s" ("nätverk" + "s" + "träffar", "ledningsgrupp" + "s" + "träffar")."""
    if word in lexicon:
        return True
    if parts <= 1:
        return False
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        if head in lexicon and (_is_compound(tail, lexicon, parts - 1)
                                or tail[:1] == "s" and len(tail) > 3 and _is_compound(tail[1:], lexicon, parts - 1)):
            return True
    return False


def _with_marks(word: str, lexicon: Lexicon) -> list[str]:
    """The spellings of a word with ring or dots (a→å/ä, o→ö, once or twice) that the lexicon holds as written."""
    sites = [(start, printed) for (seen, printed) in DIACRITIC_CONFUSIONS
             for start in range(len(word)) if word[start] == seen]
    once = [word[:i] + p + word[i + 1:] for i, p in sites]
    twice = [w[:j] + q + w[j + 1:] for w in once for j, q in sites if w[j] in "ao"]
    return [w for w in dict.fromkeys(once + twice) if lexicon.has_exactly(w)]


def _capital_i_for_small(token: str, text: str, start: int, end: int, lexicon: Lexicon) -> bool:
    """"VI har": a two-letter word in capitals ending in "I" that opens a sentence going on in lower case,
    whose lower-case form is a word: OCR reads the "i" after a capital as "I"."""
    return (len(token) == 2 and token.isupper() and token.endswith("I") and _opens_sentence(text, start)
            and bool(re.match(r" [a-zåäö]", text[end:end + 2])) and token.lower() in lexicon.words)


def _capital_i_mid_sentence(text: str, start: int, end: int) -> bool:
    """"arbetar I hela": an "I" standing alone between two lower-case words, where Swedish writes the
    preposition "i" (OCR reads a photocopied "i" whose dot merged into its stem as "I")."""
    before = text[:start].rstrip()
    return (not _opens_sentence(text, start) and bool(before) and (before[-1].islower() or before[-1] == ",")
            and bool(re.match(r" [a-zåäö]", text[end:end + 2])))


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens the value, a line or a sentence."""
    return start == 0 or text[start - 1] == "\n" or text[:start].rstrip().endswith((".", "!", "?", ":"))


def _cased_like_a_word(word: str) -> bool:
    """Lower case, capitals, or a capital then lower case ("lIberg" is no reading of "Ilberg")."""
    return word.islower() or word.isupper() or word[1:].islower() or len(word) == 1 or not word.isalpha()


def _linking_form_alone(word: str, lexicon: Lexicon) -> bool:
    """A compound's linking form in "-ets" whose "-ete" noun exists ("samarbets" for "samarbete"): print writes
    it only inside a compound or before a hyphen, so standing alone it is an "e" read as "s"."""
    return len(word) >= 6 and word.endswith("ets") and f"{word[:-1]}e" in lexicon


def _sites(word: str) -> list[tuple[int, int, str, int]]:
    """Every place a confusion applies: (start, end, replacement, the confusion's rank in CONFUSIONS)."""
    out = []
    for rank, (seen, printed) in enumerate(CONFUSIONS):
        start = word.find(seen)
        while start >= 0:
            out.append((start, start + len(seen), printed, rank))
            start = word.find(seen, start + 1)
    return out


def _variants(word: str, depth: int) -> Iterator[tuple[str, int]]:
    """Spellings ``depth`` confusions away, each with the sum of its confusions' ranks."""
    sites = _sites(word)
    if depth == 1:
        for start, end, printed, rank in sites:
            yield word[:start] + printed + word[end:], rank
        return
    for i, (s1, e1, p1, r1) in enumerate(sites):
        for s2, e2, p2, r2 in sites[i + 1:]:
            if e1 <= s2:
                yield word[:s1] + p1 + word[e1:s2] + p2 + word[e2:], r1 + r2
            elif e2 <= s1:
                yield word[:s2] + p2 + word[e2:s1] + p1 + word[e1:], r1 + r2


# ---------------------------------------------------------------------------------------------------------------
# Corrections: the misreads above that have exactly one clear reading, corrected (and still flagged by the caller).

# Labels of fields holding a person's name or an address, by how their words end ("kontaktperson",
# "utdelningsadress", "namnförtydligande").
PERSON_LABEL_WORDS = ("person", "namnförtydligande", "namnteckning", "underskrift", "adress", "handläggare")
# Words written with a period that may be followed by a lower-case word ("forts. med", "resp. kommun").
PERIOD_ABBREVIATIONS = frozenset({"forts", "resp", "ang", "enl", "inkl", "exkl", "avd", "kap", "ungef", "särsk",
                                  "bl", "jfr", "jämf", "tfn", "tel", "mobil", "mob", "adr", "nr", "st", "ca"})
# Words "år" follows and the verb "är" never does: "per ar" is "per år".
YEAR_WORDS = frozenset({"per", "varje", "förra", "nästa", "detta", "innevarande", "föregående", "kommande",
                        "halvt"})
_SENTENCE_END = re.compile(r"[^\W\d_][.!?]\s+[A-ZÅÄÖ]")  # another sentence of the value ends in "."
_GLUED_LOWER = re.compile(r"[a-zåäöéü]+[.:;][a-zåäöéü]+")
_DOUBLE_PERIOD = re.compile(r"(?<![.])\.\.(?![.])( ?)(?=([A-ZÅÄÖ])?)")
_DOUBLE_COMMA = re.compile(r",,")
_WHITESPACE_TOKEN = re.compile(r"\S+")
_LIST_TOKEN = re.compile(r"[^\W_]+(?:[.:'’][^\W_]+)*")  # a list's items: ";" separates them


@dataclass(frozen=True)
class Correction:
    """One correction of an OCR reading: what was read, what it became, and on what grounds (Swedish)."""

    was: str
    now: str
    why: str

    def note(self) -> str:
        """The reading's note for this correction (Swedish)."""
        return f'OCR: "{self.was}" rättat till "{self.now}" ({self.why})'


_NOTE = re.compile(r'OCR: ".*?" rättat till ".*?" \([^()]*\)')


def corrections_in_note(note: str | None) -> list[str]:
    """The corrections a reading's note names (as ``Correction.note`` wrote them), in order."""
    return _NOTE.findall(note or "")


def is_name_field(spec: FieldSpec) -> bool:
    """Whether a free-text field holds a person's name or an address (never corrected): by its label."""
    words = _WORD.findall(f"{spec.label} {spec.sublabel or ''}".casefold())
    return any(word.endswith(PERSON_LABEL_WORDS) for word in words)


def correction_lexicon() -> Lexicon | None:
    """Tesseract's Swedish words with every kommun and län name (and their genitives), or None."""
    words = swedish_lexicon()
    return _extended(words, _place_words()) if words is not None else None


@lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    """Every word of a kommun's or län's name, and its genitive ("Härnösand", "Härnösands")."""
    names = [k.name for k in places.all_kommuner()] + [lan.name for lan in places.all_lan()]
    words = {w for name in names for w in _WORD.findall(name) if w[0].isupper()}
    return frozenset(words | {w if w[-1] in "sxz" else f"{w}s" for w in words})


def corrected_text(text: str, lexicon: Lexicon | None, *, as_list: bool = False) -> tuple[str, list[Correction]]:
    """A free text with each OCR misread that has exactly one clear correction corrected, and the corrections.

    Corrected: a word off the lexicon whose only reading at the fewest OCR confusions is a lexicon word
    ("psykiätrin" → "psykiatrin"; a capitalised word inside a sentence only to a kommun's or län's name; two
    or more readings: left alone); "VI har" opening a sentence → "Vi"; a common word without its ring or dots
    that has one marked form in the lexicon ("tva" → "två"), and "ar" after "per", "varje", "nästa" … → "år"
    ("ar" elsewhere: "år" or "är", left alone); "samarbets" standing alone → "samarbete"; ".." → "." (and a
    space before a capital); ",," → ","; ".", ":" or ";" glued between two lower-case lexicon words → a space
    ("del.av" → "del av"); a stray apostrophe or quote at the edge of a lexicon word ("en'" → "en"); a period
    between a long lexicon word and a lower-case lexicon word ("hjälp. med" → "hjälp med"); a value ending in
    ":", ";" or "," after a lexicon word → "." when another sentence of the value ends in "." (a value of one
    sentence may have ended in "." or in nothing: left flagged and uncorrected). Never touched: tokens with
    "@" or a web address, numbers, acronyms, words on either side of a hyphen. ``as_list``: a list's text
    (";" and "," separate items; no sentence rules). Without a lexicon only ".." and ",," are corrected."""
    corrections: list[Correction] = []
    text = _fix_doubled(text, corrections)
    if lexicon is None:
        return text, corrections
    if not as_list:
        text = _fix_glued(text, lexicon, corrections)
    text = _fix_stray_quotes(text, lexicon, corrections)
    if not as_list:
        text = _fix_period_lower(text, lexicon, corrections)
    text = _fix_words(text, lexicon, corrections, _LIST_TOKEN if as_list else _TOKEN)
    if not as_list:
        text = _fix_end(text, lexicon, corrections)
    return text, corrections


def _fix_doubled(text: str, out: list[Correction]) -> str:
    """".." → "." (then a space before a capital: "boende..Ombuden" → "boende. Ombuden"), ",," → ","."""
    for pattern in (_DOUBLE_PERIOD, _DOUBLE_COMMA):
        hit = pattern.search(text)
        while hit is not None:
            now = ("." if pattern is _DOUBLE_PERIOD else ",") + (" " if hit.group(0)[-1:] == " " or (
                pattern is _DOUBLE_PERIOD and hit.group(2)) else "")
            fixed = text[:hit.start()] + now + text[hit.end():]
            inserted = now.endswith(" ") and len(hit.group(0)) == 2  # a space put before a capital
            out.append(Correction(_around(text, hit.start(), hit.start() + 2),
                                  _around(fixed, hit.start(), hit.start() + (2 if inserted else 1)),
                                  "dubbla skiljetecken"))
            text = fixed
            hit = pattern.search(text, hit.start() + len(now))
    return text


def _fix_glued(text: str, lexicon: Lexicon, out: list[Correction]) -> str:
    def fix(hit: re.Match[str]) -> str:
        token = hit.group()
        whole = _token_at(text, hit.start(), hit.end())
        if whole != token or _allowed_inner_punctuation(token):
            return token  # part of a longer token ("a.b.c", "www.x.se", "kl.13"): left alone
        left, right = re.split(r"[.:;]", token)
        if len(left) < 2 or len(right) < 2 or not (lexicon.has_exactly(left) and lexicon.has_exactly(right)):
            return token
        now = f"{left} {right}"
        out.append(Correction(token, now, "skiljetecken inne i ordet"))
        return now

    return _GLUED_LOWER.sub(fix, text)


def _token_at(text: str, start: int, end: int) -> str:
    """The whole non-space chunk around text[start:end], without punctuation at its ends."""
    left = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    rights = [i for i in (text.find(" ", end), text.find("\n", end)) if i >= 0]
    return text[left:min(rights) if rights else len(text)].strip(".,;:!?()\"'")


def _fix_stray_quotes(text: str, lexicon: Lexicon, out: list[Correction]) -> str:
    paired = sum(ch in _QUOTES for ch in text) % 2 == 0

    def fix(hit: re.Match[str]) -> str:
        token = hit.group()
        stray = _stray_quote(token, paired)
        if stray is None or "@" in token:
            return token
        core = token.strip(".,;:!?()")
        if not (core.startswith(stray) or core.endswith(stray)) or core.count(stray) != 1:
            return token
        bare = core.strip(stray)
        if not bare.isalpha() or bare not in lexicon:
            return token
        now = token.replace(stray, "", 1)
        out.append(Correction(token, now, "löst tecken"))
        return now

    return _WHITESPACE_TOKEN.sub(fix, text)


def _fix_period_lower(text: str, lexicon: Lexicon, out: list[Correction]) -> str:
    def fix(hit: re.Match[str]) -> str:
        before, after = hit.group(1), hit.group(2)
        start = hit.start()
        whole_word = start == 0 or not (text[start - 1].isalnum() or text[start - 1] in ".:;'’")
        if not whole_word or len(before) < LONG_WORD or before.casefold() in ABBREVIATIONS | PERIOD_ABBREVIATIONS \
                or before not in lexicon or not lexicon.has_exactly(after):
            return hit.group()
        now = f"{before} {after}"
        out.append(Correction(hit.group(), now, "punkt mitt i meningen"))
        return now

    return _PERIOD_LOWER.sub(fix, text)


def _fix_words(text: str, lexicon: Lexicon, out: list[Correction], tokens: re.Pattern[str]) -> str:
    def fix(hit: re.Match[str]) -> str:
        token = hit.group()
        if any(ch in token for ch in ".:;'’") or _in_address(_token_at(text, hit.start(), hit.end())):
            return token
        now, why = _word_correction(token, text, hit.start(), hit.end(), lexicon)
        if now is None or now == token:
            return token
        out.append(Correction(token, now, why))
        return now

    return tokens.sub(fix, text)


def _in_address(chunk: str) -> bool:
    """Whether a chunk of text (between spaces) is or holds an e-mail or web address."""
    folded = chunk.casefold()
    return "@" in folded or "/" in folded or "www." in folded or "http" in folded


def _word_correction(token: str, text: str, start: int, end: int, lexicon: Lexicon) -> tuple[str | None, str]:
    """The one correction of a word as read (and on what grounds), or None."""
    if token == "I" and _capital_i_mid_sentence(text, start, end):
        return "i", "versal I mitt i meningen"
    letters = sum(ch.isalpha() for ch in token)
    if letters < 2 or (any(ch.isdigit() for ch in token) and letters < 4) or text[end:end + 1] == "-" \
            or text[start - 1:start] == "-":
        return None, ""  # numbers, "LSS1", either side of a hyphen ("arbets- och", "e-tjänster")
    if _capital_i_for_small(token, text, start, end, lexicon):
        return f"{token[0]}{token[1:].lower()}", "versal I före gemener"
    if token in lexicon:
        if token.lower() in STRIPPED_FORMS and (token.islower() or _opens_sentence(text, start)):
            marked = _with_marks(token.lower(), lexicon)
            if token == "ar" and _after_year_word(text, start):
                return "år", "ring saknas"  # "per ar", "varje ar", "2020 ar": a noun, not the verb "är"
            if len(marked) == 1:
                return (marked[0] if token.islower() else marked[0].capitalize()), "ring eller prickar saknas"
        elif _linking_form_alone(token, lexicon) and token.islower():
            return f"{token[:-1]}e", "ordlistan"
        return None, ""
    if token.isupper() and len(token) > 1:
        return None, ""  # an acronym or a word in capitals: not corrected
    readings = only_readings(token, lexicon)
    if len(readings) != 1:
        return None, ""
    reading = readings[0]
    if token[0].isupper():
        place = reading in _place_words()
        opening = _opens_sentence(text, start)
        if not place and not (opening and lexicon.has_exactly(reading.lower())):
            return None, ""  # a capitalised word inside a sentence may be a name: only to a place's name
    return reading, "ordlistan"


def _after_year_word(text: str, start: int) -> bool:
    """Whether the word just before ``start`` is one that "år" follows and the verb "är" never does ("per")."""
    before = text[max(0, start - 20):start]
    words = before.split()
    return bool(words) and before[-1:].isspace() and words[-1].casefold() in YEAR_WORDS


def only_readings(word: str, lexicon: Lexicon) -> list[str]:
    """The lexicon words at the fewest OCR confusions from ``word`` (one spelling per word, case aside);
    empty when the word is known, an acronym, too short or too long, or has no neighbour."""
    if not _looked_up(word, lexicon):
        return []
    found: dict[str, str] = {}
    for _rank, candidate in _nearest(word, lexicon):
        found.setdefault(candidate.casefold(), candidate)
    return sorted(found.values())


def _fix_end(text: str, lexicon: Lexicon, out: list[Correction]) -> str:
    body = text.rstrip()
    if len(body) < 2 or body[-1] not in ":;,":
        return text
    last = _WORD.findall(body[-40:])
    if not last or not body[-2].isalpha() or last[-1] not in lexicon or not _SENTENCE_END.search(body):
        return text  # one sentence only: whether it ended in "." is not known, so it stays flagged uncorrected
    word = body[len(body) - len(last[-1]) - 1:]
    out.append(Correction(word, f"{word[:-1]}.", "slutar med skiljetecken"))
    return f"{body[:-1]}.{text[len(body):]}"
