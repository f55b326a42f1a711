"""The app as `make run` starts it, with the real default models, driven in headless Chromium.

The fake-backed browser test checks the page in detail; this one checks that the real embedder, index and
language model work inside the Streamlit server: sign in, ask, and an answer with its sources appears.
Timings are printed (the benchmark `python -m benchmarks.run --only app` tracks them), never asserted.
"""

from __future__ import annotations

import pytest

from benchmarks.app_bench import run
from core.settings import load_settings

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_the_real_app_answers_a_question_with_sources() -> None:
    report = run(
        load_settings(),
        treaties=("palermo_protocol_2000.md",),
        later_questions=("Is the consent of a victim relevant when deception was used?",),
        reference=False,
    )
    print(report)
    assert report["app_answers_on_screen"] == 2
    assert report["app_citations_on_screen"] >= 1
