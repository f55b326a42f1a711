"""The app's warm-up leaves the real scrubber with everything a typed question is checked against."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import streamlit as st

from app import resources
from app.audit import scrub_text
from ingestion import recognizers_names

pytestmark = pytest.mark.slow


@pytest.fixture
def cleared_resources() -> Iterator[None]:
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def test_warm_up_loads_the_name_lists_a_typed_question_needs(cleared_resources: None) -> None:
    for names in (recognizers_names.given_names, recognizers_names.surnames, recognizers_names.common_words):
        names.cache_clear()
    resources._warm_scrubber()
    assert recognizers_names.given_names.cache_info().currsize == 1
    assert recognizers_names.surnames.cache_info().currsize == 1
    scrubbed = scrub_text("what did mario rossi say about the form", resources.get_scrubber())
    assert "rossi" not in scrubbed.casefold()
