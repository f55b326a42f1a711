"""How well a sentence is supported by a numbered evidence chunk, and how well a text addresses the question."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from langchain_core.embeddings import Embeddings

from core.text import detect_language, fold, language_purity, split_sentences
from rag.cross_support import CrossSupportModel
from rag.search import Hit
from rag.sentences import (
    INJECTION,
    article_numbers,
    content_words,
    contradicts,
    is_heading,
    numbers_in,
    recall,
    same_polarity,
    unknown_names,
)

LEXICAL_WEIGHT = 0.5  # support = LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * semantic


@dataclass(frozen=True)
class Support:
    """How well one chunk supports one sentence, with the parts the score is made of (for calibration).

    ``score = LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * max(semantic, 0)``, where ``lexical`` is the share
    of the sentence's content words (lower-cased, accents removed, light suffix stemming) found in the chunk and
    its heading, and ``semantic`` the embedder's cosine between the sentence and the chunk's closest sentence.
    Across languages (an Italian answer over English law) word overlap means nothing and the score is
    ``semantic`` alone. The score is 0 when a number in the sentence is in neither the chunk nor the question, or
    an article it names is not the chunk's own nor one the chunk mentions (``numbers_ok``), or when the sentence
    and its closest chunk sentence differ in negation (``polarity_ok``): these are the errors a fluent small model
    makes most. Across languages it is also 0 when the learned check rejects the sentence (``cross_ok``: an echo of
    the question, two languages mixed, an invented name; ``rag.cross_support``).
    """

    n: int
    score: float
    lexical: float
    semantic: float
    numbers_ok: bool
    polarity_ok: bool
    supporting: str  # the chunk sentence closest to the cited statement
    cross_ok: bool = True  # across languages, whether the learned check (rag/cross_support.py) accepts it


class SupportScorer:
    """Scores sentences against numbered evidence chunks; embeds each text once, in batches, and a chunk's sentences
    only when a sentence is first scored against that chunk (a draft citing its sources well needs few).

    ``shown`` holds each chunk as the model was shown it, when the prompt cut chunks down to some of their
    sentences ("…" over the gaps): support is then looked for only in what the model read. ``semantic_floor`` is
    the cosine unrelated texts reach with this embedder (``EmbedderCalibration.semantic_floor``). ``cross_model``
    checks sentences written in another language than their chunk (without it, their similarity alone decides).
    """

    def __init__(
        self,
        evidence: Sequence[Hit],
        embedder: Embeddings,
        question: str = "",
        shown: Sequence[str] | None = None,
        semantic_floor: float = 0.0,
        cross_model: CrossSupportModel | None = None,
    ) -> None:
        self.evidence = list(evidence)
        self._cross_model = cross_model
        self._texts = list(shown) if shown is not None else [hit.text for hit in self.evidence]
        self._embedder = embedder
        self._semantic_floor = semantic_floor
        self._question = question
        self._best_relevance: float | None = None
        # A source holding text addressed to the assistant was written to steer it: it never supports alone.
        self.suspect = [
            bool(INJECTION.search(hit.text) or INJECTION.search(text))
            for hit, text in zip(self.evidence, self._texts, strict=True)
        ]
        self._question_numbers = numbers_in(content_words(question))
        self._known: list[str] = []  # per chunk, where a name must be found (folded): the chunk, title, question
        self._vectors: dict[str, np.ndarray] = {}
        self.chunk_sentences: list[list[str]] = []  # per chunk, the sentences that may support (no injections)
        self._chunk_words: list[set[str]] = []
        self._chunk_languages: list[str] = []
        self._chunk_articles: list[set[str]] = []  # the chunk's own article and those it mentions
        self.heading_words: set[str] = set()  # words of titles and headings: naming a source states nothing
        gaps = r"\n\s*\n|\n|\s*…\s*" if shown is not None else r"\n\s*\n|\n"
        for hit, text in zip(self.evidence, self._texts, strict=True):
            paragraphs = [p for p in re.split(gaps, text) if p.strip() and not INJECTION.search(p)]
            headings = [p for p in paragraphs if is_heading(p)]
            sentences = [" ".join(s.text.split()) for p in paragraphs if p not in headings for s in split_sentences(p)]
            heading = " ".join((hit.title, hit.section, hit.source))
            self.heading_words.update(content_words(" ".join([heading, *headings])))
            self.chunk_sentences.append([s for s in sentences if content_words(s)])
            self._chunk_words.append(set(content_words(" ".join(paragraphs) + " " + heading)))
            self._chunk_languages.append(hit.language or detect_language(hit.text))
            self._chunk_articles.append(article_numbers(f"{hit.section}\n{text}"))
            self._known.append(fold(f"{text} {hit.title} {question}"))

    def embed(self, texts: Sequence[str]) -> None:
        """Embed the texts not seen yet, in one call, so that scoring a whole draft costs one batch."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            for text, vector in zip(missing, self._embedder.embed_documents(missing), strict=True):
                array = np.asarray(vector, dtype=np.float32)
                self._vectors[text] = array / (float(np.linalg.norm(array)) or 1.0)

    def cosine(self, a: str, b: str) -> float:
        """Cosine similarity of two texts' embeddings."""
        self.embed([a, b])
        return float(self._vectors[a] @ self._vectors[b])

    def semantic(self, a: str, b: str) -> float:
        """Cosine similarity above what unrelated texts reach with this embedder, rescaled to 0..1."""
        return self._above_floor(self.cosine(a, b))

    def _above_floor(self, cosine: float) -> float:
        # Embedders differ in how similar unrelated texts look (e5 puts most pairs above 0.75): rescale so that
        # the semantic part means the same whatever the model.
        return max(0.0, (cosine - self._semantic_floor) / (1.0 - self._semantic_floor))

    def relevance(self, sentence: str) -> float:
        """How well ``sentence`` bears on the question, as a share of how well the best source does (1: as well).

        Embedder similarity above the floor, the sources as the model read them; 1 when there is no question.
        """
        if not self._question.strip():
            return 1.0
        if self._best_relevance is None:
            self.embed([self._question, *self._texts])
            self._best_relevance = max((self.semantic(text, self._question) for text in self._texts), default=0.0)
        if self._best_relevance <= 0.0:
            return 1.0
        return self.semantic(sentence, self._question) / self._best_relevance

    def contradicted(self, sentence: str, language: str, threshold: float) -> bool:
        """True when a retrieved legislation chunk says the opposite of ``sentence``: its closest sentence would
        support it (``threshold``) but for a negation ("can be prosecuted" against "not to prosecute")."""
        for n, hit in enumerate(self.evidence, start=1):
            if hit.doc_type != "legislation" or self.suspect[n - 1] or language != self._chunk_languages[n - 1]:
                continue
            support = self.score(sentence, n, language)
            similarity = LEXICAL_WEIGHT * support.lexical + (1 - LEXICAL_WEIGHT) * support.semantic
            if support.supporting and similarity >= threshold and contradicts(sentence, support.supporting):
                return True
        return False

    def score(self, sentence: str, n: int, language: str = "en") -> Support:
        """How well evidence chunk ``n`` (numbered from 1) supports ``sentence`` written in ``language``."""
        index = n - 1
        words = content_words(sentence)
        candidates = self.chunk_sentences[index]
        if not words or not candidates:
            return Support(n, 0.0, 0.0, 0.0, True, True, "")
        self.embed([sentence, *candidates])
        lexical = recall(words, self._chunk_words[index])
        same_language = language == self._chunk_languages[index]
        best, best_value, semantic = candidates[0], -1.0, 0.0
        for candidate in candidates:
            cosine = float(self._vectors[sentence] @ self._vectors[candidate])
            value = cosine + (recall(words, set(content_words(candidate))) if same_language else 0.0)
            semantic = max(semantic, cosine)
            if value > best_value:
                best, best_value = candidate, value
        numbers_ok = numbers_in(words) <= self._chunk_words[index] | self._question_numbers
        polarity_ok = same_polarity(sentence, best) or not same_language
        # A place, person or institution the passage and the question never mention is invented.
        names_ok = not same_language or not unknown_names(sentence, self._known[index])
        # An article is a claim about the source, not one of the user's facts: naming "Article 4" while citing
        # Article 19 (which never mentions it) is invented even when the question names Article 4.
        articles_ok = article_numbers(sentence) <= self._chunk_articles[index]
        numbers_ok = numbers_ok and names_ok and articles_ok
        semantic = self._above_floor(semantic)
        cross_ok = True
        if same_language:
            score = LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * max(semantic, 0.0)
        else:
            score = max(semantic, 0.0)
            if self._cross_model is not None:
                cross_ok = self._cross_model.accepts(self.cross_features(sentence, n, best, semantic))
        if not (numbers_ok and polarity_ok and cross_ok):
            score = 0.0
        support = Support(n, round(score, 4), round(lexical, 4), round(semantic, 4), numbers_ok, polarity_ok, best)
        return support if cross_ok else replace(support, cross_ok=False)

    def cross_features(self, sentence: str, n: int, closest: str, semantic: float) -> dict[str, float]:
        """The signals of ``rag.cross_support.CROSS_FEATURES`` for ``sentence`` against chunk ``n`` and its
        ``closest`` sentence (``semantic``: their similarity above the floor, as ``score`` gives it)."""
        margin = 0.0
        if self._question.strip():
            margin = self.cosine(sentence, self._question) - self.cosine(sentence, closest)
        return {
            "semantic": semantic,
            "question_margin": margin,
            "purity": language_purity(sentence),
            "unknown_names": float(len(unknown_names(sentence, self._known[n - 1]))),
        }


def relevance(
    text: str, question: str, scorer: SupportScorer, similarity: Callable[[str, str], float] | None = None
) -> float:
    """How well a text addresses the question: word overlap and the embedder's similarity (``scorer.cosine``
    unless ``similarity`` is given)."""
    words = content_words(question)
    lexical = recall(words, set(content_words(text)))
    return LEXICAL_WEIGHT * lexical + (1 - LEXICAL_WEIGHT) * max((similarity or scorer.cosine)(text, question), 0.0)
