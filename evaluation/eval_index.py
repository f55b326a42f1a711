"""Builds (or reuses) the evaluation index: the official treaty texts plus the shipped knowledge base."""

from __future__ import annotations

from pathlib import Path

from core.settings import PROJECT_ROOT, Settings
from ingestion.pipeline import BuildReport, build_index, make_components

CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"


def eval_index_dir(settings: Settings) -> Path:
    """One evaluation index per embedder, so comparing embedders never rebuilds the other."""
    slug = settings.embedder.backend.replace("_", "-")
    return settings.data_dir / "eval-index" / slug


def ensure_eval_index(settings: Settings, index_dir: Path | None = None) -> tuple[Path, list[BuildReport]]:
    """Index the treaties (as legislation) and the knowledge base; unchanged files are skipped on later runs."""
    index_dir = index_dir or eval_index_dir(settings)
    components = make_components(settings)
    reports = [
        build_index([CORPUS], index_dir, settings, components, doc_type="legislation"),
        build_index([settings.knowledge_base_dir], index_dir, settings, components),
    ]
    return index_dir, reports
