"""Load, scrub and chunk the documents a build indexes, prepared ahead of the embedder in threads."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import islice
from typing import NamedTuple, TypeVar

from core.errors import IngestionError, SafeBordersError
from core.settings import Settings
from ingestion.chunk import chunk_document
from ingestion.documents import Chunk, LoadedDocument, Page
from ingestion.load import load_document
from ingestion.plan import Pending, max_file_bytes
from ingestion.report import FileResult
from ingestion.scrub import PiiScrubber, should_scrub

Item = TypeVar("Item")
Ready = TypeVar("Ready")


class Prepared(NamedTuple):
    """A document read, scrubbed and chunked, ready to embed."""

    document: LoadedDocument
    chunks: list[Chunk]
    counts: dict[str, int]
    title: str


def _process(
    document: LoadedDocument, settings: Settings, scrubber: PiiScrubber
) -> tuple[list[Chunk], dict[str, int], str]:
    """Scrub (when the policy says so) and chunk one loaded document; returns chunks, counts and a safe title."""
    title = document.metadata.title
    pages = document.pages
    counts: dict[str, int] = {}
    if should_scrub(document.metadata.doc_type, settings.scrubbing):
        result = scrubber.scrub([title, *(page.text for page in pages)], document.metadata.language)
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


def prepare_document(
    pending: Pending, *, settings: Settings, scrubber: PiiScrubber, doc_type: str | None
) -> Prepared | FileResult:
    """Load, scrub and chunk one document; a bad file gives its failed result.

    Any error reading, scrubbing or chunking a file (a bad file, or a library failing on it: RecursionError,
    MemoryError, ValueError…) fails that file only; a missing model raises, since every other file would fail too.
    """
    source, root, path, _ = pending
    try:
        document = load_document(
            path, root, doc_type=doc_type, max_bytes=max_file_bytes(settings), limits=settings.ingestion
        )
        document.source = source
        return Prepared(document, *_process(document, settings, scrubber))
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
