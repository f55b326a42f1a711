"""Presidio recognizers for the personal data found in European trafficking case files."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import EmailRecognizer

# All recognizers are registered for English: only the English spaCy model is installed, and Italian
# documents are analysed with it too, so every rule below must also fire on Italian text.
LANGUAGE = "en"
# Presidio compiles patterns case-insensitively by default; ours mark case-insensitive parts with (?i:...) because
# capitals carry meaning here (a plate, a surname in capitals, "Via" versus "via Libya").
CASE_SENSITIVE = re.MULTILINE

UPPER = "A-ZÀ-ÖØ-ÞĀ-ſȘȚ"
LOWER = "a-zß-öø-ÿĀ-ſșț"
# A capitalised word in any Latin script ("Krüger", "Traoré", "Ionuț", "D'Angelo").
CAP_WORD = rf"[{UPPER}][{LOWER}{UPPER}'’\-]*"

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|"
    "gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre"
)
DATE = (
    rf"(?:\d{{1,2}}[./-]\d{{1,2}}[./-](?:\d{{4}}|\d{{2}})\b"
    rf"|\d{{1,2}}(?:st|nd|rd|th|°|º)?\s+(?i:{_MONTHS})\.?,?\s+\d{{4}}\b"
    rf"|(?i:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b)"
)


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

    def __init__(self) -> None:
        super().__init__(
            supported_entity="FISCAL_CODE",
            name="FiscalCodeRecognizer",
            supported_language=LANGUAGE,
            global_regex_flags=CASE_SENSITIVE,
            patterns=[Pattern("fiscal code", self.PATTERN, 0.6)],
            context=["codice fiscale", "fiscal", "c.f.", "cf", "tax code"],
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """Raise confidence to certain when the checksum holds; otherwise leave the pattern's score."""
        return True if fiscal_code_checksum_ok(pattern_text) else None


# --- phone numbers --------------------------------------------------------------------------------------------

