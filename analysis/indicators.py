"""Indicator detection: bilingual rules plus semantic similarity to the catalogue's examples, negation-aware."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from langchain_core.embeddings import Embeddings

from analysis.catalogue import Catalogue, Indicator
from analysis.rules import ABSENT_PATTERNS, CONTEXT, FREEDOM, STRONG_PATTERNS
from analysis.sentences import negated_before, normalise, phrase_pattern
from core.settings import IndicatorThresholds
from core.text import Sentence

Progress = Callable[[float, str], None]
EMBED_BATCH = 64
MAX_EVIDENCE = 3


# The similarities each kind of match needs; calibrated values per embedder and language are in the settings
# (calibration.embedders.<name>.indicators).
Thresholds = IndicatorThresholds


@dataclass
class IndicatorMatch:
    """An indicator found in the case, with the sentences that show it."""

    indicator: Indicator
    score: float
    evidence: list[str] = field(default_factory=list)
    sentence_indices: list[int] = field(default_factory=list)
    via: str = "rule"  # rule | keyword | semantic (how the best sentence matched)

    def to_json(self) -> dict[str, object]:
        ind = self.indicator
        return {
            "id": ind.id, "label": ind.label, "category": ind.category, "element": ind.element,
            "severity": ind.severity, "evidence": list(self.evidence), "score": round(self.score, 3), "via": self.via,
        }  # fmt: skip


def requires_child(indicator: Indicator) -> bool:
    """Indicators about children only count when the case concerns a child."""
    return indicator.category == "child" or indicator.id.startswith("child_")


class IndicatorDetector:
    """Finds catalogue indicators in the sentences of a (scrubbed) case text.

    A sentence shows an indicator when a strong bilingual rule matches with weak semantic support, when a
    catalogue keyword matches with moderate support, or when the sentence alone is very close to one of the
    indicator's examples and speaks of control or exploitation. Matches preceded by a negation ("no", "never",
    "non", "senza"…) or found in a sentence that states the indicator's absence do not count.
    """

    def __init__(self, catalogue: Catalogue, embedder: Embeddings, thresholds: Mapping[str, Thresholds]) -> None:
        self.catalogue = catalogue
        self.embedder = embedder
        self._thresholds = thresholds  # per case language, "en" for any other (EmbedderCalibration.indicators)
        self._keywords = {ind.id: tuple(phrase_pattern(k) for k in ind.keywords) for ind in catalogue.indicators}
        self._negations = {ind.id: tuple(phrase_pattern(n) for n in ind.negations) for ind in catalogue.indicators}
        self._examples: np.ndarray | None = None
        self._owner: np.ndarray | None = None  # indicator position of each example row

    def _example_matrix(self) -> tuple[np.ndarray, np.ndarray]:
        if self._examples is None or self._owner is None:
            texts: list[str] = []
            owner: list[int] = []
            for position, indicator in enumerate(self.catalogue.indicators):
                texts.extend(indicator.examples)
                owner.extend([position] * len(indicator.examples))
            self._examples = _unit(np.asarray(self.embedder.embed_documents(texts), dtype=np.float32))
            self._owner = np.asarray(owner)
        return self._examples, self._owner

    def similarities(self, sentences: Sequence[Sentence], progress: Progress | None = None) -> np.ndarray:
        """Best cosine similarity of every sentence to every indicator's examples: shape (sentences, indicators)."""
        examples, owner = self._example_matrix()
        count = len(self.catalogue.indicators)
        result = np.zeros((len(sentences), count), dtype=np.float32)
        for start in range(0, len(sentences), EMBED_BATCH):
            batch = [sentence.text for sentence in sentences[start : start + EMBED_BATCH]]
            vectors = _unit(np.asarray(self.embedder.embed_documents(batch), dtype=np.float32))
            scores = vectors @ examples.T
            for position in range(count):
                result[start : start + len(batch), position] = scores[:, owner == position].max(axis=1)
            if progress is not None:
                done = min(start + EMBED_BATCH, len(sentences))
                progress(done / max(len(sentences), 1), f"compared {done} of {len(sentences)} sentences")
        return result

    def thresholds(self, language: str) -> Thresholds:
        """The thresholds for the case's language (the English ones for other languages)."""
        return self._thresholds.get(language, self._thresholds["en"])

    def detect(
        self,
        sentences: Sequence[Sentence],
        *,
        child: bool = False,
        language: str = "en",
        progress: Progress | None = None,
    ) -> list[IndicatorMatch]:
        """The indicators shown by these sentences, in catalogue order, each with its best evidence.

        Args:
            sentences: the case's sentences (already scrubbed).
            child: whether the case concerns a child; child-specific indicators need it.
            language: "en" or "it", choosing the calibrated thresholds.
            progress: called with (fraction done, message) while sentences are embedded.
        """
        if not sentences:
            return []
        similarity = self.similarities(sentences, progress)
        limits = self.thresholds(language)
        hits: dict[str, list[tuple[float, int, str]]] = {}  # indicator id -> (score, row, via)
        for row, sentence in enumerate(sentences):
            text = normalise(sentence.text)
            freedom = FREEDOM.search(text) is not None
            context = CONTEXT.search(text) is not None
            sentence_negated = negated_before(text, len(text), window=len(text))
            for position, indicator in enumerate(self.catalogue.indicators):
                if requires_child(indicator) and not child:
                    continue
                verdict = self._judge(
                    indicator, text, float(similarity[row, position]), limits, (freedom, context, sentence_negated)
                )
                if verdict is not None:
                    hits.setdefault(indicator.id, []).append((verdict[0], row, verdict[1]))
        matches = []
        for indicator in self.catalogue.indicators:
            if indicator.id not in hits:
                continue
            ranked = sorted(hits[indicator.id], key=lambda item: (-item[0], item[1]))[:MAX_EVIDENCE]
            matches.append(
                IndicatorMatch(
                    indicator,
                    score=ranked[0][0],
                    evidence=[sentences[row].text for _, row, _ in ranked],
                    sentence_indices=[sentences[row].index for _, row, _ in ranked],
                    via=ranked[0][2],
                )
            )
        return matches

    def _judge(
        self, indicator: Indicator, text: str, similarity: float, limits: Thresholds, flags: tuple[bool, bool, bool]
    ) -> tuple[float, str] | None:
        freedom, context, negated = flags
        if _matches(self._negations[indicator.id], text) or any(
            p.search(text) for p in ABSENT_PATTERNS.get(indicator.id, ())
        ):
            return None
        if _matches(STRONG_PATTERNS.get(indicator.id, ()), text) and similarity >= limits.strong:
            return min(1.0, similarity + 0.3), "rule"
        if freedom or not context:
            return None
        if _matches(self._keywords[indicator.id], text) and similarity >= limits.keyword:
            return min(1.0, similarity + 0.1), "keyword"
        if similarity >= limits.semantic and not negated:
            return similarity, "semantic"
        return None


def _matches(patterns: Sequence[re.Pattern[str]], text: str) -> bool:
    """Whether any pattern matches at a place not preceded by a negation cue.

    Also used for the catalogue's negation phrases, so that "non parla italiano" does not cancel itself out.
    """
    for pattern in patterns:
        for match in pattern.finditer(text):
            if not negated_before(text, match.start()):
                return True
    return False


def _unit(matrix: np.ndarray) -> np.ndarray:
    if matrix.size == 0:
        return matrix
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)
