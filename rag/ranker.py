"""The learned relevance signal: per-candidate features, a logistic re-ranker over them, and learned abstention.

Abstention reads the re-ranker's best candidate and a domain classifier: a logistic regression on the question's own
embedding (the multilingual embedder's), which tells a question about this field from one about tenancy, tax or
the weather in any language the embedder reads, where retrieval scores alone could not (their best candidate is
always some passage).

All three models are logistic regressions trained by ``python -m evaluation.train_ranker`` on the tuning split only and
shipped as a JSON file of coefficients (``rag/ranker_model.json``), one per embedder: similarities mean different
things with different models, so a file trained for another embedder is not used.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import ConfigError
from rag.search import Hit

MODEL_PATH = Path(__file__).resolve().parent / "ranker_model.json"

# What each candidate is described by. Ranks enter as reciprocals (1 for the first, 0 when the search missed it);
# lexical figures are those of the question's own BM25 search, relative to its best score, so they compare across
# questions of any length.
CANDIDATE_FEATURES = (
    "dense_cosine",  # cosine of the question's own dense search (the weakest one found when it missed the chunk)
    "dense_gap",  # how far below that search's best cosine
    "dense_reciprocal_rank",
    "bm25_relative",  # BM25 score over the best BM25 score of the question
    "bm25_reciprocal_rank",
    "bm25_shared_language",  # the same, counted only when the chunk is in the question's language
    "rank_agreement",  # both searches rank it in their first ten
    "fused",  # its weighted reciprocal-rank fusion over every search of the question, over the most it could get
    "referenced",  # the question names this article (1: with its instrument, 0.5: the number alone)
    "overview",  # a preamble, a list of legal bases or a treaty's final clauses
    "restating",  # a judgment's "legal issues" or "relevance" section
    "same_language",  # the chunk is in the question's language
    "legislation",
    "handbook",
    "case_law",
)
# What a question is described by for abstention: the best candidate's features after re-ranking, how much it
# stands out, and the question itself.
QUESTION_FEATURES = (
    "top_relevance",  # the re-ranker's probability for the best candidate
    "relevance_margin",  # over the second candidate
    "top_dense_cosine",  # the best cosine of the question's own dense search
    "top_bm25_per_term",  # the best BM25 score over the number of the question's words
    "top_same_language",
    "english_question",
    "log_words",
    "domain",  # the question-embedding classifier's probability that the question is about what the index covers
)


def embedding_features(size: int) -> tuple[str, ...]:
    """The domain classifier's features: the components of the question's embedding."""
    return tuple(f"embedding_{position}" for position in range(size))


@dataclass(frozen=True)
class LogisticModel:
    """A logistic regression over standardised features: p = σ(b + Σ wᵢ (xᵢ − μᵢ) / σᵢ)."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def probability(self, rows: np.ndarray) -> np.ndarray:
        """The probability of each row (one row per candidate or question, columns as ``features``)."""
        if rows.size == 0:
            return np.zeros(len(rows))
        logits = ((rows - self.mean) / self.scale) @ self.coef + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(logits, -50.0, 50.0))))

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "coef": [round(float(v), 6) for v in self.coef],
            "intercept": round(self.intercept, 6),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], expected: Sequence[str], where: str) -> LogisticModel:
        """The model stored at ``where`` (a "file: key" for messages); its features must be ``expected``."""
        features = tuple(data.get("features", ()))
        if features != tuple(expected):
            raise ConfigError(f"{where}: features {list(features)} differ from this version's {list(expected)}")
        arrays = [np.asarray(data.get(key, ()), dtype=float) for key in ("mean", "scale", "coef")]
        if any(array.shape != (len(features),) for array in arrays) or not np.all(arrays[1] > 0):
            raise ConfigError(f"{where}: mean, scale and coef need one value per feature (scale above 0)")
        return cls(features, arrays[0], arrays[1], arrays[2], float(data.get("intercept", 0.0)))


@dataclass(frozen=True)
class RankerModel:
    """The re-ranker, the domain classifier, the abstainer and its threshold, as trained for one embedder."""

    embedder: str
    depth: int  # how many of the fused candidates are re-scored
    # Whether its order replaces the hand-weighted fusion: only when it ranked at least as well held out on the
    # tuning split (its probabilities still feed the abstainer either way).
    rerank: bool
    ranker: LogisticModel
    abstainer: LogisticModel
    domain: LogisticModel  # in scope or not, from the question's embedding (an abstainer feature)
    threshold: float  # below this probability that the best candidate answers, the question is declined
    report: dict[str, Any]  # what training measured (cross-validated on the tuning split), kept for readers

    def to_json(self) -> dict[str, Any]:
        return {
            "embedder": self.embedder,
            "depth": self.depth,
            "rerank": self.rerank,
            "threshold": round(self.threshold, 6),
            "ranker": self.ranker.to_json(),
            "abstainer": self.abstainer.to_json(),
            "domain": self.domain.to_json(),
            "report": self.report,
        }


