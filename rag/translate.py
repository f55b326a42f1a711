"""Offline Italian→English query translation for retrieval: a domain glossary turns questions into English terms."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from core.legal_refs import ORDINALS
from core.text import italian_base_forms, strip_accents
from rag.spelling import Speller

GLOSSARY_PATH = Path(__file__).with_name("glossary_it_en.yaml")
MAX_NGRAM = 5
# A word this frequent in Italian (wordfreq's Zipf scale, log10 of occurrences per billion words) is meant as written
# and never respelt into a glossary word: "partita" (5.0) is not a slip for "parità". The slips the speller mends
# are rarer ("vitima" 0, "ragaza" 1.3, "trata" 1.7). Chosen by 5-fold cross-validation on the Italian
# knowledge-base tuning questions (see the README's evaluation section).
ITALIAN_WORD_ZIPF = 3.0

_TOKEN = re.compile(
    r"(?P<ref>\d+(?:[./-]\d+)*(?:-[^\W\d_]+(?:\.\d+)?)?(?:/[^\W\d_]+)?)"  # 26, 601-bis, 2011/36/UE, 603-bis.1
    r"|(?P<abbr>(?:[^\W\d_]{1,4}\.)+[^\W\d_]{1,4}\.?)"  # d.lgs., c.p.p.
    r"|(?P<word>[^\W\d_]+(?:-[^\W\d_]+)*)"  # words, hyphenated words (non-refoulement)
    r"|(?P<end>[.?!;:])"  # sentence and clause ends: phrases never cross them
)
_EU_SUFFIX = {"/ue": "/EU", "/ce": "/EC"}


@dataclass(frozen=True)
class _Token:
    text: str
    norm: str
    kind: str  # "ref", "word" or "end"
    sentence_start: bool


@dataclass(frozen=True)
class Glossary:
    """The loaded glossary: phrases (token tuples) to English terms, with "" for dropped function words."""

    phrases: dict[tuple[str, ...], str]
    prefixes: frozenset[tuple[str, ...]]
    drop: frozenset[str]
    terms: int
    speller: Speller  # the glossary's words, for questions that misspell them


@dataclass(frozen=True)
class _Analysis:
    terms: tuple[str, ...]
    content_words: int
    understood: int


def normalize(text: str) -> str:
    """Lower case without accents, with typographic apostrophes made plain (``"Età"`` → ``"eta"``)."""
    return strip_accents(text.replace("’", "'").replace("‘", "'")).lower()


def _tokens(text: str) -> Iterator[_Token]:
    """Words, references and sentence ends of a text, each with its normalised form."""
    start = True
    pending: _Token | None = None
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "word"
        raw = match.group()
        if kind == "abbr":
            kind, norm = "word", normalize(raw).replace(".", "")
        else:
            norm = normalize(raw)
        if pending is not None:
            if kind == "word" and norm in ORDINALS:  # "601 bis" → "601-bis"
                pending = _Token(f"{pending.text}-{norm}", f"{pending.norm}-{norm}", "ref", pending.sentence_start)
                continue
            yield pending
            pending = None
        token = _Token(raw, norm, kind, start)
        start = kind == "end"
        if kind == "ref":
            pending = token
        else:
            yield token
    if pending is not None:
        yield pending


def _key(phrase: str) -> tuple[str, ...]:
    """The token tuple a glossary phrase is matched by."""
    return tuple(t.norm for t in _tokens(phrase) if t.kind != "end")


@functools.cache
def load_glossary(path: Path = GLOSSARY_PATH) -> Glossary:
    """Read the glossary YAML once: ``terms`` (Italian → English) and ``drop`` (function words).

    Raises:
        ValueError: an entry is not a non-empty string.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    phrases: dict[tuple[str, ...], str] = {}
    for word in data.get("drop", []):
        if not isinstance(word, str) or not word.strip():
            raise ValueError(f"{path.name}: drop entry {word!r} is not a word")
        phrases[_key(word)] = ""
    terms = data.get("terms", {})
    for italian, english in terms.items():
        if not isinstance(italian, str) or not isinstance(english, str) or not english.strip():
            raise ValueError(f"{path.name}: entry {italian!r}: {english!r} is not text → English terms")
        phrases[_key(italian)] = " ".join(english.split())  # terms win over a drop entry with the same key
    prefixes = frozenset(key[:n] for key in phrases for n in range(1, len(key) + 1))
    drop = frozenset(key[0] for key, english in phrases.items() if not english and len(key) == 1)
    speller = Speller.of(word for key in phrases for word in key)
    return Glossary(phrases, prefixes, drop, len(terms), speller)


