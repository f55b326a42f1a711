"""Builds a new index generation from source folders: load → scrub → chunk → embed → index, then switch atomically."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fnmatch import fnmatch
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any, Literal, NamedTuple, TypeVar

from langchain_core.embeddings import Embeddings

from core.embedders import embedder_name
from core.errors import IndexUnavailableError, IngestionError, SafeBordersError
from core.index_files import (
    COMPLETE_MARKER,
    Manifest,
    generations_dir,
    read_current_manifest,
    read_generation_chunks,
)
from core.lexical import TOKENIZER_VERSION, LexicalIndex
from core.settings import Settings
from core.store import ChromaStore
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
# Raise when heading recognition or chunking changes the chunks a file gives (2: "609-undecies", titles ending ")";
# 3: titles of any length, branch numbers "98-2").
CHUNKING_VERSION = 3


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


class _Pending(NamedTuple):
    """A document the build (re)indexes: its source name, folder, path and file hash ("" when too large)."""

    source: str
    root: Path
    path: Path
    digest: str


@dataclass
class _Plan:
    """What a build does, decided before anything is written."""

    previous: Manifest | None
    previous_records: list[dict[str, Any]]
    fingerprint: dict[str, Any]
    old_docs: dict[str, dict[str, Any]]
    results: list[FileResult] = field(default_factory=list)  # unchanged and removed documents
    keep: dict[str, dict[str, Any]] = field(default_factory=dict)  # source -> manifest entry carried over unchanged
    todo: list[_Pending] = field(default_factory=list)

    @property
    def changes_nothing(self) -> bool:
        return not self.todo and not any(result.status == "removed" for result in self.results)


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
        plan = _plan(roots, index_dir, settings, components, doc_type=doc_type, rebuild=rebuild, remove=remove)
        if plan.previous is not None and plan.changes_nothing:
            seconds = time.perf_counter() - started
            return BuildReport(plan.previous.generation, plan.results, plan.previous.chunk_count, seconds, True)
        results = list(plan.results)
        total = len(results) + len(plan.todo)
        with _new_generation(index_dir, components.store, plan) as writer:
            writer.keep(plan.keep)
            prepare = partial(_prepare, settings=settings, components=components, doc_type=doc_type)
            for pending, prepared in prepared_ahead(plan.todo, prepare, settings.ingestion.workers):
                old = plan.old_docs.get(pending.source)
                result = _index_document(pending, prepared, writer, old, components, doc_type)
                results.append(result)
                if progress is not None:
                    progress(len(results), total, result)
        prune(index_dir, settings.ingestion.keep_generations, components.store)
        return BuildReport(writer.generation, results, len(writer.records), time.perf_counter() - started)


def _max_bytes(settings: Settings) -> int:
    return int(settings.ingestion.max_file_mb * 1024 * 1024)


def _discover_files(roots: Sequence[Path], exclude: Sequence[str]) -> list[tuple[str, Path, Path]]:
    """(source, root, path) of every document in the folders; of two with the same source name the first wins."""
    files: list[tuple[str, Path, Path]] = []
    seen: set[str] = set()
    for root in roots:
        for path in discover(root):
            source = path.relative_to(root).as_posix()
            if any(fnmatch(source, pattern) for pattern in exclude):
                continue
            if source in seen:
                continue  # the first folder wins; the second copy is reported below
            seen.add(source)
            files.append((source, root, path))
    return files


def _plan(
    roots: Sequence[Path],
    index_dir: Path,
    settings: Settings,
    components: Components,
    *,
    doc_type: str | None,
    rebuild: bool,
    remove: Sequence[str],
) -> _Plan:
    """Which documents are carried over unchanged, which are (re)indexed and which are dropped."""
    previous, previous_records = (None, []) if rebuild else _previous(index_dir)
    print_ = fingerprint(settings, components.embedder)
    same_settings = previous is not None and previous.fingerprint == print_
    plan = _Plan(previous, previous_records, print_, previous.documents if previous is not None else {})
    files = _discover_files(roots, settings.ingestion.exclude)
    max_bytes = _max_bytes(settings)
    for source, root, path in files:
        if source in remove:
            continue
        old = plan.old_docs.get(source)
        digest = _file_hash(path) if path.stat().st_size <= max_bytes else ""
        if old is not None and same_settings and old["hash"] == digest and old.get("forced_type") == doc_type:
            plan.keep[source] = old
            plan.results.append(FileResult(source, "unchanged", len(old["chunk_ids"]), old.get("scrubbed", {})))
        else:
            plan.todo.append(_Pending(source, root, path, digest))

    seen = {source for source, _, _ in files}
    root_names = {str(root) for root in roots}
    for source, entry in plan.old_docs.items():
        if source in seen and source not in remove:
            continue
        if source in remove or entry.get("root") in root_names or not same_settings:
            plan.results.append(FileResult(source, "removed", len(entry["chunk_ids"])))
        else:
            plan.keep[source] = entry  # indexed from a folder this build was not given: leave it alone
    return plan


class _GenerationWriter:
    """A new generation being written: its Chroma collection, chunk records and manifest entries."""

    def __init__(self, index_dir: Path, store: ChromaStore, plan: _Plan) -> None:
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
def _new_generation(index_dir: Path, store: ChromaStore, plan: _Plan) -> Iterator[_GenerationWriter]:
    """A writer for a new generation, committed when the block completes.

    A block that raises leaves the half-written generation unused on disk (``clean_interrupted`` removes it).
    """
    writer = _GenerationWriter(index_dir, store, plan)
    yield writer
    writer.commit(plan.fingerprint)


Item = TypeVar("Item")
Ready = TypeVar("Ready")


class _Prepared(NamedTuple):
    """A document read, scrubbed and chunked, ready to embed."""

    document: LoadedDocument
    chunks: list[Chunk]
    counts: dict[str, int]
    title: str


def _prepare(
    pending: _Pending, *, settings: Settings, components: Components, doc_type: str | None
) -> _Prepared | FileResult:
    """Load, scrub and chunk one document; a bad file gives its failed result.

    Any error reading, scrubbing or chunking a file (a bad file, or a library failing on it: RecursionError,
    MemoryError, ValueError…) fails that file only; a missing model raises, since every other file would fail too.
    """
    source, root, path, _ = pending
    try:
        document = load_document(
            path, root, doc_type=doc_type, max_bytes=_max_bytes(settings), limits=settings.ingestion
        )
        document.source = source
        return _Prepared(document, *_process(document, settings, components))
    except IngestionError as exc:
        return FileResult(source, "failed", reason=str(exc))
    except SafeBordersError:
        raise  # a missing spaCy model: every other file would fail the same way
    except Exception as exc:
        reason = " ".join(str(exc).split())[:200]
        return FileResult(source, "failed", reason=f"{source}: could not be indexed ({type(exc).__name__}: {reason})")


def prepared_ahead(
    todo: Sequence[Item], prepare: Callable[[Item], Ready], workers: int
) -> Iterator[tuple[Item, Ready]]:
    """Each pending document with its prepared form, in order, with up to ``workers`` prepared ahead in threads."""
    if workers == 0:
        for pending in todo:
            yield pending, prepare(pending)
        return
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ingest-prepare")
    try:
        queued: deque[tuple[Item, Future[Ready]]] = deque()
        upcoming = iter(todo)
        for pending in islice(upcoming, workers + 1):
            queued.append((pending, pool.submit(prepare, pending)))
        while queued:
            pending, future = queued.popleft()
            following = next(upcoming, None)
            if following is not None:
                queued.append((following, pool.submit(prepare, following)))
            yield pending, future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _index_document(
    pending: _Pending,
    prepared: _Prepared | FileResult,
    writer: _GenerationWriter,
    old: dict[str, Any] | None,
    components: Components,
    doc_type: str | None,
) -> FileResult:
    """Embed one prepared document into the writer; a failed one keeps its previous version.

    Models or the store failing (while embedding or writing) fail the build: every other file would fail the same way.
    """
    if isinstance(prepared, FileResult):
        return _failed(prepared, writer, old)
    document, chunks, counts, title = prepared
    vectors = components.embedder.embed_documents([search_text(c.title, c.text) for c in chunks])
    entry = _manifest_entry(document, pending.root, doc_type, pending.digest, title, chunks, counts)
    writer.add(pending.source, chunks, vectors, entry)
    return FileResult(pending.source, "indexed", len(chunks), counts)


def _failed(result: FileResult, writer: _GenerationWriter, old: dict[str, Any] | None) -> FileResult:
    """A failed file's result; its previously indexed version, if any, is carried over."""
    if old is not None and old["chunk_ids"]:
        result.reason += " (the previously indexed version is kept)"
        writer.keep({result.source: old})
    return result


def _manifest_entry(
    document: LoadedDocument,
    root: Path,
    doc_type: str | None,
    digest: str,
    title: str,
    chunks: list[Chunk],
    counts: dict[str, int],
) -> dict[str, Any]:
    """What the manifest records of an indexed document (public metadata only)."""
    metadata = document.metadata
    return {
        "root": str(root),
        "forced_type": doc_type,
        "hash": digest or document.content_hash,
        "title": title,
        "doc_type": metadata.doc_type,
        "jurisdiction": metadata.jurisdiction,
        "language": metadata.language,
        "date": metadata.date,
        "meta": {k: metadata.extra[k] for k in PUBLIC_METADATA_KEYS if k in metadata.extra},
        "chunk_ids": [c.id for c in chunks],
        "scrubbed": counts,
        "indexed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


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
