"""The index on disk: complete generations of (Chroma collection + BM25 + chunks + manifest), one of them current.

Layout of an index folder::

    CURRENT                      name of the generation readers use (replaced atomically)
    generations/<generation>/
        manifest.json            documents with their hash, chunk ids and scrubbed counts
        chunks.jsonl             every chunk's text and citation metadata
        bm25/                    the persisted lexical index
        chroma/                  the vector store (embedded mode; on a server it is a collection)
        COMPLETE                 written last: a generation without it is an interrupted build
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import IndexUnavailableError
from core.lexical import LexicalIndex, tokenize
from core.store import ChromaCollection, ChromaStore

FORMAT_VERSION = 1
COMPLETE_MARKER = "COMPLETE"

Where = dict[str, Any]


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk with its score (higher is better) and its citation metadata."""

    id: str
    text: str
    score: float
    metadata: dict[str, Any]  # source, title, doc_type, jurisdiction, language, section, page (-1 = none), ordinal


@dataclass
class Manifest:
    """What one generation holds, keyed by document source path."""

    generation: str
    created_at: str
    fingerprint: dict[str, Any]
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> str:
        data = {"format": FORMAT_VERSION, **self.__dict__}
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def read(cls, path: Path) -> Manifest:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"manifest format {data.get('format')!r}, expected {FORMAT_VERSION}")
        return cls(data["generation"], data["created_at"], data["fingerprint"], data["documents"])

    @property
    def chunk_count(self) -> int:
        return sum(len(doc["chunk_ids"]) for doc in self.documents.values())


def generations_dir(index_dir: Path) -> Path:
    return index_dir / "generations"


def current_generation(index_dir: Path) -> str | None:
    """The generation readers should use, or None when no build has completed yet."""
    pointer = index_dir / "CURRENT"
    if not pointer.is_file():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    return name or None


