"""What the document viewer shows for a citation: the cited PDF page as a picture, or the cited section as text.

Only documents of the current index are opened, found by the citation's source in the index's manifest (never by a
path a user typed). The original file is shown only when it is the file that was indexed and nothing was scrubbed
from it; otherwise the viewer shows the indexed, scrubbed text, and says why.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.pdf_page import render_page
from app.render import supporting_span
from core.errors import InputError, KeyedInputError
from core.i18n import Message
from core.index_files import read_current_manifest, read_generation_chunks
from rag.search import Hit
from rag.types import Citation

NEIGHBOURS = 1  # chunks shown before and after the cited section of a text document

Span = tuple[int, int]


class ViewerError(KeyedInputError):
    """A citation the viewer cannot open."""


@dataclass(frozen=True)
class Passage:
    """A piece of the indexed text the viewer shows, with the spans of it that are highlighted."""

    text: str
    section: str
    page: int | None
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class DocumentView:
    """The viewer's content for one citation.

    Attributes:
        page: the PDF page shown (from 1), None for a text document.
        pages: the PDF's number of pages, when its picture is shown.
        picture: the PDF page as PNG bytes, with the passage marked; None when the text is shown instead.
        passages: the indexed text shown (a text document's section with its neighbours, or a PDF page's text
            when its picture is not shown).
        notices: what the reader should know about what is shown (no mark found, scrubbed text instead of the page).
        marked: whether the cited passage is marked on the picture.
        cited_page: the PDF page the citation is on (``page`` differs after turning pages).
    """

    source: str
    title: str
    page: int | None
    pages: int | None
    picture: bytes | None
    passages: tuple[Passage, ...]
    notices: tuple[Message, ...]
    marked: bool = False
    cited_page: int | None = None


def open_citation(citation: Citation, index_dir: Path, page: int | None = None) -> DocumentView:
    """The viewer's content for ``citation``: its document opened at the cited page, or at the cited section.

    Args:
        citation: a source card's citation.
        index_dir: the index folder of the settings.
        page: another page of a PDF to show (from 1, at most its ``pages``); the cited page when None.

    Raises:
        ViewerError: the citation's document is no longer in the index.
        IndexUnavailableError: there is no readable index.
    """
    manifest = read_current_manifest(index_dir)
    entry = manifest.documents.get(citation.source)
    chunks = _document_chunks(index_dir, manifest.generation).get(citation.source, ())
    if entry is None or not chunks:
        raise ViewerError(
            "viewer_not_indexed", f"{citation.source}: no longer in the knowledge base", source=citation.source
        )
    cited = cited_chunk(chunks, citation)
    if citation.source.lower().endswith(".pdf"):
        return _pdf_view(citation, entry, chunks, chunks[cited].page or 1, page)
    return DocumentView(
        citation.source, _title(entry, citation), None, None, None, _section(chunks, cited, citation), ()
    )


@functools.lru_cache(maxsize=2)
def _document_chunks(index_dir: Path, generation: str) -> dict[str, tuple[Hit, ...]]:
    """The chunks of one generation by document, in document order (read once per generation)."""
    manifest = read_current_manifest(index_dir)
    if manifest.generation != generation:  # switched between the two reads: the caller's generation is gone
        return {}
    documents: dict[str, list[Hit]] = {}
    for record in read_generation_chunks(index_dir, manifest):
        hit = Hit.from_metadata(record["id"], record["text"], 0.0, record)
        documents.setdefault(hit.source, []).append(hit)
    return {source: tuple(sorted(hits, key=lambda hit: hit.ordinal)) for source, hits in documents.items()}


def cited_chunk(chunks: tuple[Hit, ...], citation: Citation) -> int:
    """Which of a document's chunks holds the cited passage (its position in ``chunks``).

    A citation of an article joined from several chunks points at its best part; the supporting sentence may lie in
    another part (on another PDF page), so the chunk of the cited section that holds that sentence comes first, then
    the chunk the citation names, then the first of its section.
    """
    section = [i for i, chunk in enumerate(chunks) if chunk.section == citation.section] or list(range(len(chunks)))
    if citation.supporting.strip():
        for i in section:
            if supporting_span(chunks[i].text, citation.supporting) is not None:
                return i
    for i in section:
        if chunks[i].id == citation.chunk_id:
            return i
    return next((i for i in section if chunks[i].page == citation.page), section[0])


def _title(entry: dict[str, Any], citation: Citation) -> str:
    return str(entry.get("title") or citation.title or citation.source)


def _marked(chunk: Hit, citation: Citation, *, whole: bool) -> Passage:
    """The cited chunk as a passage, its supporting sentence highlighted (or all of it, with ``whole``)."""
    span = supporting_span(chunk.text, citation.supporting)
    if span is None and whole:
        span = (0, len(chunk.text))
    return Passage(chunk.text, chunk.section, chunk.page, (span,) if span else ())


def _section(chunks: tuple[Hit, ...], cited: int, citation: Citation) -> tuple[Passage, ...]:
    """The cited chunk's section (all its parts), with ``NEIGHBOURS`` chunks of text before and after it."""
    first = last = cited
    section = chunks[cited].section
    if section:
        while first > 0 and chunks[first - 1].section == section:
            first -= 1
        while last + 1 < len(chunks) and chunks[last + 1].section == section:
            last += 1
    shown = range(max(0, first - NEIGHBOURS), min(len(chunks), last + 1 + NEIGHBOURS))
    return tuple(_marked(chunks[i], citation, whole=True) if i == cited else _plain(chunks[i]) for i in shown)