def read_model_file(path: Path, what: str, trainer: str) -> dict[str, Any]:
    """The JSON object of a trained model file; ``what`` names the model and ``trainer`` the module that writes it.

    Raises:
        ConfigError: the file cannot be read, is not JSON, or does not hold a JSON object.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"{path}: cannot read the {what} ({type(exc).__name__}); train it: python -m {trainer}"
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the {what} must be a JSON object")
    return data


def load_model(path: Path = MODEL_PATH) -> RankerModel:
    """The trained models in ``path``.

    Raises:
        ConfigError: the file is missing, is not JSON, or does not hold the fields this version reads.
    """
    data = read_model_file(path, "re-ranker model", "evaluation.train_ranker")
    try:
        depth, threshold, rerank = int(data["depth"]), float(data["threshold"]), data["rerank"]
        ranker = LogisticModel.from_json(data["ranker"], CANDIDATE_FEATURES, f"{path}: ranker")
        abstainer = LogisticModel.from_json(data["abstainer"], QUESTION_FEATURES, f"{path}: abstainer")
        size = len(data["domain"].get("coef", ()))
        domain = LogisticModel.from_json(data["domain"], embedding_features(size), f"{path}: domain")
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: missing or invalid field {exc}") from None
    if depth < 1 or not 0.0 <= threshold <= 1.0 or not isinstance(rerank, bool):
        raise ConfigError(f"{path}: depth must be at least 1, threshold between 0 and 1, rerank true or false")
    embedder = str(data.get("embedder", ""))
    return RankerModel(embedder, depth, rerank, ranker, abstainer, domain, threshold, data.get("report", {}))


def model_for(embedder: str, path: Path = MODEL_PATH) -> RankerModel | None:
    """The shipped model when it was trained for ``embedder``; None otherwise (hand fusion and threshold apply)."""
    if not path.exists():
        return None
    model = load_model(path)
    return model if model.embedder == embedder else None


@dataclass(frozen=True)
class SearchRanks:
    """One search's ranking as the features read it: each chunk's position and score, and the best score."""

    positions: dict[str, tuple[int, float]]
    best: float
    weakest: float

    @classmethod
    def of(cls, hits: Sequence[Hit]) -> SearchRanks:
        positions = {hit.id: (rank, hit.score) for rank, hit in enumerate(hits)}
        scores = [hit.score for hit in hits]
        return cls(positions, max(scores, default=0.0), min(scores, default=0.0))


@dataclass(frozen=True)
class QueryContext:
    """What the features of one question's candidates are computed from (all of it already computed by retrieval)."""

    language: str
    words: int
    dense: SearchRanks  # the question's own dense search
    lexical: SearchRanks  # the question's own BM25 search
    fused: Mapping[str, float]
    top_fused: float  # what a chunk ranked first by every search gets
    referenced: Mapping[str, float]
    overview: frozenset[str]
    restating: frozenset[str]


def candidate_features(hits: Sequence[Hit], context: QueryContext) -> np.ndarray:
    """One row of ``CANDIDATE_FEATURES`` per hit."""
    return np.asarray([_row(hit, context) for hit in hits], dtype=float).reshape(len(hits), len(CANDIDATE_FEATURES))


def _row(hit: Hit, context: QueryContext) -> list[float]:
    dense_rank, cosine = context.dense.positions.get(hit.id, (-1, context.dense.weakest))
    lexical_rank, bm25 = context.lexical.positions.get(hit.id, (-1, 0.0))
    same_language = float(not hit.language or hit.language == context.language)
    bm25_relative = bm25 / context.lexical.best if context.lexical.best > 0 else 0.0
    return [
        cosine,
        context.dense.best - cosine,
        _reciprocal(dense_rank),
        bm25_relative,
        _reciprocal(lexical_rank),
        bm25_relative * same_language,
        float(0 <= dense_rank < 10 and 0 <= lexical_rank < 10),
        context.fused.get(hit.id, 0.0) / context.top_fused if context.top_fused > 0 else 0.0,
        context.referenced.get(hit.id, 0.0),
        float(hit.id in context.overview),
        float(hit.id in context.restating),
        same_language,
        float(hit.doc_type == "legislation"),
        float(hit.doc_type == "handbook"),
        float(hit.doc_type == "case_law"),
    ]


def _reciprocal(rank: int) -> float:
    return 1.0 / (rank + 1) if rank >= 0 else 0.0


def question_features(rows: np.ndarray, relevance: np.ndarray, context: QueryContext, domain: float) -> np.ndarray:
    """The ``QUESTION_FEATURES`` of a question from its candidates' rows, their re-ranker probabilities and the domain
    classifier's probability for the question."""
    column = {name: position for position, name in enumerate(CANDIDATE_FEATURES)}
    if len(rows) == 0:
        top_row = np.zeros(len(CANDIDATE_FEATURES))
        top, second = 0.0, 0.0
    else:
        order = np.argsort(-relevance, kind="stable")
        top_row = rows[order[0]]
        top, second = float(relevance[order[0]]), float(relevance[order[1]]) if len(order) > 1 else 0.0
    words = max(1, context.words)
    return np.asarray(
        [
            top,
            top - second,
            context.dense.best,
            context.lexical.best / words,
            float(top_row[column["same_language"]]),
            float(context.language == "en"),
            math.log(words),
            domain,
        ],
        dtype=float,
    )
