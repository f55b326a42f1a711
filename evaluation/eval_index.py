"""Builds (or reuses) the evaluation indexes: the treaty texts plus the shipped knowledge base, for the generality
set the same with the official texts of ../shared/official beside them, and the knowledge base alone."""

from __future__ import annotations

import shutil
from pathlib import Path

from core.index_files import current_generation
from core.settings import PROJECT_ROOT, Settings
from ingestion.pipeline import build_index, make_components
from ingestion.report import BuildReport

CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"
OFFICIAL = PROJECT_ROOT.parent / "shared" / "official"


def eval_index_dir(settings: Settings, name: str = "eval-index") -> Path:
    """One evaluation index per embedder, so comparing embedders never rebuilds the other."""
    slug = settings.embedder.backend.replace("_", "-")
    return settings.data_dir / name / slug


def ensure_eval_index(
    settings: Settings, index_dir: Path | None = None, *, official: bool = False
) -> tuple[Path, list[BuildReport]]:
    """Index the treaties (as legislation) and the knowledge base; unchanged files are skipped on later runs.

    Args:
        settings: validated settings (the embedder picks the index).
        index_dir: where to build; by default under `data/eval-index` (`data/eval-index-official` with `official`).
        official: also index the official texts of ../shared/official as legislation (the generality index).
    """
    index_dir = index_dir or eval_index_dir(settings, "eval-index-official" if official else "eval-index")
    if official and not index_dir.exists():
        _seed_from(eval_index_dir(settings), index_dir)
    components = make_components(settings)
    legislation = [CORPUS, OFFICIAL] if official else [CORPUS]
    reports = [
        build_index(legislation, index_dir, settings, components, doc_type="legislation"),
        build_index([settings.knowledge_base_dir], index_dir, settings, components),
    ]
    return index_dir, reports


def ensure_kb_index(settings: Settings) -> tuple[Path, BuildReport]:
    """Index knowledge_base/ alone, as `make run` does on a fresh machine (under `data/eval-index-kb`)."""
    index_dir = eval_index_dir(settings, "eval-index-kb")
    report = build_index([settings.knowledge_base_dir], index_dir, settings, make_components(settings))
    return index_dir, report


def _seed_from(main_dir: Path, index_dir: Path) -> None:
    """Start the generality index as a copy of the main one, so that only the official texts need embedding.

    A generation is self-contained (its chunks, BM25 and Chroma files), so a copy is a valid index.
    """
    if current_generation(main_dir) is not None:
        shutil.copytree(main_dir, index_dir, ignore=shutil.ignore_patterns(".build.lock"))
