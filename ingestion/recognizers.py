"""Presidio recognizers for identifiers in case files: fiscal codes, plates, identity documents, dates of birth.

People's names are recognised in `recognizers_people`, contact details in `recognizers_contact`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ingestion.recognizer_patterns import CAP_WORD, CASE_SENSITIVE, LANGUAGE
from ingestion.recognizers_contact import contact_recognizers
from ingestion.recognizers_numbers import number_recognizers

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre|"
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|"
    "enero|febrero|abril|mayo|junio|julio|septiembre|octubre|noviembre|diciembre|"
    "januar|februar|märz|juni|juli|oktober|dezember|"
    "stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|listopada|grudnia|"
    "ianuarie|februarie|martie|aprilie|mai|iunie|iulie|august|septembrie|octombrie|noiembrie|decembrie"
)
DATE = (
    rf"(?:\d{{4}}-\d{{2}}-\d{{2}}\b"  # ISO 8601, as forms and databases write it
    rf"|\d{{1,2}}[./-]\d{{1,2}}[./-](?:\d{{4}}|\d{{2}})\b"
    rf"|\d{{1,2}}(?:st|nd|rd|th|°|º|\.)?\s+(?:(?i:de|of)\s+)?(?i:{_MONTHS})\.?,?\s+(?:(?i:de|del)\s+)?\d{{4}}\b"
    rf"|(?i:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b)"
)


# An interview transcript puts the cue in the question and the value in the answer on the next line
# ("Q: Passport number?" / "A: EB0934721"): what lies between a cue and its answer.
QA_BRIDGE = r"[^\n]{0,30}\n[ \t]*(?:A|R|Answer|Risposta|Resp\.)[ \t]*[:.\-][ \t]*"


class CueRecognizer(EntityRecognizer):
    """Finds a value right after a cue phrase and reports only the value (the named group ``value``).

    Presidio's context words only raise the score of a match; here the cue decides whether there is a match
    at all, which is what dates of birth (any date is a date, only some are birthdays) and document numbers need.
    """

    def __init__(
        self,
        entity: str,
        patterns: Sequence[str],
        score: float,
        name: str,
        accept: Callable[[str], bool] | None = None,
    ) -> None:
        self._patterns = [re.compile(pattern) for pattern in patterns]
        self._score = score
        self._accept = accept
        super().__init__(supported_entities=[entity], name=name, supported_language=LANGUAGE)

    def load(self) -> None:
        """Nothing to load: the patterns are compiled in the constructor."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Return one result per cue-value match."""
        entity = self.supported_entities[0]
        if entities and entity not in entities:
            return []
        results: list[RecognizerResult] = []
        for pattern in self._patterns:
            for match in pattern.finditer(text):
                start, end = match.span("value")
                if self._accept is not None and not self._accept(text[start:end]):
                    continue
                if any(r.start == start and r.end == end for r in results):
                    continue  # the same value announced in two ways
                results.append(RecognizerResult(entity, start, end, self._score))
        return results


# --- Italian fiscal code -------------------------------------------------------------------------------------

_CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]


def fiscal_code_checksum_ok(code: str) -> bool:
    """Check the control letter of an Italian fiscal code (codice fiscale).

    Args:
        code: 16 characters, upper case.

    Returns:
        True when the 16th character matches the checksum of the first 15.
    """
    code = code.upper()
    if len(code) != 16 or not code.isalnum():
        return False
    total = 0
    for position, char in enumerate(code[:15]):
        index = int(char) if char.isdigit() else ord(char) - ord("A")
        # Odd positions (1-based) use a permuted table; digits map like the letters A-J.
        total += _CF_ODD[index] if position % 2 == 0 else index
    return chr(ord("A") + total % 26) == code[15]


