"""Retrieval quality of a question set: recall@1/5 and MRR per language beside dense-only and BM25-only search,
abstention, latency, and the abstention threshold calibrated by cross-validation on the tuning split."""

from __future__ import annotations

import hashlib
import itertools
import json
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import InputError
from rag.retrieve import TOO_FAR, Retrieval
from rag.search import Hit

if TYPE_CHECKING:
    from rag.search import IndexSnapshot
    from rag.service import Assistant
from rag.types import Role, Turn

QUESTIONS = Path(__file__).resolve().parent / "questions" / "dev.jsonl"
BASELINES = ("dense", "bm25")


def load_questions(path: Path = QUESTIONS, split: str | None = None) -> list[dict[str, Any]]:
    """The questions of a file, or only those of one split ("tune" or "test")."""
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return [r for r in records if split is None or r.get("split") == split]


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
    dense_rank: int | None = None  # the first gold rank of plain dense search over the same chunks
    bm25_rank: int | None = None  # the same for plain BM25 search
    split: str = "test"
    confidence: float | None = None  # the learned abstainer's probability (None: no model, similarity decides)

    @property
    def signal(self) -> float:
        """What abstention compares with its threshold: the learned probability, or else the best similarity."""
        return self.top_similarity if self.confidence is None else self.confidence

    def baseline_rank(self, name: str) -> int | None:
        return self.dense_rank if name == "dense" else self.bm25_rank


def baseline_ranks(snapshot: IndexSnapshot, item: dict[str, Any], k: int) -> tuple[int | None, int | None]:
    """Gold ranks of dense-only and BM25-only search; a follow-up's query is its earlier questions plus itself."""
    if not item["answerable"]:
        return None, None
    query = " ".join([*(turn["question"] for turn in item.get("history", [])), item["question"]])
    dense = snapshot.dense_search(query, k)
    lexical = snapshot.lexical_search(query, k, language=item["language"])
    return first_gold_rank(dense, item["gold"]), first_gold_rank(lexical, item["gold"])


def _refused(item: dict[str, Any], seconds: float) -> QuestionResult:
    """A question the assistant rejects as input (e.g. a script it does not read): declined, whatever the threshold."""
    return QuestionResult(item["id"], item["language"], item["answerable"], None, False, 0.0, seconds, guarded=True)


def run_retrieval(
    assistant: Assistant, questions: list[dict[str, Any]], k: int = 5, role: Role = "judge"
) -> list[QuestionResult]:
    """Retrieve for every question (index and embedder warm), timing each, with the two plain searches beside it.

    Every question is asked as ``role`` (its retrieval prior applies), whatever role its record names: the legal
    sets are asked as a judge, the frontline set as a frontline worker. A question the assistant refuses as input
    counts as declined: no gold found, abstained.
    """
    snapshot = assistant.snapshot()
    # Retrieval needs the index and the embedder, not the LLM: loading that would only cost time here.
    snapshot.dense_search("warm up", 1)
    results = []
    for item in questions:
        history = [Turn(**turn) for turn in item.get("history", [])]
        started = time.perf_counter()
        try:
            retrieval: Retrieval = assistant.retrieve(item["question"], k=k, history=history, role=role)
        except InputError:
            result = _refused(item, time.perf_counter() - started)
        else:
            rank = first_gold_rank(retrieval.hits, item["gold"]) if item["answerable"] else None
            covered, named = retrieval.covered, retrieval.named
            guarded = not covered and retrieval.reason != TOO_FAR
            result = QuestionResult(
                item["id"], item["language"], item["answerable"], rank, covered, retrieval.top_similarity,
                time.perf_counter() - started, named, guarded, confidence=retrieval.confidence,
            )  # fmt: skip
        result.dense_rank, result.bm25_rank = baseline_ranks(snapshot, item, k)
        result.split = item.get("split", "test")
        results.append(result)
    return results


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _recall(ranks: list[int | None], at: int) -> float:
    return round(sum(rank is not None and rank <= at for rank in ranks) / max(1, len(ranks)), 4)


def language_summary(answerable: list[QuestionResult]) -> dict[str, Any]:
    """Recall@1, recall@5 and MRR of the full pipeline, and recall@1/@5 of dense-only and BM25-only search."""
    ranks = [r.rank for r in answerable]
    summary: dict[str, Any] = {
        "questions": len(answerable),
        "recall_at_1": _recall(ranks, 1),
        "recall_at_5": _recall(ranks, 5),
        "mrr": round(sum(1 / rank for rank in ranks if rank) / max(1, len(ranks)), 4),
    }
    for name in BASELINES:
        baseline = [r.baseline_rank(name) for r in answerable]
        summary[name] = {"recall_at_1": _recall(baseline, 1), "recall_at_5": _recall(baseline, 5)}
    return summary


