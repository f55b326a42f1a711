"""The background warm-up loads what the first question and the first answer would otherwise load on first use."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from app import resources
from core import text
from core.settings import Settings
from ingestion.pipeline import Components, build_index
from rag import translate
from rag.service import WARM_UP_QUESTIONS, Assistant
from tests.fakes import KeywordScrubber, ReplayGenerator


@pytest.fixture
def cleared_resources() -> Iterator[None]:
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def test_assistant_warm_up_loads_the_language_identifier_and_the_glossary(
    settings: Settings, fake_components: Components, corpus: Path
) -> None:
    build_index([corpus], settings.index_dir, settings, fake_components, doc_type="legislation")
    assistant = Assistant(
        settings, embedder=fake_components.embedder, generator=ReplayGenerator(), store=fake_components.store
    )
    text._identifier.cache_clear()
    translate.load_glossary.cache_clear()
    translate._analyse.cache_clear()  # an earlier test may have translated the same question
    assistant.warm_up()
    assert [text.detect_language(question) for question in WARM_UP_QUESTIONS] == ["en", "it"]
    assert text._identifier.cache_info().misses == 1  # loaded by the warm-up, not by the check above
    assert translate.load_glossary.cache_info().currsize == 1


def test_scrubber_warm_up_scrubs_a_typed_text(cleared_resources: None, monkeypatch: pytest.MonkeyPatch) -> None:
    scrubber = KeywordScrubber()
    monkeypatch.setattr(resources, "build_scrubber", lambda settings: scrubber)
    resources._warm_scrubber()
    assert scrubber.calls == 1
    assert resources.get_scrubber() is scrubber  # the pages get the warmed one
