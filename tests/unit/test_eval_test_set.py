"""The held-out test questions (evaluation/questions/test_kb.jsonl) on the treaty digests, for an index of
knowledge_base/ alone, and their tuning counterpart (tune_kb.jsonl): the dev schema plus a split ("test" and
"tune" respectively), ids shared with no other question file, and gold that points at real headings."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from tests.unit.test_eval_dataset import DATASET, KEYS, KINDS, LANGUAGES, ROLES, prefix_matches

QUESTIONS = PROJECT_ROOT / "evaluation" / "questions"
TEST_SET = QUESTIONS / "test_kb.jsonl"
TUNE_SET = QUESTIONS / "tune_kb.jsonl"
SPLIT_OF = {TEST_SET: "test", TUNE_SET: "tune"}
KNOWLEDGE_BASE = PROJECT_ROOT / "knowledge_base"
HEADING = re.compile(r"^#{2,6}\s*(.*?)\s*$")
# "Article 603-bis.2" is a label of its own in the Codice penale digest; the harness matches it as a prefix.
ARTICLE = re.compile(r"Article \d+(?:[a-z]|-[a-z]+)?(?:\.\d+)?")


def _records(path: Path = TEST_SET) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _headings(source: str) -> list[str]:
    lines = (KNOWLEDGE_BASE / source).read_text(encoding="utf-8").splitlines()
    return [match.group(1) for line in lines if (match := HEADING.match(line))]


@pytest.mark.parametrize("path", list(SPLIT_OF), ids=lambda path: path.name)
def test_schema_is_the_dev_schema_plus_split(path: Path) -> None:
    for r in _records(path):
        assert set(r) == KEYS | {"split"}, r["id"]
        assert r["split"] == SPLIT_OF[path], r["id"]
        assert r["language"] in LANGUAGES and r["role"] in ROLES and r["kind"] in KINDS, r["id"]
        assert r["answerable"] and r["gold"] and 1 <= len(r["expected_terms"]) <= 4, r["id"]
        assert bool(r["history"]) == (r["kind"] == "followup"), r["id"]


def test_size_languages_and_ids() -> None:
    records = _records()
    assert len(records) >= 40
    languages = Counter(r["language"] for r in records)
    assert languages["en"] >= 20 and languages["it"] >= 15
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    dev_ids = {json.loads(line)["id"] for line in DATASET.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert not set(ids) & dev_ids, "test ids must not reuse dev ids"


def test_tuning_questions_share_no_id_with_any_other_question_file() -> None:
    tune_ids = [r["id"] for r in _records(TUNE_SET)]
    others = {r["id"] for other in QUESTIONS.glob("*.jsonl") if other != TUNE_SET for r in _records(other)}
    assert len(tune_ids) == len(set(tune_ids))
    assert not set(tune_ids) & others


@pytest.mark.parametrize("path", list(SPLIT_OF), ids=lambda path: path.name)
def test_gold_is_in_the_knowledge_base_and_names_a_heading(path: Path) -> None:
    problems = []
    for r in _records(path):
        for gold in r["gold"]:
            source, section = gold["source"], gold["section"]
            if not (KNOWLEDGE_BASE / source).is_file():
                problems.append(f"{r['id']}: {source} is not under knowledge_base/")
                continue
            if section.startswith("Article") and not ARTICLE.fullmatch(section):
                problems.append(f"{r['id']}: {section!r} is not a bare article label")
            if not any(prefix_matches(section, heading) for heading in _headings(source)):
                problems.append(f"{r['id']}: {source} has no heading for {section!r}")
    assert not problems, "\n".join(problems)


def test_every_treaty_digest_is_asked_about() -> None:
    digests = {
        f"legislation/{p.name}"
        for p in (KNOWLEDGE_BASE / "legislation").glob("*.md")
        if "official_text:" in p.read_text(encoding="utf-8")
    }
    asked = {gold["source"] for r in _records() for gold in r["gold"]}
    assert digests <= asked, sorted(digests - asked)
