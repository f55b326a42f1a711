"""Ingestion throughput against the bound set by the two unavoidable passes (Presidio, embedding) and LangChain.

All three are measured in one run on the same files: the official treaties in ../shared/corpus plus the shipped
knowledge base. The bound is 1 / (1/P + 1/E): a pipeline that did nothing but analyse the text it must scrub
and embed the text it must index could not be faster.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from core.embedders import embedder_name
from core.settings import Settings
from ingestion.chunk import chunk_document
from ingestion.documents import LoadedDocument, search_text
from ingestion.load import discover, load_document
from ingestion.pipeline import Components, build_index, make_components
from ingestion.scrub import should_scrub

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


class CountingEmbedder(Embeddings):
    """The embedder, counting the passages and characters each pipeline hands it (like must be compared with like)."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.name = embedder_name(inner)
        self.texts = 0
        self.chars = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.texts += len(texts)
        self.chars += sum(len(text) for text in texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def _counted(settings: Settings) -> tuple[Components, CountingEmbedder]:
    """Warm components whose embedder counts what it is given."""
    components = make_components(settings)
    components.embedder.embed_query("warm up")
    components.scrubber.warm_up()  # type: ignore[attr-defined]
    counter = CountingEmbedder(components.embedder)
    components.embedder = counter
    return components, counter


@dataclass
class Source:
    folder: Path
    doc_type: str | None


def _sources(settings: Settings) -> list[Source]:
    return [Source(CORPUS, "legislation"), Source(settings.knowledge_base_dir, None)]


def _documents(settings: Settings) -> list[LoadedDocument]:
    documents = []
    for source in _sources(settings):
        for path in discover(source.folder):
            relative = path.relative_to(source.folder).as_posix()
            if any(Path(relative).match(pattern) for pattern in settings.ingestion.exclude):
                continue
            documents.append(load_document(path, source.folder, doc_type=source.doc_type))
    return documents


def _with_workers(settings: Settings, workers: int) -> Settings:
    ingestion = settings.ingestion.model_copy(update={"workers": workers})
    return settings.model_copy(update={"ingestion": ingestion})


def _ours(settings: Settings) -> tuple[float, CountingEmbedder]:
    """End-to-end build of a fresh index with the real components (models already warm), and what it embedded."""
    components, counter = _counted(settings)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        for source in _sources(settings):
            build_index([source.folder], Path(tmp) / "index", settings, components, doc_type=source.doc_type)
        return time.perf_counter() - started, counter


def _passes(settings: Settings, documents: list[LoadedDocument]) -> tuple[float, float]:
    """Seconds for Presidio analysis alone and for embedding alone, on the text the pipeline scrubs and embeds."""
    components = make_components(settings)
    components.embedder.embed_query("warm up")
    components.scrubber.warm_up()  # type: ignore[attr-defined]
    to_scrub = [d for d in documents if should_scrub(d.metadata.doc_type, settings.scrubbing)]
    started = time.perf_counter()
    for document in to_scrub:
        components.scrubber.detect([p.text for p in document.pages], document.metadata.language)  # type: ignore[attr-defined]
    presidio = time.perf_counter() - started
    chunking = settings.chunking
    texts = [
        search_text(chunk.title, chunk.text)
        for document in documents
        for chunk in chunk_document(document, max_chars=chunking.max_chars, min_chars=chunking.min_chars)
    ]
    started = time.perf_counter()
    components.embedder.embed_documents(texts)
    return presidio, time.perf_counter() - started


def _langchain(settings: Settings, documents: list[LoadedDocument]) -> tuple[float, CountingEmbedder]:
    """The plain LangChain pipeline: same scrubbing, RecursiveCharacterTextSplitter(1000), Chroma.from_documents."""
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    components, counter = _counted(settings)
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=100)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        docs = []
        for document in documents:
            text = document.text
            if should_scrub(document.metadata.doc_type, settings.scrubbing):
                text = "\n\n".join(components.scrubber.scrub([text], document.metadata.language).texts)
            docs.append(Document(page_content=text, metadata={"source": document.source}))
        Chroma.from_documents(splitter.split_documents(docs), components.embedder, persist_directory=tmp)
        return time.perf_counter() - started, counter


def run(settings: Settings, workers: tuple[int, ...] = (0, 1, 2)) -> dict[str, Any]:
    """The passes, our build with each number of prepare-ahead ``workers`` (the settings' one is the headline),
    and the plain LangChain pipeline, one after the other in this run."""
    documents = _documents(settings)
    chars = sum(len(d.text) for d in documents)
    presidio_s, embed_s = _passes(settings, documents)
    counts = sorted({*workers, settings.ingestion.workers})
    by_workers = {count: _ours(_with_workers(settings, count)) for count in counts}
    ours_s, ours_embedded = by_workers[settings.ingestion.workers]
    langchain_s, langchain_embedded = _langchain(settings, documents)
    bound_s = presidio_s + embed_s
    return {
        "ingest_workers": settings.ingestion.workers,
        "ingest_by_workers_s": {str(count): round(seconds, 2) for count, (seconds, _) in by_workers.items()},
        "ingest_embedded_texts": ours_embedded.texts,
        "ingest_embedded_chars": ours_embedded.chars,
        "langchain_embedded_texts": langchain_embedded.texts,
        "langchain_embedded_chars": langchain_embedded.chars,
        "documents": len(documents),
        "chars": chars,
        "embedder": settings.embedder.backend,
        "presidio_s": round(presidio_s, 2),
        "embed_s": round(embed_s, 2),
        "ingest_s": round(ours_s, 2),
        "langchain_s": round(langchain_s, 2),
        "ingest_chars_per_s": round(chars / ours_s, 1),
        "model_bound_chars_per_s": round(chars / bound_s, 1),
        "ingest_ratio_to_model_bound": round(bound_s / ours_s, 3),
        "ingest_ratio_to_langchain": round(langchain_s / ours_s, 3),
    }
