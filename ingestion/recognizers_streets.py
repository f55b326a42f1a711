"""Street lines by their structure: a street-type word of a European language, the name beside it, a house number.

Addresses are written in every national order: the type before the name ("rue du Centre 320", "ul. Miła 53",
"Λεωφόρος Συγγρού 119", "C/ Señores Curas 88"), after it ("Stensås terrasse 38", "Luite tee 87", "Rákóczi út 66."),
with the house number before or after, in any case. A match needs the type word and a number; the name words may not
be English function words, so "down the road 5 times" is no address. The rest of the line that reads as an address
(flat and suite, town, region, postcode) is taken with it, up to a city the assistant reasons about or a country.
"""

from __future__ import annotations

import functools
import re

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ingestion.pii_names import PLACES
from ingestion.recognizer_patterns import LANGUAGE

# Street types written before the name: FR, ES, PT, IT, PL, RO, EL, AL, CZ/SK and Balkan languages.
TYPES_BEFORE = (
    r"rue|avenue|av\.|boulevard|bd\.?|chemin|allée|impasse|quai|route|"
    r"calle|c/|avenida|avda\.?|plaza|paseo|camino|carretera|ronda|travesía|rúa|"
    r"rua|travessa|praça|estrada|alameda|"
    r"via|viale|piazza|piazzale|corso|vicolo|strada|lungomare|"
    r"ul\.|ulica|al\.|aleja|plac|os\.|"
    r"bulevardul|bd-ul|calea|aleea|piața|str\.|"
    r"οδός|οδος|λεωφόρος|λεωφ\.|πλατεία|"
    r"rruga|bulevardi|ulitsa|bul\.|trg"
)
# Street types written after the name: EN, DE, NL, Nordic, Baltic, Finnish, HU; also attached ("Betburweg").
TYPES_AFTER = (
    r"street|st\.?|road|rd\.?|avenue|ave\.?|lane|drive|way|close|court|place|square|terrace|crescent|boulevard|"
    r"highway|parkway|row|mews|parade|gardens|"
    r"straße|strasse|str\.|gasse|weg|platz|allee|ring|damm|markt|ufer|"
    r"straat|laan|plein|gracht|kade|dijk|singel|steeg|"
    r"terrasse|vei|veien|vegen|gata|gatan|vägen|väg|vej|gade|stræde|tee|tänav|iela|gatvė|katu|tie|kuja|"
    r"utca|út|útja|tér|körút|sor|"
    r"ulica|trg|náměstí|ulice"
)
# Lower-case words that belong inside a street's or town's name ("rue des Lilas", "Chomutice u Horic").
_PARTICLE_WORDS = """
de du des la le les d' l' del della delle dei di da do dos das van der den het von zu am an im auf u v na nad pod
sur sous en y i e à al el
"""
PARTICLES = frozenset(_PARTICLE_WORDS.split())
_WORD = r"[^\W\d_][\w'’\-]*"
_NUMBER = r"\d{1,5}[a-zA-Z]?(?:/\d{1,3}[a-zA-Z]?)?\.?"
_BUILDING = r"(?:\d{1,5}[ \t]+)?"
# "rue du Centre 320", "ul. Miła 53": the type, the name, the number.
_TYPE_NAME_NUMBER = re.compile(
    rf"(?<![\w./])(?P<number>{_BUILDING}{_NUMBER}[ \t]+)?(?i:(?:{TYPES_BEFORE}))(?![\w])[ \t]*"
    rf"(?P<name>{_WORD}(?:[ \t]+{_WORD}){{0,4}}?),?[ \t]+(?P<after>{_NUMBER})(?![\w/])",
    re.MULTILINE,
)
# "26 rue des Lieutenants Thomazo": the number, the type, the name to the end of the line or a comma.
_NUMBER_TYPE_NAME = re.compile(
    rf"(?<![\w./])(?P<number>{_BUILDING}{_NUMBER}[ \t]+)(?i:(?:{TYPES_BEFORE}))(?![\w])[ \t]*"
    rf"(?P<name>{_WORD}(?:[ \t]+{_WORD}){{0,4}})(?P<after>)(?=[ \t]*(?:,|$))",
    re.MULTILINE,
)
# Street types written attached to the name ("tawastintie", "Betburweg", "Magasinsgatan"), after three letters or more.
ATTACHED_TYPES = (
    r"straße|strasse|gasse|platz|allee|straat|laan|plein|gracht|gatan|gata|vägen|vej|veien|vegen|vegur|gade|katu|"
    r"kuja|tie|utca|iela"
)
# "Stensås terrasse 38", "Rákóczi út 66.", "tawastintie 6": the name, the type, the number.
_NAME_TYPE_NUMBER = re.compile(
    rf"(?<![\w./])(?P<number>{_BUILDING}{_NUMBER}[ \t]+)?(?P<name>(?:{_WORD}[ \t]+){{0,3}}?)"
    rf"(?:(?i:(?:{TYPES_AFTER}))|[^\W\d_]{{3,}}(?i:(?:{ATTACHED_TYPES})))(?![\w])[ \t]+(?P<after>{_NUMBER})(?![\w/])",
    re.MULTILINE,
)
# What may follow the street on its line: a flat, suite or floor, a town or region of capitalised words, a
# parenthesised note ("Cyprus (Greek)"), a postcode; each after a comma or a space.
_TAIL_ITEM = re.compile(
    r"(?:,[ \t]*|[ \t]+)(?P<item>(?i:apt\.?|apartment|suite|flat|unit|floor|room|box|fpo|apo)[ \t]*\d[\w\-]{0,5}"
    r"|\d{3,6}(?:[ \-]\d{2,4})?|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|\([^()\n]{1,20}\)"
    rf"|{_WORD})(?![\w])"
)
_MAX_TAIL_ITEMS = 10
_UNIT = re.compile(r"(?i:apt\.?|apartment|suite|flat|unit|floor|room|box|fpo|apo)\b")
# A street named without its house number after a preposition ("shows on Tarsicio Isle Street", "at Crown Road"):
# only the full English type words, capitalised, so "St" (a saint) and "in the road" stay.
_STREET_NAME_ONLY = re.compile(
    r"(?<![\w])(?:on|at|in|along|off|near)[ \t]+(?P<name>[A-ZÀ-ÖØ-Þ][\w'’\-]*(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w'’\-]*){0,2})[ \t]+"
    r"(?:Street|Road|Avenue|Lane|Boulevard|Drive)(?![\w])"
)
_UNIT_BEFORE = re.compile(r"(?i:apt\.?|apartment|suite|flat|unit|floor|room|box)[ \t]*\d[\w\-]{0,5}$")


