"""What the answering side returns: citations, checked sentences and the answer with its evidence."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from core.i18n import Message
from ingestion.index import Hit

Role = Literal["judge", "frontline"]


@dataclass(frozen=True)
class Filters:
    """Metadata filters chosen by the user (empty = everything)."""

    doc_types: tuple[str, ...] = ()
    jurisdictions: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()

    def where(self) -> dict[str, Any] | None:
        clauses: dict[str, Any] = {}
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


@dataclass(frozen=True)
class Turn:
    """One exchange of a conversation, used to resolve follow-up questions."""

    question: str
    answer: str = ""


@dataclass(frozen=True)
class Citation:
    """``[n]`` in an answer: the chunk it points to and the passage that supports the sentence."""

    n: int
    chunk_id: str
    source: str
    title: str
    section: str
    page: int | None
    doc_type: str
    quote: str  # the chunk's text (what the user can verify)
    supporting: str = ""  # the sentence of ``quote`` that best supports the cited statement

    @classmethod
    def from_hit(cls, n: int, hit: Hit, supporting: str = "") -> Citation:
        """``[n]`` pointing at a retrieved chunk, whose whole text is the quote (a page of -1 means none)."""
        meta = hit.metadata
        page = meta.get("page", -1)
        return cls(
            n=n,
            chunk_id=hit.id,
            source=str(meta.get("source", "")),
            title=str(meta.get("title", "")),
            section=str(meta.get("section", "")),
            page=None if page in (None, -1) else int(page),
            doc_type=str(meta.get("doc_type", "")),
            quote=hit.text,
            supporting=supporting,
        )


@dataclass(frozen=True)
class CheckedSentence:
    """One sentence of the generated answer with the result of the grounding check."""

    text: str
    citations: tuple[int, ...]
    supported: bool
    score: float


def hit_json(hit: Hit, rank: int) -> dict[str, Any]:
    """A search hit as the CLI prints it: {rank, score, source, title, section, page, doc_type, text}."""
    page = hit.metadata.get("page", -1)
    return {
        "rank": rank,
        "score": round(hit.score, 4),
        "source": hit.metadata.get("source", ""),
        "title": hit.metadata.get("title", ""),
        "section": hit.metadata.get("section", ""),
        "page": None if page in (None, -1) else page,
        "doc_type": hit.metadata.get("doc_type", ""),
        "text": hit.text,
    }


@dataclass
class Answer:
    """A checked answer: generated text (labelled as such), its citations, and the evidence it was built from."""

    question: str
    answer: str
    citations: list[Citation]
    abstained: bool
    evidence: list[Hit]
    model: str
    index_generation: str
    role: Role = "judge"
    extractive: bool = False  # True when no generated sentence survived the check and quotes are shown instead
    sentences: list[CheckedSentence] = field(default_factory=list)
    notice: Message | None = None  # e.g. the nearest sources when the assistant abstained
    language: str = "en"  # of the question, which the answer and its notice are written in

    def evidence_citations(self, limit: int | None = None) -> list[Citation]:
        """The first ``limit`` evidence chunks as unnumbered citations (n 0): an abstention's nearest sources."""
        return [Citation.from_hit(0, hit) for hit in self.evidence[:limit]]

    def to_json(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "citations": [
                {k: v for k, v in asdict(c).items() if k in ("n", "source", "title", "section", "page", "quote")}
                for c in self.citations
            ],
            "abstained": self.abstained,
            "extractive": self.extractive,
            "evidence": [hit_json(hit, rank) for rank, hit in enumerate(self.evidence, start=1)],
            "model": self.model,
            "index_generation": self.index_generation,
            "notice": self.notice.text(self.language) if self.notice else "",
        }


class AnswerStream:
    """Tokens of the draft as they are generated; ``result`` holds the checked Answer once iteration ends."""

    def __init__(self, tokens: Iterator[str], finish: Any) -> None:
        self._tokens = tokens
        self._finish = finish  # callable(draft: str) -> Answer
        self._draft: list[str] = []
        self.result: Answer | None = None
        self.timings: dict[str, float] = {}  # seconds: first_token, generation, grounding (filled by the Answerer)
        # The sources the draft is written from, known before its first token (shown while the model drafts).
        self.evidence: list[Hit] = []

    def __iter__(self) -> Iterator[str]:
        for token in self._tokens:
            self._draft.append(token)
            yield token
        self.result = self._finish("".join(self._draft))
