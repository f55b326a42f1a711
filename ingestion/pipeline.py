"""Builds a new index generation from source folders: load → scrub → chunk → embed → index, then switch atomically."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from core.embedders import embedder_name
from core.errors import IngestionError
from core.lexical import TOKENIZER_VERSION
from core.settings import Settings
from core.store import ChromaStore
from ingestion.documents import SEARCH_TEXT_VERSION, Chunk, LoadedDocument, search_text
from ingestion.generations import build_lock, clean_interrupted, prune
from ingestion.plan import Pending, plan_build
from ingestion.prepare import Prepared, prepare_document, prepared_ahead
from ingestion.report import BuildReport, FileResult, ProgressCallback
from ingestion.scrub import PiiScrubber
from ingestion.scrub_policy import SCRUBBING_VERSION
from ingestion.writer import GenerationWriter, new_generation

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
class Components:
    """The replaceable parts a build needs (real ones from ``make_components``, fakes in unit tests)."""

    embedder: Embeddings
    scrubber: PiiScrubber
    store: ChromaStore


def make_components(settings: Settings) -> Components:
    """The real embedder, Presidio scrubber and Chroma store, each loaded lazily on first use."""
    from core.embedders import make_embedder
    from ingestion.scrub import PresidioScrubber

    return Components(
        make_embedder(settings.embedder), PresidioScrubber(settings.scrubbing), ChromaStore(settings.vector_store)
    )


# Raise when heading recognition or chunking changes the chunks a file gives (2: "609-undecies", titles ending ")";
# 3: titles of any length, branch numbers "98-2").
CHUNKING_VERSION = 3


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
        print_ = fingerprint(settings, components.embedder)
        plan = plan_build(roots, index_dir, settings, print_, doc_type=doc_type, rebuild=rebuild, remove=remove)
        if plan.previous is not None and plan.changes_nothing:
            seconds = time.perf_counter() - started
            return BuildReport(plan.previous.generation, plan.results, plan.previous.chunk_count, seconds, True)
        results = list(plan.results)
        total = len(results) + len(plan.todo)
        with new_generation(index_dir, components.store, plan) as writer:
            writer.keep(plan.keep)
            prepare = partial(prepare_document, settings=settings, scrubber=components.scrubber, doc_type=doc_type)
            for pending, prepared in prepared_ahead(plan.todo, prepare, settings.ingestion.workers):
                old = plan.old_docs.get(pending.source)
                result = _index_document(pending, prepared, writer, old, components, doc_type)
                results.append(result)
                if progress is not None:
                    progress(len(results), total, result)
        prune(index_dir, settings.ingestion.keep_generations, components.store)
        return BuildReport(writer.generation, results, len(writer.records), time.perf_counter() - started)


def _index_document(
    pending: Pending,
    prepared: Prepared | FileResult,
    writer: GenerationWriter,
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


def _failed(result: FileResult, writer: GenerationWriter, old: dict[str, Any] | None) -> FileResult:
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
