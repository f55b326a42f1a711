"""A bounded load test: 20 concurrent sessions while an editor re-indexes; no error, no mixed-up answer."""

from __future__ import annotations

import pytest

from benchmarks.load_test import run
from core.settings import Settings
from ingestion.pipeline import Components

pytestmark = pytest.mark.slow


def test_twenty_sessions_during_a_reindex(settings: Settings, fake_components: Components) -> None:
    summary = run(settings, fake_components, sessions=20, seconds=20, reindex=True)
    print(summary)
    assert summary["error_count"] == 0, summary["errors"]
    assert summary["wrong_session"] == 0
    assert summary["answers"] >= 20
    assert len(summary["generations_served"]) == 2  # answers came from the old and then the new generation
    assert summary["incomplete_generations_served"] == []