def _plain(chunk: Hit) -> Passage:
    return Passage(chunk.text, chunk.section, chunk.page)


def _pdf_view(
    citation: Citation, entry: dict[str, Any], chunks: tuple[Hit, ...], cited_page: int, page: int | None
) -> DocumentView:
    """A page's picture (the cited page unless ``page`` says another), or its indexed text when the original may not
    or cannot be shown."""
    shown = cited_page if page is None else page
    if entry.get("scrubbed"):
        return _page_text(citation, entry, chunks, shown, cited_page, Message("viewer_scrubbed", {"page": shown}))
    original = _original(entry, citation.source)
    if original is None:
        return _page_text(citation, entry, chunks, shown, cited_page, Message("viewer_changed", {"page": shown}))
    passage = citation.supporting if shown == cited_page else ""  # the passage is marked on its own page only
    try:
        rendered = render_page(original, shown, passage)
    except InputError:
        return _page_text(citation, entry, chunks, shown, cited_page, Message("viewer_unreadable", {"page": shown}))
    notices = () if rendered.highlighted or not passage.strip() else (Message("viewer_no_highlight"),)
    return DocumentView(
        citation.source, _title(entry, citation), shown, rendered.pages, rendered.png, (), notices,
        rendered.highlighted, cited_page,
    )  # fmt: skip


def _page_text(
    citation: Citation, entry: dict[str, Any], chunks: tuple[Hit, ...], page: int, cited_page: int, why: Message
) -> DocumentView:
    """The indexed text of a PDF page in place of its picture, with ``why`` (the cited passage highlighted)."""
    marked = cited_chunk(chunks, citation) if page == cited_page else -1
    shown = tuple(
        _marked(chunk, citation, whole=False) if i == marked else _plain(chunk)
        for i, chunk in enumerate(chunks)
        if (chunk.page or 1) == page
    )
    pages = max(chunk.page or 1 for chunk in chunks)  # the last page with indexed text
    return DocumentView(citation.source, _title(entry, citation), page, pages, None, shown, (why,), False, cited_page)


def _original(entry: dict[str, Any], source: str) -> Path | None:
    """The indexed file itself: inside the folder it was indexed from, and with the hash it was indexed with."""
    root = Path(str(entry.get("root", ""))).resolve()
    path = (root / source).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        return None
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return path if digest.hexdigest() == entry.get("hash") else None