def _forms(token: _Token, glossary: Glossary) -> list[str]:
    """The forms a token is looked up by: its base forms, then, when the glossary knows none, the glossary words
    it misspells. Only the word as written is respelt (its base forms are guesses already), never a name nor a
    real Italian word."""
    if token.kind != "word":
        return [token.norm]
    forms = italian_base_forms(token.norm)
    if any(form in glossary.speller.words for form in forms) or (_is_name(token) and _is_sure_name(token)):
        return forms
    if is_italian_word(token.text):
        return forms
    return [*forms, *glossary.speller.corrections(token.norm)]


@functools.lru_cache(maxsize=4096)
def is_italian_word(word: str) -> bool:
    """Whether ``word`` (any case) is a word of written Italian, by wordfreq's frequencies, not a misspelling."""
    from wordfreq import zipf_frequency  # its lists load on first use

    return zipf_frequency(word.casefold(), "it") >= ITALIAN_WORD_ZIPF


def _longest_match(tokens: list[_Token], i: int, glossary: Glossary) -> tuple[int, str] | None:
    """The longest glossary phrase starting at token ``i`` (exact forms preferred), as (length, English)."""
    best: dict[int, str] = {}

    def extend(prefix: tuple[str, ...], j: int) -> None:
        if j >= len(tokens) or j - i >= MAX_NGRAM or tokens[j].kind == "end":
            return
        for form in _forms(tokens[j], glossary):
            candidate = (*prefix, form)
            if candidate not in glossary.prefixes:
                continue
            if candidate in glossary.phrases and len(candidate) not in best:
                best[len(candidate)] = glossary.phrases[candidate]
            extend(candidate, j + 1)

    extend((), i)
    if not best:
        return None
    length = max(best)
    return length, best[length]


def _is_name(token: _Token) -> bool:
    """A proper name or acronym to keep as written (Rantsev, GRETA, Bologna)."""
    return len(token.text) >= 2 and token.text[0].isupper()


def _is_sure_name(token: _Token) -> bool:
    """A name that cannot be a capitalised Italian word opening a sentence ("Spiegami" vs "Rantsev", "GRETA")."""
    text = token.text
    return text.isupper() or not token.sentence_start or not token.norm.endswith(("a", "e", "i", "o", "u"))


def _reference(token: _Token) -> str:
    """An article or instrument reference as English texts write it (2011/36/UE → 2011/36/EU)."""
    text = token.norm
    for suffix, english in _EU_SUFFIX.items():
        if text.endswith(suffix):
            return text[: -len(suffix)] + english
    return text


@functools.lru_cache(maxsize=512)
def _analyse(text: str, keep_unknown: bool = False) -> _Analysis:
    """Translate a question token by token, longest glossary phrase first, counting the content words."""
    glossary = load_glossary()
    tokens = list(_tokens(text))
    terms: list[str] = []
    content = understood = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.kind == "end":
            i += 1
            continue
        match = _longest_match(tokens, i, glossary)
        if match is not None:
            length, english = match
            span = tokens[i : i + length]
            words = sum(1 for t in span if t.kind == "word" and t.norm not in glossary.drop and len(t.norm) > 1)
            content += words
            understood += words
            if english:
                terms.append(english)
            i += length
            continue
        i += 1
        if token.kind == "ref":
            terms.append(_reference(token))
        elif len(token.norm) < 2:
            continue
        elif _is_name(token):  # kept; a sentence-initial one may be an Italian word, so not counted as understood
            content += 1
            understood += _is_sure_name(token)
            terms.append(token.text)
        else:
            content += 1
            if keep_unknown:
                terms.append(token.norm)
    return _Analysis(tuple(dict.fromkeys(terms)), content, understood)


def translate_query(text: str, keep_unknown: bool = False) -> str:
    """English search terms for an Italian question, for BM25 and the embedder (retrieval only).

    Args:
        text: the question, in Italian (English words the glossary does not know are dropped too).
        keep_unknown: keep content words the glossary does not know, lower-cased, instead of dropping them.

    Returns:
        The English terms, space-separated; numbers, references, names and acronyms kept as written.
    """
    return " ".join(_analyse(text, keep_unknown).terms)


def glossary_coverage(text: str) -> float:
    """Share of the question's content words the glossary translated (names and acronyms count as understood).

    Function words, numbers and references are not content words; a text without content words scores 0.0.
    """
    analysis = _analyse(text)
    return analysis.understood / analysis.content_words if analysis.content_words else 0.0
