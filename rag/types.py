"""What the answering side returns: citations, checked sentences and the answer with its evidence."""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from core.i18n import Message
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

    @classmethod
    def from_hit(cls, n: int, hit: Hit, supporting: str = "") -> Citation:
        """``[n]`` pointing at a retrieved chunk, whose whole text is the quote."""
        return cls(
            n=n,
            chunk_id=hit.id,
            source=hit.source,
            title=hit.title,
            section=hit.section,
            page=hit.page,
            doc_type=hit.doc_type,
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
    notice: Message | None = None  # e.g. the nearest sources when the assistant abstained
    language: str = "en"  # of the question, which the answer and its notice are written in
    # Seconds to the first token, to the last (generation) and for the check (grounding); empty when nothing was
    # generated. Measurements, not content: two answers alike in everything else are equal.
    timings: dict[str, float] = field(default_factory=dict, compare=False)
    stopped: bool = False  # the user stopped the draft: the answer is what was checked of it up to then

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
    """Tokens of the draft as they are generated; ``result`` holds the checked Answer once iteration ends.

    It wraps a generator that yields the tokens and returns the Answer, keeping that return value for readers such as
    ``st.write_stream`` that only iterate. The tokens read so far are kept in ``drafted``, so that a reader who stops
    early (the chat's stop button) can still have them checked with ``stop()``.
    """

    def __init__(
        self,
        answer: Generator[str, None, Answer],
        finish: Callable[[str], Answer],
        evidence: Sequence[Hit] = (),
    ) -> None:
        self._answer = answer
        # Checks a partial draft against the sources it was written from (the Answerer's grounding check).
        self._finish = finish
        self.result: Answer | None = None
        # The sources the draft is written from, known before its first token (shown while the model drafts).
        self.evidence: list[Hit] = list(evidence)
        self.drafted: list[str] = []

    def __iter__(self) -> Iterator[str]:
        try:
            while True:
                try:
                    token = next(self._answer)
                except StopIteration as end:
                    self.result = end.value
                    return
                self.drafted.append(token)
                yield token
        finally:
            # A reader that stops early (or is interrupted) releases the generator, and with it the model.
            self._answer.close()

    def stop(self) -> Answer:
        """End the draft where it is and return the Answer checked over the tokens drafted so far.

        Once iteration has ended this is the finished ``result``. What the check keeps of a partial draft is only
        what its sources support, as for a whole one; the Answer says it was stopped.
        """
        if self.result is not None:
            return self.result
        self._answer.close()
        self.result = replace(self._finish("".join(self.drafted)), stopped=True)
        return self.result

    @property
    def timings(self) -> dict[str, float]:
        """Seconds: first_token, generation, grounding (empty until iteration ends, and when nothing was generated)."""
        return self.result.timings if self.result is not None else {}
