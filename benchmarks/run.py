"""`make bench`: run the benchmarks, print each figure beside its same-run reference, write results JSON.

Usage: python -m benchmarks.run [--only ingest,retrieval,answer,memory,app,load,network] [--quick]

Results are merged into benchmarks/results/latest.json (a partial run keeps the other benchmarks' last figures)
and written whole to a timestamped copy.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.settings import Settings, load_settings

RESULTS = Path(__file__).resolve().parent / "results"
BENCHMARKS = ("ingest", "retrieval", "answer", "memory", "app", "load", "network")
# Parallel slots of the model server the load benchmark starts (measured on 2 cores: see the README)
LOAD_SLOTS = 8


def _ingest(settings: Settings, quick: bool) -> dict[str, Any]:
    from benchmarks.ingest_bench import run as run_ingest

    ingest = run_ingest(settings, workers=(settings.ingestion.workers,) if quick else (0, 1, 2))
    print(
        f"ingestion: {ingest['ingest_chars_per_s']:.0f} chars/s end to end; "
        f"model-pass bound {ingest['model_bound_chars_per_s']:.0f} chars/s "
        f"(Presidio {ingest['presidio_s']} s + embedding {ingest['embed_s']} s) → "
        f"ratio {ingest['ingest_ratio_to_model_bound']:.2f} (target ≥ 0.8); "
        f"plain LangChain pipeline {ingest['langchain_s']} s → ours/theirs speed "
        f"{ingest['ingest_ratio_to_langchain']:.2f}; by prepare-ahead workers {ingest['ingest_by_workers_s']} s; "
        f"embedded: ours {ingest['ingest_embedded_texts']} texts, {ingest['ingest_embedded_chars']} chars, "
        f"LangChain {ingest['langchain_embedded_texts']} texts, {ingest['langchain_embedded_chars']} chars"
    )
    return ingest


def _retrieval(settings: Settings, quick: bool) -> dict[str, Any]:
    from benchmarks.retrieval_bench import run as run_retrieval

    result = run_retrieval(settings, quick=quick)
    print(
        f"retrieval ({result['retrieval_queries']} questions, {result['retrieval_base_chunks']} treaty chunks "
        f"cycled, {result['retrieval_embedder']}):"
    )
    for size, d in result["retrieval_detail"].items():
        print(
            f"  {int(size):>7} chunks: p50 {d['retrieve_p50_ms']:.1f} ms, p95 {d['retrieve_p95_ms']:.1f} ms "
            f"(query vectors precomputed: p50 {d['index_only_p50_ms']:.1f} ms, p95 {d['index_only_p95_ms']:.1f} ms) "
            f"| reference: raw Chroma "
            f"query p50 {d['chroma_p50_ms']:.1f} ms, query embedding p50 {d['embed_p50_ms']:.1f} ms | parts: "
            f"dense_search p50 {d['dense_p50_ms']:.1f} ms, BM25 p50 {d['lexical_p50_ms']:.1f} ms / "
            f"p95 {d['lexical_p95_ms']:.1f} ms | build {d['build_s']} s, open {d['open_ms']:.0f} ms"
        )
    met = result["retrieval_target_met"]
    verdict = "not measured (no 100k run)" if met is None else ("met" if met else "NOT met")
    print(
        f"  growth p50 {result['retrieval_growth_span']}: ×{result['retrieval_growth_p50']} "
        f"(index alone, vectors precomputed: ×{result['retrieval_index_only_growth_p50']}); "
        f"target p95 ≤ {result['retrieval_target_p95_ms']:.0f} ms at 100k: {verdict}; "
        f"largest single cost: {result['retrieval_bottleneck']}"
    )
    return result


def _answer(settings: Settings, quick: bool) -> dict[str, Any]:
    from benchmarks.answer_bench import run as run_answer

    result = run_answer(settings, quick=quick)
    print(
        f"answer ({result['answer_model']}, {result['answer_runs']} question(s)): time to first token "
        f"{result['ttft_s']:.2f} s, {result['tokens_per_s']:.1f} tokens/s | reference: raw llama.cpp on the same "
        f"messages {result['raw_ttft_s']:.2f} s, {result['raw_tokens_per_s']:.1f} tokens/s → chain overhead "
        f"{result['chain_overhead_s']:.2f} s before the first token (retrieval {result['answer_retrieval_s']:.2f} s); "
        f"grounding after the last token {result['answer_grounding_s']:.2f} s"
    )
    return result


def _memory(settings: Settings, quick: bool) -> dict[str, Any]:
    from benchmarks.memory_bench import run as run_memory

    result = run_memory(settings, quick=quick)
    print(
        f"memory: peak RSS {result['peak_rss_mb']:.0f} MB with the default models warm and one answer "
        f"(target ≤ {result['peak_rss_target_mb']} MB: {'met' if result['peak_rss_met'] else 'NOT met'}); "
        f"cold start to first answer {result['cold_start_s']:.1f} s | reference: same imports without models "
        f"{result['imports_rss_mb']:.0f} MB in {result['imports_s']:.1f} s; bare interpreter "
        f"{result['bare_rss_mb']:.0f} MB"
    )
    return result


def _seconds(value: float | None) -> str:
    return "never (every reply declined)" if value is None else f"{value:.2f} s"


def _app(settings: Settings, quick: bool) -> dict[str, Any]:
    from benchmarks.app_bench import run as run_app

    result = run_app(settings)
    print(
        f"app (make run's server, Chromium, default models): first answer shown {result['app_first_answer_s']:.1f} s "
        f"after starting the server (target ≤ {result['app_first_answer_target_s']:.0f} s: "
        f"{'met' if result['app_first_answer_met'] else 'NOT met'}; server healthy after "
        f"{result['app_health_s']:.1f} s; the answer's sources shown {result['app_first_sources_after_start_s']:.1f} s "
        f"after start) | later questions in the page, models warm: first words "
        f"{_seconds(result['app_later_first_words_median_s'])} after Enter (median; target ≤ "
        f"{result['app_ttft_target_s']:.0f} s: {'met' if result['app_ttft_met'] else 'NOT met'}) | reference: first "
        f"token through the service alone {result['service_ttft_median_s']:.2f} s (page / service "
        f"{result['app_to_service_ttft_ratio']})"
        f"; server peak RSS {result['app_peak_rss_mb']:.0f} MB"
    )
    return result


def _load(settings: Settings, quick: bool) -> dict[str, Any]:
    from benchmarks.load_test import run_through_server
    from ingestion.pipeline import make_components

    sessions, seconds = (5, 30.0) if quick else (20, 120.0)
    worker = settings.ingestion.build_worker  # the re-index as the Knowledge base page runs it
    result = run_through_server(
        settings, make_components(settings), sessions, seconds, True, LOAD_SLOTS, reindex_worker=worker
    )
    print(
        f"load ({result['sessions']} sessions for {result['seconds']:.0f} s while an editor re-indexes, "
        f"{result['generator']}): {result['answers']} answers, {result['error_count']} errors, "
        f"{result['wrong_session']} delivered to the wrong session, generations served "
        f"{len(result['generations_served'])} (incomplete: {len(result['incomplete_generations_served'])}); "
        f"latency p50 {result['latency_p50_s']} s, p95 {result['latency_p95_s']} s; written by the model "
        f"{result['answers_generated']} (p50 {result['latency_generated_p50_s']} s), sources quoted because every "
        f"slot and the queue ({result['server_queue']}) were taken {result['answers_quoted_busy']} "
        f"(p50 {result['latency_quoted_busy_p50_s']} s); re-index {result['reindex_s']} s in {result['reindex_in']}"
    )
    return {f"load_{key}": value for key, value in result.items()}


def _network(settings: Settings, quick: bool) -> dict[str, Any]:
    from benchmarks.network_bench import run as run_network

    result = run_network(settings, quick=quick)
    print(
        f"network: adding one case file to a workspace of {result['network_documents'] - 1} documents "
        f"{result['network_add_s']:.2f} s (scrub, analyse, store; models warm) + recomputing the network "
        f"{result['network_recompute_s']:.2f} s ({result['network_cases']} cases, {result['network_links']} links, "
        f"{result['network_patterns']} patterns) = {result['network_total_s']:.2f} s "
        f"(target ≤ {result['network_target_s']:.0f} s: {'met' if result['network_target_met'] else 'NOT met'})"
    )
    return result


RUNNERS = {
    "ingest": _ingest,
    "retrieval": _retrieval,
    "answer": _answer,
    "memory": _memory,
    "app": _app,
    "load": _load,
    "network": _network,
}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)
    parser.add_argument("--only", default=",".join(BENCHMARKS), help=f"comma-separated: {','.join(BENCHMARKS)}")
    parser.add_argument("--quick", action="store_true", help="smaller sizes and fewer questions, for a smoke run")
    args = parser.parse_args(argv)
    wanted = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = sorted(set(wanted) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)} (choose from {', '.join(BENCHMARKS)})")
    settings = load_settings()
    results: dict[str, Any] = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} · {platform.processor() or 'cpu'} · Python {platform.python_version()}",
        "quick": args.quick,
        "benchmarks": [name for name in BENCHMARKS if name in wanted],
    }
    for name in BENCHMARKS:
        if name in wanted:
            results.update(RUNNERS[name](settings, args.quick))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    (RESULTS / f"bench-{stamp}.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    latest_path = RESULTS / "latest.json"
    try:
        latest = json.loads(latest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        latest = {}
    ran = set(results["benchmarks"]) | set(latest.get("benchmarks", []))
    latest.update(results)
    latest["benchmarks"] = [name for name in BENCHMARKS if name in ran]
    latest_path.write_text(json.dumps(latest, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
