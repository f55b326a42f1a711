"""Trains the learned re-ranker and abstainer on the tuning split only and writes them as JSON (rag/ranker_model.json).

The examples are the `tune` questions of dev.jsonl and multilingual.jsonl over the evaluation index, plus the
knowledge-base tuning questions (the same questions, gold narrowed) over the index of knowledge_base/ alone. Each
candidate a question's searches find (the best `depth` by fusion) is one row of `rag.ranker.CANDIDATE_FEATURES`,
labelled by whether it is a gold location; the domain classifier learns from the evaluation-index questions'
embeddings. Hyper-parameters are chosen by cross-validation grouped by question (a question and its knowledge-base
twin share a fold); the abstainer learns from the re-ranker's and the domain classifier's held-out probabilities, so
it sees what an unseen question gets, and its threshold is calibrated on its own held-out probabilities.

Usage: python -m evaluation.train_ranker [--out PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from core.embedders import embedder_name
from core.errors import InputError
from core.settings import Settings, load_settings
from evaluation.retrieval_eval import QuestionResult, calibrate, cross_validate, is_gold, load_questions
from rag.fusion import OVERVIEW_WEIGHT, RESTATING_WEIGHT
from rag.ranker import (
    CANDIDATE_FEATURES,
    MODEL_PATH,
    QUESTION_FEATURES,
    LogisticModel,
    QueryContext,
    RankerModel,
    embedding_features,
    question_features,
)
from rag.retrieve import RESCORED, TOO_FAR, HybridRetriever
from rag.search import Filters
from rag.types import Turn
from rag.validate import clean_question

if TYPE_CHECKING:
    from rag.service import Assistant

FOLDS = 5
# Inverse regularisation strengths tried for each model.
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)


@dataclass
class Example:
    """One tuning question: its candidates' feature rows, which are gold, and its coverage flags."""

    id: str
    language: str
    answerable: bool
    guarded: bool  # declined by a guard that is not the learned signal (foreign law, unknown name)
    named: bool  # names an instrument or judgment the index holds: never declined on relevance
    rows: np.ndarray
    gold: np.ndarray
    keys: list[tuple[str, str]]  # (source, section) per candidate: one retrieved hit per article after merging
    context: QueryContext
    embedding: np.ndarray  # the question's (resolved against its history) as the dense search embeds it

    @property
    def fold(self) -> int:
        return int(hashlib.sha256(self.id.encode("utf-8")).hexdigest(), 16) % FOLDS


def collect(retriever: HybridRetriever, questions: Sequence[dict[str, Any]], limit: int) -> list[Example]:
    """The examples of a question set (questions the assistant refuses as input are left out)."""
    examples = []
    for item in questions:
        try:
            question = clean_question(item["question"], limit)
        except InputError:
            continue
        history = [Turn(**turn) for turn in item.get("history", [])]
        found = retriever.candidates(question, filters=Filters(), history=history)
        chosen, rows, context = retriever.rescore(found)
        hits = [found.hits[hit_id] for hit_id in chosen]
        gold = np.asarray([item["answerable"] and is_gold(hit, item["gold"]) for hit in hits], dtype=bool)
        reason = retriever.not_covered(question, 0.0, None, named=found.named)
        guarded = bool(reason) and reason != TOO_FAR
        keys = [(hit.source, hit.section) for hit in hits]
        answerable = bool(item["answerable"])
        embedding = np.asarray(retriever.snapshot.embed_query(found.query), dtype=float)
        examples.append(
            Example(
                item["id"], item["language"], answerable, guarded, found.named, rows, gold, keys, context, embedding
            )
        )
    return examples


def fit(rows: np.ndarray, labels: np.ndarray, c: float, names: tuple[str, ...]) -> LogisticModel:
    """A logistic regression on standardised rows (constant columns keep scale 1)."""
    from sklearn.linear_model import LogisticRegression

    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    model = LogisticRegression(C=c, max_iter=2000).fit((rows - mean) / scale, labels)
    return LogisticModel(names, mean, scale, model.coef_[0].copy(), float(model.intercept_[0]))


def gold_rank(scores: np.ndarray, example: Example) -> int | None:
    """The first gold rank once candidates are ordered by score and merged by article, as retrieval returns them."""
    seen: list[tuple[str, str]] = []
    for position in np.argsort(-scores, kind="stable"):
        key = example.keys[position]
        if key not in seen:
            seen.append(key)
        if example.gold[position]:
            return seen.index(key) + 1
    return None


def figures(ranks: Sequence[int | None]) -> dict[str, float]:
    count = max(1, len(ranks))
    return {
        "recall_at_1": round(sum(rank == 1 for rank in ranks) / count, 4),
        "recall_at_5": round(sum(rank is not None and rank <= 5 for rank in ranks) / count, 4),
        "mrr": round(sum(1 / rank for rank in ranks if rank) / count, 4),
    }


