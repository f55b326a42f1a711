"""The assistant as the app and the command line use it: one object per process holding models and the index."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from core.embedders import embedder_name, make_embedder
from core.index_files import current_generation
from core.settings import Settings
from core.store import ChromaStore
from rag.answer import Answerer
from rag.generate import Generator, make_generator
from rag.ranker import RankerModel, model_for
from rag.retrieve import HybridRetriever, Retrieval
from rag.search import Filters, Hit, IndexSnapshot, open_index
from rag.types import Answer, AnswerStream, Role, Turn
from rag.validate import clean_question

# Generic questions, one per language, that the warm-up retrieves for (no evaluation set's wording).
WARM_UP_QUESTIONS = ("What does the law say about this?", "Che cosa dice la legge su questo?")


class Assistant:
    """Retrieval and grounded answering over the current index generation.

    Shared by all sessions of a process: the index snapshot is swapped (never mutated) when a build completes,
    so a question is always answered from one complete generation.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embeddings,
        generator: Generator,
        store: ChromaStore,
        index_dir: Path | None = None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder
        self.generator = generator
        self.store = store
        self.index_dir = index_dir or settings.index_dir
        self.answerer = Answerer(generator, embedder, settings)
        self._snapshot: IndexSnapshot | None = None
        self._retriever: HybridRetriever | None = None  # built with its snapshot: its lookup tables cost a pass
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, index_dir: Path | None = None) -> Assistant:
        """The real components named by the settings; nothing is loaded until first use or ``warm_up()``."""
        return cls(
            settings,
            embedder=make_embedder(settings.embedder),
            generator=make_generator(settings.llm),
            store=ChromaStore(settings.vector_store),
            index_dir=index_dir,
        )

    @property
    def model_name(self) -> str:
        return self.generator.name

    @property
    def abstain_threshold(self) -> float:
        configured = self.settings.retrieval.abstain_threshold
        if configured is not None:
            return configured
        return self.settings.calibration.for_embedder(embedder_name(self.embedder)).abstain_threshold

    @cached_property
    def ranker_model(self) -> RankerModel | None:
        """The learned re-ranker and abstainer, when enabled and trained for this embedder."""
        if not self.settings.retrieval.learned_ranker:
            return None
        return model_for(embedder_name(self.embedder))

    def _current(self) -> tuple[IndexSnapshot, HybridRetriever]:
        """The current complete generation and its retriever, reopened when a build has switched to a newer one."""
        generation = current_generation(self.index_dir)
        with self._lock:
            if self._snapshot is None or self._retriever is None or self._snapshot.generation != generation:
                snapshot = open_index(self.index_dir, self.store, self.embedder.embed_query)
                snapshot.check()
                self._snapshot = snapshot
                self._retriever = HybridRetriever(
                    snapshot,
                    self.settings.retrieval,
                    self.abstain_threshold,
                    model=self.ranker_model,
                )
            return self._snapshot, self._retriever

    def snapshot(self) -> IndexSnapshot:
        """The current complete generation, reopened when a build has switched to a newer one."""
        return self._current()[0]

    def reload(self) -> None:
        """Forget the open generation; the next question opens the current one."""
        with self._lock:
            self._snapshot = None
            self._retriever = None

    def warm_up(self) -> None:
        """Open the index and load the models now rather than on the first question, with what a retrieval reads
        on first use: the language identifier and, for Italian, the glossary (seconds on two busy cores)."""
        english, italian = WARM_UP_QUESTIONS
        self.retrieve(english)
        self.answerer.warm_up()
        self.retrieve(italian)

    def index_info(self) -> dict[str, Any]:
        snapshot = self.snapshot()
        manifest = snapshot.manifest
        by_type = Counter(doc["doc_type"] for doc in manifest.documents.values())
        return {
            "generation": manifest.generation,
            "created_at": manifest.created_at,
            "documents": len(manifest.documents),
            "chunks": manifest.chunk_count,
            "by_type": dict(by_type),
            "embedder": manifest.fingerprint.get("embedder", ""),
        }

    def retrieve(
        self,
        question: str,
        *,
        k: int | None = None,
        filters: Filters | None = None,
        history: Sequence[Turn] = (),
        role: Role | None = None,
    ) -> Retrieval:
        """Evidence for a question from the current generation (the retriever is reused until a build switches);
        with a ``role``, ranked by that role's prior (``rag.role_prior``)."""
        question = clean_question(question, self.settings.retrieval.max_question_chars)
        return self._current()[1].retrieve(question, k=k, filters=filters, history=history, role=role)

    def search(
        self,
        question: str,
        *,
        k: int | None = None,
        filters: Filters | None = None,
        history: Sequence[Turn] = (),
    ) -> list[Hit]:
        return self.retrieve(question, k=k, filters=filters, history=history).hits

    def ask_stream(
        self,
        question: str,
        *,
        role: Role = "judge",
        filters: Filters | None = None,
        history: Sequence[Turn] = (),
    ) -> AnswerStream:
        """Tokens of the draft answer as they come; ``.result`` is the checked Answer once iterated."""
        retrieval = self.retrieve(question, filters=filters, history=history, role=role)
        return self.answerer.stream(retrieval, role=role, history=history, index_generation=retrieval.index_generation)

    def ask(
        self,
        question: str,
        *,
        role: Role = "judge",
        filters: Filters | None = None,
        history: Sequence[Turn] = (),
    ) -> Answer:
        stream = self.ask_stream(question, role=role, filters=filters, history=history)
        for _ in stream:
            pass
        assert stream.result is not None
        return stream.result