@functools.cache
def _english_function_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS) - PARTICLES


# Languages whose country names end an address line ("…, 00-950 Warszawa, Polska"): countries are kept.
_COUNTRY_NAME_LANGUAGES = ("en", "it", "de", "fr", "es", "pt", "nl", "pl", "ro", "el", "bg", "hu", "cs", "sv")


@functools.cache
def _country_names() -> frozenset[str]:
    """Country names in the partner languages (case-folded), from the phonenumbers package's geocoding data."""
    import phonenumbers
    from phonenumbers.geocoder import country_name_for_number

    names: set[str] = set()
    for region in phonenumbers.SUPPORTED_REGIONS:
        number = phonenumbers.example_number(region)
        if number is None:
            continue
        names.update(country_name_for_number(number, language) for language in _COUNTRY_NAME_LANGUAGES)
    return frozenset(name.casefold() for name in names if name)


@functools.cache
def _country_words() -> frozenset[str]:
    """The one-word country names."""
    return frozenset(name for name in _country_names() if " " not in name and "-" not in name)


# A country that ends an address line and the postcode written after it ("…, Gdańsk, Poland 52096",
# "ΠΑΦΟΣ, Cyprus (Greek) 13475"); a year is no postcode.
_COUNTRY_POSTCODE = re.compile(
    r",?[ \t]*(?P<country>[^\W\d_][\w'’\-]*(?:[ \t]+[^\W\d_][\w'’\-]*){0,2})[ \t]*(?:\([^()\n]{1,20}\)[ \t]*)?"
    r"(?!(?:19|20)\d\d(?![\w\-]))(?P<code>\d{4,6}|\d{2,3}[ \-]\d{3})(?![\w\-])"
)


