"""The network test set through the real scrubber: links against the gold, and no raw value in the workspace."""

from __future__ import annotations

import pytest

from core.settings import PROJECT_ROOT
from evaluation.network_eval import THRESHOLDS, evaluate


@pytest.mark.slow
def test_network_links_and_leaks_meet_their_thresholds() -> None:
    report = evaluate(config=PROJECT_ROOT / "config" / "test.yaml")
    assert report["leaks"] == []
    assert report["test"]["precision"] >= THRESHOLDS["precision"], report["extra_links"]
    assert report["test"]["recall"] >= THRESHOLDS["recall"], report["missed_links"]
    assert report["all"]["precision"] >= THRESHOLDS["precision"] and report["all"]["recall"] >= THRESHOLDS["recall"]
    assert report["missed_patterns"] == []
    routes = report["routes"]["test"]
    assert routes["precision"] >= THRESHOLDS["route_precision"] and routes["recall"] >= THRESHOLDS["route_recall"]
    assert len(report["networks"]) == 4
    timeline = report["timeline"]  # the test cases' dates of events, never a date of birth (those are secrets)
    assert timeline["precision"] >= THRESHOLDS["timeline_precision"], report["timeline_extra"]
    assert timeline["recall"] >= THRESHOLDS["timeline_recall"]
