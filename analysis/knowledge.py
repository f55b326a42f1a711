"""What case analysis reads from the indexed knowledge base: a search, and the indexed documents' front-matter."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from rag.search import Filters, Hit

# The index's documents by source, each with its front-matter under "meta"; called when needed, so an index
# that cannot be opened is reported then (IndexUnavailableError), like a search.
Documents = Callable[[], Mapping[str, Mapping[str, Any]]]


class Searcher(Protocol):
    """A search over the indexed knowledge base (the rag Assistant is one)."""

    def search(self, question: str, *, k: int | None = None, filters: Filters | None = None) -> list[Hit]:
        """The best chunks for ``question`` among those that ``filters`` allow."""
        ...
