"""The knowledge-base-only evaluation: its tuning set never holds test questions or corpus gold; its table."""

from __future__ import annotations

import json
from pathlib import Path

from evaluation.kb_eval import KB_TEST, kb_rows, kb_tuning_questions
from evaluation.retrieval_eval import QuestionResult, load_questions, summarise


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _record(qid: str, language: str, split: str, sources: list[str], answerable: bool = True) -> dict:
    gold = [{"source": source, "section": "Article 4"} for source in sources]
    return {"id": qid, "language": language, "split": split, "answerable": answerable, "gold": gold}


def test_tuning_set_keeps_tune_questions_with_knowledge_base_gold_only(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "dev.jsonl",
        [
            _record("en-1", "en", "tune", ["coe_convention_cets197_2005.md", "legislation/coe.md"]),
            _record("en-2", "en", "test", ["legislation/coe.md"]),
            _record("it-1", "it", "tune", ["palermo_protocol_2000.md"]),
            _record("es-1", "es", "tune", ["legislation/coe.md"]),
            _record("oos-1", "en", "tune", [], answerable=False),
        ],
    )
    chosen = kb_tuning_questions((path,))
    assert [r["id"] for r in chosen] == ["en-1"]
    assert chosen[0]["gold"] == [{"source": "legislation/coe.md", "section": "Article 4"}]


def test_the_shipped_tuning_set_shares_no_question_with_the_test_set() -> None:
    tuning = kb_tuning_questions()
    test_ids = {r["id"] for r in load_questions(KB_TEST)}
    assert len(tuning) >= 60
    assert {r["language"] for r in tuning} == {"en", "it"}
    assert not {r["id"] for r in tuning} & test_ids
    assert all(r["split"] == "tune" and all("/" in g["source"] for g in r["gold"]) for r in tuning)


def test_table_has_a_row_per_split_and_language() -> None:
    results = [
        QuestionResult("en-1", "en", True, 1, True, 0.9, 0.01, dense_rank=2, bm25_rank=None),
        QuestionResult("it-1", "it", True, 3, True, 0.9, 0.01, dense_rank=None, bm25_rank=1),
    ]
    rows = kb_rows({"test": summarise(results), "tune": summarise(results[:1])})
    assert rows[2] == "| test | en | 1 | 1.00 / 1.00 | 1.00 | 0.00 / 1.00 | 0.00 / 0.00 |"
    assert rows[3] == "| test | it | 1 | 0.00 / 1.00 | 0.33 | 0.00 / 0.00 | 1.00 / 1.00 |"
    assert rows[4].startswith("| tune | en | 1 |") and len(rows) == 5
