"""Retrieval on an index of knowledge_base/ alone, as `make run` builds it on a fresh machine: per language, on the
held-out digest questions (test_kb.jsonl) and on a tuning set drawn from the dev files' tuning splits.

The tuning set is the answerable English and Italian questions of the `tune` splits of dev.jsonl and
multilingual.jsonl, their gold narrowed to knowledge-base sources (the treaties of ../shared/corpus are not in this
index; a question with no knowledge-base gold is left out), plus tune_kb.jsonl: questions on the digests written
like test_kb.jsonl's but never shared with it. Rules may be fitted to it; test_kb.jsonl is only reported. These are
asked as a judge.

frontline_kb.jsonl holds practical questions of frontline workers (what to do, whom to call; several languages,
typos, narratives) whose gold is a handbook chapter; they are asked as a frontline worker, so they measure the
frontline role prior (rag/role_prior.py), tuned on their `tune` split and reported on `test`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.settings import PROJECT_ROOT, Settings
from evaluation.eval_index import ensure_kb_index
from evaluation.retrieval_eval import load_questions, run_retrieval, summarise

QUESTIONS = PROJECT_ROOT / "evaluation" / "questions"
KB_TEST = QUESTIONS / "test_kb.jsonl"
KB_TUNE_FROM = (QUESTIONS / "dev.jsonl", QUESTIONS / "multilingual.jsonl", QUESTIONS / "tune_kb.jsonl")
FRONTLINE = QUESTIONS / "frontline_kb.jsonl"
LANGUAGES = ("en", "it")
# The frontline set is reported per language it holds, the legal sets in English and Italian.
FRONTLINE_LANGUAGES = ("all", "en", "it", "es", "fr", "de")


def is_kb_source(source: str) -> bool:
    """Knowledge-base documents are named by their path under knowledge_base/; corpus treaties by a bare name."""
    return "/" in source


def kb_tuning_questions(paths: tuple[Path, ...] = KB_TUNE_FROM) -> list[dict[str, Any]]:
    """The answerable English and Italian tuning questions that the knowledge base alone can answer, gold narrowed."""
    chosen = []
    for path in paths:
        for record in load_questions(path, split="tune"):
            gold = [item for item in record["gold"] if is_kb_source(item["source"])]
            if record["answerable"] and record["language"] in LANGUAGES and gold:
                chosen.append({**record, "gold": gold})
    return chosen


def evaluate_kb(settings: Settings) -> dict[str, Any]:
    """Build (or reuse) the knowledge-base-only index and summarise retrieval on its test and tuning questions."""
    from rag.service import Assistant

    index_dir, _ = ensure_kb_index(settings)
    assistant = Assistant.from_settings(settings, index_dir)
    report = {
        "test": summarise(run_retrieval(assistant, load_questions(KB_TEST))),
        "tune": summarise(run_retrieval(assistant, kb_tuning_questions())),
    }
    for split in ("test", "tune"):
        questions = load_questions(FRONTLINE, split=split)
        report[f"frontline.{split}"] = summarise(run_retrieval(assistant, questions, role="frontline"))
    return report


def kb_rows(report: dict[str, Any]) -> list[str]:
    """Markdown rows: per split and language, the pipeline beside dense-only and BM25-only search."""
    rows = [
        "| split | language | n | pipeline r@1 / r@5 | MRR | dense r@1 / r@5 | BM25 r@1 / r@5 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for split, summary in report.items():
        for language in FRONTLINE_LANGUAGES if split.startswith("frontline") else LANGUAGES:
            if language not in summary:
                continue
            figures = summary[language]
            dense, bm25 = figures["dense"], figures["bm25"]
            rows.append(
                f"| {split} | {language} | {figures['questions']} | "
                f"{figures['recall_at_1']:.2f} / {figures['recall_at_5']:.2f} | {figures['mrr']:.2f} | "
                f"{dense['recall_at_1']:.2f} / {dense['recall_at_5']:.2f} | "
                f"{bm25['recall_at_1']:.2f} / {bm25['recall_at_5']:.2f} |"
            )
    return rows
