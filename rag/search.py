"""The read side of the index: open the current generation, search it (dense, lexical, filtered), check phrases."""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import IndexUnavailableError
from core.index_files import Manifest, generations_dir, read_current_manifest, read_generation_chunks
from core.lexical import LexicalIndex, tokenize
from core.store import ChromaCollection, ChromaStore

Where = dict[str, Any]


@dataclass(frozen=True)
class Hit:
    """One retrieved chunk with its score (higher is better) and its citation metadata."""

    id: str
    text: str
    score: float
    source: str = ""
    title: str = ""
    doc_type: str = ""
    jurisdiction: str = ""
    language: str = ""
    section: str = ""
    page: int | None = None
    ordinal: int = 0

    @classmethod
    def from_metadata(cls, chunk_id: str, text: str, score: float, metadata: Mapping[str, Any]) -> Hit:
        """A hit from a chunk's flat metadata as stored (Chroma, chunks.jsonl), where page -1 means no page.

        Args:
            chunk_id: the chunk's id.
            text: the chunk's text.
            score: its score in the search that found it.
            metadata: the stored keys (source, title, doc_type, jurisdiction, language, section, page, ordinal);
                missing ones get the empty default, other keys are ignored.
        """
        page = metadata.get("page")
        return cls(
            id=chunk_id,
            text=text,
            score=score,
            source=str(metadata.get("source", "")),
            title=str(metadata.get("title", "")),
            doc_type=str(metadata.get("doc_type", "")),
            jurisdiction=str(metadata.get("jurisdiction", "")),
            language=str(metadata.get("language", "")),
            section=str(metadata.get("section", "")),
            page=None if page in (None, -1) else int(page),
            ordinal=int(metadata.get("ordinal", 0)),
        )


@dataclass(frozen=True)
class Filters:
    """Metadata filters chosen by the user (empty = everything)."""

    doc_types: tuple[str, ...] = ()
    jurisdictions: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()

    def where(self) -> Where | None:
        clauses: Where = {}
        for key, values in (
            ("doc_type", self.doc_types),
            ("jurisdiction", self.jurisdictions),
            ("language", self.languages),
        ):
            if len(values) == 1:
                clauses[key] = values[0]
            elif values:
                clauses[key] = {"$in": list(values)}
        return clauses or None


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
        manifest: Manifest,
        store: ChromaStore,
        embed_query: Callable[[str], list[float]],
    ) -> None:
        self.index_dir = index_dir
        self.manifest = manifest
        self.generation = manifest.generation
        self.folder = generations_dir(index_dir) / self.generation
        self._store = store
        # A question is searched several times (scoped, translated, English-only): embed each text once.
        self._embed_query = functools.lru_cache(maxsize=256)(embed_query)
        self._records = read_generation_chunks(index_dir, manifest)
        self._by_id = {record["id"]: record for record in self._records}
        self._masks: dict[str, np.ndarray] = {}  # filter → which chunks it keeps (see _mask)
        self._vectors: dict[str, tuple[list[str], np.ndarray]] = {}  # narrow filter → its chunks' unit vectors
        self._offsets: dict[tuple[str, str], np.ndarray | None] = {}  # (from, to) language → see language_offset

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

    def embed_query(self, text: str) -> list[float]:
        """The query embedder's vector for a text (cached: the searches of a question share it)."""
        return self._embed_query(text)

    def check(self) -> None:
        """Open both halves now, so a damaged index is reported at start rather than on the first question."""
        _ = self._collection, self._lexical

    def _hit(self, chunk_id: str, score: float) -> Hit:
        record = self._by_id[chunk_id]
        return Hit.from_metadata(chunk_id, record["text"], score, record)

    def dense_search(self, query: str, k: int, where: Where | None = None) -> list[Hit]:
        """Cosine similarity search in Chroma; score = 1 - cosine distance; no hits when the filter keeps nothing."""
        if self._share(where) == 0:
            return []
        return self.vector_search(self._embed_query(query), k, where)

    def vector_search(self, vector: Sequence[float], k: int, where: Where | None = None) -> list[Hit]:
        """The same search for a query vector given as it is (one built from several embeddings)."""
        share = self._share(where)
        if share == 0:
            return []
        k = min(k, len(self._records))
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

    def language_offset(self, source: str, target: str) -> np.ndarray | None:
        """How far, on average, this index's chunks in ``target`` lie from those in ``source``: the mean unit vector
        of the first minus that of the second (None when either language has fewer than ``MIN_LANGUAGE_CHUNKS``).

        A multilingual embedder places texts of one language near each other whatever they say; adding this offset
        to a question's vector moves it towards the other language's texts without changing what it asks.
        """
        if (source, target) not in self._offsets:
            self._offsets[(source, target)] = self._mean_difference(source, target)
        return self._offsets[(source, target)]

    def _mean_difference(self, source: str, target: str) -> np.ndarray | None:
        means = []
        for language in (target, source):
            ids = [record["id"] for record in self._records if record.get("language") == language]
            if len(ids) < MIN_LANGUAGE_CHUNKS:
                return None
            stored = self._collection.embeddings(ids[:: max(1, len(ids) // LANGUAGE_SAMPLE)])
            matrix = np.asarray(list(stored.values()), dtype=np.float32)
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            means.append((matrix / np.where(norms == 0, 1.0, norms)).mean(axis=0))
        return np.asarray(means[0] - means[1])

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
# A language's mean vector is read from at most about this many of its chunks, once the language has this few.
LANGUAGE_SAMPLE = 2000
MIN_LANGUAGE_CHUNKS = 20


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
    return IndexSnapshot(index_dir, read_current_manifest(index_dir), store, embed_query)
