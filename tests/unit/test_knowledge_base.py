"""The shipped knowledge base: every document's front-matter is complete for its type, and the catalogue loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.catalogue import load_catalogue
from core.settings import PROJECT_ROOT
from ingestion.frontmatter import split_front_matter

KB = PROJECT_ROOT / "knowledge_base"
REQUIRED = {
    "legislation": {"title", "doc_type", "kind", "official_reference", "jurisdiction", "language", "date"},
    "handbook": {"title", "doc_type", "jurisdiction", "language", "date"},
    "case_law": {
        "title", "doc_type", "jurisdiction", "language", "court", "year", "reference", "exploitation_type",
        "recruitment_method", "route_countries", "victim_age_group", "outcome", "fictional",
    },
}  # fmt: skip


def _documents(folder: str) -> list[Path]:
    return sorted((KB / folder).glob("*.md"))


@pytest.mark.parametrize("folder", sorted(REQUIRED))
def test_front_matter_is_complete(folder: str) -> None:
    documents = _documents(folder)
    assert len(documents) >= {"legislation": 6, "handbook": 12, "case_law": 12}[folder]
    for path in documents:
        meta, body = split_front_matter(path.read_text(encoding="utf-8"), path.name)
        missing = REQUIRED[folder] - set(meta)
        assert not missing, f"{path.name}: missing {sorted(missing)}"
        assert meta["doc_type"] == folder, path.name
        assert meta["language"] in ("en", "it"), path.name
        assert body.strip(), path.name


def test_legislation_digests_say_they_are_summaries() -> None:
    for path in _documents("legislation"):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"), path.name)
        assert meta["kind"] == "digest"
        assert "check" in body[:600].lower(), f"{path.name}: no 'check against the official text' line"
        assert "## Article" in body


def test_case_law_has_the_four_sections_and_fictional_cases_say_so() -> None:
    for path in _documents("case_law"):
        meta, body = split_front_matter(path.read_text(encoding="utf-8"), path.name)
        for section in ("## Facts", "## Legal issues", "## Reasoning", "## Outcome"):
            assert section in body, f"{path.name}: no {section}"
        if meta["fictional"]:
            assert meta["title"].startswith("Fictional case"), path.name
    real = [p for p in _documents("case_law") if not split_front_matter(p.read_text(), p.name)[0]["fictional"]]
    assert len(real) >= 6


def test_italian_versions_of_the_key_handbook_chapters_exist() -> None:
    italian = [p for p in _documents("handbook") if p.name.endswith(".it.md")]
    assert len(italian) >= 5


def test_indicator_catalogue_loads() -> None:
    catalogue = load_catalogue(KB / "indicators" / "indicators.yaml")
    assert len(catalogue.indicators) >= 45
    assert {i.element for i in catalogue.indicators} == {"act", "means", "purpose"}
