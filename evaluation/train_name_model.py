"""Trains the scrubber's learned name reader on the benchmark's tuning split only; writes ingestion/name_model.json.

Every candidate token (``is_candidate``) of a tuning record is one row of ``ingestion.name_classifier.FEATURES``,
labelled by whether it lies in a labelled PERSON span (tokens of places, organisations and titles are negatives,
as are ordinary words). The regularisation strength is chosen by 5-fold cross-validation grouped by record, and the
probability threshold is the one that maximises F2 on the held-out probabilities, so it is set on what unseen records
get. The test split is never read here.

Usage: python -m evaluation.train_name_model [--out PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from core.settings import ScrubbingSettings
from evaluation.pii_benchmark import DATA, Record, load_records
from ingestion.name_classifier import MODEL_PATH, NameModel, is_candidate, token_rows
from ingestion.scrub import build_analyzer

FOLDS = 5
C_GRID = (0.01, 0.1, 1.0, 10.0)
# The threshold maximises F2 on held-out tokens, as pii_eval scores the scrubber: a missed name leaks, a word taken
# for a name only costs a word.
BETA = 2.0


def token_examples(records: Sequence[Record]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Feature rows, labels (in a PERSON span) and fold numbers (by record) of the candidate tokens of ``records``."""
    analyzer = build_analyzer(ScrubbingSettings())
    rows: list[list[float]] = []
    labels: list[bool] = []
    folds: list[int] = []
    for record in records:
        doc = analyzer.nlp_engine.process_text(record.text, "en").tokens
        people = [(start, end) for start, end, kind in record.critical if kind == "PERSON"]
        fold = int(hashlib.sha256(record.id.encode()).hexdigest(), 16) % FOLDS
        for token, row in zip(doc, token_rows(doc), strict=True):
            if not is_candidate(token):
                continue
            end = token.idx + len(token.text)
            rows.append(row)
            labels.append(any(s < end and token.idx < e for s, e in people))
            folds.append(fold)
    return np.asarray(rows, dtype=float), np.asarray(labels, dtype=bool), np.asarray(folds)


def fit(rows: np.ndarray, labels: np.ndarray, c: float) -> NameModel:
    """A logistic regression on standardised rows (constant columns keep scale 1), threshold 0.5 for now."""
    from sklearn.linear_model import LogisticRegression

    mean = rows.mean(axis=0)
    scale = rows.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    model = LogisticRegression(C=c, max_iter=3000).fit((rows - mean) / scale, labels)
    return NameModel(
        tuple(mean.tolist()), tuple(scale.tolist()), tuple(model.coef_[0].tolist()), float(model.intercept_[0]), 0.5
    )


def held_out(rows: np.ndarray, labels: np.ndarray, folds: np.ndarray, c: float) -> np.ndarray:
    """Each row's probability from a model trained on the other folds."""
    probabilities = np.zeros(len(rows))
    for fold in range(FOLDS):
        inside = folds == fold
        model = fit(rows[~inside], labels[~inside], c)
        probabilities[inside] = model.probabilities(rows[inside].tolist())
    return probabilities


def best_threshold(probabilities: np.ndarray, labels: np.ndarray, beta: float = 1.0) -> tuple[float, float]:
    """The threshold with the highest F-beta on these probabilities, and that score (beta 2: recall weighs double)."""
    best = (0.5, 0.0)
    for threshold in np.arange(0.1, 0.95, 0.025):
        predicted = probabilities >= threshold
        hits = float((predicted & labels).sum())
        score = (1 + beta**2) * hits / max(1.0, float(predicted.sum() + beta**2 * labels.sum()))
        if score > best[1]:
            best = (float(threshold), score)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: train on the tuning split, print the cross-validated F-beta per C, write the model."""
    parser = argparse.ArgumentParser(prog="python -m evaluation.train_name_model", description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA, help="the benchmark's synth_dataset_v2.json")
    parser.add_argument("--out", type=Path, default=MODEL_PATH, help="where to write the model")
    parser.add_argument("--beta", type=float, default=BETA, help="the F-beta the threshold maximises")
    args = parser.parse_args(argv)
    if not args.data.is_file():
        print(f"{args.data}: benchmark file not found (see ../shared/pii_benchmark/README.md)", file=sys.stderr)
        return 2
    rows, labels, folds = token_examples([record for record in load_records(args.data) if not record.is_test])
    scores = {}
    for c in C_GRID:
        scores[c] = best_threshold(held_out(rows, labels, folds, c), labels, args.beta)
        print(f"C={c}: held-out F{args.beta:g} {scores[c][1]:.3f} at threshold {scores[c][0]:.3f}")
    c = max(C_GRID, key=lambda value: scores[value][1])
    fitted = fit(rows, labels, c)
    model = NameModel(fitted.mean, fitted.scale, fitted.coef, fitted.intercept, scores[c][0])
    args.out.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    print(f"{args.out}: C={c}, threshold {scores[c][0]:.3f}, {len(rows)} tokens, {int(labels.sum())} in names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