class FiscalCodeRecognizer(PatternRecognizer):
    """Italian fiscal codes in documents of any language; a wrong checksum lowers the score but keeps the match."""

    # Digits may be replaced by the letters L-V when two people would get the same code (omocodia).
    _D = "[0-9LMNP-V]"
    PATTERN = rf"\b[A-Z]{{6}}{_D}{{2}}[ABCDEHLMPRST]{_D}{{2}}[A-Z]{_D}{{3}}[A-Z]\b"
    # Written by hand or copied from a database in lower case ("sgobss90e54z335w"): accepted only with a valid checksum.
    LOWER_PATTERN = r"\b[a-z]{6}[0-9lmnp-v]{2}[abcdehlmprst][0-9lmnp-v]{2}[a-z][0-9lmnp-v]{3}[a-z]\b"

    def __init__(self) -> None:
        super().__init__(
            supported_entity="FISCAL_CODE",
            name="FiscalCodeRecognizer",
            supported_language=LANGUAGE,
            global_regex_flags=CASE_SENSITIVE,
            patterns=[Pattern("fiscal code", self.PATTERN, 0.6), Pattern("lower-case code", self.LOWER_PATTERN, 0.6)],
            context=["codice fiscale", "fiscal", "c.f.", "cf", "tax code"],
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """Certain when the checksum holds; otherwise an upper-case code keeps the pattern's score, a lower-case one
        is dropped."""
        if fiscal_code_checksum_ok(pattern_text):
            return True
        return False if pattern_text.islower() else None


# --- vehicle plates ---------------------------------------------------------------------------------------------

# Italian plates never use I, O, Q, U.
_IT_PLATE_LETTER = "A-HJ-NPR-TV-Z"
_PLATE_CUE = (
    r"(?i:plates?|number plate|licen[cs]e plate|registration(?: number| no\.?| mark)?|reg\.|index|vrm|"
    r"targ(?:a|ata|ato|he)|immatricolat[ao]|kenteken)"
)
_PLATE_VALUE = (
    r"(?=[A-Z0-9 \-]*\d)(?=[A-Z0-9 \-]*[A-Z])(?:"
    r"\d{1,3}-[A-Z]{1,3}-\d{1,3}|[A-Z]{1,3}-\d{1,3}-[A-Z]{1,3}|"  # Dutch side codes ("57-XKB-3", "GB-123-X")
    r"[A-Z]{1,3}(?:[ \-]?[A-Z]{1,3})?[ \-]?\d{1,4}(?:[ \-]?[A-Z]{1,3})?"
    r"|\d{1,4}[ \-]?[A-Z]{2,3}"  # letters first (IT, DE, RO, FR) or digits first (ES "4411-KLM")
    r")\b"
)


def plate_recognizers() -> list[EntityRecognizer]:
    """Italian and British plates by their format, any plate after a cue word ("plate", "targa", "index")."""
    italian = PatternRecognizer(
        supported_entity="PLATE",
        name="ItalianPlateRecognizer",
        supported_language=LANGUAGE,
        global_regex_flags=CASE_SENSITIVE,
        patterns=[
            Pattern(
                "italian plate",
                rf"\b[{_IT_PLATE_LETTER}]{{2}}[ ]?\d{{3}}[ ]?[{_IT_PLATE_LETTER}]{{2}}\b",
                0.5,
            ),
            # Current British format: area letters, age digits, three random letters ("LK19 XPT").
            Pattern("british plate", r"\b[A-HJ-PR-Y][A-HJ-PR-Y]\d{2} ?[A-HJ-PR-Z]{3}\b", 0.5),
        ],
        context=["targa", "targata", "plate", "auto", "car", "vehicle", "veicolo"],
    )
    cued = CueRecognizer(
        "PLATE",
        [
            rf"{_PLATE_CUE}[^\n\w]{{0,3}}(?:[^\n.;]{{0,25}}?\s)??(?P<value>{_PLATE_VALUE})",
            # A vehicle "registered B 417 FAD": the word is too common to take a value further away.
            rf"(?i:registered|immatricolat[ao])[ \t]+(?P<value>{_PLATE_VALUE})",
        ],
        score=0.7,
        name="PlateCueRecognizer",
    )
    return [italian, cued]


# --- identity documents -------------------------------------------------------------------------------------------

_ID_CUE = (
    r"(?<!\w)(?:(?i:passports?|passaport[oi]|id card|identity card|identity document|identity number|id number|"
    r"carta d'identit[àa]|carta di identit[àa]|c\.i\.|cie|permesso di soggiorno|residence permit|"
    r"permit(?: no\.| number)|document no\.|document number|documento n\.|documento d'identit[àa]|nie|dni|nin|"
    r"tazkira|national id|patente(?: di guida)?|driving licen[cs]e|driver'?s licen[cs]e|codice cui|"
    r"visa no\.|visto n\.|permess[oi]|titolo di soggiorno|carta di soggiorno|codice identificativo|"
    r"national insurance(?: number| no\.?)?|ni number|nino)|\bCUI\b)(?!\w)"
)
# Cues that take a value only right after them: a case reference is an identifier only when it names a person's file.
_REF_CUE = r"(?i:ref\.|reference(?: number| no\.)?|riferimento|pratica n\.)"
# A number with at least five digits, optionally wrapped in up to three letters ("YA1234567", "RX 518273").
_ID_VALUE = r"(?<![\w+])(?=(?:[A-Z \-]*\d){5})(?:[A-Z]{1,3}[ \-]?)?\d[\d \-]{3,16}\d(?:[ \-]?[A-Z]{1,2})?(?![\w/])"
# A code of letters and digits mixed, as Italian CUI codes and immigration references are ("05RKH7Q", "P1243097").
_CODE_VALUE = r"(?<![\w+])(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{6,12}(?![\w/])"


def id_number_recognizers() -> list[EntityRecognizer]:
    """Passport, ID card, residence-permit and licence numbers, recognised after their cue."""
    cued = CueRecognizer(
        "ID_NUMBER",
        [
            rf"{_ID_CUE}[^\n;]{{0,60}}?(?P<value>{_ID_VALUE})",  # within the clause: "passport; his number is"
            rf"(?:{_ID_CUE}|{_REF_CUE})[^\w\n]{{0,4}}(?:(?i:n\.|no\.|nr\.|number|numero)\s*)?(?P<value>{_CODE_VALUE})",
            rf"{_ID_CUE}{QA_BRIDGE}(?P<value>{_ID_VALUE}|{_CODE_VALUE})",
            # "permesso di soggiorno per minore età n. I0D274519": a code announced by "n." later in the clause.
            rf"{_ID_CUE}[^\n;]{{0,40}}?(?i:n\.|n°|no\.|nr\.|number|numero)\s*(?P<value>{_CODE_VALUE})",
        ],
        score=0.7,
        name="IdDocumentCueRecognizer",
        accept=lambda value: not value.strip().startswith("0") or len(value.strip()) >= 7,
    )
    # Italian electronic ID card ("CA12345AB"): specific enough to stand without a cue.
    italian_cie = PatternRecognizer(
        supported_entity="ID_NUMBER",
        name="ItalianIdCardRecognizer",
        supported_language=LANGUAGE,
        global_regex_flags=CASE_SENSITIVE,
        patterns=[
            Pattern("italian cie", r"\b[A-Z]{2}\d{5}[A-Z]{2}\b", 0.5),
            # British National Insurance number ("AB 12 34 56 C"): two letters, three pairs of digits, A-D.
            Pattern("uk nino", r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", 0.5),
        ],
    )
    return [cued, italian_cie]


# --- dates of birth -----------------------------------------------------------------------------------------------

_PLACE = (
    rf"{CAP_WORD}(?:\s+(?:{CAP_WORD}|(?:el|al|de|di|del|la|le|in|on|upon|sur|am)[\s\-]{CAP_WORD}|\([^)\n]{{1,30}}\)))*"
)
# Dates of birth written in words, as statements are transcribed ("il quattordici marzo duemilasette",
# "the fourteenth of March two thousand and seven").
_DAY_WORD = (
    r"primo|uno|due|tre|quattro|cinque|sei|sette|otto|nove|dieci|undici|dodici|tredici|quattordici|quindici|"
    r"sedici|diciassette|diciotto|diciannove|vent[a-zé]*|trent[a-z]*|"
    r"first|second|third|(?:twenty|thirty)?[\s\-]?(?:first|second|third|[a-z]+th)|[a-z]+teenth|tenth|twentieth|thirtieth"
)
_YEAR_WORDS = r"(?:millenovecento|duemila|nineteen|two thousand)(?:[\s\-]?(?:and|e)?[\s\-]?[a-zé]+){0,3}?"
DATE_IN_WORDS = rf"(?i:(?:the\s+)?(?:{_DAY_WORD})(?:\s+of)?\s+(?:{_MONTHS}),?\s+{_YEAR_WORDS})(?![\w])"
_DOB_LABEL = (
    r"(?i:date of birth|d\.o\.b\.|dob|data di nascita|nato/a il|birth date|born on)"
    r"(?:\s+(?i:dichiarat[ao]|presunt[ao]|declared|stated|reported|apparent|claimed|indicat[ao]|as stated)){0,2}"
)
# Words for "born" in the languages of the case files; the date may follow after a place and a comma or two
# ("born in Benin City, Nigeria, on 12 April 1979", "nata a Tirana (Albania) il", "geboren am", "né le").
_BORN = (
    r"(?i:born|nat[oa]|nat[oa]/a|né|née|nacid[oa]|nascid[oa]|geboren|geb\.|urodzon[ya]|născut[ăa]?|"
    r"lindur|rođen[a]?|roden[a]?|narozen[aá]?|doğum|syntynyt|född|født|geboren op)"
)
_BIRTH_PLACE = rf"\s+(?i:in|a|ad|at|en|à|w|im|în|u|ve|i)\s+{_PLACE}(?:\s*,\s*{_PLACE}){{0,2}}"
_DOB_CUE = (
    rf"(?:{_BORN}(?:{_BIRTH_PLACE}|\s*\([^)\n]{{1,30}}\))*,?\s*"
    rf"(?:(?i:on|on the|il|le|el|am|em|dnia|pe|den|op|the)\s+)?"
    rf"|{_DOB_LABEL}\s*:?)"
)


def date_of_birth_recognizer() -> EntityRecognizer:
    """A date counts as a date of birth only after a birth cue ("born on", "nata il", "DOB:")."""
    return CueRecognizer(
        "DATE_OF_BIRTH",
        [
            rf"{_DOB_CUE}\s*(?P<value>{DATE}|{DATE_IN_WORDS})",
            rf"{_DOB_LABEL}{QA_BRIDGE}(?P<value>{DATE})",
        ],
        score=0.8,
        name="DateOfBirthCueRecognizer",
    )


# --- address lines after a cue ------------------------------------------------------------------------------------

# Words that announce where someone lives or is to be found; the address follows on the same line. Forms, letters and
# messages write addresses in every national order ("6750 Koskikatu 25 Apt. 864", "ul. Miła 53", "Rákóczi út 66."),
# which the cue finds without knowing the format.
_ADDRESS_CUE = (
    r"(?i:\baddress(?:es)?\b(?:[^\n.:?]{0,40}?\b(?:is|was|to|with|at)\b|\s*[:\-])"
    r"|\b(?:lives?|living|resides?|now live) (?:at|in|on)|\blocated (?:at|in)|\bsen[dt]\b[^\n.?]{0,25}?\bto"
    r"|\breturn(?: it)? to|\bmeet (?:me|you|us) at|\bdrops? (?:you|me|us) off at|\barrived at|\bmoved to"
    r"|\btaxi to|\bdeliver(?:ed|y)? to|\bship(?:ped)? to|\bstop at|\b(?:the )?corner of"
    r"|\babita (?:a|in)|\bresidente (?:a|in)|\bdomiciliat[oa] (?:a|in)|\bwohnt in|\bhabite (?:à|au)|\bvive en)"
)
# The street part: up to the first comma, sentence end, line break or words that take up the sentence again; a full
# stop after a word of one to three letters is an abbreviation ("Apt. 815", "ul. Miła"), not a sentence end.
_STREET_PART = re.compile(
    r"[^\s\-:,.][^\n?!,]{2,70}?(?=\s*(?:,|[?!]|\n|$|(?<![\s.][^\W\d])(?<![\s.][^\W\d]{2})(?<![\s.][^\W\d]{3})\."
    r"(?:\s|$)|\s(?i:in case|after|last|before|if|when|please|"
    r"for this|for the|so|but|on \d|on the)\b))"
)
# What may follow the street after commas and still be its line: a unit, a town, a region, a postcode.
_TAIL_PART = re.compile(r",[ \t]*((?:[A-ZÀ-ÖØ-Þ0-9][\w'’()\-.]*)(?:[ \t]+[A-ZÀ-ÖØ-Þ0-9(][\w'’()\-.]*){0,4})")
_PLACE_OPENING = re.compile(r"(?P<place>[A-ZÀ-ÖØ-Þ][\w'’\-]+)\s+(?:in|,)\s+")
_ADDRESS_CUE_PATTERN = re.compile(rf"{_ADDRESS_CUE}[ \t]*[:\-]?[ \t]*(?:\n[ \t]*)?")


def _address_line_ok(value: str) -> bool:
    """A house, building or post-box number, not just a year or a date ("arrived at Dover on 9 August 2022")."""
    words = re.sub(DATE, " ", value).split()
    if not any(any(char.isalpha() for char in word) for word in words):
        return False
    for position, word in enumerate(words[:6]):
        digits = word.strip(".,;()")
        if not any(char.isdigit() for char in digits):
            continue
        is_year = re.fullmatch(r"(?:19|20)\d\d", digits) is not None
        if not is_year or (position + 1 < len(words) and words[position + 1][:1].isupper()):
            return True
    return False


class AddressLineRecognizer(EntityRecognizer):
    """The address line after a cue ("lives at", "Address:", "send it to", "abita in"), in any national format.

    The street runs to the first comma; the towns, regions and postcodes after it are taken while they are
    capitalised and are not cities the assistant reasons about (``PLACES``), and a known city before the street
    ("residente a Roma in via Volturno 58") stays.
    """

    def __init__(self) -> None:
        super().__init__(supported_entities=["ADDRESS"], name="AddressLineRecognizer", supported_language=LANGUAGE)

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """One result per cued address line."""
        # Where spaCy's entity recogniser sees a city, region or country: the policy keeps those.
        doc = nlp_artifacts.tokens if nlp_artifacts is not None else None
        places = {token.idx for token in doc if token.ent_type_ in ("GPE", "LOC")} if doc is not None else set()
        results: list[RecognizerResult] = []
        for cue in _ADDRESS_CUE_PATTERN.finditer(text):
            # "at the corner of A and B": the corner is the address, the words that announce it belong to it.
            start = cue.start() if cue.group().rstrip().casefold().endswith("corner of") else cue.end()
            opening = _PLACE_OPENING.match(text, start)
            if opening and _is_place(opening.group("place"), start, places):
                start = opening.end()
            street = _STREET_PART.match(text, start)
            if street is None or not _address_line_ok(street.group()):
                continue
            end = _before_trailing_place(text, start, street.end(), places)
            while (tail := _TAIL_PART.match(text, end)) and not _is_place(tail.group(1), tail.start(1), places):
                end = tail.end()
            if not any(r.start == start for r in results):
                results.append(RecognizerResult("ADDRESS", start, end, 0.6))
        return results


_TRAILING_PLACE = re.compile(r"\s+(?:a|in|at|à|en|di|nel|near)\s+(?P<place>[^\W\d_][\w'’\-]*)")


def _before_trailing_place(text: str, start: int, end: int, places: set[int]) -> int:
    """Where a street ends that runs on into the city it is in ("via garibaldi 5 a palermo")."""
    for match in _TRAILING_PLACE.finditer(text, start, end):
        if _is_place(match.group("place"), match.start("place"), places):
            return match.start()
    return end


def _is_place(value: str, start: int, places: set[int]) -> bool:
    """Whether a town or country after (or before) a street is one the assistant reasons about."""
    from ingestion.pii_names import PLACES

    return start in places or value.split()[0].strip(".,;()").casefold() in PLACES


def custom_recognizers() -> Iterable[EntityRecognizer]:
    """Every rule-based recognizer this project adds to Presidio (people come from ``PersonRuleRecognizer``)."""
    yield FiscalCodeRecognizer()
    yield from contact_recognizers()
    yield from number_recognizers()
    yield from plate_recognizers()
    yield from id_number_recognizers()
    yield date_of_birth_recognizer()
    yield AddressLineRecognizer()