def fit_ranker(examples: Sequence[Example], c: float, names: tuple[str, ...]) -> LogisticModel:
    """A pairwise re-ranker: a logistic regression on the differences between each question's gold candidates and
    its others (every question weighing the same), then scaled so that it gives the probability of being gold.

    Fitting pairs rather than single candidates learns what puts the right article above the others of the same
    question, which is what ranking needs; the scaling (Platt's) makes its output comparable across questions.
    """
    from sklearn.linear_model import LogisticRegression

    usable = [e for e in examples if e.gold.any() and not e.gold.all()]
    rows = np.vstack([e.rows for e in usable])
    mean, scale = rows.mean(axis=0), rows.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    differences, weights = [], []
    for example in usable:
        standard = (example.rows - mean) / scale
        pairs = (standard[example.gold][:, None, :] - standard[~example.gold][None, :, :]).reshape(-1, len(names))
        differences.append(pairs)
        weights.append(np.full(len(pairs), 1.0 / len(pairs)))
    pairs, weight = np.vstack(differences), np.concatenate(weights)
    pairwise = LogisticRegression(C=c, fit_intercept=False, max_iter=2000)
    pairwise.fit(np.vstack([pairs, -pairs]), np.r_[np.ones(len(pairs)), np.zeros(len(pairs))], np.r_[weight, weight])
    direction = pairwise.coef_[0]
    score = ((rows - mean) / scale) @ direction
    platt = LogisticRegression(max_iter=2000).fit(score[:, None], np.concatenate([e.gold for e in usable]))
    return LogisticModel(names, mean, scale, direction * platt.coef_[0][0], float(platt.intercept_[0]))


def held_out_relevance(examples: Sequence[Example], c: float, names: tuple[str, ...]) -> list[np.ndarray]:
    """Each example's candidate probabilities from a re-ranker trained on the other folds."""
    relevance: list[np.ndarray] = [np.zeros(0)] * len(examples)
    for fold in range(FOLDS):
        model = fit_ranker([e for e in examples if e.fold != fold], c, names)
        for position, example in enumerate(examples):
            if example.fold == fold:
                relevance[position] = model.probability(example.rows)
    return relevance


