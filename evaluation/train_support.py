"""Trains the cross-language support check (rag/cross_support.py) on the tuning split of the labelled support pairs
and writes it as JSON (rag/support_model.json).

The examples are the `tune` pairs of evaluation/support/pairs.jsonl whose sentence the scorer reads as written in
another language than its chunk; each is one row of ``CROSS_FEATURES``, labelled supported or not. The regularisation
strength and the probability threshold are chosen on held-out probabilities (stratified 5-fold cross-validation):
the threshold keeping the fewest unsupported sentences among those that still keep the supported ones the
similarity keeps, less ``MAX_RECALL_LOSS`` at most (the check only ever removes a sentence).

Usage: python -m evaluation.train_support [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from core.embedders import embedder_name, make_embedder
from core.settings import Settings, load_settings
from core.text import detect_language
from evaluation.support_eval import MemoEmbedder, load_pairs, pair_hit
from evaluation.train_ranker import fit
from rag.cross_support import CROSS_FEATURES, MODEL_PATH, CrossSupportModel
from rag.support import SupportScorer

FOLDS = 5
C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
THRESHOLDS = tuple(round(0.05 * k, 2) for k in range(1, 19))
MAX_RECALL_LOSS = 0.05  # the share of supported sentences the check may remove, of those the similarity keeps


@dataclass(frozen=True)
class Examples:
    """The cross-language tuning pairs as feature rows: labels and whether the similarity alone keeps each."""

    rows: np.ndarray
    supported: np.ndarray
    passes: np.ndarray


def cross_examples(pairs: Sequence[dict[str, Any]], embedder: Embeddings, settings: Settings) -> Examples:
    """The feature rows of the pairs the scorer checks across languages (the others never meet the model)."""
    floor = settings.calibration.for_embedder(embedder_name(embedder)).semantic_floor
    rows, supported, passes = [], [], []
    for pair in pairs:
        language = detect_language(pair["sentence"])
        if language == pair["chunk_language"]:
            continue
        scorer = SupportScorer([pair_hit(pair)], embedder, pair["question"], semantic_floor=floor)
        support = scorer.score(pair["sentence"], 1, language)
        if not support.supporting:
            continue
        features = scorer.cross_features(pair["sentence"], 1, support.supporting, support.semantic)
        rows.append([features[name] for name in CROSS_FEATURES])
        supported.append(pair["label"] == "supported")
        passes.append(support.score >= settings.retrieval.support_threshold)
    return Examples(np.asarray(rows, dtype=float), np.asarray(supported), np.asarray(passes))


def held_out(examples: Examples, c: float) -> np.ndarray:
    """Each example's probability from a model fitted on the other folds."""
    from sklearn.model_selection import StratifiedKFold

    probabilities = np.zeros(len(examples.supported))
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
    for train, test in folds.split(examples.rows, examples.supported):
        model = fit(examples.rows[train], examples.supported[train], c, CROSS_FEATURES)
        probabilities[test] = model.probability(examples.rows[test])
    return probabilities


def kept_shares(examples: Examples, probabilities: np.ndarray, threshold: float) -> tuple[float, float]:
    """(supported kept, unsupported kept) when the similarity and then the check must both accept."""
    kept = examples.passes & (probabilities >= threshold)
    return float(kept[examples.supported].mean()), float(kept[~examples.supported].mean())


def choose(examples: Examples) -> tuple[float, float, list[dict[str, float]]]:
    """The strength and threshold keeping the fewest unsupported sentences held out, within the recall budget."""
    floor = float(examples.passes[examples.supported].mean()) - MAX_RECALL_LOSS
    table: list[dict[str, float]] = []
    for c in C_GRID:
        probabilities = held_out(examples, c)
        for threshold in THRESHOLDS:
            recall, unsupported = kept_shares(examples, probabilities, threshold)
            table.append({"c": c, "threshold": threshold, "recall": round(recall, 3), "unsupported_kept": unsupported})
    feasible = [row for row in table if row["recall"] >= floor - 1e-9]
    best = min(feasible, key=lambda row: (row["unsupported_kept"], -row["recall"], row["c"]))
    return best["c"], best["threshold"], table


def train(settings: Settings, pairs_path: Path | None = None) -> CrossSupportModel:
    """The model fitted on all cross-language tuning pairs with the cross-validated strength and threshold."""
    embedder = MemoEmbedder(make_embedder(settings.embedder))
    pairs = [p for p in (load_pairs(pairs_path) if pairs_path else load_pairs()) if p["split"] == "tune"]
    examples = cross_examples(pairs, embedder, settings)
    c, threshold, table = choose(examples)
    model = fit(examples.rows, examples.supported, c, CROSS_FEATURES)
    chosen = next(row for row in table if row["c"] == c and row["threshold"] == threshold)
    report = {
        "examples": len(examples.supported),
        "supported": int(examples.supported.sum()),
        "c": c,
        "held_out_recall": chosen["recall"],
        "held_out_unsupported_kept": round(chosen["unsupported_kept"], 3),
        "similarity_alone_recall": round(float(examples.passes[examples.supported].mean()), 3),
        "similarity_alone_unsupported_kept": round(float(examples.passes[~examples.supported].mean()), 3),
    }
    return CrossSupportModel(embedder.name, model, threshold, report)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.train_support", description=__doc__)
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="where to write the model (JSON)")
    args = parser.parse_args(argv)
    model = train(load_settings())
    args.out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    print(json.dumps(model.report, indent=1))
    print(f"threshold {model.threshold} → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
