"""Presidio recognizers for numbers that reach a person: phones (``phonenumbers``), IBANs and card numbers.

Phone numbers are checked by Google's libphonenumber metadata for every region a case file may come from, so a
national format nobody wrote a rule for ("780-999-2181", "0494 92 82 32") is still recognised; IBANs are checked by
their mod-97 checksum in any case and grouping; card numbers are taken after a card cue even when Luhn fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from ingestion.recognizer_patterns import LANGUAGE

# The EU and EEA, the United Kingdom and Switzerland, the Western Balkans and Eastern neighbours, and the countries
# of origin and transit on the routes (West, North and East Africa, the Middle East, South Asia), plus North America.
PHONE_REGIONS = ("IT", "GB", "IE", "FR", "BE", "NL", "LU", "DE", "AT", "CH", "LI", "ES", "PT", "MT", "GR", "CY", "SI",
                 "HR", "HU", "CZ", "SK", "PL", "LT", "LV", "EE", "FI", "SE", "DK", "NO", "IS", "RO", "BG", "AL", "XK",
                 "RS", "BA", "ME", "MK", "MD", "UA", "BY", "RU", "TR", "GE", "NG", "GH", "SN", "GM", "GN", "CI", "ML",
                 "BF", "NE", "CM", "SL", "LR", "TG", "BJ", "MA", "DZ", "TN", "LY", "EG", "SD", "ER", "ET", "SO", "SY",
                 "IQ", "IR", "AF", "PK", "BD", "IN", "LK", "CN", "VN", "PH", "US", "CA")  # fmt: skip
# Digit runs that may be a phone number: digits with spaces, dots, dashes, slashes or brackets, an optional
# leading "+" and an extension ("x769", "ext. 12"). Each run is then parsed for every region.
_CANDIDATE = re.compile(
    r"(?<![\w+/.,\-])(?:\+ ?)?\(?\d[\d ().\-/]{4,26}\d(?:(?: ?(?:x|ext\.?|int\.?) ?)\d{1,5})?(?![\w/])"
)
# Runs that are something else: a period ("2019-2021"), a date ("12.04.1979", "2005-05-16"), a register number
# ("418/2019").
_NOT_A_PHONE = re.compile(
    r"(?:19|20)\d\d\s*[-–/]\s*(?:19|20)\d\d|\d{1,2}([./\-])\d{1,2}\1(?:19|20)?\d\d|\d{1,6}/(?:19|20)?\d\d"
    r"|(?:19|20)\d\d([./\-])\d{1,2}\2\d{1,2}"
)
# ... or an amount ("1 500 000 euro", "€ 2.300.000"), told by the currency next to it.
_CURRENCY = r"(?i:€|\$|£|eur|euros?|usd|dollars?|gbp|pounds?|naira|ngn|lei|ron|lek|leke|chf|francs?|dinars?|dirhams?)"
_CURRENCY_BEFORE = re.compile(rf"{_CURRENCY}\s?$")
_CURRENCY_AFTER = re.compile(rf"\s?{_CURRENCY}(?!\w)")
# Words before a run that announce a phone number: then a number the metadata only finds possible is taken too
# (a made-up or newly allocated range), as is any number written with its international prefix.
_PHONE_CUE = re.compile(
    r"(?i:phone|tel|telephone|mobile|cell|call|fax|desk|office|whatsapp|viber|signal|sms|text|ring|"
    r"telefono|telefonare|cellulare|cell\.|chiam\w*|numero|utenza|recapito|handy|telefon|téléphone|portable|"
    r"teléfono|móvil|celular|telemóvel|telefoon|mobiel|numer|komórka|номер)\W{0,12}(?:\w+\W{1,3}){0,3}$"
)


class LibraryPhoneRecognizer(EntityRecognizer):
    """Phone numbers valid in any of ``PHONE_REGIONS``, national formats without the country prefix included."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["PHONE"], name="LibraryPhoneRecognizer", supported_language=LANGUAGE)

    def load(self) -> None:
        """Nothing to load: ``phonenumbers`` reads its metadata lazily."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """One result per number that libphonenumber finds valid for one of the regions."""
        if entities and "PHONE" not in entities:
            return []
        spans: set[tuple[int, int]] = set()
        for candidate in _CANDIDATE.finditer(text):
            if _CURRENCY_BEFORE.search(text[max(0, candidate.start() - 8) : candidate.start()]) or (
                _CURRENCY_AFTER.match(text, candidate.end())
            ):
                continue
            digits = sum(char.isdigit() for char in candidate.group())
            if digits < 7 or (digits < 9 and candidate.group().isdigit() and not lenient_cue(text, candidate.start())):
                continue  # a bare run of seven or eight digits is a file or case number unless called a phone
            lenient = candidate.group().startswith(("+", "00")) or lenient_cue(text, candidate.start())
            spans.update(phone_spans(candidate.group(), candidate.start(), lenient))
        return [RecognizerResult("PHONE", start, end, 0.7) for start, end in sorted(spans)]


def lenient_cue(text: str, start: int) -> bool:
    """Whether the words just before ``start`` announce a phone number ("Phone:", "call me on", "cellulare")."""
    return _PHONE_CUE.search(text[max(0, start - 40) : start]) is not None


def phone_spans(candidate: str, offset: int = 0, lenient: bool = False) -> Iterable[tuple[int, int]]:
    """The spans (shifted by ``offset``) of the phone numbers inside one digit run.

    Args:
        candidate: a run of digits and separators.
        offset: where the run starts in the text.
        lenient: accept numbers of a possible length for the region, not only those in an allocated range.
    """
    import phonenumbers

    leniency = phonenumbers.Leniency.POSSIBLE if lenient else phonenumbers.Leniency.VALID
    found: set[tuple[int, int]] = set()
    for region in PHONE_REGIONS:
        for match in phonenumbers.PhoneNumberMatcher(candidate, region, leniency=leniency):
            if _NOT_A_PHONE.fullmatch(match.raw_string) or sum(c.isdigit() for c in match.raw_string) < 7:
                continue
            raw = match.raw_string
            start = match.start + (raw.startswith("(") and raw.count("(") == raw.count(")") + 1)
            if raw[start - match.start :].count("(") != raw.count(")"):
                continue  # "COM(2023) 424": a bracket closes something that opened before the number
            found.add((offset + start, offset + match.end))
        if (offset, offset + len(candidate)) in found:
            break  # the whole run is one number: no other region can read more of it
    return found


# --- IBAN -------------------------------------------------------------------------------------------------------

# A country code and two check digits, then groups of letters and digits in the same case (spaces or dashes
# between): "GB29 NWBK 6016 1331 9268 19", "gb42nawi04454264788619".
_IBAN_START = re.compile(r"(?<![\w])(?:[A-Z]{2}|[a-z]{2})\d{2}(?=[ \-]?[A-Za-z0-9])")
_IBAN_GROUP = {True: re.compile(r"[ \-]?[A-Z0-9]{1,34}(?![a-z])"), False: re.compile(r"[ \-]?[a-z0-9]{1,34}(?![A-Z])")}


def iban_checksum_ok(value: str) -> bool:
    """Whether a compact IBAN (any case) passes the ISO 13616 mod-97 check.

    Args:
        value: the IBAN without separators.
    """
    compact = value.upper()
    if not 15 <= len(compact) <= 34 or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


class IbanAnyCaseRecognizer(EntityRecognizer):
    """IBANs of any country in any case and grouping; the longest reading that passes the checksum wins."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["IBAN_CODE"], name="IbanAnyCaseRecognizer", supported_language=LANGUAGE)

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """One result per checksum-valid IBAN."""
        results: list[RecognizerResult] = []
        for start_match in _IBAN_START.finditer(text):
            start = start_match.start()
            if results and start < results[-1].end:
                continue
            end = _longest_valid_iban(text, start, start_match.end())
            if end is not None:
                results.append(RecognizerResult("IBAN_CODE", start, end, 1.0))
        return results