_SEP = r"[ .\-/]?"
PHONE_PATTERNS = [
    # International: +CC then 6-13 more digits in groups ("+39 345 678 9012", "+234 803 555 0142").
    Pattern("international", r"(?<![\w+])\+\d{1,3}(?:[ .\-]?\(0\))?(?:[ .\-]?\d{1,4}){2,5}\b", 0.6),
    Pattern("international 00", r"(?<![\w+])00\d{2,3}[ .\-]\d{1,4}(?:[ .\-]?\d{2,4}){1,4}\b", 0.5),
    # Italian mobiles without prefix: 3xx then 6-7 digits ("333 1234567", "347-123-4567", "3281145509").
    Pattern("italian mobile", rf"(?<![\w+/.])3\d{{2}}{_SEP}\d{{3}}{_SEP}\d{{3,4}}(?![\w/])", 0.6),
    # Italian landlines: 0 + area code ("02 8845 7110", "091 6123456"); UK geographic ("01622 694 330").
    Pattern("italian landline", r"(?<![\w+/.])0\d{1,3}[ .\-]?\d{3,4}[ .\-]?\d{3,4}(?![\w/])", 0.5),
    Pattern("uk landline", r"(?<![\w+/.])0\d{4}[ .\-]?\d{3}[ .\-]?\d{3,4}(?![\w/])", 0.5),
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
    # Italian, French, Spanish, Portuguese, Romanian, Albanian, Polish street types that come before the name.
    r"via|viale|piazza|piazzale|corso|largo|vicolo|vico|contrada|lungomare|borgo|strada|salita|traversa|"
    r"rue|avenue|boulevard|bd|place|chemin|allée|impasse|quai|"
    r"calle|avenida|avda|plaza|paseo|carrer|rua|travessa|"
    r"bulevardul|str|rruga|ulica|ul"
)
_PARTICLE = r"(?:di|del|della|delle|dei|degli|dello|de|da|du|des|la|le|lo|e|lui|d'|l'|dos|das|do)"
_NAME_PART = rf"(?:{CAP_WORD}|[IVXL]+|\d{{1,2}}(?=\s+{CAP_WORD}))"
_STREET_NAME = (
    rf"(?:{_PARTICLE}\s+|{_PARTICLE}(?={CAP_WORD}))*{_NAME_PART}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_PART}){{0,4}}"
)
_HOUSE_NUMBER = r",?\s*(?:(?i:n\.|n°|nr\.|no\.|nº|civico)\s*)?\d{1,4}(?:\s?/\s?[A-Za-z0-9]|[A-Za-z](?![\w]))?\b"
_STREET_AFTER = (
    r"Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Close|Drive|Way|Crescent|Terrace|Gardens|Grove|Row|Walk|Mews|Parade"
)
ADDRESS_PATTERNS = [
    Pattern(
        "street type first",
        rf"(?<![\w.])(?i:{_STREET_FIRST})\.?\s+{_STREET_NAME}{_HOUSE_NUMBER}",
        0.6,
    ),
    Pattern(
        "number first",
        rf"(?<![\w.,/])\d{{1,4}}[a-zA-Z]?,?\s+(?:{CAP_WORD}\s+){{1,3}}(?:{_STREET_AFTER})(?!\w)",
        0.6,
    ),
    Pattern(
        "german compound",
        rf"\b[{UPPER}][{LOWER}\-]*(?:straße|strasse|str\.|gasse|weg|platz|allee|damm|ring)\s+\d{{1,4}}[a-z]?\b",
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


# --- vehicle plates ---------------------------------------------------------------------------------------------

# Italian plates never use I, O, Q, U.
_IT_PLATE_LETTER = "A-HJ-NPR-TV-Z"
_PLATE_CUE = (
    r"(?i:plates?|number plate|licen[cs]e plate|registration(?: number| no\.?)?|reg\.|targ(?:a|ata|ato|he)|"
    r"immatricolat[ao])"
)
_PLATE_VALUE = (
    r"(?=[A-Z0-9 \-]*\d)(?=[A-Z0-9 \-]*[A-Z])(?:[A-Z]{1,3}(?:[ \-]?[A-Z]{1,3})?[ \-]?\d{1,4}(?:[ \-]?[A-Z]{1,3})?"
    r"|\d{1,4}[ \-]?[A-Z]{2,3})\b"  # letters first (IT, DE, RO, FR) or digits first (ES "4411-KLM")
)


def plate_recognizers() -> list[EntityRecognizer]:
    """Italian plates by their format, any plate after a cue word ("plate", "targa", "registration")."""
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
            )
        ],
        context=["targa", "targata", "plate", "auto", "car", "vehicle", "veicolo"],
    )
    cued = CueRecognizer(
        "PLATE",
        [rf"{_PLATE_CUE}[^\n\w]{{0,3}}(?:[^\n.;]{{0,25}}?\s)??(?P<value>{_PLATE_VALUE})"],
        score=0.7,
        name="PlateCueRecognizer",
    )
    return [italian, cued]


# --- identity documents -------------------------------------------------------------------------------------------

_ID_CUE = (
    r"(?i:passports?|passaport[oi]|id card|identity card|identity document|identity number|id number|"
    r"carta d'identit[àa]|carta di identit[àa]|c\.i\.|cie|permesso di soggiorno|residence permit|"
    r"permit(?: no\.| number)|document no\.|document number|documento n\.|documento d'identit[àa]|nie|dni|nin|"
    r"tazkira|national id|patente(?: di guida)?|driving licen[cs]e|driver'?s licen[cs]e|codice cui|"
    r"visa no\.|visto n\.)"
)
# A number with at least five digits, optionally wrapped in up to three letters ("YA1234567", "RX 518273").
_ID_VALUE = r"(?<![\w+])(?=(?:[A-Z \-]*\d){5})[A-Z]{0,3}[ \-]?\d[\d \-]{3,16}\d(?:[ \-]?[A-Z]{1,2})?(?![\w/])"