def abstention(results: list[QuestionResult]) -> dict[str, Any]:
    """How often out-of-scope questions are declined, and answerable ones wrongly declined."""
    out_of_scope = [r for r in results if not r.answerable]
    answerable = [r for r in results if r.answerable]
    abstained = [r for r in results if not r.covered]
    return {
        "out_of_scope": len(out_of_scope),
        "answerable": len(answerable),
        "out_of_scope_abstained": round(sum(not r.covered for r in out_of_scope) / max(1, len(out_of_scope)), 4),
        "answerable_wrongly_abstained": round(sum(not r.covered for r in answerable) / max(1, len(answerable)), 4),
        "precision": round(sum(not r.answerable for r in abstained) / max(1, len(abstained)), 4),
        "recall": round(sum(not r.covered for r in out_of_scope) / max(1, len(out_of_scope)), 4),
    }


def summarise(results: list[QuestionResult]) -> dict[str, Any]:
    """Per language (and "all"): the pipeline beside its parts; abstention precision/recall; latency."""
    summary: dict[str, Any] = {}
    for language in sorted({r.language for r in results}):
        answerable = [r for r in results if r.answerable and r.language == language]
        if answerable:
            summary[language] = language_summary(answerable)
    summary["all"] = language_summary([r for r in results if r.answerable])
    summary["abstention"] = abstention(results)
    latencies = [r.seconds * 1000 for r in results]
    summary["retrieval_latency_ms"] = {
        "p50": round(statistics.median(latencies), 1) if latencies else 0.0,
        "p95": round(_percentile(latencies, 0.95), 1),
    }
    return summary


def calibrate(
    results: list[QuestionResult], out_of_scope_target: float = 0.90, max_wrong: float = 0.05
) -> dict[str, float]:
    """The threshold on the abstention signal (learned probability or similarity) that meets both abstention
    targets with the widest margin.

    Of the thresholds halfway between two neighbouring similarities that keep answerable questions wrongly abstained
    within their ceiling, the one whose smaller margin (out-of-scope questions abstained above their target,
    answerable ones wrongly abstained below their ceiling) is largest; on a tie, the one wrongly abstaining less.
    Questions another guard abstains on count as abstained whatever the threshold; those naming an instrument or a
    judgment of the index never abstain on similarity.
    """
    answerable = [r for r in results if r.answerable]
    out = [r for r in results if not r.answerable]
    exposed = sorted({r.signal for r in results if not r.guarded and not r.named})
    candidates = [0.0, *((low + high) / 2 for low, high in itertools.pairwise(exposed)), 1.0]

    def share(group: list[QuestionResult], threshold: float) -> float:
        abstained = sum(r.guarded or (not r.named and r.signal < threshold) for r in group)
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


def abstention_at(results: list[QuestionResult], threshold: float) -> dict[str, float]:
    """The two abstention shares a similarity threshold would give (guards and named questions as in `calibrate`)."""

    def share(group: list[QuestionResult]) -> float:
        abstained = sum(r.guarded or (not r.named and r.signal < threshold) for r in group)
        return round(abstained / max(1, len(group)), 4)

    return {
        "out_of_scope_abstained": share([r for r in results if not r.answerable]),
        "answerable_wrongly_abstained": share([r for r in results if r.answerable]),
    }


def folds_of(results: list[QuestionResult], folds: int) -> list[list[QuestionResult]]:
    """Stratified folds: each (language, answerable) stratum ordered by a hash of the id and dealt round-robin."""
    dealt: list[list[QuestionResult]] = [[] for _ in range(folds)]
    position = 0
    strata = sorted({(r.language, r.answerable) for r in results})
    for language, answerable in strata:
        members = [r for r in results if r.language == language and r.answerable is answerable]
        for result in sorted(members, key=lambda r: hashlib.sha256(r.id.encode("utf-8")).hexdigest()):
            dealt[position % folds].append(result)
            position += 1
    return dealt


def cross_validate(results: list[QuestionResult], folds: int = 5) -> dict[str, Any]:
    """Calibrate on all folds but one, measure on the one left out; the mean held-out figures over the folds.

    Args:
        results: the tuning split's results (never the test split's).
        folds: how many folds.

    Returns:
        The mean held-out shares, each fold's threshold, and the threshold calibrated on all of ``results``.
    """
    dealt = folds_of(results, folds)
    held_out = []
    for index, fold in enumerate(dealt):
        rest = [r for other, group in enumerate(dealt) if other != index for r in group]
        threshold = calibrate(rest)["threshold"]
        held_out.append({"threshold": threshold, **abstention_at(fold, threshold)})
    return {
        "folds": folds,
        "questions": len(results),
        "fold_thresholds": [fold["threshold"] for fold in held_out],
        "held_out_out_of_scope_abstained": round(statistics.mean(f["out_of_scope_abstained"] for f in held_out), 4),
        "held_out_answerable_wrongly_abstained": round(
            statistics.mean(f["answerable_wrongly_abstained"] for f in held_out), 4
        ),
        "threshold": calibrate(results)["threshold"],
    }