def _longest_valid_iban(text: str, start: int, cursor: int) -> int | None:
    """The end of the longest reading from ``start``, ending at a group's end, that is a valid IBAN, or None."""
    group_pattern = _IBAN_GROUP[text[start].isupper()]
    compact = re.sub(r"[ \-]", "", text[start:cursor])
    best = None
    while len(compact) < 34:
        group = group_pattern.match(text, cursor)
        if group is None:
            break
        compact += group.group().lstrip(" -")
        cursor = group.end()
        if iban_checksum_ok(compact):
            best = cursor
    return best


# --- card numbers -----------------------------------------------------------------------------------------------

_CARD_CUE = re.compile(
    r"(?i:credit card|debit card|prepaid card|card|carta(?: di credito| prepagata)?|carte(?: bancaire)?|tarjeta|"
    r"karte|kreditkarte|postepay|visa|mastercard|amex|cc)"
    r"(?:[^\w\n]{0,3}(?i:no\.?|number|n\.|numero|nr\.?|#|is|was|ending)){0,3}[^\w\n]{0,4}"
    r"(?P<value>\d(?:[ \-]?\d){11,18})(?![\w])"
)


class CardCueRecognizer(EntityRecognizer):
    """A 12-19 digit number right after a card cue ("card 501864667909", "carta n. 4023 ..."), checksum or not."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["CREDIT_CARD"], name="CardCueRecognizer", supported_language=LANGUAGE)

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """One result per cued card number."""
        return [RecognizerResult("CREDIT_CARD", *match.span("value"), 0.8) for match in _CARD_CUE.finditer(text)]


def number_recognizers() -> Iterable[EntityRecognizer]:
    """The phone, IBAN and card recognizers of this module."""
    yield LibraryPhoneRecognizer()
    yield IbanAnyCaseRecognizer()
    yield CardCueRecognizer()
