"""The data that flows between ingestion steps: documents, scrub results, chunks and the text a chunk is searched by."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Page:
    """Text of one page (PDF) or of a whole document (other formats, ``number`` is None)."""

    text: str
    number: int | None = None


@dataclass
class DocumentMetadata:
    """What is known about a document, from its folder, its front-matter or the command line."""

    title: str
    doc_type: str = "unknown"  # legislation | handbook | case_law | unknown
    jurisdiction: str = ""
    language: str = "en"
    date: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # other front-matter keys, kept as given


@dataclass
class LoadedDocument:
    """A document read from disk, before scrubbing.

    ``source`` is the path relative to the source folder it was found in, with forward slashes; it is the
    document's identity in the manifest and in citations.
    """

    source: str
    pages: list[Page]
    metadata: DocumentMetadata
    content_hash: str  # sha256 of the file's bytes

    @property
    def text(self) -> str:
        return "\n\n".join(page.text for page in self.pages)


@dataclass(frozen=True)
class ScrubbedSpan:
    """One replaced span, located in the *scrubbed* text (so a preview can highlight the placeholder)."""

    start: int
    end: int
    entity_type: str
    placeholder: str


@dataclass
class ScrubResult:
    """Scrubbed texts of one document's pages, with the replaced spans and counts per entity type."""

    texts: list[str]
    spans: list[list[ScrubbedSpan]]  # one list per text, positions in the scrubbed text
    counts: dict[str, int]


@dataclass(frozen=True)
class Chunk:
    """One indexed passage with everything a citation needs."""

    id: str
    text: str
    source: str
    title: str
    doc_type: str
    jurisdiction: str
    language: str
    section: str
    page: int | None
    ordinal: int
    flags: str = ""  # "injection" when the passage holds text addressed to the assistant (core.injection)

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata for the vector store (Chroma accepts no None values); ``flags`` only when set."""
        flags: dict[str, str | int] = {"flags": self.flags} if self.flags else {}
        return {
            "source": self.source,
            "title": self.title,
            "doc_type": self.doc_type,
            "jurisdiction": self.jurisdiction,
            "language": self.language,
            "section": self.section,
            "page": self.page if self.page is not None else -1,
            "ordinal": self.ordinal,
            **flags,
        }


def chunk_id(source: str, ordinal: int, text: str) -> str:
    """Stable id: the same passage of the same document always gets the same id."""
    digest = hashlib.sha256(f"{source}\x00{ordinal}\x00{text}".encode()).hexdigest()
    return digest[:24]


# Part of the index fingerprint (ingestion/pipeline.py): raise it when search_text changes what is searched.
SEARCH_TEXT_VERSION = 2


def search_text(title: str, text: str) -> str:
    """What is embedded and BM25-indexed for a chunk: its document title, then its text.

    A case-law section such as "Outcome" rarely names its case; with the title, "What did the Court decide in
    Rantsev?" finds it. The stored (and cited) text stays the chunk text alone.
    """
    return text if text.startswith(title) else f"{title}\n{text}"
