"""Retrieval quality on the development set: recall@1/5 and MRR per language, abstention, latency."""

from __future__ import annotations

import itertools
import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rag.retrieve import TOO_FAR, Retrieval
from rag.search import Hit

if TYPE_CHECKING:
    from rag.service import Assistant
from rag.types import Turn

QUESTIONS = Path(__file__).resolve().parent / "questions" / "dev.jsonl"


def load_questions(path: Path = QUESTIONS) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def section_matches(section: str, prefix: str) -> bool:
    """A gold section is a prefix of the hit's section, ending where the number or heading ends."""
    if not prefix:
        return True
    if not section.startswith(prefix):
        return False
    rest = section[len(prefix) :]
    return not rest or not (rest[0].isalnum() or rest[0] == "-")


def is_gold(hit: Hit, gold: list[dict[str, str]]) -> bool:
    return any(hit.source == g["source"] and section_matches(hit.section, g["section"]) for g in gold)


def first_gold_rank(hits: list[Hit], gold: list[dict[str, str]]) -> int | None:
    return next((rank for rank, hit in enumerate(hits, start=1) if is_gold(hit, gold)), None)


@dataclass
class QuestionResult:
    id: str
    language: str
    answerable: bool
    rank: int | None
    covered: bool
    top_similarity: float
    seconds: float
    named: bool = False  # names an instrument or judgment of the index: the similarity threshold does not apply
    guarded: bool = False  # not covered whatever the threshold: another guard (foreign law, unknown name) said so


def run_retrieval(assistant: Assistant, questions: list[dict[str, Any]], k: int = 5) -> list[QuestionResult]:
    """Retrieve for every question (models warm), timing each retrieval."""
    assistant.warm_up()
    results = []
    for item in questions:
        history = [Turn(**turn) for turn in item.get("history", [])]
        started = time.perf_counter()
        retrieval: Retrieval = assistant.retrieve(item["question"], k=k, history=history)
        seconds = time.perf_counter() - started
        rank = first_gold_rank(retrieval.hits, item["gold"]) if item["answerable"] else None
        results.append(
            QuestionResult(
                item["id"],
                item["language"],
                item["answerable"],
                rank,
                retrieval.covered,
                retrieval.top_similarity,
                seconds,
                retrieval.named,
                not retrieval.covered and retrieval.reason != TOO_FAR,
            )
        )
    return results


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summarise(results: list[QuestionResult]) -> dict[str, Any]:
    """Recall@1, recall@5 and MRR per language; abstention precision/recall; latency."""
    summary: dict[str, Any] = {}
    for language in sorted({r.language for r in results}):
        answerable = [r for r in results if r.answerable and r.language == language]
        if not answerable:
            continue
        summary[language] = {
            "questions": len(answerable),
            "recall_at_1": round(sum(r.rank == 1 for r in answerable) / len(answerable), 4),
            "recall_at_5": round(sum(r.rank is not None and r.rank <= 5 for r in answerable) / len(answerable), 4),
            "mrr": round(sum(1 / r.rank for r in answerable if r.rank) / len(answerable), 4),
        }
    out_of_scope = [r for r in results if not r.answerable]
    answerable = [r for r in results if r.answerable]
    abstained = [r for r in results if not r.covered]
    summary["abstention"] = {
        "out_of_scope": len(out_of_scope),
        "out_of_scope_abstained": round(sum(not r.covered for r in out_of_scope) / max(1, len(out_of_scope)), 4),
        "answerable_wrongly_abstained": round(sum(not r.covered for r in answerable) / max(1, len(answerable)), 4),
        "precision": round(sum(not r.answerable for r in abstained) / max(1, len(abstained)), 4),
        "recall": round(sum(not r.covered for r in out_of_scope) / max(1, len(out_of_scope)), 4),
    }
    latencies = [r.seconds * 1000 for r in results]
    summary["retrieval_latency_ms"] = {
        "p50": round(statistics.median(latencies), 1),
        "p95": round(_percentile(latencies, 0.95), 1),
    }
    return summary


def calibrate(
    results: list[QuestionResult], out_of_scope_target: float = 0.90, max_wrong: float = 0.05
) -> dict[str, float]:
    """The similarity threshold that meets both abstention targets with the widest margin.

    Of the thresholds halfway between two neighbouring similarities that keep answerable questions wrongly abstained
    within their ceiling, the one whose smaller margin (out-of-scope questions abstained above their target,
    answerable ones wrongly abstained below their ceiling) is largest; on a tie, the one wrongly abstaining less.
    Questions another guard abstains on count as abstained whatever the threshold; those naming an instrument or a
    judgment of the index never abstain on similarity.
    """
    answerable = [r for r in results if r.answerable]
    out = [r for r in results if not r.answerable]
    exposed = sorted({r.top_similarity for r in results if not r.guarded and not r.named})
    candidates = [0.0, *((low + high) / 2 for low, high in itertools.pairwise(exposed)), 1.0]

    def share(group: list[QuestionResult], threshold: float) -> float:
        abstained = sum(r.guarded or (not r.named and r.top_similarity < threshold) for r in group)
        return abstained / max(1, len(group))

    def margin(threshold: float) -> tuple[float, float]:
        wrong = share(answerable, threshold)
        return min(share(out, threshold) - out_of_scope_target, max_wrong - wrong), -wrong

    # Wrongly refusing answerable questions is the worse failure: when no threshold meets both targets, keep that one.
    allowed = [t for t in candidates if share(answerable, t) <= max_wrong] or candidates[:1]
    best: float = max(allowed, key=margin)
    threshold = round(best, 4)
    return {
        "threshold": threshold,
        "out_of_scope_abstained": round(share(out, threshold), 4),
        "answerable_wrongly_abstained": round(share(answerable, threshold), 4),
    }