def id_number_recognizers() -> list[EntityRecognizer]:
    """Passport, ID card, residence-permit and licence numbers, recognised after their cue."""
    cued = CueRecognizer(
        "ID_NUMBER",
        [rf"{_ID_CUE}[^\n]{{0,60}}?(?P<value>{_ID_VALUE})"],
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
        patterns=[Pattern("italian cie", r"\b[A-Z]{2}\d{5}[A-Z]{2}\b", 0.5)],
    )
    return [cued, italian_cie]


# --- dates of birth -----------------------------------------------------------------------------------------------

_PLACE = rf"{CAP_WORD}(?:\s+(?:{CAP_WORD}|\([^)\n]{{1,30}}\)))*"
_DOB_CUE = (
    rf"(?:(?i:born)(?:\s+in\s+{_PLACE})?,?(?:\s+(?i:on))?"
    rf"|(?i:nat[oa])(?:\s+(?:a|ad|in)\s+{_PLACE})?,?\s+(?i:il)"
    r"|(?i:date of birth|d\.o\.b\.|dob|data di nascita|nato/a il|birth date|born on)\s*:?)"
)


def date_of_birth_recognizer() -> EntityRecognizer:
    """A date counts as a date of birth only after a birth cue ("born on", "nata il", "DOB:")."""
    return CueRecognizer(
        "DATE_OF_BIRTH",
        [rf"{_DOB_CUE}\s*(?P<value>{DATE})"],
        score=0.8,
        name="DateOfBirthCueRecognizer",
    )


