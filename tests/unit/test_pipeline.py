"""Index builds with fake models and the real Chroma store: incremental, atomic, and safe with bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.errors import IndexUnavailableError, IngestionError
from core.index_files import current_generation, generations_dir
from core.settings import Settings
from ingestion.generations import build_lock
from ingestion.pipeline import Components, build_index
from rag.search import open_index

LAW = """---
title: Test Protocol
jurisdiction: EU
---
# Test Protocol

Article 1 – Purpose
This Protocol protects children from trafficking and exploitation of every kind.

Article 2 – Definitions
A child means any person under eighteen years of age. Recruitment includes transfer and harbouring.
"""

CASE = """---
title: Fictional case of Maria Rossi
---
# Fictional case

## Facts
Maria Rossi, aged 15, was recruited online by Ion Popescu. Rossi was moved to Milan.

## Outcome
The court convicted the recruiter of trafficking in children.
"""


def _kb(root: Path) -> Path:
    (root / "legislation").mkdir(parents=True)
    (root / "case_law").mkdir(parents=True)
    (root / "legislation" / "protocol.md").write_text(LAW, encoding="utf-8")
    (root / "case_law" / "case.md").write_text(CASE, encoding="utf-8")
    return root


def _snapshot(settings: Settings, components: Components):  # type: ignore[no-untyped-def]
    return open_index(settings.index_dir, components.store, components.embedder.embed_query)


def test_build_indexes_every_document_with_citation_metadata(
    tmp_path: Path, settings: Settings, fake_components: Components
) -> None:
    report = build_index([_kb(tmp_path / "kb")], settings.index_dir, settings, fake_components)
    assert report.count("indexed") == 2 and not report.failed
    snapshot = _snapshot(settings, fake_components)
    sections = {hit.section for hit in snapshot.chunks({"source": "legislation/protocol.md"})}
    assert any(section.startswith("Article 2") for section in sections)
    hit = snapshot.dense_search("child under eighteen years", k=1)[0]
    assert hit.doc_type == "legislation" and hit.title == "Test Protocol"
    assert snapshot.lexical_search("harbouring", k=3)[0].section.startswith("Article 2")


def test_case_law_is_scrubbed_and_legislation_is_not(
    tmp_path: Path, settings: Settings, fake_components: Components
) -> None:
    report = build_index([_kb(tmp_path / "kb")], settings.index_dir, settings, fake_components)
    case = next(r for r in report.files if r.source == "case_law/case.md")
    assert case.scrubbed == {"PERSON": 4}
    folder = generations_dir(settings.index_dir) / str(report.generation)
    stored = (folder / "chunks.jsonl").read_text(encoding="utf-8") + (folder / "manifest.json").read_text()
    assert "Rossi" not in stored and "Popescu" not in stored
    assert "<PERSON_1>" in stored and "Fictional case of <PERSON_1>" in stored
    assert "eighteen years" in stored  # legislation kept verbatim


def test_unchanged_sources_do_not_create_a_generation(
    tmp_path: Path, settings: Settings, fake_components: Components
) -> None:
    kb = _kb(tmp_path / "kb")
    first = build_index([kb], settings.index_dir, settings, fake_components)
    embedded = fake_components.embedder.texts_embedded  # type: ignore[attr-defined]
    second = build_index([kb], settings.index_dir, settings, fake_components)
    assert second.up_to_date and second.generation == first.generation
    assert fake_components.embedder.texts_embedded == embedded  # type: ignore[attr-defined]


def test_changed_file_is_replaced_and_deleted_file_removed(
    tmp_path: Path, settings: Settings, fake_components: Components
) -> None:
    kb = _kb(tmp_path / "kb")
    build_index([kb], settings.index_dir, settings, fake_components)
    before = fake_components.embedder.texts_embedded  # type: ignore[attr-defined]
    (kb / "legislation" / "protocol.md").write_text(LAW.replace("eighteen", "EIGHTEEN-CHANGED"), encoding="utf-8")
    (kb / "case_law" / "case.md").unlink()
    report = build_index([kb], settings.index_dir, settings, fake_components)
    assert {(r.source, r.status) for r in report.files} == {
        ("legislation/protocol.md", "indexed"),
        ("case_law/case.md", "removed"),
    }
    snapshot = _snapshot(settings, fake_components)
    texts = " ".join(hit.text for hit in snapshot.chunks())
    assert "EIGHTEEN-CHANGED" in texts and "recruited online" not in texts
    # only the changed document was embedded again
    assert fake_components.embedder.texts_embedded - before == len(snapshot.chunks())  # type: ignore[attr-defined]


def test_unchanged_documents_keep_their_vectors_across_generations(
    tmp_path: Path, settings: Settings, fake_components: Components
) -> None:
    kb = _kb(tmp_path / "kb")
    build_index([kb], settings.index_dir, settings, fake_components)
    (kb / "handbook").mkdir()
    (kb / "handbook" / "guide.md").write_text("# Guide\n\n## Age\nTreat a person as a child when in doubt.\n")
    report = build_index([kb], settings.index_dir, settings, fake_components)
    assert report.count("unchanged") == 2 and report.count("indexed") == 1
    hit = _snapshot(settings, fake_components).dense_search("Recruitment includes transfer and harbouring", k=1)[0]
    assert hit.source == "legislation/protocol.md"


def test_bad_file_is_reported_and_others_indexed(
    tmp_path: Path, settings: Settings, fake_components: Components
) -> None:
    kb = _kb(tmp_path / "kb")
    (kb / "legislation" / "broken.pdf").write_bytes(b"\x00\x01 this is not a pdf at all")
    report = build_index([kb], settings.index_dir, settings, fake_components)
    assert report.count("indexed") == 2
    [failed] = report.failed
    assert failed.source == "legislation/broken.pdf" and "legislation/broken.pdf" in failed.reason


def test_previous_version_survives_when_its_update_is_broken(
    tmp_path: Path, settings: Settings, fake_components: Components
) -> None:
    kb = _kb(tmp_path / "kb")
    build_index([kb], settings.index_dir, settings, fake_components)
    (kb / "legislation" / "protocol.md").write_bytes(b"")
    report = build_index([kb], settings.index_dir, settings, fake_components)
    [failed] = report.failed
    assert "previously indexed version is kept" in failed.reason
    sources = {hit.source for hit in _snapshot(settings, fake_components).chunks()}
    assert "legislation/protocol.md" in sources


class _CrashError(Exception):
    pass


class _CrashingEmbedder:
    """Fails on the n-th batch, like a process killed in the middle of a build."""

    def __init__(self, inner, fail_on: int) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.fail_on, self.calls, self.name = inner, fail_on, 0, inner.name

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        if self.calls == self.fail_on:
            raise _CrashError("killed")
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def test_crash_mid_build_leaves_previous_generation_serving(
    tmp_path: Path, settings: Settings, fake_components: Components
) -> None:
    kb = _kb(tmp_path / "kb")
    first = build_index([kb], settings.index_dir, settings, fake_components)
    for name in ("a", "b", "c"):
        (kb / "case_law" / f"{name}.md").write_text(f"# Case {name}\n\n## Facts\nForced begging case {name}.\n")
    crashing = Components(
        _CrashingEmbedder(fake_components.embedder, 2), fake_components.scrubber, fake_components.store
    )  # type: ignore[arg-type]
    with pytest.raises(_CrashError):
        build_index([kb], settings.index_dir, settings, crashing)
    assert current_generation(settings.index_dir) == first.generation
    assert len(_snapshot(settings, fake_components).chunks()) > 0
    leftovers = [p.name for p in generations_dir(settings.index_dir).iterdir()]
    assert len(leftovers) == 2  # the half-written generation is still on disk, unused
    report = build_index([kb], settings.index_dir, settings, fake_components)
    assert report.count("indexed") == 3 and current_generation(settings.index_dir) == report.generation
    assert all((p / "COMPLETE").exists() for p in generations_dir(settings.index_dir).iterdir())


def test_corrupted_index_is_reported_with_how_to_rebuild(
    tmp_path: Path, settings: Settings, fake_components: Components
) -> None:
    report = build_index([_kb(tmp_path / "kb")], settings.index_dir, settings, fake_components)
    folder = generations_dir(settings.index_dir) / str(report.generation)
    (folder / "manifest.json").write_text("{ not json", encoding="utf-8")
    with pytest.raises(IndexUnavailableError, match="corrupted.*rebuild"):
        _snapshot(settings, fake_components)


def test_missing_index_says_how_to_build(settings: Settings, fake_components: Components) -> None:
    with pytest.raises(IndexUnavailableError, match="no index.*build"):
        _snapshot(settings, fake_components)


def test_second_concurrent_build_is_refused(tmp_path: Path, settings: Settings, fake_components: Components) -> None:
    with build_lock(settings.index_dir), pytest.raises(IngestionError, match="another build"):
        build_index([_kb(tmp_path / "kb")], settings.index_dir, settings, fake_components)


def test_remove_drops_a_document(tmp_path: Path, settings: Settings, fake_components: Components) -> None:
    kb = _kb(tmp_path / "kb")
    build_index([kb], settings.index_dir, settings, fake_components)
    report = build_index([kb], settings.index_dir, settings, fake_components, remove=["case_law/case.md"])
    assert [(r.source, r.status) for r in report.files if r.status == "removed"] == [("case_law/case.md", "removed")]
    manifest = json.loads((generations_dir(settings.index_dir) / str(report.generation) / "manifest.json").read_text())
    assert list(manifest["documents"]) == ["legislation/protocol.md"]


def test_documents_from_another_source_folder_are_left_alone(
    tmp_path: Path, settings: Settings, fake_components: Components
) -> None:
    kb = _kb(tmp_path / "kb")
    uploads = tmp_path / "uploads" / "handbook"
    uploads.mkdir(parents=True)
    (uploads / "note.md").write_text("# Note\n\nGuardianship for unaccompanied children starts at once.\n")
    build_index([kb, tmp_path / "uploads"], settings.index_dir, settings, fake_components)
    report = build_index([kb], settings.index_dir, settings, fake_components)
    assert report.up_to_date
    sources = {hit.source for hit in _snapshot(settings, fake_components).chunks()}
    assert "handbook/note.md" in sources
