"""Cutting answers and sources into sentences and content words, as the grounding check compares them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from rag.validate import ENGLISH_FUNCTION_WORDS, ITALIAN_FUNCTION_WORDS

_CAPITALISED = re.compile(r"(?<![\w'’])[A-Z][a-zà-ÿ]{2,}(?:[-'’][A-Za-zà-ÿ]+)*")
_SENTENCE_OPENING = re.compile(r"(?:^|[.!?:;\n]\s*|[*#>\-•\d.)]\s+|[\"“(]\s*)$")


def _split(words: str) -> list[str]:
    return words.split()


# Abbreviations after which a period never ends a sentence, and those that do not when a number follows.
_ABBREVIATIONS = frozenset(
    _split(
        "e.g i.e eg ie c.p c.p.p cfr cf vs v dr mr mrs ms prof avv dott sig d.lgs dlgs d.l d.p.r l u.s e.u u.n "
        "ss seq ibid op cit approx ca rif lett"
    )
)
_BEFORE_NUMBER = frozenset(_split("no nos n nn art arts artt para paras par p pp sec co comma cap ch vol reg dir"))
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)]*((?:\s*\[[^\]\n]{1,30}\])*)(?=\s|$)")
_CITATION = re.compile(
    r"\[\s*(?:(?:sources?|fonti?|doc(?:ument)?)\s*)?(\d{1,2}(?:\s*(?:,|;|-|–|and|e)\s*\d{1,2})*)\s*\]", re.I
)
_LIST_MARKER = re.compile(r"^\s*(?:#+\s*|(\d{1,2})[.)]\s+|[-*•]\s+|[a-z]\)\s+)")
_TOKEN = re.compile(r"[^\W_]+")
_NEGATION = re.compile(r"not|no|never|cannot|none|nothing|neither|nor|without|non|mai|nessun[oa]?|senza")
FILLER = re.compile(
    r"\b(?:i hope|hope this helps|let me know|feel free|happy to help|as an ai|i am an ai|i'm an ai|"
    r"spero che|spero di|fammi sapere|non esitare|sono un(?:'| )?(?:ia|intelligenza))\b",
    re.I,
)
# Text that addresses the model rather than the reader: such passages are data, never support.
INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget)\b.{0,40}\b(?:instructions?|prompts?|rules)\b|system prompt|"
    r"\byou are now\b|\bnew instructions\b|\breveal (?:your|the) (?:instructions|prompt|rules)\b|"
    r"\bignora\b.{0,40}\bistruzioni\b|prompt di sistema|\brivela\b.{0,30}\bistruzioni\b",
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
# Words that say nothing about the law: they neither count as support nor make a sentence substantive.
_STOPWORDS = (
    ENGLISH_FUNCTION_WORDS
    | ITALIAN_FUNCTION_WORDS
    | frozenset(
        _split(
            "a e i o in also such other into under over about any all some only more most so then thus therefore "
            "however because while whether being his her him she he we you your our us them these within upon "
            "answer question questions source sources document documents text information provided according based "
            "article articles says said note yes "
            "risposta domanda fonte fonti documento documenti testo informazioni secondo articolo articoli sì "
            "ma o né si ci ne lei lui loro suo sua suoi sue nostro vostro tale tali ogni tutti tutto altro altri "
            "quindi però mentre perciò inoltre stato stata sia siano"
        )
    )
)
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ness", "ies", "ied", "ed", "es", "s")
_IT_SUFFIXES = ("zioni", "zione", "mente", "ità", "ita")


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, one line at a time, keeping citation markers with the sentence they follow.

    Periods after abbreviations ("e.g.", "c.p.") and before numbers ("art. 3", "No. 5") do not end sentences,
    nor do periods followed by a lower-case word.
    """
    return [sentence for _, _, sentence in split_lines(text)]


def split_lines(text: str) -> list[tuple[int, str, str]]:
    """(line number, list marker, sentence) for every sentence of the text."""
    out: list[tuple[int, str, str]] = []
    for line_no, raw in enumerate(text.splitlines()):
        marker_match = _LIST_MARKER.match(raw)
        marker = ""
        body = raw
        if marker_match:
            marker = marker_match.group(1) or raw[: marker_match.end()].strip()[:1]
            body = raw[marker_match.end() :]
        start = 0
        for match in _BOUNDARY.finditer(body):
            if not _ends_sentence(body, match):
                continue
            sentence = body[start : match.end()].strip()
            if sentence:
                out.append((line_no, marker if not any(o[0] == line_no for o in out) else "", sentence))
            start = match.end()
        tail = body[start:].strip()
        if tail:
            out.append((line_no, marker if not any(o[0] == line_no for o in out) else "", tail))
    return out


def _ends_sentence(body: str, match: re.Match[str]) -> bool:
    punctuation = body[match.start()]
    after = body[match.end() :].lstrip()
    if after[:1].islower():
        return False
    if punctuation != "." or any(ch in "!?…" for ch in match.group(0)):
        return True
    word = body[: match.start()].rsplit(maxsplit=1)[-1].lower().lstrip("(") if body[: match.start()].strip() else ""
    if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
        return False
    return not (word in _BEFORE_NUMBER and after[:1].isdigit())


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
        if token.isdigit() or (len(token) > 2 and token not in _STOPWORDS):
            words.append(_stem(token))
    return tuple(words)


def fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(ch))


def _stem(word: str) -> str:
    if word.isdigit() or len(word) <= 4:
        return word
    for suffix in _IT_SUFFIXES + _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    # Italian inflects on the final vowel (vittima/vittime, minore/minori); English words lose a silent e.
    if len(word) > 4 and word[-1] in "aeio":
        word = word[:-1]
    return word


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


def numbers_in(words: Sequence[str]) -> set[str]:
    return {word for word in words if word.isdigit()}


def _polarity(text: str) -> tuple[set[str], set[str]]:
    """(content words, the content words a negation governs: the next three after "not", "non", "without" …)."""
    words: set[str] = set()
    negated: set[str] = set()
    scope = 0
    for token in _TOKEN.findall(fold(text).replace("n't", " not")):
        if _NEGATION.fullmatch(token):
            scope = 3
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


def recall(words: Sequence[str], pool: set[str]) -> float:
    return sum(word in pool for word in words) / len(words) if words else 0.0
