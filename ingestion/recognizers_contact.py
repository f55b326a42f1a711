"""Presidio recognizers for contact data: phone numbers, street addresses and e-mail addresses (also obfuscated)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import EmailRecognizer

from ingestion.pii_names import PLACE_PREFIXES, PLACES
from ingestion.recognizer_patterns import CAP_WORD, CASE_SENSITIVE, LANGUAGE, LOWER, UPPER

# --- phone numbers --------------------------------------------------------------------------------------------

_SEP = r"[ .\-/]?"
PHONE_PATTERNS = [
    # International: +CC then 6-13 more digits in groups ("+39 345 678 9012", "+234 803 555 0142").
    # Slashes and dots also separate groups ("+44 7700/900/872", "+39 351/224.7781").
    Pattern("international", r"(?<![\w+])\+\d{1,3}(?:[ .\-]?\(0\))?(?:[ .\-/]?\d{1,4}){2,5}\b", 0.6),
    Pattern("international 00", r"(?<![\w+])00\d{2,3}[ .\-]\d{1,4}(?:[ .\-]?\d{2,4}){1,4}\b", 0.5),
    # Italian mobiles without prefix: 3xx then 6-7 digits in any grouping ("333 1234567", "347-123-4567",
    # "3281145509", "329 44 18 702").
    Pattern("italian mobile", r"(?<![\w+/.])3\d{2}(?:[ .\-/]?\d{2,4}){2,3}(?![\w/])", 0.6),
    # Italian landlines: 0 + area code ("02 8845 7110", "091 6123456"); UK geographic ("01622 694 330").
    Pattern("italian landline", r"(?<![\w+/.])0\d{1,3}[ .\-/]?\d{3,4}[ .\-/]?\d{3,4}(?![\w/])", 0.5),
    Pattern("uk landline", r"(?<![\w+/.])0\d{4}[ .\-]?\d{3}[ .\-]?\d{3,4}(?![\w/])", 0.5),
    # London and other two-digit area codes read out digit by digit ("0 20 7946 0321").
    Pattern("uk spaced", r"(?<![\w+/.])0 \d{2} \d{4} \d{4}(?![\w/])", 0.5),
]


def phone_digits_ok(text: str) -> bool:
    """Accept a phone-like match when its digit count fits a real number (8-15 digits)."""
    digits = sum(char.isdigit() for char in text)
    return 8 <= digits <= 15


class PhoneNumberRecognizer(PatternRecognizer):
    """European and African phone numbers written the ways case files write them (Presidio misses Italian ones)."""

    def __init__(self) -> None:
        super().__init__(
            supported_entity="PHONE",
            name="PhoneNumberRecognizer",
            supported_language=LANGUAGE,
            global_regex_flags=CASE_SENSITIVE,
            patterns=PHONE_PATTERNS,
            context=["phone", "tel", "telefono", "cell", "mobile", "utenza", "numero", "whatsapp", "number"],
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """Drop matches with too few or too many digits (a date or an article number is not a phone)."""
        return None if phone_digits_ok(pattern_text) else False


# --- addresses --------------------------------------------------------------------------------------------------

_STREET_FIRST = (
    # Italian, French, Spanish, Portuguese, Romanian, Albanian, Polish, Bulgarian, Dutch street types that come
    # before the name, with the abbreviations Italian forms use (C.so, V.le, P.za, Loc.).
    r"via|viale|piazza|piazzale|corso|largo|vicolo|vico|contrada|lungomare|borgo|strada|salita|traversa|"
    r"c\.so|v\.le|p\.za|p\.zza|p\.le|l\.go|loc|località|fraz|frazione|"
    r"rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai|"
    r"calle|avenida|avda|plaza|paseo|carrer|rua|travessa|"
    r"bulevardul|str|rruga|ulica|ul|ulitsa|bul|laan"
)
# The street types that may follow a house number ("29 Rue de Tanger", "33 avenue de Provence"); "via", "place" and
# the short ones would also read "+291 7 123 456 via Messenger" or "3 place" as an address.
_STREET_BEFORE_NUMBER = "|".join(
    kind for kind in _STREET_FIRST.split("|") if kind not in {"via", "place", "loc", "str", "bd", "bul", "ul"}
)
_PARTICLE = r"(?:di|del|della|delle|dei|degli|dello|de|da|du|des|la|le|lo|e|lui|d'|l'|dos|das|do|van|der|den|von|ter)"
_NAME_PART = rf"(?!(?i:apt|apartment|suite|flat|unit|box)\b)(?:{CAP_WORD}|[IVXL]+|\d{{1,2}}(?=\s+{CAP_WORD}))"
_STREET_NAME = (
    rf"(?:{_PARTICLE}\s+|{_PARTICLE}(?={CAP_WORD}))*{_NAME_PART}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_PART}){{0,4}}"
)
# A house number ("12", "n. 5", "14/B", "311-B"), a kilometre marker on a country road ("km 33,500") or "snc".
_NUMBER = r"\d{1,4}(?:\s?/\s?[A-Za-z0-9]{1,3}|-?[A-Za-z](?!\w))?(?!\w)"
_HOUSE_NUMBER = (
    rf"(?:,?\s*(?:(?i:n\.|n°|nr\.|no\.|nº|civico)\s*)?{_NUMBER}"
    r"|,?\s+(?i:km)\.?\s*\d{1,3}(?:[.,]\d{1,3})?(?!\d)|\s+(?i:snc)\b)"
)
# What follows a street and still belongs to the address: staircase, flat and floor, a named estate or locality,
# a postcode with its city ("12051 Berlin", "2564 AX Den Haag", "London SE25 6RD", "Sofia 1000").
_UNIT = (
    r"(?:(?i:scala|sc\.|int\.|interno|piano|flat|apt\.?|apartment|suite|floor|unit|edificio|palazzina|lotto|block|"
    r"étage|escalera|puerta|piso|wohnung|stiege|bus|boîte)"
    rf"\s*[A-Za-z0-9]{{1,4}}(?!\w)|\d{{1,2}}\s?[°º]\s?(?i:piano)"
    rf"|(?i:parco|residence|complesso|condominio|villaggio|loc\.|località|frazione|fraz\.)\s+{_STREET_NAME})"
)
_POSTCODE_CITY = (
    rf"(?:\d{{4,5}}(?:\s?[A-Z]{{2}}(?!\w))?\s+{CAP_WORD}(?:\s+{CAP_WORD})?"
    rf"|(?:{CAP_WORD}\s+)?[A-Z]{{1,2}}\d[A-Z\d]?\s?\d[A-Z]{{2}}(?!\w)"
    rf"|{CAP_WORD}\s+\d{{4,5}}(?![\w/]))"
)
_TAIL = rf"(?:,?[ \t]+{_UNIT}|,\s*(?:{_UNIT}|{_POSTCODE_CITY}))*"
# The town after a street and house number ("via Roma 27, Bagheria", "corso Re Umberto 5, Giugliano in Campania").
_TOWN = (
    rf"{CAP_WORD}(?:\s+(?:(?:in|di|del|della|dei|degli|delle|sul|sulla|al|de)\s+)?{CAP_WORD}){{0,2}}"
    rf"(?:\s+\([A-Z]{{2}}\))?"
)
_TOWN_TAIL = re.compile(rf",\s*(?P<town>{_TOWN})$")
_STREET_AFTER = (
    r"Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Close|Drive|Dr\.?|Way|Crescent|Terrace|Gardens|Grove|Row|"
    r"Walk|Mews|Parade|Boulevard|Blvd\.?|Place|Pl\.?|Square|Sq\.?|Court|Ct\.?|Highway|Hwy|Parkway|Pkwy|Circle|Trail"
)
_COMPOUND_STREET = (
    r"straße|strasse|str\.|gasse|weg|platz|allee|damm|ring|straat|laan|plein|kade|gracht|dijk|singel|steeg|markt|"
    # Nordic, Finnish and Baltic street words are written attached too ("Koskikatu", "Sludevej", "Hlíðarvegur").
    r"katu|kuja|polku|gata|gatan|vägen|vej|veien|vegen|vegur|gade|stræde|iela|utca"
)
# Hungarian, Czech and Slovene street words written after the name ("Piroska u. 97.", "Rákóczi út 66.").
_STREET_WORD_AFTER = r"u\.|út|utca|útja|tér|ulice|náměstí|cesta|ulica|trg"
# Post boxes, civilian and military ("P.O. Box 104", "PSC 1437, Box 3833", "Unit 5477 Box 8244", "Postfach 1201").
_POST_BOX = (
    r"(?<![\w.])(?:(?i:p\.\s?o\.\s?box|po box|casella postale|postfach|boîte postale|apartado(?: de correos)?|psc)"
    r"\s*\d{1,6}(?:,?\s+(?i:box)\s+\d{1,6})?|(?i:unit)\s+\d{1,6},?\s+(?i:box)\s+\d{1,6})(?!\w)"
)
# British addresses end in a postcode, which anchors what comes before it: a unit or house number, a house or estate
# name, the street and the town ("Unit 4, Brookside Industrial Estate, Stoke-on-Trent ST4 2RW").
_UK_POSTCODE = r"[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}(?!\w)"
_UK_PART = rf"(?:\d{{1,4}}[A-Za-z]?,?\s+)?{CAP_WORD}(?:\s+{CAP_WORD}){{0,4}}"
# The same, on one line: a number first may be followed by anything on the next.
_ONE_LINE_STREET_NAME = _STREET_NAME.replace(r"\s+", r"[ \t]+")
_MONTH_WORDS = (
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|genn|febbr|magg|giu|lug|ago|sett|ott|dic|janv|févr|avr|mai|"
    r"juin|juil|août|déc|ene|abr|dic|mär|okt|dez"
)
# A building or house number, a street name of capitalised words and its number ("6750 Koskikatu 25 Apt. 864",
# "450 Præstevænget 15"), as Nordic, Baltic, Dutch and German addresses and many forms write them.
_NUMBER_NAME_NUMBER = (
    rf"(?<![\w.,/])(?!(?:19|20)\d\d\b)(?:\d{{1,5}}[ \t])?\d{{1,5}}[a-zA-Z]?,?\s+"
    rf"(?!(?i:{_MONTH_WORDS}))[{UPPER}][{LOWER}'’\-]+"
    rf"(?:[ \t]+{CAP_WORD}){{0,3}}[ \t]+{_NUMBER}\.?{_TAIL}"
)
# A line that holds only a street and its number, as the lines of a postal address or a signature are written
# ("Jana Nerudy 894", "Vana-Viru 25 Apt. 971", "Luite tee 87"); headings numbered the same way are left out.
_NOT_A_STREET = (
    r"(?i:article|articles|art|chapter|section|annex|appendix|page|table|figure|step|item|part|title|book|volume|"
    r"apt|apartment|suite|flat|unit|box|"
    r"version|room|floor|level|phase|stage|round|day|week|year|grade|class|group|team|case|exhibit|schedule|"
    r"articolo|capitolo|sezione|allegato|pagina|tabella|parte|titolo|libro|punto|fase|giorno|anno|classe|gruppo)\b"
)
_STREET_LINE_ALONE = (
    rf"^[ \t>]*(?:\d{{1,5}}[ \t]+)?(?!{_NOT_A_STREET})[{UPPER}][{LOWER}{UPPER}'’\-]{{2,}}"
    rf"(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{CAP_WORD}){{0,3}}"
    rf"[ \t]+\d{{1,5}}[a-zA-Z]?\.?(?:[ \t]+(?i:apt\.?|suite|flat|unit)[ \t]*\d{{1,5}})?[ \t]*$"
)
ADDRESS_PATTERNS = [
    Pattern("street line alone", _STREET_LINE_ALONE, 0.5),
    Pattern("number, name, number", _NUMBER_NAME_NUMBER, 0.5),
    Pattern("post box", _POST_BOX, 0.5),
    Pattern(
        "street word after the name",
        rf"(?<![\w.])(?:\d{{1,5}}[ \t]+)?{CAP_WORD}(?:[ \t]+{CAP_WORD}){{0,2}}[ \t]+(?:{_STREET_WORD_AFTER})[ \t]+"
        rf"{_NUMBER}\.?{_TAIL}",
        0.6,
    ),
    Pattern(
        "number before a street type",
        rf"(?<![\w.,/])(?:\d{{1,5}}[ \t])?\d{{1,5}}[a-zA-Z]?,?[ \t]+(?i:{_STREET_BEFORE_NUMBER})\.?[ \t]+"
        rf"{_ONE_LINE_STREET_NAME}{_TAIL}",
        0.6,
    ),
    Pattern(
        "british with postcode",
        rf"(?<![\w.,])(?:(?i:unit|flat|apartment|apt\.?|suite|room)\s*[A-Za-z0-9]{{1,4}},?\s+)?"
        rf"{_UK_PART}(?:,\s*{_UK_PART}){{0,3}},?\s+{_UK_POSTCODE}",
        0.6,
    ),
    Pattern(
        "street type first",
        rf"(?<![\w.])(?i:{_STREET_FIRST})\.?\s+{_STREET_NAME}{_HOUSE_NUMBER}{_TAIL}(?:,\s*{_TOWN}(?![\w'’]))?",
        0.6,
    ),
    Pattern(
        "number first",
        rf"(?<![\w.,/])(?:(?i:flat|apartment|apt\.?|unit)\s*[A-Za-z0-9]{{1,4}},?\s+)?"
        rf"(?:\d{{1,5}}[ \t])?\d{{1,4}}[a-zA-Z]?,?\s+"
        rf"(?:{CAP_WORD}\s+){{1,3}}(?:{_STREET_AFTER})(?!\w){_TAIL}",
        0.6,
    ),
    Pattern(
        "compound street name",
        rf"\b[{UPPER}][{LOWER}]*(?:-[{UPPER}]?[{LOWER}]*)*(?i:{_COMPOUND_STREET})\s+{_NUMBER}{_TAIL}",
        0.6,
    ),
]


class AddressRecognizer(PatternRecognizer):
    """Street addresses with a house number, in the European forms case files use."""

    def __init__(self) -> None:
        super().__init__(
            supported_entity="ADDRESS",
            name="AddressRecognizer",
            supported_language=LANGUAGE,
            global_regex_flags=CASE_SENSITIVE,
            patterns=ADDRESS_PATTERNS,
        )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None, regex_flags: int | None = None
    ) -> list[RecognizerResult]:
        """The pattern matches, with a known city or a town named after a landmark left out of the address.

        Cities on the routes and in the destination countries (``PLACES``) are what the assistant reasons about and
        say little about where someone lives; a small town after the street narrows it down and is redacted with it.
        """
        from ingestion.recognizers_streets import address_tail_end, postcode_after_country

        results = super().analyze(text, entities, nlp_artifacts, regex_flags)
        for result in list(results):
            tail = _TOWN_TAIL.search(text, result.start, result.end)
            if tail is not None and _is_known_place(tail.group("town")):
                result.end = tail.start()
            elif re.search(r"(?<![\d.])(?!(?:19|20)\d\d\b)\d{1,5}[a-zA-Z]?\.?$", text[result.start : result.end]):
                result.end = address_tail_end(text, result.end)  # after a house number, not a year
            postcode = postcode_after_country(text, result.end)
            if postcode is not None:
                results.append(RecognizerResult("ADDRESS", *postcode, result.score))
        return results


def _is_known_place(town: str) -> bool:
    words = [word.casefold() for word in re.findall(r"[^\W\d_]+", town)]
    return bool(words) and (words[0] in PLACE_PREFIXES or any(word in PLACES for word in words))


# --- e-mail without network ---------------------------------------------------------------------------------------


# E-mail addresses written to dodge filters: "name dot surname at outlook dot com", "x[at]y[.]com",
# "x (at) hotmail (dot) it", "x chiocciola yahoo punto it". The spelled-out "at"/"dot" need a known top-level domain.
_AT = r"(?:\s*[\[({]\s*(?i:at|chiocciola)\s*[\])}]\s*|\s+(?i:at|chiocciola)\s+|\s*@\s*)"
_DOT = r"(?:\s*[\[({]\s*(?:\.|(?i:dot|punto))\s*[\])}]\s*|\s+(?i:dot|punto)\s+)"
_TLD = r"(?i:com|it|org|net|eu|uk|co|de|fr|es|ro|al|ng|gh|nl|be|ch|at|info|biz|me|io|gov|edu|int)"
OBFUSCATED_EMAIL = (
    rf"(?<![\w.@])[\w%+\-]+(?:(?:\.|{_DOT})[\w%+\-]+)*{_AT}[\w\-]+(?:(?:\.|{_DOT})[\w\-]+)*"
    rf"(?:\.|{_DOT}){_TLD}(?![\w])"
)


class ObfuscatedEmailRecognizer(PatternRecognizer):
    """E-mail addresses with "at"/"dot" spelled out or bracketed (a plain address is left to the stock recognizer)."""

    def __init__(self) -> None:
        super().__init__(
            supported_entity="EMAIL_ADDRESS",
            name="ObfuscatedEmailRecognizer",
            supported_language=LANGUAGE,
            global_regex_flags=CASE_SENSITIVE,
            patterns=[Pattern("obfuscated e-mail", OBFUSCATED_EMAIL, 0.6)],
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """Keep only what is obfuscated: "at" or "dot" written out or bracketed, not a plain address or a sentence."""
        return None if re.search(r"[\[({]|\s", pattern_text) else False


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail pattern on any domain, public or not ("x@questura.interno", "y@ngo.local").

    The stock validator keeps only domains on the public suffix list (and would try to download it): an office's
    internal domain is as personal as a public one, so every match of the pattern counts.
    """

    def __init__(self) -> None:
        super().__init__(supported_language=LANGUAGE)

    def validate_result(self, pattern_text: str) -> bool:
        """True for any address whose domain has a dot followed by a name of letters."""
        domain = pattern_text.rpartition("@")[2]
        return re.search(r"\.[^\W\d_]{2,}$", domain) is not None


def contact_recognizers() -> Iterable[EntityRecognizer]:
    """The phone, address and e-mail recognizers."""
    from ingestion.recognizers_streets import StreetStructureRecognizer

    yield PhoneNumberRecognizer()
    yield AddressRecognizer()
    yield StreetStructureRecognizer()
    yield OfflineEmailRecognizer()
    yield ObfuscatedEmailRecognizer()
