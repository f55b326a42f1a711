"""The evaluation question files (dev.jsonl, multilingual.jsonl, official.jsonl): well-formed, large enough, balanced,
split into a frozen test part, and with gold labels that point at places that really exist in the indexed documents."""

from __future__ import annotations

import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from evaluation.splits import SPLITS, assign_splits

QUESTIONS = PROJECT_ROOT / "evaluation" / "questions"
DATASET = QUESTIONS / "dev.jsonl"
KNOWLEDGE_BASE = PROJECT_ROOT / "knowledge_base"
TREATIES = frozenset(
    {"palermo_protocol_2000.md", "coe_convention_cets197_2005.md", "un_convention_rights_of_the_child_1989.md"}
)
INDEXED_FOLDERS = ("legislation", "handbook", "case_law")  # knowledge_base/indicators is not indexed as text

KEYS = {"id", "question", "language", "role", "answerable", "kind", "gold", "history", "expected_terms", "split"}
LANGUAGES = {"en", "it"}
ROLES = {"judge", "frontline"}
KINDS = {"paraphrase", "practitioner", "reference", "followup", "out_of_scope"}

# "### Article  4  ", "###Article 35", "## Article 601-bis – Tratta ..." -> "Article 4", "Article 35", "Article 601-bis"
ARTICLE_HEADING = re.compile(r"^#{2,6}\s*(Article\s+\d+(?:[a-z]|-[a-z]+)?)\b", re.IGNORECASE)
GOLD_ARTICLE = re.compile(r"Article \d+(?:[a-z]|-[a-z]+)?")
HEADING = re.compile(r"^(#{2,6})\s*(.*?)\s*$")


def _records() -> list[dict]:
    lines = DATASET.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return _records()


def _answerable(records: list[dict]) -> list[dict]:
    return [r for r in records if r["answerable"]]


def prefix_matches(prefix: str, section: str) -> bool:
    """The harness rule: a gold section is a prefix of the hit's section, not followed by a letter or digit
    ("Article 3" matches "Article 3 – Use of terms" but not "Article 30"); "" matches any section."""
    if not section.startswith(prefix):
        return False
    rest = section[len(prefix) :]
    return not prefix or not rest or not rest[0].isalnum()


@cache
def _sections(source: str, folder: str) -> tuple[set[str], set[str]]:
    """(article labels, heading texts at level ## or deeper) of one source file."""
    path = (Path(folder) / source) if source in TREATIES else (KNOWLEDGE_BASE / source)
    articles: set[str] = set()
    headings: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if match := ARTICLE_HEADING.match(line):
            articles.add(re.sub(r"\s+", " ", match.group(1)).replace("article", "Article"))
        if match := HEADING.match(line):
            headings.add(re.sub(r"\s+", " ", match.group(2)))
    return articles, headings


