"""The lexical (BM25) side of the hybrid index: tokenising, building and persisting, searching."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from core.text import SEARCH_STOP_WORDS, fold, stemmer

# Letters and digits of any script (Greek and Cyrillic words are words too), hyphenated runs kept together.
_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
# Raise when tokenising changes: indexes built with another version are rebuilt (it is part of the fingerprint).
TOKENIZER_VERSION = 4


# British and American spellings meet in one corpus (EU texts write "organised", "labour", "offence"; UN texts
# "organized", "labor"; users either): both sides are folded to one form before stemming.
_SPELLINGS = (
    (re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|er|ers|ation|ations)$"), r"iz\1"),  # organise, criminalisation
    (re.compile(r"(?<=[a-z]{2})ys(e|es|ed|ing)$"), r"yz\1"),  # analyse, paralysed
    (re.compile(r"(?<=[a-z]{3})our(s|ed|ing|er|ers|able|ably|ite|ites)?$"), r"or\1"),  # labour, harbouring
    (re.compile(r"^(def|off|lic|pret)ences?$"), r"\1ense"),  # defence, offences
    (re.compile(r"dgement(s?)$"), r"dgment\1"),  # judgement
)


def _spelling(token: str) -> str:
    """The American spelling of a British one ("organising" → "organizing"); other words unchanged."""
    for pattern, replacement in _SPELLINGS:
        token = pattern.sub(replacement, token)
    return token


DEFAULT_LANGUAGE = "en"


def tokenize(text: str, language: str = DEFAULT_LANGUAGE) -> list[str]:
    """Tokens for BM25: folded words without stop words, stemmed by the text's language ("chiamo" and "chiamare"
    meet in Italian, "reintegrate" and "reintegration" in English); hyphenated numbers kept whole (603-bis)."""
    stem = stemmer(language)
    english = language == "en"
    tokens: list[str] = []
    for raw in _TOKEN.findall(fold(text)):
        if raw in SEARCH_STOP_WORDS:
            continue
        parts = raw.split("-") if "-" in raw and not raw[0].isdigit() else [raw]
        for part in parts:
            if part and part not in SEARCH_STOP_WORDS:
                token = part if part[0].isdigit() else stem(_spelling(part) if english else part)
                if token:  # Snowball's Greek stemmer strips some words to nothing ("όταν")
                    tokens.append(token)
    return tokens


class LexicalIndex:
    """BM25 over chunk texts, persisted as JSON-free numpy arrays by bm25s beside the vector store."""

    def __init__(self, retriever: object, ids: list[str], languages: Iterable[str] = (DEFAULT_LANGUAGE,)) -> None:
        self._retriever = retriever
        self.ids = ids
        self.languages = tuple(sorted(set(languages))) or (DEFAULT_LANGUAGE,)  # those the texts were stemmed in

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str], languages: Sequence[str] | None = None) -> LexicalIndex:
        """Index texts, each stemmed in its language (``languages``, one per text; English when not given)."""
        import bm25s

        languages = languages or [DEFAULT_LANGUAGE] * len(texts)
        retriever = bm25s.BM25()
        corpus_tokens = [
            tokenize(text, language) or ["\u2205"] for text, language in zip(texts, languages, strict=True)
        ]
        retriever.index(corpus_tokens, show_progress=False)
        return cls(retriever, list(ids), languages)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self.ids:
            self._retriever.save(str(folder))  # type: ignore[attr-defined]
        (folder / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")
        (folder / "languages.json").write_text(json.dumps(self.languages), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        import bm25s

        ids = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
        languages = json.loads((folder / "languages.json").read_text(encoding="utf-8"))
        retriever = bm25s.BM25.load(str(folder)) if ids else None
        return cls(retriever, ids, languages)

    def has_term(self, word: str) -> bool:
        """Whether a word occurs anywhere in the indexed texts (stemmed as in any of their languages)."""
        vocab = getattr(self._retriever, "vocab_dict", {}) if self._retriever is not None else {}
        for language in self.languages:
            tokens = tokenize(word, language)
            if tokens and all(token in vocab for token in tokens):
                return True
        return False

    def scores(self, query: str, language: str = DEFAULT_LANGUAGE) -> np.ndarray:
        """BM25 score of every chunk for the query (stemmed in its language), in the order of ``ids``."""
        tokens = tokenize(query, language)
        if not self.ids or not tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._retriever.get_scores(tokens), dtype=np.float32)  # type: ignore[attr-defined]
