"""What the grounding check compares in answers and sources: content words, citations, names, numbers, polarity."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from core.injection import INJECTION  # noqa: F401  (re-exported: passages that are data, never support)
from core.legal_refs import ARTICLE_MENTION, article_number
from core.text import GROUNDING_STOP_WORDS, NEGATIONS, fold, light_stem

_CAPITALISED = re.compile(r"(?<![\w'’])[A-Z][a-zà-ÿ]{2,}(?:[-'’][A-Za-zà-ÿ]+)*")
_SENTENCE_OPENING = re.compile(r"(?:^|[.!?:;\n]\s*|[*#>\-•\d.)]\s+|[\"“(]\s*)$")


def _split(words: str) -> list[str]:
    return words.split()


_CITATION = re.compile(
    r"\[\s*(?:(?:sources?|fonti?|doc(?:ument)?)\s*)?(\d{1,2}(?:\s*(?:,|;|-|–|and|e)\s*\d{1,2})*)\s*\]", re.I
)
_TOKEN = re.compile(r"[^\W_]+")
FILLER = re.compile(
    r"\b(?:i hope|hope this helps|let me know|feel free|happy to help|as an ai|i am an ai|i'm an ai|"
    r"spero che|spero di|fammi sapere|non esitare|sono un(?:'| )?(?:ia|intelligenza))\b",
    re.I,
)
_NUMBER_WORDS = {
    **{w: str(i) for i, w in enumerate(_split("two three four five six seven eight nine ten eleven twelve"), 2)},
    **{
        w: str(i)
        for i, w in enumerate(_split("thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty"), 13)
    },
    **{w: str(i) for i, w in enumerate(_split("due tre quattro cinque sei sette otto nove dieci"), 2)},
    **{
        w: str(i)
        for i, w in enumerate(_split("undici dodici tredici quattordici quindici sedici diciassette diciotto"), 11)
    },
    "diciannove": "19",
    "venti": "20",
}


def extract_citations(sentence: str) -> tuple[str, list[int]]:
    """The sentence without its ``[n]`` markers, and the numbers they cite in order ("[1, 2]", "[1][2]", "[1-3]")."""
    numbers: list[int] = []
    for match in _CITATION.finditer(sentence):
        for part in re.finditer(r"(\d+)(?:\s*[-–]\s*(\d+))?", match.group(1)):
            first, last = int(part.group(1)), int(part.group(2) or part.group(1))
            for n in range(first, min(last, first + 9) + 1):
                if n not in numbers:
                    numbers.append(n)
    text = _CITATION.sub("", sentence)
    text = re.sub(r"\s+([.,;:!?…])", r"\1", re.sub(r"\s+", " ", text)).strip()
    return text, numbers


def content_words(text: str) -> list[str]:
    """Stemmed content words of a text: number words become digits, function words and filler are left out."""
    return list(_content_words(text))


@lru_cache(maxsize=8192)
def _content_words(text: str) -> tuple[str, ...]:
    words = []
    for token in _TOKEN.findall(fold(text)):
        token = _NUMBER_WORDS.get(token, token)
        if token.isdigit() or (len(token) > 2 and token not in GROUNDING_STOP_WORDS):
            words.append(light_stem(token))
    return tuple(words)


def is_heading(line: str) -> bool:
    line = line.strip()
    return len(line) < 100 and not line.endswith((".", ";", ":", "!", "?", ","))


def proper_names(sentence: str) -> set[str]:
    """Capitalised words inside a sentence (not the first word of a sentence or list item), folded."""
    names = set()
    for match in _CAPITALISED.finditer(sentence):
        if not _SENTENCE_OPENING.search(sentence[: match.start()]):
            names.add(fold(match.group()))
    return names


def unknown_names(sentence: str, known: str) -> set[str]:
    """The names of ``sentence`` (``proper_names``) that ``known``, folded, never mentions: invented, unless the
    name is spelt otherwise in that text's language (Latin-script names keep their spelling across languages)."""
    return {name for name in proper_names(sentence) if name not in known}


def numbers_in(words: Sequence[str]) -> set[str]:
    return {word for word in words if word.isdigit()}


def article_numbers(text: str) -> set[str]:
    """The article numbers a text names ("Article 4(c)", "art. 600-bis", "Articolo 18"), lower case, no paragraph."""
    return {
        article_number(match.group(1).lower().replace("–", "-"), match.group(2))
        for match in ARTICLE_MENTION.finditer(text)
    }


def _polarity(text: str, reach: int = 3) -> tuple[set[str], set[str]]:
    """(content words, the content words a negation governs: the next ``reach`` after "not", "non", "without" …)."""
    words: set[str] = set()
    negated: set[str] = set()
    scope = 0
    for token in _TOKEN.findall(fold(text).replace("n't", " not")):
        if token in NEGATIONS:
            scope = reach
            continue
        stemmed = content_words(token)
        if stemmed:
            words.update(stemmed)
            if scope:
                negated.update(stemmed)
                scope -= 1
    return words, negated


def same_polarity(sentence: str, source: str) -> bool:
    """False when a word is negated in one text and asserted in the other ("must be proven" / "need not be")."""
    sentence_words, sentence_negated = _polarity(sentence)
    source_words, source_negated = _polarity(source)
    return not (
        sentence_negated & (source_words - source_negated) or source_negated & (sentence_words - sentence_negated)
    )


def contradicts(sentence: str, source: str) -> bool:
    """True when the word right after a negation in one text is plainly asserted in the other: "can be prosecuted"
    against "entitled not to prosecute". Stricter than ``same_polarity``, whose wider reach ("not to prosecute …
    victims") would also catch a sentence agreeing with the source ("victims should not be prosecuted").
    """
    sentence_words, sentence_negated = _polarity(sentence)
    source_words, source_negated = _polarity(source)
    _, sentence_denied = _polarity(sentence, reach=1)
    _, source_denied = _polarity(source, reach=1)
    asserted_in_source = source_words - source_negated
    return bool(sentence_denied & asserted_in_source or source_denied & (sentence_words - sentence_negated))


def recall(words: Sequence[str], pool: set[str]) -> float:
    return sum(word in pool for word in words) / len(words) if words else 0.0
