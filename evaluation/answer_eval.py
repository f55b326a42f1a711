"""Answer quality on a sample of questions with the real generator: citation validity, timings."""

from __future__ import annotations

import re
import statistics
import time
from typing import TYPE_CHECKING, Any

from rag.types import Answer, Turn

if TYPE_CHECKING:
    from rag.service import Assistant

_MARKER = re.compile(r"\[(\d+)\]")


def citation_validity(answer: Answer) -> tuple[int, int]:
    """(valid, total) citation markers: valid when [n] names a citation of the answer whose chunk is in its evidence
    and whose sentence passed the support check."""
    evidence_ids = {hit.id for hit in answer.evidence}
    by_number = {c.n: c for c in answer.citations}
    supported = {sentence.text for sentence in answer.sentences if sentence.supported}
    valid = total = 0
    for number in map(int, _MARKER.findall(answer.answer)):
        total += 1
        citation = by_number.get(number)
        if citation is not None and citation.chunk_id in evidence_ids:
            valid += 1
    if answer.sentences and not answer.extractive:
        # every kept generated sentence must be one that passed the check (a dropped sentence that only repeats
        # part of a kept one, such as a title the model wrote twice, is not in the answer on its own)
        kept = [
            s
            for s in answer.sentences
            if s.text and s.text in answer.answer and (s.text in supported or not any(s.text in t for t in supported))
        ]
        total += len(kept)
        valid += sum(1 for s in kept if s.text in supported)
    return valid, total


def run_answers(assistant: Assistant, questions: list[dict[str, Any]]) -> dict[str, Any]:
    """Answer each question, streaming, and measure time to first token, tokens/s and citation validity."""
    valid = total = 0
    first_tokens: list[float] = []
    speeds: list[float] = []
    extractive = abstained = 0
    for item in questions:
        history = [Turn(**turn) for turn in item.get("history", [])]
        started = time.perf_counter()
        stream = assistant.ask_stream(item["question"], role=item.get("role", "judge"), history=history)
        first: float | None = None
        tokens = 0
        for _ in stream:
            tokens += 1
            if first is None:
                first = time.perf_counter() - started
        elapsed = time.perf_counter() - started
        answer = stream.result
        assert answer is not None
        if first is not None and tokens > 1:
            first_tokens.append(first)
            speeds.append((tokens - 1) / max(elapsed - first, 1e-6))
        ok, count = citation_validity(answer)
        valid, total = valid + ok, total + count
        extractive += answer.extractive
        abstained += answer.abstained
    n = max(1, len(questions))
    return {
        "questions": len(questions),
        "citation_validity": round(valid / total, 4) if total else 1.0,
        "citations_checked": total,
        "extractive_share": round(extractive / n, 3),
        "abstained_share": round(abstained / n, 3),
        "ttft_s_p50": round(statistics.median(first_tokens), 2) if first_tokens else None,
        "tokens_per_s_p50": round(statistics.median(speeds), 1) if speeds else None,
    }
