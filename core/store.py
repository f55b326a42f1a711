"""The dense side of the index: one Chroma collection per generation, on disk or on a Chroma server."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from core.errors import IndexUnavailableError
from core.settings import VectorStoreSettings

COLLECTION_PREFIX = "safeborders_"


def collection_name(generation: str) -> str:
    return f"{COLLECTION_PREFIX}{generation}"


def _damaged(generation_dir: Path, exc: BaseException) -> IndexUnavailableError:
    """The one-line "rebuild it" message other damaged index files get, for a damaged vector store."""
    index_dir = generation_dir.parent.parent  # <index>/generations/<generation>
    reason = " ".join(str(exc).split())[:160]
    return IndexUnavailableError(
        f"index at {index_dir} is corrupted (vector store of {generation_dir.name}: {type(exc).__name__}: {reason}); "
        f"rebuild it: python -m ingestion build --index {index_dir} --rebuild"
    )


def _is_damage(exc: BaseException) -> bool:
    """Whether Chroma failed because its database is damaged (a malformed or foreign chroma.sqlite3)."""
    import sqlite3

    from chromadb.errors import InternalError

    return isinstance(exc, InternalError | sqlite3.DatabaseError)


@contextlib.contextmanager
def _reading(generation_dir: Path) -> Iterator[None]:
    """Report a damaged store as IndexUnavailableError; other errors (an unreachable server…) pass unchanged."""
    try:
        yield
    except Exception as exc:
        if _is_damage(exc):
            raise _damaged(generation_dir, exc) from None
        raise


class ChromaStore:
    """Opens the Chroma client for a generation: a folder of its own on disk, or a collection on a server."""

    def __init__(self, settings: VectorStoreSettings) -> None:
        self._settings = settings

    @property
    def mode(self) -> str:
        return self._settings.backend

    def _client(self, generation_dir: Path) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        if self._settings.backend == "persistent":
            try:
                return chromadb.PersistentClient(path=str(generation_dir / "chroma"), settings=chroma_settings)
            except Exception as exc:  # a folder that cannot be opened as a Chroma store is a damaged one
                raise _damaged(generation_dir, exc) from None
        url = urlparse(self._settings.url or "")
        try:
            client = chromadb.HttpClient(
                host=url.hostname or "localhost",
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
            client.heartbeat()
        except Exception as exc:  # chromadb raises several types for an unreachable server
            raise IndexUnavailableError(
                f"Chroma server {self._settings.url} is unreachable ({type(exc).__name__}); "
                "start it (`chroma run --path DIR --port 8000`) or unset SAFEBORDERS_CHROMA_URL"
            ) from None
        return client

    def create(self, generation_dir: Path, generation: str) -> ChromaCollection:
        client = self._client(generation_dir)
        name = collection_name(generation)
        with contextlib.suppress(Exception):  # a leftover of a crashed build with the same name; absent is normal
            client.delete_collection(name)
        collection = client.create_collection(name, metadata={"hnsw:space": "cosine"}, embedding_function=None)
        return ChromaCollection(client, collection, generation_dir)

    def open(self, generation_dir: Path, generation: str) -> ChromaCollection:
        client = self._client(generation_dir)
        try:
            collection = client.get_collection(collection_name(generation), embedding_function=None)
        except Exception as exc:
            if _is_damage(exc):
                raise _damaged(generation_dir, exc) from None
            raise IndexUnavailableError(
                f"index generation {generation} has no vector collection ({type(exc).__name__}: {exc}); "
                "rebuild it with `make index`"
            ) from None
        return ChromaCollection(client, collection, generation_dir)

    def drop(self, generation_dir: Path, generation: str) -> None:
        """Delete a generation's collection on a server (on disk the folder is removed with the generation)."""
        if self._settings.backend == "http":
            with contextlib.suppress(Exception):
                self._client(generation_dir).delete_collection(collection_name(generation))


class ChromaCollection:
    """The few collection operations the index needs, batched to Chroma's limits."""

    def __init__(self, client: Any, collection: Any, generation_dir: Path) -> None:
        self._client = client
        self._collection = collection
        self._folder = generation_dir

    def _batch_size(self) -> int:
        try:
            return int(self._client.get_max_batch_size())
        except Exception:
            return 1000

    def add(
        self,
        ids: Sequence[str],
        embeddings: Sequence[Sequence[float]],
        documents: Sequence[str],
        metadatas: Sequence[dict[str, Any]],
    ) -> None:
        step = self._batch_size()
        for start in range(0, len(ids), step):
            end = start + step
            self._collection.add(
                ids=list(ids[start:end]),
                embeddings=[list(map(float, vector)) for vector in embeddings[start:end]],
                documents=list(documents[start:end]),
                metadatas=list(metadatas[start:end]),
            )

    def embeddings(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """Stored vectors by id, used to carry unchanged documents into a new generation without re-embedding."""
        found: dict[str, list[float]] = {}
        step = self._batch_size()
        for start in range(0, len(ids), step):
            with _reading(self._folder):
                got = self._collection.get(ids=list(ids[start : start + step]), include=["embeddings"])
            for chunk_id, vector in zip(got["ids"], got["embeddings"], strict=True):
                found[chunk_id] = [float(x) for x in vector]
        return found

    def count(self) -> int:
        with _reading(self._folder):
            return int(self._collection.count())

    def query(
        self, vector: Sequence[float], k: int, where: dict[str, Any] | None = None
    ) -> Iterator[tuple[str, float]]:
        """Nearest chunk ids with cosine similarity (1 - distance), best first."""
        if k <= 0:
            return
        with _reading(self._folder):
            result = self._collection.query(
                query_embeddings=[list(map(float, vector))],
                n_results=k,
                where=where or None,
                include=["distances"],
            )
        for chunk_id, distance in zip(result["ids"][0], result["distances"][0], strict=True):
            yield chunk_id, 1.0 - float(distance)
