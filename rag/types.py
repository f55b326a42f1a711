"""What the answering side returns: citations, checked sentences and the answer with its evidence."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from rag.search import Hit

Role = Literal["judge", "frontline"]


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


@dataclass(frozen=True)
class CheckedSentence:
    """One sentence of the generated answer with the result of the grounding check."""

    text: str
    citations: tuple[int, ...]
    supported: bool
    score: float


def hit_json(hit: Hit, rank: int) -> dict[str, Any]:
    """A search hit as the CLI prints it: {rank, score, source, title, section, page, doc_type, text}."""
    return {
        "rank": rank,
        "score": round(hit.score, 4),
        "source": hit.source,
        "title": hit.title,
        "section": hit.section,
        "page": hit.page,
        "doc_type": hit.doc_type,
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
    notice: str = ""  # e.g. why the assistant abstained

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
            "notice": self.notice,
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
