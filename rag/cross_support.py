"""Whether a sentence written in another language than its source is supported by it: a learned check.

Across languages word overlap says nothing, and the embedder's similarity alone keeps what a small model writes
wrongly: a sentence that restates the question in the reader's language is close to the source because the
question is; one that starts in Romanian and ends in Italian is close to an Italian source; an invented place
keeps a translation close. A logistic regression over four general signals, trained on the tuning split of
evaluation/support/pairs.jsonl (``python -m evaluation.train_support``), tells these apart:

- ``semantic``: the embedder's similarity to the closest chunk sentence, above the floor (the support score);
- ``question_margin``: its similarity to the question minus that to the closest chunk sentence (an echo is
  closer to the question than to any sentence of its source);
- ``purity``: how surely each half of the sentence is in the sentence's language (``language_purity``);
- ``unknown_names``: the names it gives that neither the chunk nor the question mention (Latin-script names keep
  their spelling across languages).

Its coefficients ship as JSON (``rag/support_model.json``), trained for one embedder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import ConfigError
from rag.ranker import LogisticModel, read_model_file

CROSS_FEATURES = ("semantic", "question_margin", "purity", "unknown_names")
MODEL_PATH = Path(__file__).resolve().parent / "support_model.json"


@dataclass(frozen=True)
class CrossSupportModel:
    """The learned check and the least probability a cross-language sentence needs, for one embedder."""

    embedder: str
    model: LogisticModel
    threshold: float
    report: dict[str, Any]

    def probability(self, features: dict[str, float]) -> float:
        """The probability that a sentence with these ``CROSS_FEATURES`` values is supported by its source."""
        row = np.asarray([[features[name] for name in CROSS_FEATURES]], dtype=float)
        return float(self.model.probability(row)[0])

    def accepts(self, features: dict[str, float]) -> bool:
        return self.probability(features) >= self.threshold

    def to_json(self) -> dict[str, Any]:
        return {
            "embedder": self.embedder,
            "threshold": round(self.threshold, 4),
            "model": self.model.to_json(),
            "report": self.report,
        }


def load_cross_model(path: Path = MODEL_PATH) -> CrossSupportModel:
    """The model stored in ``path``.

    Raises:
        ConfigError: the file is missing, is not JSON, or does not hold the fields this version reads.
    """
    data = read_model_file(path, "cross-language support model", "evaluation.train_support")
    try:
        model = LogisticModel.from_json(data["model"], CROSS_FEATURES, f"{path}: model")
        threshold = float(data["threshold"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{path}: missing or invalid field {exc}") from None
    if not 0.0 <= threshold <= 1.0:
        raise ConfigError(f"{path}: threshold must be between 0 and 1, not {threshold}")
    return CrossSupportModel(str(data.get("embedder", "")), model, threshold, dict(data.get("report", {})))


def cross_model_for(embedder: str, path: Path = MODEL_PATH) -> CrossSupportModel | None:
    """The shipped model when it was trained for ``embedder``; None otherwise (the similarity alone decides)."""
    if not path.exists():
        return None
    model = load_cross_model(path)
    return model if model.embedder == embedder else None
