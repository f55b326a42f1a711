"""The knowledge-base-only evaluation: its tuning set never holds test questions or corpus gold; its table."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from core.settings import PROJECT_ROOT
from evaluation.kb_eval import FRONTLINE, FRONTLINE_LANGUAGES, KB_TEST, QUESTIONS, kb_rows, kb_tuning_questions
from evaluation.retrieval_eval import QuestionResult, load_questions, summarise
from evaluation.splits import TEST_SHARE
from tests.unit.test_eval_dataset import KEYS


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


def test_the_frontline_set_asks_handbook_chapters_in_user_style_and_is_split() -> None:
    records = load_questions(FRONTLINE)
    assert len(records) >= 40 and {r["language"] for r in records} == set(FRONTLINE_LANGUAGES) - {"all"}
    for r in records:
        assert set(r) == KEYS and r["role"] == "frontline" and r["answerable"], r["id"]
        assert r["gold"] and all((PROJECT_ROOT / "knowledge_base" / g["source"]).is_file() for g in r["gold"]), r["id"]
        assert all(g["source"].startswith("handbook/") and g["section"] == "" for g in r["gold"]), r["id"]
    for language, count in Counter(r["language"] for r in records).items():
        tested = sum(r["split"] == "test" for r in records if r["language"] == language)
        assert tested >= TEST_SHARE * count, language
    others = {r["id"] for path in QUESTIONS.glob("*.jsonl") if path != FRONTLINE for r in load_questions(path)}
    assert not {r["id"] for r in records} & others


def test_frontline_rows_cover_every_language_of_the_set() -> None:
    results = [QuestionResult("fl-de-1", "de", True, 2, True, 0.9, 0.01, dense_rank=2, bm25_rank=None)]
    rows = kb_rows({"frontline.test": summarise(results)})
    assert rows[2:] == [
        "| frontline.test | all | 1 | 0.00 / 1.00 | 0.50 | 0.00 / 1.00 | 0.00 / 0.00 |",
        "| frontline.test | de | 1 | 0.00 / 1.00 | 0.50 | 0.00 / 1.00 | 0.00 / 0.00 |",
    ]