# --- e-mail without network ---------------------------------------------------------------------------------------


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's e-mail recognizer, validating domains against tldextract's bundled suffix list.

    The stock validator calls ``tldextract.extract``, whose first use tries to download the public suffix list;
    an extractor with no URLs and no cache directory reads only the snapshot shipped inside the package.
    """

    def __init__(self) -> None:
        super().__init__(supported_language=LANGUAGE)
        self._extractor = None

    def validate_result(self, pattern_text: str) -> bool:
        """True when the text after '@' ends in a known public suffix."""
        if self._extractor is None:
            import tldextract  # imported here: only needed once a candidate e-mail shows up

            self._extractor = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
        return self._extractor(pattern_text).fqdn != ""


def custom_recognizers() -> Iterable[EntityRecognizer]:
    """Every rule-based recognizer this project adds to Presidio (person cues come from ``person_rules``)."""
    yield FiscalCodeRecognizer()
    yield PhoneNumberRecognizer()
    yield AddressRecognizer()
    yield from plate_recognizers()
    yield from id_number_recognizers()
    yield date_of_birth_recognizer()
    yield OfflineEmailRecognizer()


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


# --- people -------------------------------------------------------------------------------------------------------

# Common first names of the communities these case files are about (Italian, Nigerian, Albanian, Romanian, Arabic,
# Eritrean/Ethiopian, West African, Afghan). A capitalised word from this list starts a person's name.
FIRST_NAMES = _words(
    """
    giuseppe giovanni antonio mario luigi francesco marco luca andrea paolo salvatore giorgio roberto stefano
    alessandro davide matteo vincenzo gennaro carmine pietro maria anna giulia francesca chiara sara laura rosa
    giuseppina angela elena silvia paola rosaria carmela valentina federica martina alessia teresa lucia
    blessing joy favour precious gift mercy faith grace success lucky destiny peace esther osas osaro osagie efe
    ese osaretin chinedu chioma chiamaka ngozi nnamdi emeka obinna uche adaeze amaka bisi tunde bola sade kelvin
    emmanuel godwin samuel loveth jennifer happiness princess victory glory comfort patience prosper endurance
    arben ardit besnik elira arta blerta ermira elona fatmir gentian ilir klodian erion dritan artan alban
    mirela andreea ioana florin ionut ionuț ion mihai adrian cristina gabriela alina bogdan marian daniela nicoleta
    ahmed mohamed mohammed mahmoud omar youssef karim hassan hussein ali ibrahim fatima aisha amina mariam
    khadija samira yasmin nour bilal hamza mustafa rachid said tarek
    yonas dawit tesfay mehari medhanie senait semhar selam filmon biniam tesfalem haile mulu abrehet ruth helen
    mamadou moussa ibrahima oumar fatoumata aminata mariama kadiatou sekou abdoulaye
    hamid javid ahmad reza farid wahid
    """
)

# Words that are capitalised in legal prose but never part of a person's name here.
NON_NAME_WORDS = _words(
    """
    article articles art articolo protocol protocols convention conventions state states party parties member
    members court courts tribunal tribunale corte committee council secretary general assembly nations united
    europe european union republic repubblica government ministry minister ministers police polizia chapter
    section sezione paragraph annex preamble directive direttiva legge law laws code codice decree decreto office
    ufficio procura questura prefettura comune regione provincia agency commission commissione parliament group
    greta experts action trafficking human beings rights children child persons women victims victim
    secretariat protection assistance cooperation treaty trattato justice giustizia prosecutor procuratore judge
    giudice carabinieri guardia finanza squadra mobile comando provinciale nucleo street via piazza corso hotel
    bank banca banque tribunal signature ratification accession entry force declaration reservation amendment
    amendments denunciation notification depositary witness whereof done conference nations organization
    organisation federal national international internazionale nazionale public pubblico ministero
    monday tuesday wednesday thursday friday saturday sunday lunedì martedì mercoledì giovedì venerdì sabato
    domenica january february march april may june july august september october november december gennaio
    febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre
    whatsapp instagram facebook telegram tiktok viber messenger western union moneygram ria postepay
    fiat panda opel corsa audi mercedes toyota ford volkswagen bmw renault peugeot
    the this that these those and or of in on at for with by from to an a il lo la le gli un una uno del della
    dei degli delle per con nel nella che non di da e ed sim
    recommendation recommendations rec resolution resolutions preamble recognizing recognising considering
    prevent suppress punish combat noting recalling affirming reaffirming desiring convinced concerned bearing
    mindful emphasizing stressing
    casa centro center centre comunità community associazione association cooperativa fondazione foundation
    rifugio shelter helpline progetto project bar ristorante restaurant hotel farm azienda company
    italian nigerian albanian romanian libyan eritrean tunisian moroccan senegalese afghan ivorian ghanaian
    french german spanish greek turkish egyptian sudanese somali ethiopian gambian guinean malian
    italiano italiana nigeriano nigeriana albanese romeno romena libico libica eritreo eritrea tunisino tunisina
    marocchino marocchina senegalese ivoriano ivoriana
    """
)

# Countries, regions and cities on the routes: kept for route analysis, never taken for a name.
PLACES = _words(
    """
    nigeria benin edo lagos abuja uromi onitsha enugu delta ghana accra niger agadez mali bamako senegal dakar
    guinea conakry gambia ivory coast abidjan cameroon eritrea asmara ethiopia addis ababa sudan khartoum somalia
    libya tripoli sabha sebha zuwara zawiya bani walid tunisia tunis sfax morocco algeria egypt cairo
    afghanistan herat kabul pakistan iran turkey istanbul greece athens evros lesbos albania tirana durres
    shkoder shkodër vlore kosovo serbia romania bucharest craiova constanta constanța bulgaria moldova ukraine
    italy italia sicily sicilia palermo catania messina agrigento pozzallo lampedusa rome roma milan milano turin
    torino naples napoli bari caserta foggia castel volturno venice venezia genoa genova florence firenze bologna
    spain madrid barcelona france paris lyon marseille marsiglia germany berlin dortmund munich vienna austria
    netherlands amsterdam belgium brussels london dover kent ashford england scotland warsaw strasbourg
    """
)

NICKNAME_PREFIXES = frozenset({"mama", "mamma", "madam", "maman", "mummy", "aunty", "auntie", "zia", "baba", "kaka"})

_ROLE_CUES = (
    # English roles and kinship.
    r"mr|mrs|ms|miss|dr|the victim|the minor|the defendant|the accused|the suspect|the witness|the girl|the boy|"
    r"the interviewee|the applicant|the complainant|the appellant|suspect:|defendant:|victim:|name:|"
    r"brother|sister|cousin|uncle|aunt|mother|father|wife|husband|son|daughter|partner|boyfriend|girlfriend|"
    r"friend|colleague|named|called|known as|alias|a\.k\.a\.|"
    # Italian titles, roles and kinship.
    r"sig|sig\.ra|sig\.na|signor|signora|signorina|dott|dott\.ssa|avv|prof|ing|"
    r"la minore|il minore|l'imputat[oa]|la vittima|la persona offesa|il ricorrente|la ricorrente|l'indagat[oa]|"
    r"la ragazza|il ragazzo|la collaboratrice|il collaboratore|la convivente|il convivente|il conducente|"
    r"la connazionale|il connazionale|fratello|sorella|cugin[oa]|zio|zia|madre|padre|moglie|marito|figli[oa]|"
    r"compagn[oa]|fidanzat[oa]|amic[oa]|di nome|chiamat[oa]|dett[oa]|nei confronti di|in uso a|intestat[oa] a|"
    r"cognome e nome:|nome e cognome:|nominativo:"
)
_ADJECTIVE = r"(?:older|younger|elder|little|big|maggiore|minore|piccol[oa]|grande)"
_CUE_BEFORE = re.compile(rf"(?:^|(?<=[^\w]))(?i:{_ROLE_CUES})\.?(?:\s+{_ADJECTIVE})?[\s,:'\"‘“]*$")

_TOKEN = re.compile(rf"(?:[{UPPER}]\.){{1,3}}(?![{LOWER}{UPPER}])|[{UPPER}{LOWER}]+(?:['’\-][{UPPER}{LOWER}]+)*")
_QUOTED_NICKNAME = re.compile(
    r"(?i:known as|also known as|a\.k\.a\.|aka|alias|dett[oa]|soprannominat[oa]|nicknamed|called|chiamat[oa])"
    r",?\s*['\"‘“«](?P<value>[^'\"‘’“”«»\n]{2,30}?)['\"’”»]"
)
_CHAT_SPEAKER = re.compile(rf"^\[[^\]\n]{{5,25}}\]\s*(?P<value>{CAP_WORD}(?:\s{CAP_WORD}){{0,2}})\s*:", re.MULTILINE)
_INITIALS = re.compile(rf"(?:[{UPPER}]\.){{1,3}}")


def _is_initials(token: str) -> bool:
    return _INITIALS.fullmatch(token) is not None


def _is_name_word(token: str) -> bool:
    folded = token.casefold()
    return (
        len(token) >= 2
        and token[0].isupper()
        and folded not in NON_NAME_WORDS
        and folded not in PLACES
        and not re.fullmatch(r"[IVXLC]+", token)
    )


def _strip_possessive(start: int, end: int, text: str) -> int:
    return end - 2 if text[start:end].endswith(("'s", "’s")) else end


def plausible_person(span_text: str) -> bool:
    """Whether a PERSON found by spaCy could be a name and not a legal term, place or heading.

    Args:
        span_text: the text spaCy tagged as a person.
    """
    tokens = [match.group() for match in _TOKEN.finditer(span_text)]
    if not tokens or any(char.isdigit() for char in span_text):
        return False
    words = [token for token in tokens if not _is_initials(token)]
    if not words:
        return len(tokens) == 1 and len(span_text) >= 4  # "A.B." alone: keep only together with a cue
    if any(token.casefold() in NON_NAME_WORDS or token.casefold() in PLACES for token in words):
        return False
    if " ".join(words).casefold() in PLACES:
        return False
    return all(token[0].isupper() for token in words)


class PersonRuleRecognizer(EntityRecognizer):
    """Names the small English model misses: after titles and roles (also Italian), first names from a gazetteer,
    "Name SURNAME" pairs, initials after a first name, quoted nicknames and chat speakers."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], name="PersonRuleRecognizer", supported_language=LANGUAGE)

    def load(self) -> None:
        """Nothing to load: the gazetteers are module constants."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Return the names found by the rules."""
        if entities and "PERSON" not in entities:
            return []
        spans = [*self._sequence_names(text), *self._quoted_names(text)]
        # Scored above spaCy (0.85): Presidio drops a finding contained in a same-type one that scores at least as high,
        # and spaCy often glues verbs to a name ("condotta da Lucky Aigbogun").
        return [RecognizerResult("PERSON", start, end, 0.9) for start, end in spans]

    def _quoted_names(self, text: str) -> Iterable[tuple[int, int]]:
        for pattern in (_QUOTED_NICKNAME, _CHAT_SPEAKER):
            for match in pattern.finditer(text):
                value = match.group("value").strip()
                if value and len(value.split()) <= 4 and value.casefold() not in NON_NAME_WORDS:
                    start = match.start("value") + match.group("value").index(value)
                    yield start, start + len(value)

    def _sequence_names(self, text: str) -> Iterable[tuple[int, int]]:
        tokens = [(match.start(), match.end(), match.group()) for match in _TOKEN.finditer(text)]
        index = 0
        while index < len(tokens):
            sequence = self._sequence_at(text, tokens, index)
            if not sequence:
                index += 1
                continue
            index = sequence[-1] + 1
            span = self._decide(text, tokens, sequence)
            if span is not None:
                yield span

    @staticmethod
    def _sequence_at(text: str, tokens: list[tuple[int, int, str]], index: int) -> list[int]:
        """Indices of the run of name words (with particles and trailing initials) starting at ``index``."""
        first = tokens[index][2]
        prefix = first.casefold() in NICKNAME_PREFIXES and first[0].isupper()
        if not (_is_name_word(first) or _is_initials(first) or prefix):
            return []
        sequence = [index]
        particles = {"de", "di", "da", "del", "della", "van", "von", "der", "ben", "bin", "el", "al", "abu", "la"}
        while sequence[-1] + 1 < len(tokens):
            last_end = tokens[sequence[-1]][1]
            nxt = sequence[-1] + 1
            start, _, token = tokens[nxt]
            if text[last_end:start] not in (" ", "-"):
                break
            if _is_initials(tokens[sequence[-1]][2]) and not _is_initials(token):
                break  # a name ends at its initials ("Aisha K. says")
            particle = token.casefold() in particles and nxt + 1 < len(tokens) and _is_name_word(tokens[nxt + 1][2])
            if not (_is_name_word(token) or _is_initials(token) or particle):
                break
            sequence.append(nxt)
        return sequence

    @staticmethod
    def _decide(text: str, tokens: list[tuple[int, int, str]], sequence: list[int]) -> tuple[int, int] | None:
        words = [tokens[i][2] for i in sequence]
        start, end = tokens[sequence[0]][0], tokens[sequence[-1]][1]
        end = _strip_possessive(start, end, text)
        only_initials = all(_is_initials(word) for word in words)
        prefix = words[0].casefold() in NICKNAME_PREFIXES
        if prefix:
            return (start, end) if len(words) > 1 else None
        if _CUE_BEFORE.search(text[max(0, start - 40) : start]):
            return start, end
        if only_initials:
            return None
        for position, word in enumerate(words):
            if word.casefold() in FIRST_NAMES and (not word.isupper() or len(words) >= 2):
                # Capitalised words before the first name belong to it only if they are SURNAMES in capitals.
                head = position
                while head > 0 and words[head - 1].isupper() and not _is_initials(words[head - 1]):
                    head -= 1
                return tokens[sequence[head]][0], end
        letters = [word for word in words if not _is_initials(word)]
        has_caps = any(word.isupper() and len(word) >= 3 for word in letters)
        has_title = any(not word.isupper() for word in letters)
        if len(letters) >= 2 and has_caps and has_title:
            return start, end
        return None