def test_dataset_is_valid_jsonl_with_required_keys() -> None:
    for number, line in enumerate(DATASET.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"line {number} is blank"
        record = json.loads(line)
        assert set(record) == KEYS, f"line {number}: keys {sorted(record)}"
        assert record["split"] in SPLITS, f"line {number}: split {record['split']!r}"


def test_ids_are_unique(records: list[dict]) -> None:
    duplicates = [key for key, count in Counter(r["id"] for r in records).items() if count > 1]
    assert not duplicates


def test_field_values(records: list[dict]) -> None:
    for r in records:
        where = r["id"]
        assert isinstance(r["question"], str) and r["question"].strip(), where
        assert r["language"] in LANGUAGES, where
        assert r["role"] in ROLES, where
        assert r["kind"] in KINDS, where
        assert isinstance(r["answerable"], bool), where
        assert isinstance(r["expected_terms"], list), where
        assert all(isinstance(term, str) and term.strip() for term in r["expected_terms"]), where
        assert isinstance(r["history"], list), where
        for turn in r["history"]:
            assert set(turn) == {"question", "answer"}, where
            assert isinstance(turn["question"], str) and turn["question"].strip(), where
            assert isinstance(turn["answer"], str), where
        for gold in r["gold"]:
            assert set(gold) == {"source", "section"}, where
            assert isinstance(gold["source"], str) and isinstance(gold["section"], str), where


def test_answerable_and_out_of_scope_are_consistent(records: list[dict]) -> None:
    for r in records:
        if r["answerable"]:
            assert r["kind"] != "out_of_scope", r["id"]
            assert r["gold"], f"{r['id']}: an answerable question needs at least one gold location"
            assert 1 <= len(r["expected_terms"]) <= 4, r["id"]
        else:
            assert r["kind"] == "out_of_scope", r["id"]
            assert r["gold"] == [], r["id"]
        assert bool(r["history"]) == (r["kind"] == "followup"), f"{r['id']}: only follow-ups carry history"
        gold_keys = [(g["source"], g["section"]) for g in r["gold"]]
        assert len(gold_keys) == len(set(gold_keys)), f"{r['id']}: duplicate gold"


def test_sizes_and_balance(records: list[dict]) -> None:
    answerable = _answerable(records)
    by_language = Counter(r["language"] for r in answerable)
    assert len(answerable) >= 100
    assert by_language["en"] >= 70
    assert by_language["it"] >= 30
    out_of_scope = [r for r in records if not r["answerable"]]
    assert len(out_of_scope) >= 20
    assert {r["language"] for r in out_of_scope} == LANGUAGES
    kinds = Counter(r["kind"] for r in answerable)
    for kind in ("paraphrase", "practitioner", "reference", "followup"):
        assert kinds[kind] >= 5, kind
    assert {r["kind"] for r in answerable if r["language"] == "it"} >= {"paraphrase", "practitioner", "followup"}


def test_coverage_of_sources(records: list[dict]) -> None:
    articles: dict[str, set[str]] = {name: set() for name in TREATIES}
    sources: set[str] = set()
    for r in _answerable(records):
        for gold in r["gold"]:
            sources.add(gold["source"])
            if gold["source"] in TREATIES:
                articles[gold["source"]].add(gold["section"])
    assert len(articles["coe_convention_cets197_2005.md"]) >= 15
    assert len(articles["un_convention_rights_of_the_child_1989.md"]) >= 10
    assert len(articles["palermo_protocol_2000.md"]) >= 8
    legislation = {f"legislation/{p.name}" for p in (KNOWLEDGE_BASE / "legislation").glob("*.md")}
    legislation.discard("legislation/README.md")
    assert legislation and legislation <= sources, sorted(legislation - sources)
    assert sum(s.startswith("handbook/") for s in sources) >= 8
    assert sum(s.startswith("handbook/") and s.endswith(".it.md") for s in sources) >= 3
    assert sum(s.startswith("case_law/") for s in sources) >= 8


def test_gold_sources_exist(records: list[dict], corpus: Path) -> None:
    for r in records:
        for gold in r["gold"]:
            source = gold["source"]
            if source in TREATIES:
                assert (corpus / source).is_file(), f"{r['id']}: {source} not in {corpus}"
            else:
                assert source.split("/", 1)[0] in INDEXED_FOLDERS, f"{r['id']}: {source} is not an indexed folder"
                assert (KNOWLEDGE_BASE / source).is_file(), f"{r['id']}: {source} not under knowledge_base/"


def test_gold_sections_occur_as_headings(records: list[dict], corpus: Path) -> None:
    problems = []
    for r in records:
        for gold in r["gold"]:
            source, section = gold["source"], gold["section"]
            articles, headings = _sections(source, str(corpus))
            if source in TREATIES:
                ok = section == "Preamble" or (GOLD_ARTICLE.fullmatch(section) is not None and section in articles)
            elif GOLD_ARTICLE.fullmatch(section):
                ok = section in articles
            else:
                ok = section == "" or any(prefix_matches(section, heading) for heading in headings)
            if not ok:
                problems.append(f"{r['id']}: {source} has no heading for {section!r}")
    assert not problems, "\n".join(problems)


def test_article_gold_is_exact_label(records: list[dict]) -> None:
    """Article gold uses the bare label ("Article 3"), never the title, so the harness can match any chunking."""
    for r in records:
        for gold in r["gold"]:
            if gold["section"].lower().startswith(("article", "art.")):
                assert GOLD_ARTICLE.fullmatch(gold["section"]), f"{r['id']}: {gold['section']!r}"


@pytest.mark.parametrize(
    ("prefix", "section", "expected"),
    [
        ("Article 3", "Article 3 – Use of terms", True),
        ("Article 3", "Article 3", True),
        ("Article 3", "Article 30 – Court proceedings", False),
        ("Article 18", "Article 18a – Offences concerning the use of services", False),
        ("Facts", "Facts", True),
        ("Scenario", 'Scenario: "A girl says she is 17 and has no papers — what now?"', True),
        ("", "anything", True),
    ],
)
def test_prefix_rule(prefix: str, section: str, expected: bool) -> None:
    assert prefix_matches(prefix, section) is expected


def test_questions_do_not_copy_headings(records: list[dict], corpus: Path) -> None:
    """Paraphrase and practitioner questions must not simply restate the target heading."""
    for r in _answerable(records):
        if r["kind"] not in {"paraphrase", "practitioner"}:
            continue
        question = r["question"].strip().rstrip("?").casefold()
        for gold in r["gold"]:
            if gold["source"] in TREATIES or not gold["section"]:
                continue
            _, headings = _sections(gold["source"], str(corpus))
            for heading in headings:
                if prefix_matches(gold["section"], heading) and len(heading) > 25:
                    assert heading.casefold() not in question, f"{r['id']} copies the heading {heading!r}"


# --- The frozen split, the multilingual set and the generality set ---------------------------------------------------

MULTILINGUAL = QUESTIONS / "multilingual.jsonl"
GENERALITY = QUESTIONS / "official.jsonl"
OFFICIAL = PROJECT_ROOT.parent / "shared" / "official"
ALL_LANGUAGES = {"en", "it", "es", "fr", "de", "el", "ro", "bg", "pl"}
# The official texts write "## Art. 600-bis"; the chunker labels that "Article 600-bis".
OFFICIAL_ARTICLE = re.compile(r"^##\s*(?:Article|Art\.)\s+(\d+(?:-[a-z]+)?(?:\.\d+)?)\s*$")


def _load(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@cache
def _official_articles(name: str) -> frozenset[str]:
    lines = (OFFICIAL / name).read_text(encoding="utf-8").splitlines()
    return frozenset(f"Article {m.group(1)}" for line in lines if (m := OFFICIAL_ARTICLE.match(line)))


def _test_share_by_language(records: list[dict]) -> dict[str, float]:
    totals = Counter(r["language"] for r in records)
    tests = Counter(r["language"] for r in records if r["split"] == "test")
    return {language: tests[language] / count for language, count in totals.items()}


@pytest.mark.parametrize("path", [MULTILINGUAL, GENERALITY], ids=lambda p: p.name)
def test_new_files_schema(path: Path) -> None:
    records = _load(path)
    assert len({r["id"] for r in records}) == len(records), f"{path.name}: duplicate ids"
    for r in records:
        where = f"{path.name} {r['id']}"
        assert set(r) == KEYS, f"{where}: keys {sorted(r)}"
        assert r["split"] in SPLITS and r["language"] in ALL_LANGUAGES, where
        assert r["role"] in ROLES and r["kind"] in KINDS and isinstance(r["answerable"], bool), where
        assert isinstance(r["question"], str) and r["question"].strip(), where
        assert bool(r["history"]) == (r["kind"] == "followup"), f"{where}: only follow-ups carry history"
        if r["answerable"]:
            assert r["kind"] != "out_of_scope" and r["gold"] and 1 <= len(r["expected_terms"]) <= 4, where
        else:
            assert r["kind"] == "out_of_scope" and r["gold"] == [] and r["expected_terms"] == [], where


def test_ids_are_unique_across_files() -> None:
    ids = Counter(r["id"] for path in sorted(QUESTIONS.glob("*.jsonl")) for r in _load(path))
    assert not [key for key, count in ids.items() if count > 1]


def test_split_keeps_at_least_40_percent_test_per_language() -> None:
    for path in (DATASET, MULTILINGUAL):
        records = _load(path)
        for answerable in (True, False):
            shares = _test_share_by_language([r for r in records if r["answerable"] is answerable])
            low = {language: share for language, share in shares.items() if share < 0.4}
            assert not low, f"{path.name} (answerable={answerable}): test share below 40% for {low}"


def test_generality_set_is_never_tuned_on() -> None:
    assert {r["split"] for r in _load(GENERALITY)} == {"test"}


def test_split_field_is_what_the_stable_rule_assigns() -> None:
    """Re-running the assignment changes nothing: the split is frozen in the files."""
    for path in (DATASET, MULTILINGUAL, GENERALITY):
        records = _load(path)
        assert assign_splits(records) == records, path.name


def test_assign_splits_is_stratified_deterministic_and_keeps_existing() -> None:
    records = [{"id": f"x-{n}", "language": lang, "answerable": n % 4 != 0} for lang in ("en", "pl") for n in range(40)]
    first = assign_splits(records)
    assert first == assign_splits(list(reversed(records)))[::-1], "the split depends on file order"
    for language in ("en", "pl"):
        for answerable in (True, False):
            stratum = [r for r in first if r["language"] == language and r["answerable"] is answerable]
            assert sum(r["split"] == "test" for r in stratum) == -(-len(stratum) // 2)
    frozen = [{**first[0], "split": "tune" if first[0]["split"] == "test" else "test"}, *records[1:]]
    assert assign_splits(frozen)[0]["split"] == frozen[0]["split"], "an existing split was overwritten"


def test_languages_and_sizes_of_the_multilingual_set() -> None:
    records = _load(MULTILINGUAL)
    by_language = Counter(r["language"] for r in records)
    assert set(by_language) == ALL_LANGUAGES
    assert all(by_language[language] >= 20 for language in ALL_LANGUAGES - {"en", "it"}), by_language
    assert {r["language"] for r in records if not r["answerable"]} == ALL_LANGUAGES, "out-of-scope in every language"
    assert {r["language"] for r in records if r["kind"] == "followup"} == ALL_LANGUAGES, "follow-ups in every language"
    total = sum(len(_load(path)) for path in QUESTIONS.glob("*.jsonl"))
    assert total >= 400


def _gold_exists(source: str, section: str, corpus: Path, official: bool) -> bool:
    """Official texts count only in the generality set, whose index holds them; the rest as in dev.jsonl."""
    if official and (OFFICIAL / source).is_file():
        return section in _official_articles(source)
    if source in TREATIES:
        return GOLD_ARTICLE.fullmatch(section) is not None and section in _sections(source, str(corpus))[0]
    if source.split("/", 1)[0] not in INDEXED_FOLDERS or not (KNOWLEDGE_BASE / source).is_file():
        return False
    articles, headings = _sections(source, str(corpus))
    if GOLD_ARTICLE.fullmatch(section):
        return section in articles
    return section == "" or any(prefix_matches(section, heading) for heading in headings)


def test_new_gold_sources_and_sections_exist(corpus: Path) -> None:
    assert OFFICIAL.is_dir(), f"official texts not found at {OFFICIAL}"
    problems = [
        f"{path.name} {r['id']}: no {gold['source']!r} {gold['section']!r}"
        for path in (MULTILINGUAL, GENERALITY)
        for r in _load(path)
        for gold in r["gold"]
        if not _gold_exists(gold["source"], gold["section"], corpus, official=path == GENERALITY)
    ]
    assert not problems, "\n".join(problems)


def test_generality_gold_names_an_official_text() -> None:
    for r in _load(GENERALITY):
        if r["answerable"]:
            assert any((OFFICIAL / g["source"]).is_file() for g in r["gold"]), r["id"]
