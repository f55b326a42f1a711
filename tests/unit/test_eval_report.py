"""The evaluation report: the pipeline beside dense-only and BM25-only search, and the cross-validated threshold."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.errors import InputError
from evaluation.eval_index import _seed_from
from evaluation.retrieval_eval import (
    QuestionResult,
    abstention_at,
    baseline_ranks,
    calibrate,
    cross_validate,
    folds_of,
    run_retrieval,
    summarise,
)
from evaluation.run import markdown
from rag.search import Hit


def _result(qid: str, answerable: bool, similarity: float, **ranks: Any) -> QuestionResult:
    rank = ranks.pop("rank", 1 if answerable else None)
    return QuestionResult(qid, ranks.pop("language", "en"), answerable, rank, True, similarity, 0.01, **ranks)


class _Snapshot:
    """Dense search finds the gold second, BM25 not at all; records the queries it was given."""

    def __init__(self) -> None:
        self.queries: list[str] = []

    def dense_search(self, query: str, k: int) -> list[Hit]:
        self.queries.append(query)
        return [
            Hit("a", "", 0.9, source="other.md", section="Article 1"),
            Hit("b", "", 0.8, source="g.md", section="Article 4"),
        ]

    def lexical_search(self, query: str, k: int, language: str = "en") -> list[Hit]:
        return [Hit("a", "", 3.0, source="other.md", section="Article 1")]


def testbaseline_ranks_search_the_same_chunks_with_the_followup_history() -> None:
    snapshot = _Snapshot()
    item = {
        "question": "and for children?",
        "language": "en",
        "answerable": True,
        "gold": [{"source": "g.md", "section": "Article 4"}],
        "history": [{"question": "What is trafficking?", "answer": ""}],
    }
    assert baseline_ranks(snapshot, item, 5) == (2, None)  # type: ignore[arg-type]
    assert snapshot.queries == ["What is trafficking? and for children?"]


def test_summary_puts_the_parts_beside_the_pipeline() -> None:
    results = [
        _result("q1", True, 0.9, rank=1, dense_rank=2, bm25_rank=None),
        _result("q2", True, 0.9, rank=3, dense_rank=1, bm25_rank=1),
        _result("q3", True, 0.9, rank=None, dense_rank=None, bm25_rank=6, language="pl"),
    ]
    summary = summarise(results)
    assert summary["en"]["recall_at_1"] == 0.5 and summary["en"]["recall_at_5"] == 1.0
    assert summary["en"]["dense"] == {"recall_at_1": 0.5, "recall_at_5": 1.0}
    assert summary["en"]["bm25"] == {"recall_at_1": 0.5, "recall_at_5": 0.5}
    assert summary["pl"]["bm25"] == {"recall_at_1": 0.0, "recall_at_5": 0.0}
    assert summary["all"]["questions"] == 3
    report = {"embedder": "e", "abstain_threshold": 0.8, **summary, "sets": {"multilingual.test": summary}}
    assert "| multilingual.test | en | 2 | 0.50 / 1.00 | 0.50 / 1.00 | 0.50 / 0.50 |" in markdown(report)


def _population() -> list[QuestionResult]:
    answerable = [_result(f"a{n}", True, 0.80 + 0.004 * n) for n in range(50)]
    out = [_result(f"o{n}", False, 0.60 + 0.01 * n) for n in range(20)]
    return answerable + out


def test_folds_are_a_stratified_deterministic_partition() -> None:
    results = _population()
    folds = folds_of(results, 5)
    assert sorted(r.id for fold in folds for r in fold) == sorted(r.id for r in results)
    assert [sum(not r.answerable for r in fold) for fold in folds] == [4] * 5
    assert [[r.id for r in fold] for fold in folds_of(list(reversed(results)), 5)] == [[r.id for r in f] for f in folds]


def test_cross_validation_reports_the_mean_of_held_out_figures() -> None:
    results = _population()
    report = cross_validate(results, folds=5)
    folds = folds_of(results, 5)
    expected = []
    for index, fold in enumerate(folds):
        rest = [r for other, group in enumerate(folds) if other != index for r in group]
        expected.append(abstention_at(fold, calibrate(rest)["threshold"])["out_of_scope_abstained"])
    assert report["held_out_out_of_scope_abstained"] == round(sum(expected) / 5, 4)
    assert report["threshold"] == calibrate(results)["threshold"]
    assert len(report["fold_thresholds"]) == 5 and report["questions"] == 70


def test_abstention_at_counts_guards_and_spares_named_questions() -> None:
    results = [
        _result("a", True, 0.5, named=True),
        _result("b", True, 0.95, guarded=True),
        _result("c", False, 0.7),
        _result("d", False, 0.9),
    ]
    assert abstention_at(results, 0.8) == {"out_of_scope_abstained": 0.5, "answerable_wrongly_abstained": 0.5}


def test_the_generality_index_starts_as_a_copy_of_a_complete_main_index(tmp_path: Path) -> None:
    main, copy = tmp_path / "main", tmp_path / "official"
    _seed_from(main, copy)
    assert not copy.exists(), "nothing to copy before the main index has a complete generation"
    (main / "generations" / "g1").mkdir(parents=True)
    (main / "generations" / "g1" / "chunks.jsonl").write_text("{}\n", encoding="utf-8")
    (main / "CURRENT").write_text("g1", encoding="utf-8")
    (main / ".build.lock").write_text("", encoding="utf-8")
    _seed_from(main, copy)
    assert (copy / "CURRENT").read_text(encoding="utf-8") == "g1"
    assert (copy / "generations" / "g1" / "chunks.jsonl").is_file()
    assert not (copy / ".build.lock").exists()


class _RefusingAssistant:
    """Rejects every question as input, the way the assistant rejects a script it does not read."""

    def warm_up(self) -> None:
        pass

    def snapshot(self) -> _Snapshot:
        return _Snapshot()

    def retrieve(self, question: str, **_: Any) -> None:
        raise InputError("questions must be in a language written in Latin script")


def test_a_refused_question_counts_as_declined_not_as_a_crash() -> None:
    item = {
        "id": "el-601",
        "question": "Έχει σημασία η συναίνεση;",
        "language": "el",
        "answerable": True,
        "gold": [{"source": "g.md", "section": "Article 4"}],
        "history": [],
        "split": "tune",
    }
    [result] = run_retrieval(_RefusingAssistant(), [item])  # type: ignore[arg-type]
    assert (result.rank, result.covered, result.guarded, result.split) == (None, False, True, "tune")
    assert result.dense_rank == 2, "the plain searches still run on a refused question"