def set_current(index_dir: Path, generation: str) -> None:
    """Switch readers to a complete generation in one atomic rename."""
    tmp = index_dir / f".CURRENT.{os.getpid()}"
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(generation + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(index_dir / "CURRENT")
    _fsync_dir(index_dir)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_chunks(path: Path, records: Iterable[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def read_chunks(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _matches(metadata: dict[str, Any], where: Where | None) -> bool:
    if not where:
        return True
    for key, wanted in where.items():
        value = metadata.get(key)
        if isinstance(wanted, dict) and "$in" in wanted:
            if value not in wanted["$in"]:
                return False
        elif value != wanted:
            return False
    return True


def chroma_where(where: Where | None) -> Where | None:
    """Our simple {key: value | {"$in": [...]}} filter in Chroma's syntax ($and for several keys)."""
    if not where:
        return None
    clauses = [{key: value} for key, value in where.items()]
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class IndexSnapshot:
    """A read-only view of one complete generation; safe to share between threads."""

    def __init__(
        self,
        index_dir: Path,
        generation: str,
        store: ChromaStore,
        embed_query: Callable[[str], list[float]],
    ) -> None:
        self.index_dir = index_dir
        self.generation = generation
        self.folder = generations_dir(index_dir) / generation
        self._store = store
        # A question is searched several times (scoped, translated, English-only): embed each text once.
        self._embed_query = functools.lru_cache(maxsize=256)(embed_query)
        try:
            self.manifest = Manifest.read(self.folder / "manifest.json")
            self._records = read_chunks(self.folder / "chunks.jsonl")
        except (OSError, ValueError, KeyError) as exc:
            raise IndexUnavailableError(
                f"index at {index_dir} is corrupted ({self.folder.name}: {exc}); "
                f"rebuild it: python -m ingestion build --index {index_dir} --rebuild"
            ) from None
        self._by_id = {record["id"]: record for record in self._records}
        self._masks: dict[str, np.ndarray] = {}  # filter → which chunks it keeps (see _mask)
        self._vectors: dict[str, tuple[list[str], np.ndarray]] = {}  # narrow filter → its chunks' unit vectors
        if len(self._by_id) != self.manifest.chunk_count:
            raise IndexUnavailableError(
                f"index at {index_dir} is corrupted (chunks.jsonl has {len(self._by_id)} chunks, the manifest "
                f"{self.manifest.chunk_count}); rebuild it: python -m ingestion build --index {index_dir} --rebuild"
            )

    @cached_property
    def _collection(self) -> ChromaCollection:
        collection = self._store.open(self.folder, self.generation)
        if collection.count() != len(self._records):
            raise IndexUnavailableError(
                f"index at {self.index_dir} is corrupted (vector store has {collection.count()} chunks, expected "
                f"{len(self._records)}); rebuild it: python -m ingestion build --index {self.index_dir} --rebuild"
            )
        return collection

    @cached_property
    def _lexical(self) -> LexicalIndex:
        try:
            return LexicalIndex.load(self.folder / "bm25")
        except Exception as exc:  # bm25s raises plain OSError/ValueError/KeyError on damaged files
            raise IndexUnavailableError(
                f"index at {self.index_dir} is corrupted (BM25 files: {type(exc).__name__}); "
                f"rebuild it: python -m ingestion build --index {self.index_dir} --rebuild"
            ) from None

    def check(self) -> None:
        """Open both halves now, so a damaged index is reported at start rather than on the first question."""
        _ = self._collection, self._lexical

    def _hit(self, chunk_id: str, score: float) -> Hit:
        record = self._by_id[chunk_id]
        metadata = {key: value for key, value in record.items() if key not in ("id", "text")}
        return Hit(id=chunk_id, text=record["text"], score=score, metadata=metadata)

    def dense_search(self, query: str, k: int, where: Where | None = None) -> list[Hit]:
        """Cosine similarity search in Chroma; score = 1 - cosine distance."""
        vector = self._embed_query(query)
        k = min(k, len(self._records))
        share = self._share(where)
        if where and share < BROAD_FILTER_SHARE:
            return self._exact_search(vector, k, where)
        if where:
            # Chroma's filtered search costs time in proportion to the chunks the filter keeps (60 ms for 9k of
            # 10k, 0.7 s for 90k of 100k), an unfiltered one stays near 3 ms: ask for more unfiltered neighbours
            # and filter them here, asking for more again while too few pass.
            fetch = min(len(self._records), math.ceil(k / share * OVERFETCH))
            while True:
                found = list(self._collection.query(vector, fetch, None))
                kept = [(cid, score) for cid, score in found if _matches(self._by_id[cid], where)]
                # Fewer neighbours than asked means the graph search gave all it reaches: asking again for more,
                # or with the filter, would only cost time.
                if len(kept) >= k or fetch >= len(self._records) or len(found) < fetch:
                    return [self._hit(cid, score) for cid, score in kept[:k]]
                if fetch >= MAX_OVERFETCH:
                    break
                fetch = min(len(self._records), fetch * 4, MAX_OVERFETCH)
        return [self._hit(cid, score) for cid, score in self._collection.query(vector, k, chroma_where(where))]

    def _exact_search(self, vector: Sequence[float], k: int, where: Where) -> list[Hit]:
        """Cosine similarity against every chunk a narrow filter keeps (one instrument, one court's judgments).

        Chroma's filtered search costs about 35 ms at 100k chunks however few the filter keeps; the few vectors
        themselves are fetched once per filter and compared here in well under a millisecond.
        """
        ids, matrix = self._filtered_vectors(where)
        if not ids:
            return []
        query = np.asarray(vector, dtype=np.float32)
        scores = matrix @ (query / (np.linalg.norm(query) or 1.0))
        return [self._hit(ids[position], float(scores[position])) for position in _best(scores, k)]

    def _filtered_vectors(self, where: Where) -> tuple[list[str], np.ndarray]:
        key = json.dumps(where, sort_keys=True)
        cached = self._vectors.get(key)
        if cached is None:
            ids = [cid for cid, keep in zip(self._lexical.ids, self._mask(where), strict=True) if keep]
            stored = self._collection.embeddings(ids)
            matrix = np.asarray([stored[cid] for cid in ids], dtype=np.float32).reshape(len(ids), -1)
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            cached = (ids, matrix / np.where(norms == 0, 1.0, norms))
            if sum(len(held) for held, _ in self._vectors.values()) + len(ids) > MAX_CACHED_VECTORS:
                self._vectors.clear()
            self._vectors[key] = cached
        return cached

    def _share(self, where: Where | None) -> float:
        """The share of this generation's chunks a filter keeps (1 without a filter)."""
        if not where or not self._records:
            return 1.0
        return float(self._mask(where).mean())

    def lexical_search(self, query: str, k: int, where: Where | None = None, language: str = "en") -> list[Hit]:
        """BM25 search over the persisted lexical index, the query stemmed in ``language``; chunks with no matching
        term are left out."""
        scores = self._lexical.scores(query, language)
        if where:
            scores = np.where(self._mask(where), scores, 0.0)
        hits: list[Hit] = []
        for position in _best(scores, k):
            if scores[position] <= 0:
                break
            hits.append(self._hit(self._lexical.ids[position], float(scores[position])))
        return hits

    def _mask(self, where: Where) -> np.ndarray:
        """Which chunks (in the lexical index's order) a filter keeps; computed once per filter."""
        key = json.dumps(where, sort_keys=True)
        mask = self._masks.get(key)
        if mask is None:
            if len(self._masks) >= MAX_CACHED_FILTERS:
                self._masks.clear()
            mask = np.fromiter((_matches(self._by_id[cid], where) for cid in self._lexical.ids), dtype=bool)
            self._masks[key] = mask
        return mask

    def has_term(self, word: str) -> bool:
        """Whether a word occurs anywhere in this generation's texts (BM25 vocabulary)."""
        return self._lexical.has_term(word)

    def has_phrase(self, phrase: str) -> bool:
        """Whether the words of a phrase ("Istanbul Convention") occur together, in this order, in some chunk."""
        if not all(self.has_term(word) for word in phrase.split() if tokenize(word)):
            return False
        wanted = f" {_plain(phrase)} "
        return any(
            wanted in f" {_plain(hit.text)} "
            for language in self._lexical.languages
            for hit in self.lexical_search(phrase, PHRASE_CANDIDATES, language=language)
        )

    def chunks(self, where: Where | None = None) -> list[Hit]:
        """All chunks (score 0), optionally filtered by exact metadata values, in document order."""
        return [self._hit(r["id"], 0.0) for r in self._records if _matches(r, where)]

    def get(self, chunk_id: str) -> Hit | None:
        return self._hit(chunk_id, 0.0) if chunk_id in self._by_id else None


# Filters keeping at least this share of the chunks are applied to an over-fetched unfiltered search (up to
# MAX_OVERFETCH neighbours, about 30 ms at 100k chunks); narrower ones are searched exactly over their own vectors,
# of which at most MAX_CACHED_VECTORS are held (about 75 MB).
BROAD_FILTER_SHARE = 0.02
OVERFETCH = 2
MAX_OVERFETCH = 4096
MAX_CACHED_VECTORS = 50_000

MAX_CACHED_FILTERS = 64


def _best(scores: np.ndarray, k: int) -> list[int]:
    """Positions of the ``k`` highest scores, best first (ties in index order)."""
    if k <= 0:
        return []
    candidates = np.argpartition(-scores, k - 1)[:k] if k < len(scores) else np.arange(len(scores))
    return sorted(candidates.tolist(), key=lambda position: (-scores[position], position))


# How many of the best BM25 matches for a phrase are checked for the phrase itself.
PHRASE_CANDIDATES = 50


def _plain(text: str) -> str:
    """Lower-case words and numbers separated by single spaces, for phrase matching."""
    return " ".join(re.findall(r"[^\W_]+", text.lower()))


def open_index(index_dir: Path, store: ChromaStore, embed_query: Callable[[str], list[float]]) -> IndexSnapshot:
    """Open the current generation of an index folder.

    Raises:
        IndexUnavailableError: no complete build yet, or the files are damaged; the message says how to rebuild.
    """
    generation = current_generation(index_dir)
    if generation is None:
        raise IndexUnavailableError(
            f"no index at {index_dir}: build it with `make index` "
            f"(python -m ingestion build --source knowledge_base --index {index_dir})"
        )
    folder = generations_dir(index_dir) / generation
    if not (folder / COMPLETE_MARKER).is_file():
        raise IndexUnavailableError(
            f"index at {index_dir} is corrupted (generation {generation} is incomplete or missing); "
            f"rebuild it: python -m ingestion build --index {index_dir} --rebuild"
        )
    return IndexSnapshot(index_dir, generation, store, embed_query)


def remove_generation(index_dir: Path, generation: str, store: ChromaStore) -> None:
    folder = generations_dir(index_dir) / generation
    store.drop(folder, generation)
    shutil.rmtree(folder, ignore_errors=True)