def postcode_after_country(text: str, end: int) -> tuple[int, int] | None:
    """The postcode after the country that ends an address line at ``end``, or None.

    The country stays (the assistant reasons about countries); the postcode narrows the address to a few streets and
    is redacted with it.
    """
    match = _COUNTRY_POSTCODE.match(text, end)
    if match is None or match.group("country").casefold() not in _country_names():
        return None
    return match.span("code")


def address_tail_end(text: str, end: int) -> int:
    """Where an address line that ends at ``end`` goes on to: its flat, town, region and postcode on the same line.

    A town or region opens after a comma, a flat or a postcode (never right after the street, where prose goes on);
    a word is taken when it is capitalised (or the whole line is in lower case), has two letters or more and is no
    English function word; a city the assistant reasons about (``PLACES``) or a country ends the address before it.
    """
    line_start = text.rfind("\n", 0, end) + 1
    line_end = text.find("\n", end)
    lower_line = not any(char.isupper() for char in text[line_start : line_end if line_end != -1 else len(text)])
    best, opened = end, _UNIT_BEFORE.search(text, line_start, end) is not None
    for _ in range(_MAX_TAIL_ITEMS):
        match = _TAIL_ITEM.match(text, best)
        if match is None:
            break
        item, after_comma = match.group("item"), match.group().lstrip(" \t").startswith(",")
        if item[0].isalpha() and not _UNIT.match(item):
            folded = item.casefold()
            if (
                folded in PLACES
                or folded in _country_words()
                or (folded in _english_function_words() and folded not in PARTICLES)
            ):
                break
            short = len(item) < 2 and folded not in PARTICLES
            if not (after_comma or opened) or short or text[match.end() : match.end() + 1] == ".":
                break
            if not (item[0].isupper() or lower_line or folded in PARTICLES):
                break
        opened = True
        best = match.end()
    # A particle is never the last word of a town ("Chomutice u").
    while best > end and text[:best].rsplit(None, 1)[-1].casefold() in PARTICLES:
        best = max(end, text.rfind(" ", end, best))
    return best


def _name_ok(name: str) -> bool:
    """Name words of a street: none an English function word, unless a particle inside a name."""
    words = name.split()
    return all(word.casefold() not in _english_function_words() for word in words)


class StreetStructureRecognizer(EntityRecognizer):
    """A street-type word with a name beside it and a house number, in the orders European addresses use."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["ADDRESS"], name="StreetStructureRecognizer", supported_language=LANGUAGE)

    def load(self) -> None:
        """Nothing to load: the patterns are module constants."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """One result per street line found by its structure, with the rest of its line that reads as an address."""
        if entities and "ADDRESS" not in entities:
            return []
        results: list[RecognizerResult] = []
        for pattern in (_TYPE_NAME_NUMBER, _NUMBER_TYPE_NAME, _NAME_TYPE_NUMBER):
            for match in pattern.finditer(text):
                start = _street_start(match)
                if start is None:
                    continue
                results += address_results(text, start, address_tail_end(text, match.end()))
        for match in _STREET_NAME_ONLY.finditer(text):
            if _name_ok(match.group("name")) and not any(
                word.casefold() in PLACES for word in match.group("name").split()
            ):
                results.append(RecognizerResult("ADDRESS", match.start("name"), match.end(), 0.6))
        return results


def address_results(text: str, start: int, end: int) -> list[RecognizerResult]:
    """The address line from ``start`` to ``end``, and the postcode after a country that ends it, if any."""
    results = [RecognizerResult("ADDRESS", start, end, 0.6)]
    postcode = postcode_after_country(text, end)
    if postcode is not None:
        results.append(RecognizerResult("ADDRESS", *postcode, 0.6))
    return results


def _street_start(match: re.Match[str]) -> int | None:
    """Where a structural match's street begins, or None when it is no street.

    The name may take English words before it ("to Árpád fejedelem útja 3."): they are left out, unless a house number
    came before them, which makes the match prose ("5 of the road 6").
    """
    if not (match.group("number") or match.group("after")):
        return None
    name = match.group("name")
    words = list(re.finditer(r"\S+", name))
    first = 0
    while first < len(words) and words[first].group().casefold() in _english_function_words():
        first += 1
    if first and (first == len(words) or match.group("number")):
        return None
    if not _name_ok(name[words[first].start() :] if words else ""):
        return None
    return match.start() if first == 0 else match.start("name") + words[first].start()
