"""Builds a new index generation from source folders: load → scrub → chunk → embed → index, then switch atomically."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fnmatch import fnmatch
from pathlib import Path
from typing import Any, Literal

from langchain_core.embeddings import Embeddings

from core.embedders import embedder_name
from core.errors import IndexUnavailableError, IngestionError
from core.index_files import (
    COMPLETE_MARKER,
    Manifest,
    generations_dir,
    read_current_manifest,
    read_generation_chunks,
)
from core.lexical import TOKENIZER_VERSION, LexicalIndex
from core.settings import Settings
from core.store import ChromaCollection, ChromaStore
from ingestion.chunk import chunk_document
from ingestion.documents import Chunk, LoadedDocument, Page
from ingestion.generations import build_lock, clean_interrupted, new_generation_name, prune
from ingestion.index import set_current, write_chunks
from ingestion.load import discover, load_document
from ingestion.scrub import PiiScrubber, should_scrub
from ingestion.scrub_policy import SCRUBBING_VERSION

Status = Literal["indexed", "unchanged", "failed", "removed"]

# Front-matter keys that describe a document rather than a person; only these reach the manifest.
PUBLIC_METADATA_KEYS = (
    "kind",
    "official_reference",
    "court",
    "year",
    "reference",
    "exploitation_type",
    "recruitment_method",
    "route_countries",
    "victim_age_group",
    "victim_count",
    "outcome",
    "fictional",
    "audience",
)


@dataclass
class FileResult:
    """What happened to one document in a build."""

    source: str
    status: Status
    chunks: int = 0
    scrubbed: dict[str, int] = field(default_factory=dict)
    reason: str = ""


@dataclass
class BuildReport:
    """The summary a build prints and the UI shows."""

    generation: str | None
    files: list[FileResult]
    chunks: int
    seconds: float
    up_to_date: bool = False

    def count(self, status: Status) -> int:
        return sum(1 for result in self.files if result.status == status)

    @property
    def failed(self) -> list[FileResult]:
        return [result for result in self.files if result.status == "failed"]

    @property
    def scrubbed(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for result in self.files:
            total.update(result.scrubbed)
        return total


@dataclass
class Components:
    """The replaceable parts a build needs (real ones from ``make_components``, fakes in unit tests)."""

    embedder: Embeddings
    scrubber: PiiScrubber
    store: ChromaStore


ProgressCallback = Callable[[int, int, FileResult], None]


def make_components(settings: Settings) -> Components:
    """The real embedder, Presidio scrubber and Chroma store, each loaded lazily on first use."""
    from core.embedders import make_embedder
    from ingestion.scrub import PresidioScrubber

    return Components(
        make_embedder(settings.embedder), PresidioScrubber(settings.scrubbing), ChromaStore(settings.vector_store)
    )


SEARCH_TEXT_VERSION = 2
# Raise when heading recognition or chunking changes the chunks a file gives (2: "609-undecies", titles ending ")").
CHUNKING_VERSION = 2


def search_text(title: str, text: str) -> str:
    """What is embedded and BM25-indexed for a chunk: its document title, then its text.

    A case-law section such as "Outcome" rarely names its case; with the title, "What did the Court decide in
    Rantsev?" finds it. The stored (and cited) text stays the chunk text alone.
    """
    return text if text.startswith(title) else f"{title}\n{text}"


def fingerprint(settings: Settings, embedder: Embeddings) -> dict[str, Any]:
    """Everything that changes chunks or vectors: when it differs, every document is processed again."""
    return {
        "embedder": embedder_name(embedder),
        "max_chars": settings.chunking.max_chars,
        "min_chars": settings.chunking.min_chars,
        "scrub_legislation": settings.scrubbing.scrub_legislation,
        "spacy_model": settings.scrubbing.spacy_model,
        "search_text": SEARCH_TEXT_VERSION,
        "chunking": CHUNKING_VERSION,
        "tokenizer": TOKENIZER_VERSION,
        "scrubbing": SCRUBBING_VERSION,
    }


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _previous(index_dir: Path) -> tuple[Manifest | None, list[dict[str, Any]]]:
    """The current generation's manifest and chunks, or nothing when there is none or it is damaged."""
    try:
        manifest = read_current_manifest(index_dir)
        return manifest, read_generation_chunks(index_dir, manifest)
    except IndexUnavailableError:
        return None, []


