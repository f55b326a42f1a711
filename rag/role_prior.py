"""Role priors in retrieval: the kinds of source each role is served first among the fused candidates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rag.search import Hit
from rag.types import Role


@dataclass(frozen=True)
class RolePrior:
    """How one role's retrieval weighs the document types of its candidates.

    Attributes:
        weights: a factor on the fused score of each document type (missing: 1.0), applied to every candidate
            before the best ``k`` are taken, so a preferred source further down the pool can enter them.
        held_back: document types left out of the ``k`` shown while a ``preferred`` chunk is among the relevant
            candidates (scoring at least ``relevant_share`` of the best); they fill only places nothing else takes.
        preferred: the document types whose relevance holds the others back.
        relevant_share: the share of the best weighted score a preferred chunk needs to count as relevant.
        evidence_shift: places a shown source of each document type moves up (negative: down) in the order the
            answer numbers the sources (``rag.answer.evidence_order``); the choice of sources is not changed.
    """

    weights: Mapping[str, float] = field(default_factory=dict)
    held_back: tuple[str, ...] = ()
    preferred: tuple[str, ...] = ()
    relevant_share: float = 1.0
    evidence_shift: Mapping[str, float] = field(default_factory=dict)

    def weigh(self, scores: dict[str, float], hits: Mapping[str, Hit]) -> None:
        """Multiply each candidate's score by its document type's weight, in place."""
        for hit_id, hit in hits.items():
            scores[hit_id] *= self.weights.get(hit.doc_type, 1.0)

    def shown(self, ranked: Sequence[Hit], k: int, *, named: bool = False) -> list[Hit]:
        """The ``k`` hits to show, best first: ``ranked`` less the held-back types while a preferred chunk is
        relevant. A question that names an instrument or a judgment (``named``) asks for it: nothing is held back."""
        if named or not self.held_back or not ranked:
            return list(ranked[:k])
        floor = self.relevant_share * ranked[0].score
        if not any(hit.doc_type in self.preferred and hit.score >= floor for hit in ranked):
            return list(ranked[:k])
        kept = [hit for hit in ranked if hit.doc_type not in self.held_back]
        held = [hit for hit in ranked if hit.doc_type in self.held_back]
        return (kept + held)[:k]


# A frontline worker asking what to do is served by the handbook's steps, not by a judgment's narrative of facts
# that resemble the situation (the question's words are mostly the situation: age, place, fear). Tuning split of
# evaluation/questions/frontline_kb.jsonl (23 questions, gold a handbook chapter), recall@1 / @5 and questions
# shown a judgment: no prior 0.61 / 0.83 / 43%; case law held back alone 0.65 / 0.87 / 0%; handbook x1.1 0.74 /
# 0.87, x1.2 0.74 / 0.91, x1.25 to x2.0 0.78 / 0.91 (with it); x1.3 is on that plateau, near its low end.
# A judge's retrieval keeps its own ranking: legislation and case law x1.1 / x1.2 / x1.3 lowered the knowledge-base
# tuning set's English recall@1 from 0.80 to 0.75 / 0.70 / 0.68. Only the order the answer numbers them in moves.
ROLE_PRIORS: dict[Role, RolePrior] = {
    "frontline": RolePrior(
        weights={"handbook": 1.3},
        held_back=("case_law",),
        preferred=("handbook",),
        relevant_share=0.5,
    ),
    "judge": RolePrior(evidence_shift={"legislation": 1.0, "case_law": 1.0, "handbook": -1.0}),
}


def prior_for(role: Role | None) -> RolePrior:
    """The role's prior; no role (a plain search) gets none."""
    return ROLE_PRIORS.get(role, RolePrior()) if role is not None else RolePrior()
