"""The searches one question gets: its own dense and BM25 searches, its glossary translation, inside named texts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from core.text import detect_language
from rag.judgments import names_strasbourg_court
from rag.references import strip_instruments
from rag.search import IndexSnapshot
from rag.translate import translate_query

# The glossary translation of an Italian question finds English law better than the question itself does (a dense
# search of the Italian question over the English texts alone only added noise): its searches count double.
TRANSLATED_WEIGHT = 2.0
# How much of the index's language offset moves a question's vector towards English texts (knowledge-base tuning
# set, Italian: 0.5 to 1.0 lie within a question of each other; 1.5 overshoots, 0.33 / 0.55 alone).
LANGUAGE_SHIFT = 0.75

# How documents mark judgments of the European Court of Human Rights (front-matter `jurisdiction`).
STRASBOURG_CODES = ("ECHR", "ECtHR", "ECTHR")


@dataclass(frozen=True)
class Search:
    """One search of a question's retrieval, with the weight its ranking gets in the fusion."""

    kind: Literal["dense", "lexical"]
    text: str
    where: dict[str, Any] | None
    weight: float = 1.0
    language: str = "en"  # the language a lexical search stems its text in (a dense one: the question's language)
    # A dense search across languages: its vector is the question's, moved towards English texts by the index's
    # language offset, averaged with the vector of this English translation of it (see cross_language_vector).
    translation: str = ""

    @property
    def lexical_language(self) -> str | None:
        """The language a lexical search's words are in (its ranking counts less for chunks in others)."""
        return self.language if self.kind == "lexical" else None


def plan_searches(query: str, where: dict[str, Any] | None, sources: Sequence[str]) -> list[Search]:
    """The searches for a question, the question's own dense search first.

    Args:
        query: the question, resolved against the conversation.
        where: the user's filters.
        sources: the indexed documents of the instruments the question names (searched alone too).
    """
    language = detect_language(query)  # BM25 stems the question as its language's texts were stemmed
    italian = language == "it"
    searches = [Search("dense", query, where), Search("lexical", query, where, 1.0, language)]
    content = strip_instruments(query) or query  # every chunk of a named instrument shares its name
    translated = ""
    if italian:
        # Most law here is English and multilingual embeddings still favour texts in the question's language:
        # search the English texts with the question's glossary translation too. A named instrument is left out
        # of the translation: its English name would outweigh what the question asks of it, and the searches
        # inside the instrument below already find its articles.
        english = {**(where or {}), "language": "en"} if (where or {}).get("language") is None else where
        translated = translate_query(content if sources else query)
        if translated:
            searches += [
                Search("lexical", translated, where, TRANSLATED_WEIGHT),
                Search("dense", content if sources else query, english, TRANSLATED_WEIGHT, language, translated),
            ]
    if sources:
        # The question names an instrument: also search inside it alone (lexically without the instrument's name,
        # which every one of its chunks shares), so its best article competes with documents that only mention it.
        # The dense search reuses the question's vector: inside one instrument its name shifts every chunk alike.
        scoped = {**(where or {}), "source": {"$in": list(sources)}}
        searches += [Search("dense", query, scoped), Search("lexical", content, scoped, 1.0, language)]
        if translated:
            searches += [
                Search("dense", translated, scoped, TRANSLATED_WEIGHT),
                Search("lexical", translated, scoped, TRANSLATED_WEIGHT),
            ]
    if names_strasbourg_court(query):
        # "Which ECtHR case...": the Strasbourg judgments compete among themselves, not with national cases.
        strasbourg = {**(where or {}), "doc_type": "case_law", "jurisdiction": {"$in": list(STRASBOURG_CODES)}}
        searches += [
            Search("dense", query, strasbourg),
            Search("lexical", query, strasbourg, 1.0, language),
        ]
    return searches


def cross_language_vector(snapshot: IndexSnapshot, question: str, translation: str, language: str) -> list[float]:
    """The query vector of a question in ``language`` searched over English texts.

    The question's own vector carries what it asks but also its language, which draws it to the few texts in that
    language; the index's language offset (``LANGUAGE_SHIFT`` of it) takes the language out. The glossary translation
    is English but word by word, so it loses what the glossary lacks: the two unit vectors are averaged (Italian
    questions of the knowledge-base tuning set, dense search over the English chunks, recall@1 / @5: the question
    0.33 / 0.59, its translation 0.45 / 0.77, shifted question 0.50 / 0.81, shifted question and translation
    0.61 / 0.90). Without an offset (too few chunks in either language) the translation is searched alone.
    """
    translated = _unit(snapshot.embed_query(translation))
    offset = snapshot.language_offset(language, "en")
    if offset is None:
        return translated.tolist()
    shifted = _unit(np.asarray(snapshot.embed_query(question), dtype=float) + LANGUAGE_SHIFT * offset)
    return (shifted + translated).tolist()


def _unit(vector: Sequence[float] | np.ndarray) -> np.ndarray:
    array = np.asarray(vector, dtype=float)
    return array / (np.linalg.norm(array) or 1.0)
