"""What several integration tests share: a two-article law indexed on the fakes, answered by the settings' model."""

from __future__ import annotations

from pathlib import Path

from core.settings import Settings
from core.store import ChromaStore
from ingestion.pipeline import Components, build_index
from rag.generate import make_generator
from rag.service import Assistant
from tests.fakes import HashEmbedder, KeywordScrubber

CHILD_LAW = (
    "# Child Protection Act\n\nArticle 3 – Consent\nThe consent of a child victim of trafficking is irrelevant."
    "\n\nArticle 4 – Assistance\nChild victims receive shelter, medical care and a guardian.\n"
)


def child_law_assistant(settings: Settings, tmp_path: Path) -> Assistant:
    """An Assistant over CHILD_LAW (fake embedder and scrubber) with the generator ``settings.llm`` asks for."""
    components = Components(HashEmbedder(), KeywordScrubber(), ChromaStore(settings.vector_store))
    kb = tmp_path / "kb" / "legislation"
    kb.mkdir(parents=True)
    (kb / "law.md").write_text(CHILD_LAW, encoding="utf-8")
    build_index([tmp_path / "kb"], settings.index_dir, settings, components)
    return Assistant(
        settings,
        embedder=components.embedder,
        generator=make_generator(settings.llm),
        store=components.store,
        index_dir=settings.index_dir,
    )
