"""The new index generation a build writes: its Chroma collection, chunk records and manifest, committed last."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.index_files import COMPLETE_MARKER, Manifest, generations_dir
from core.lexical import LexicalIndex
from core.store import ChromaStore
from ingestion.documents import Chunk, search_text
from ingestion.generations import new_generation_name
from ingestion.index import set_current, write_chunks
from ingestion.plan import Plan


class GenerationWriter:
    """A new generation being written: its Chroma collection, chunk records and manifest entries."""

    def __init__(self, index_dir: Path, store: ChromaStore, plan: Plan) -> None:
        self.index_dir = index_dir
        self.store = store
        self.previous = plan.previous
        self.generation = new_generation_name()
        self.folder = generations_dir(index_dir) / self.generation
        self.folder.mkdir(parents=True)
        self.collection = store.create(self.folder, self.generation)
        self.records: list[dict[str, Any]] = []
        self.documents: dict[str, dict[str, Any]] = {}
        self._previous_by_id = {record["id"]: record for record in plan.previous_records}

    def keep(self, entries: dict[str, dict[str, Any]]) -> None:
        """Carry documents of the previous generation over: their chunks with their stored vectors (no re-embedding)."""
        ids = [cid for entry in entries.values() for cid in entry["chunk_ids"]]
        if ids and self.previous is not None:
            old = self.store.open(generations_dir(self.index_dir) / self.previous.generation, self.previous.generation)
            vectors = old.embeddings(ids)
            carried = [self._previous_by_id[cid] for cid in ids]
            self.collection.add(
                ids,
                [vectors[cid] for cid in ids],
                [record["text"] for record in carried],
                [{k: v for k, v in record.items() if k not in ("id", "text")} for record in carried],
            )
            self.records.extend(carried)
        self.documents.update(entries)

    def add(self, source: str, chunks: list[Chunk], vectors: list[list[float]], entry: dict[str, Any]) -> None:
        """Add a freshly indexed document: its chunks with their vectors, and its manifest entry."""
        self.collection.add([c.id for c in chunks], vectors, [c.text for c in chunks], [c.metadata() for c in chunks])
        self.records.extend({"id": c.id, "text": c.text, **c.metadata()} for c in chunks)
        self.documents[source] = entry

    def commit(self, print_: dict[str, Any]) -> None:
        """Write the search files and the manifest, mark the generation complete and make it the current one."""
        _finish(self.folder, self.generation, print_, self.documents, self.records)
        set_current(self.index_dir, self.generation)


@contextmanager
def new_generation(index_dir: Path, store: ChromaStore, plan: Plan) -> Iterator[GenerationWriter]:
    """A writer for a new generation, committed when the block completes.

    A block that raises leaves the half-written generation unused on disk (``clean_interrupted`` removes it).
    """
    writer = GenerationWriter(index_dir, store, plan)
    yield writer
    writer.commit(plan.fingerprint)


def _finish(
    folder: Path,
    generation: str,
    print_: dict[str, Any],
    documents: dict[str, dict[str, Any]],
    records: list[dict[str, Any]],
) -> None:
    """Write BM25, chunks and manifest, then the COMPLETE marker last."""
    order = {source: position for position, source in enumerate(sorted(documents))}
    records.sort(key=lambda r: (order.get(r["source"], len(order)), r["ordinal"]))
    texts = [search_text(r["title"], r["text"]) for r in records]
    languages = [str(r.get("language") or "en") for r in records]
    LexicalIndex.build([r["id"] for r in records], texts, languages).save(folder / "bm25")
    write_chunks(folder / "chunks.jsonl", records)
    manifest = Manifest(generation, datetime.now(UTC).isoformat(timespec="seconds"), print_, documents)
    (folder / "manifest.json").write_text(manifest.to_json(), encoding="utf-8")
    marker = folder / COMPLETE_MARKER
    with marker.open("w") as handle:
        handle.write(json.dumps({"chunks": len(records), "documents": len(documents)}))
        handle.flush()
        os.fsync(handle.fileno())