def _process(
    document: LoadedDocument, settings: Settings, components: Components
) -> tuple[list[Chunk], dict[str, int], str]:
    """Scrub (when the policy says so) and chunk one loaded document; returns chunks, counts and a safe title."""
    title = document.metadata.title
    pages = document.pages
    counts: dict[str, int] = {}
    if should_scrub(document.metadata.doc_type, settings.scrubbing):
        result = components.scrubber.scrub([title, *(page.text for page in pages)], document.metadata.language)
        title, *texts = result.texts
        pages = [Page(text, page.number) for text, page in zip(texts, pages, strict=True)]
        counts = dict(result.counts)
        document.metadata.title = title
    chunks = chunk_document(
        document, pages, max_chars=settings.chunking.max_chars, min_chars=settings.chunking.min_chars
    )
    if not chunks:
        raise IngestionError(f"{document.source}: no text to index after chunking")
    return chunks, counts, title


def build_index(
    sources: Sequence[Path],
    index_dir: Path,
    settings: Settings,
    components: Components,
    *,
    doc_type: str | None = None,
    rebuild: bool = False,
    remove: Sequence[str] = (),
    progress: ProgressCallback | None = None,
) -> BuildReport:
    """Bring the index up to date with the source folders, writing a new generation only when something changed.

    Unchanged documents are carried over with their stored vectors; changed ones are replaced; documents deleted
    from a source folder (or named in ``remove``) are dropped. A document that fails keeps its previously indexed
    version. Readers see the new generation only once it is complete.

    Args:
        sources: folders to index; each document is identified by its path relative to its folder.
        index_dir: the index folder.
        settings: validated settings.
        components: embedder, scrubber and store.
        doc_type: force this document type for every file of the build (``--doc-type``).
        rebuild: process every document again, even unchanged ones.
        remove: sources to drop from the index.
        progress: called after each file with (done, total, result).

    Raises:
        IngestionError: a source folder does not exist, or another build holds the index.
    """
    started = time.perf_counter()
    roots = [Path(source).resolve() for source in sources]
    for root in roots:
        if not root.is_dir():
            raise IngestionError(f"{root}: source folder not found")
    with build_lock(index_dir):
        clean_interrupted(index_dir, components.store)
        previous, previous_records = (None, []) if rebuild else _previous(index_dir)
        print_ = fingerprint(settings, components.embedder)
        same_settings = previous is not None and previous.fingerprint == print_
        old_docs = previous.documents if previous is not None else {}

        files: list[tuple[str, Path, Path]] = []  # (source, root, path)
        seen: dict[str, Path] = {}
        for root in roots:
            for path in discover(root):
                source = path.relative_to(root).as_posix()
                if any(fnmatch(source, pattern) for pattern in settings.ingestion.exclude):
                    continue
                if source in seen:
                    continue  # the first folder wins; the second copy is reported below
                seen[source] = path
                files.append((source, root, path))

        results: list[FileResult] = []
        keep: dict[str, dict[str, Any]] = {}  # source -> manifest entry carried over unchanged
        todo: list[tuple[str, Path, Path, str]] = []
        max_bytes = int(settings.ingestion.max_file_mb * 1024 * 1024)
        for source, root, path in files:
            if source in remove:
                continue
            old = old_docs.get(source)
            digest = _file_hash(path) if path.stat().st_size <= max_bytes else ""
            if old is not None and same_settings and old["hash"] == digest and old.get("forced_type") == doc_type:
                keep[source] = old
                results.append(FileResult(source, "unchanged", len(old["chunk_ids"]), old.get("scrubbed", {})))
            else:
                todo.append((source, root, path, digest))

        root_names = {str(root) for root in roots}
        for source, entry in old_docs.items():
            if source in seen and source not in remove:
                continue
            if source in remove or entry.get("root") in root_names or not same_settings:
                results.append(FileResult(source, "removed", len(entry["chunk_ids"])))
            else:
                keep[source] = entry  # indexed from a folder this build was not given: leave it alone

        if previous is not None and not todo and not any(r.status == "removed" for r in results):
            return BuildReport(previous.generation, results, previous.chunk_count, time.perf_counter() - started, True)

        generation = new_generation_name()
        folder = generations_dir(index_dir) / generation
        folder.mkdir(parents=True)
        collection = components.store.create(folder, generation)
        records: list[dict[str, Any]] = []
        documents: dict[str, dict[str, Any]] = {}

        by_id = {record["id"]: record for record in previous_records}
        carried_ids = [cid for entry in keep.values() for cid in entry["chunk_ids"]]
        _carry(components.store, index_dir, previous, carried_ids, by_id, collection, records)
        documents.update(keep)

        total = len(results) + len(todo)
        done = len(results)
        for source, root, path, digest in todo:
            try:
                document = load_document(path, root, doc_type=doc_type, max_bytes=max_bytes)
                document.source = source
                chunks, counts, title = _process(document, settings, components)
                vectors = components.embedder.embed_documents([search_text(c.title, c.text) for c in chunks])
                collection.add(
                    [c.id for c in chunks], vectors, [c.text for c in chunks], [c.metadata() for c in chunks]
                )
            except IngestionError as exc:
                result = FileResult(source, "failed", reason=str(exc))
                old = old_docs.get(source)
                if old is not None and old["chunk_ids"]:
                    result.reason += " (the previously indexed version is kept)"
                    _carry(components.store, index_dir, previous, old["chunk_ids"], by_id, collection, records)
                    documents[source] = old
            else:
                records.extend({"id": c.id, "text": c.text, **c.metadata()} for c in chunks)
                documents[source] = {
                    "root": str(root),
                    "forced_type": doc_type,
                    "hash": digest or document.content_hash,
                    "title": title,
                    "doc_type": document.metadata.doc_type,
                    "jurisdiction": document.metadata.jurisdiction,
                    "language": document.metadata.language,
                    "date": document.metadata.date,
                    "meta": {
                        k: document.metadata.extra[k] for k in PUBLIC_METADATA_KEYS if k in document.metadata.extra
                    },
                    "chunk_ids": [c.id for c in chunks],
                    "scrubbed": counts,
                    "indexed_at": datetime.now(UTC).isoformat(timespec="seconds"),
                }
                result = FileResult(source, "indexed", len(chunks), counts)
            results.append(result)
            done += 1
            if progress is not None:
                progress(done, total, result)

        _finish(folder, generation, print_, documents, records)
        set_current(index_dir, generation)
        prune(index_dir, settings.ingestion.keep_generations, components.store)
        return BuildReport(generation, results, len(records), time.perf_counter() - started)


def _carry(
    store: ChromaStore,
    index_dir: Path,
    previous: Manifest | None,
    ids: list[str],
    by_id: dict[str, dict[str, Any]],
    collection: ChromaCollection,
    records: list[dict[str, Any]],
) -> None:
    """Copy chunks of the previous generation with their stored vectors (no re-embedding)."""
    if not ids or previous is None:
        return
    old = store.open(generations_dir(index_dir) / previous.generation, previous.generation)
    vectors = old.embeddings(ids)
    carried = [by_id[cid] for cid in ids]
    collection.add(
        ids,
        [vectors[cid] for cid in ids],
        [record["text"] for record in carried],
        [{k: v for k, v in record.items() if k not in ("id", "text")} for record in carried],
    )
    records.extend(carried)


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
