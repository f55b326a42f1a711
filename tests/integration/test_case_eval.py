"""Case-analysis quality on the labelled narratives with the real scrubber and the configured embedder."""

from __future__ import annotations

import pytest

from evaluation.case_eval import THRESHOLDS, build_analyzer, evaluate, load_cases


@pytest.mark.slow
def test_indicator_precision_recall_and_no_false_alarms() -> None:
    cases = load_cases()
    assert len(cases) >= 18
    assert sum(case["language"] == "it" for case in cases) >= 6
    assert sum(not case["trafficking"] for case in cases) >= 5
    report = evaluate(build_analyzer(None), cases)
    summary = report.summary()
    assert summary["recall"] >= THRESHOLDS["recall"], summary
    assert summary["precision"] >= THRESHOLDS["precision"], summary
    assert summary["max_indicators_without_trafficking"] <= 1, report.cases
    assert summary["element_accuracy"] >= 0.9, summary
