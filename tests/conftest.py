"""Shared fixtures: settings on temporary folders, fake components, and the shared treaty corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT, Settings, load_settings
from core.store import ChromaStore
from ingestion.pipeline import Components
from tests.fakes import HashEmbedder, KeywordScrubber

CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"
TEST_CONFIG = PROJECT_ROOT / "config" / "test.yaml"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(TEST_CONFIG, paths={"index": tmp_path / "index", "data": tmp_path / "data"})


@pytest.fixture
def fake_components(settings: Settings) -> Components:
    return Components(HashEmbedder(), KeywordScrubber(), ChromaStore(settings.vector_store))


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"treaty corpus not found at {CORPUS} (it lies beside the project root in ../shared/corpus)")
    return CORPUS