def hand_weighted(rows: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """The candidates' fused scores with the hand-set section weights, as retrieval orders them without a model."""
    overview, restating = rows[:, names.index("overview")] > 0, rows[:, names.index("restating")] > 0
    weights = np.where(overview, OVERVIEW_WEIGHT, np.where(restating, RESTATING_WEIGHT, 1.0))
    return np.asarray(rows[:, names.index("fused")] * weights)


def choose_ranker(examples: Sequence[Example], names: tuple[str, ...]) -> tuple[float, dict[str, Any]]:
    """The C whose held-out recall@1 (then MRR) is best, with every C's figures beside the fused order's."""
    answerable = [e for e in examples if e.answerable]
    fused_column = names.index("fused")
    table: dict[str, Any] = {
        "fused_order": figures([gold_rank(e.rows[:, fused_column], e) for e in answerable]),
        "hand_order": figures([gold_rank(hand_weighted(e.rows, names), e) for e in answerable]),
    }
    best: tuple[tuple[float, float], float] = ((-1.0, -1.0), C_GRID[0])
    for c in C_GRID:
        relevance = held_out_relevance(answerable, c, names)
        result = figures([gold_rank(scores, e) for scores, e in zip(relevance, answerable, strict=True)])
        table[f"C={c}"] = result
        best = max(best, ((result["recall_at_1"], result["mrr"]), c))
    return best[1], table


def abstention_results(examples: Sequence[Example], confidence: np.ndarray) -> list[QuestionResult]:
    """The examples as the calibration reads them, the abstainer's probability in place of the similarity."""
    return [
        QuestionResult(e.id, e.language, e.answerable, None, True, 0.0, 0.0, e.named, e.guarded, confidence=float(p))
        for e, p in zip(examples, confidence, strict=True)
    ]


def held_out_domain(examples: Sequence[Example], c: float) -> np.ndarray:
    """Each example's in-scope probability from a domain classifier trained on the other folds."""
    embeddings = np.vstack([e.embedding for e in examples])
    labels = np.asarray([e.answerable for e in examples])
    folds = np.asarray([e.fold for e in examples])
    names = embedding_features(embeddings.shape[1])
    domain = np.zeros(len(examples))
    for fold in range(FOLDS):
        model = fit(embeddings[folds != fold], labels[folds != fold], c, names)
        domain[folds == fold] = model.probability(embeddings[folds == fold])
    return domain


def train_domain(examples: Sequence[Example]) -> tuple[LogisticModel, np.ndarray, dict[str, Any]]:
    """The domain classifier (C by held-out log-likelihood), each example's held-out probability, and the figures."""
    labels = np.asarray([e.answerable for e in examples])
    table: dict[str, float] = {}
    best: tuple[float, float, np.ndarray] = (-np.inf, C_GRID[0], np.zeros(len(examples)))
    for c in C_GRID:
        domain = held_out_domain(examples, c)
        log_likelihood = float(np.mean(np.log(np.where(labels, domain, 1 - domain).clip(1e-9))))
        table[f"C={c}"] = round(log_likelihood, 4)
        best = max(best, (log_likelihood, c, domain), key=lambda entry: entry[0])
    _, c, domain = best
    embeddings = np.vstack([e.embedding for e in examples])
    model = fit(embeddings, labels, c, embedding_features(embeddings.shape[1]))
    return model, domain, {"C": c, "held_out_log_likelihood": table}


def train_abstainer(
    examples: Sequence[Example], relevance: Sequence[np.ndarray], domain: np.ndarray, names: tuple[str, ...]
) -> tuple[LogisticModel, float, dict[str, Any]]:
    """The abstainer (on the questions only relevance can decline), its threshold and the cross-validated figures.

    Args:
        examples: the tuning questions over the evaluation index.
        relevance: each example's held-out re-ranker probabilities.
        domain: each example's held-out domain probability.
        names: the question features' names.
    """
    rows = np.vstack(
        [question_features(e.rows, r, e.context, float(d)) for e, r, d in zip(examples, relevance, domain, strict=True)]
    )
    labels = np.asarray([e.answerable for e in examples])
    exposed = np.asarray([not e.guarded and not e.named for e in examples])
    folds = np.asarray([e.fold for e in examples])
    best: tuple[float, float, np.ndarray] = (-np.inf, C_GRID[0], np.zeros(len(examples)))
    for c in C_GRID:
        confidence = np.zeros(len(examples))
        for fold in range(FOLDS):
            train = exposed & (folds != fold)
            confidence[folds == fold] = fit(rows[train], labels[train], c, names).probability(rows[folds == fold])
        chosen = confidence[exposed]
        log_likelihood = float(np.mean(np.log(np.where(labels[exposed], chosen, 1 - chosen).clip(1e-9))))
        best = max(best, (log_likelihood, c, confidence), key=lambda entry: entry[0])
    log_likelihood, c, held_out = best
    results = abstention_results(examples, held_out)
    calibration = calibrate(results)
    report = {
        "C": c,
        "held_out_log_likelihood": round(log_likelihood, 4),
        "threshold_on_held_out_probabilities": calibration,
        "cross_validated": cross_validate(results, FOLDS),
    }
    return fit(rows[exposed], labels[exposed], c, names), float(calibration["threshold"]), report


def train(settings: Settings) -> RankerModel:
    """Collect the tuning examples over both evaluation indexes and fit the models on them."""
    from evaluation.eval_index import ensure_eval_index, ensure_kb_index
    from evaluation.kb_eval import kb_tuning_questions
    from evaluation.run import SETS
    from rag.service import Assistant

    limit = settings.retrieval.max_question_chars
    questions = [q for path in SETS.values() for q in load_questions(path, split="tune")]
    assistant = Assistant.from_settings(settings, ensure_eval_index(settings)[0])
    examples = collect(retriever_for(assistant), questions, limit)
    kb = Assistant.from_settings(settings, ensure_kb_index(settings)[0])
    kb_examples = collect(retriever_for(kb), kb_tuning_questions(), limit)
    return fit_models(examples, kb_examples, embedder_name(assistant.embedder))


def fit_models(examples: Sequence[Example], kb_examples: Sequence[Example], embedder: str) -> RankerModel:
    """Both models, their hyper-parameters chosen by grouped cross-validation, and what that measured.

    Args:
        examples: the tuning questions over the evaluation index (the re-ranker and the abstainer learn from them).
        kb_examples: the knowledge-base tuning questions over the index of knowledge_base/ alone (the re-ranker
            only: they are all answerable).
        embedder: the embedder the examples' similarities come from.
    """
    c, table = choose_ranker([*examples, *kb_examples], CANDIDATE_FEATURES)
    ranker = fit_ranker([*examples, *kb_examples], c, CANDIDATE_FEATURES)
    relevance = held_out_relevance(examples, c, CANDIDATE_FEATURES)
    domain_model, domain, domain_report = train_domain(examples)
    abstainer, threshold, abstention = train_abstainer(examples, relevance, domain, QUESTION_FEATURES)
    report = {
        "trained_on": "tune split of dev.jsonl and multilingual.jsonl; knowledge-base tuning questions",
        "questions": len(examples),
        "kb_questions": len(kb_examples),
        "ranker": {"C": c, "held_out": table},
        "domain": domain_report,
        "abstainer": abstention,
    }
    learned, hand = table[f"C={c}"], table["hand_order"]
    rerank = (learned["recall_at_1"], learned["mrr"]) >= (hand["recall_at_1"], hand["mrr"])
    return RankerModel(embedder, RESCORED, rerank, ranker, abstainer, domain_model, threshold, report)


def retriever_for(assistant: Assistant) -> HybridRetriever:
    """A retriever of the assistant's index without any model and without the similarity threshold."""
    return HybridRetriever(assistant.snapshot(), assistant.settings.retrieval, -1.0)


def main(argv: Sequence[str] | None = None) -> int:
    import json

    parser = argparse.ArgumentParser(prog="python -m evaluation.train_ranker", description=__doc__)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    model = train(load_settings())
    args.out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    print(json.dumps(model.report, indent=1))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
