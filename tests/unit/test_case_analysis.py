"""Case analysis on fakes: negations, child victims, risk combinations, actors, similar cases and bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from analysis.actors import actor_graph, extract_actors, to_dot
from analysis.case import CaseAnalyzer
from analysis.catalogue import load_catalogue, parse_catalogue
from analysis.cli import main
from analysis.elements import CHILD_LEGAL_BASIS, birth_ages
from analysis.indicators import Thresholds
from analysis.risk import DISCLAIMER, high_risk_combinations
from core.errors import ConfigError, InputError
from core.settings import PROJECT_ROOT
from core.text import detect_language, split_sentences
from rag.search import Hit
from tests.fakes import HashEmbedder, KeywordScrubber

TINY = {
    "version": 1,
    "indicators": [
        {
            "id": "documents_confiscated", "category": "general", "label": "Documents withheld",
            "description": "Passport kept by another person.", "element": "means", "severity": "high",
            "examples_en": ["he took my passport", "the madam keeps her papers"],
            "examples_it": ["le ha tolto il passaporto"],
            "keywords": ["passport", "passaporto", "documenti"],
            "negations": ["kept her passport", "ha i suoi documenti"],
            "provisions": ["Palermo Protocol art. 3(a)"],
        },
        {
            "id": "debt_bondage", "category": "general", "label": "Debt bondage",
            "description": "A debt that keeps growing.", "element": "means", "severity": "high",
            "examples_en": ["I owe them 30,000 euros for the journey"], "examples_it": ["devo pagare il debito"],
            "keywords": ["debt", "owe", "debito"], "negations": ["no debt", "non ha debiti"],
            "provisions": ["Directive 2011/36/EU art. 2(1)"],
        },
        {
            "id": "no_pay_or_wages_withheld", "category": "labour_exploitation", "label": "No pay",
            "description": "The worker is not paid.", "element": "purpose", "severity": "high",
            "examples_en": ["I have not been paid for three months"], "examples_it": ["non mi pagano da tre mesi"],
            "keywords": ["not paid", "wage"], "negations": ["paid regularly"],
            "provisions": ["c.p. art. 603-bis"],
        },
        {
            "id": "child_commercial_sex", "category": "child", "label": "Child in commercial sex",
            "description": "A child provides sexual services.", "element": "purpose", "severity": "high",
            "examples_en": ["she is 16 and works on the street at night"],
            "examples_it": ["ha 16 anni e sta in strada"],
            "keywords": ["clients"], "negations": [], "provisions": ["Directive 2011/93/EU art. 4(5)"],
        },
    ],
}  # fmt: skip
# For every language (English ones serve the others): the hash embedder's similarities are not semantic.
RULES_ONLY = {"en": Thresholds(strong=0.0, keyword=0.5, semantic=2.0)}


class FakeSearcher:
    """Search over canned case-law hits, recording the queries."""

    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits
        self.queries: list[tuple[str, Any]] = []

    def search(self, question: str, *, k: int | None = None, filters: Any = None) -> list[Hit]:
        self.queries.append((question, filters))
        wanted = filters.doc_types[0] if filters and filters.doc_types else None
        return [hit for hit in self.hits if wanted is None or hit.doc_type == wanted]


@pytest.fixture
def analyzer() -> CaseAnalyzer:
    catalogue = parse_catalogue(TINY)
    return CaseAnalyzer(catalogue, HashEmbedder(), KeywordScrubber(("Maria Rossi", "Ion Popescu")), None, RULES_ONLY)


def _ids(analyzer: CaseAnalyzer, text: str, language: str = "en") -> set[str]:
    return {m.indicator.id for m in analyzer.analyse_text(text, language=language).indicators}


@pytest.mark.parametrize(
    ("text", "language", "indicator"),
    [
        ("The madam took her passport when she arrived.", "en", "documents_confiscated"),
        ("Le hanno tolto il passaporto appena arrivata.", "it", "documents_confiscated"),
        ("She owes 30,000 euros for the journey.", "en", "debt_bondage"),
        ("He has not been paid for three months.", "en", "no_pay_or_wages_withheld"),
    ],
)
def test_indicator_found_when_stated(analyzer: CaseAnalyzer, text: str, language: str, indicator: str) -> None:
    assert indicator in _ids(analyzer, text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("She kept her passport with her the whole time.", "en"),
        ("Non le hanno tolto i documenti.", "it"),
        ("Nobody took her passport.", "en"),
        ("He was paid regularly at the end of the month.", "en"),
        ("There was no debt: he paid for the trip himself.", "en"),
        ("Non ha debiti con nessuno.", "it"),
    ],
)
def test_negated_or_absent_indicators_do_not_count(analyzer: CaseAnalyzer, text: str, language: str) -> None:
    assert _ids(analyzer, text, language) == set()


def test_child_victim_makes_means_not_required_with_three_citations(analyzer: CaseAnalyzer) -> None:
    text = "Maria Rossi, aged 15, was brought to Turin. The madam took her passport. She owes 20,000 euros to her."
    result = analyzer.analyse_text(text, language="en")
    assert result.child_victim
    assert result.elements["means"].status == "not_required"
    assert result.elements["means"].legal_basis == list(CHILD_LEGAL_BASIS)
    assert set(CHILD_LEGAL_BASIS) == {
        "Palermo Protocol art. 3(c)", "CETS 197 art. 4(c)", "Directive 2011/36/EU art. 2(5)"
    }  # fmt: skip
    assert "<PERSON_1>" in result.scrubbed_text and "Maria" not in result.scrubbed_text


def test_adult_victim_means_found_from_indicators(analyzer: CaseAnalyzer) -> None:
    result = analyzer.analyse_text("The madam took her passport. She owes 20,000 euros to her.", language="en")
    assert not result.child_victim
    assert result.elements["means"].status == "found"
    assert result.elements["means"].evidence


@pytest.mark.parametrize(
    ("text", "child"),
    [
        ("A 15-year-old girl was found.", True),
        ("La ragazza, di 16 anni, è arrivata a Palermo.", True),
        ("La minorenne è stata accolta in comunità.", True),
        ("The woman, aged 34, was found.", False),
    ],
)
def test_child_age_detection(analyzer: CaseAnalyzer, text: str, child: bool) -> None:
    result = analyzer.analyse_text(text + " The madam took her passport.", language="en")
    assert result.child_victim is child


def test_birth_date_gives_age_before_scrubbing() -> None:
    assert birth_ages("She was born on 14/03/2005 in Benin City. In 2021 she left for Libya.") == [16]
    assert birth_ages("No dates here.") == []


def test_child_only_indicator_needs_a_child(analyzer: CaseAnalyzer) -> None:
    assert "child_commercial_sex" not in _ids(analyzer, "She had to see clients every night.")
    assert "child_commercial_sex" in _ids(analyzer, "She is 16 and had to see clients every night.")


@pytest.mark.parametrize(
    "text",
    [
        "Tritate sedano, carota e cipolla. Lasciate cuocere per tre ore a fuoco basso.",
        "Inter beat Torino 3-1 on Sunday; the striker hit the post twice before scoring.",
    ],
)
def test_text_without_a_case_gives_a_clear_empty_result(analyzer: CaseAnalyzer, text: str) -> None:
    result = analyzer.analyse_text(text)
    assert result.indicators == []
    assert all(element.status == "not_found" for element in result.elements.values())
    assert result.risk_summary.startswith("No trafficking indicators were found")
    assert result.provisions == [] and result.similar_cases == [] and not result.child_victim


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_empty_text_is_refused_with_one_line(analyzer: CaseAnalyzer, text: str) -> None:
    with pytest.raises(InputError, match="empty"):
        analyzer.analyse_text(text)


def test_long_input_reports_progress(analyzer: CaseAnalyzer) -> None:
    pages = ["The weather was fine and the meeting ended at noon. " * 40] * 30
    seen: list[float] = []
    result = analyzer.analyse_pages(pages, progress=lambda fraction, message: seen.append(fraction))
    assert result.indicators == []
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 5


def test_risk_combinations() -> None:
    combos = high_risk_combinations({"debt_bondage", "documents_confiscated"}, child=True)
    assert "child victim with debt bondage and confiscated documents" in combos
    assert "child victim with debt bondage and confiscated documents" not in high_risk_combinations(
        {"debt_bondage", "documents_confiscated"}, child=False
    )
    assert "ritual oath combined with a debt" in high_risk_combinations({"ritual_oath_juju", "debt_bondage"}, False)
    assert "isolation or confinement combined with no pay" in high_risk_combinations(
        {"restricted_movement", "no_pay_or_wages_withheld"}, False
    )
    assert "child victim in sexual exploitation" in high_risk_combinations({"child_commercial_sex"}, True)
    assert high_risk_combinations({"debt_bondage"}, False) == []


def test_risk_summary_is_worded_as_support(analyzer: CaseAnalyzer) -> None:
    text = "Maria Rossi, aged 15, was brought to Turin. The madam took her passport. She owes 20,000 euros to her."
    summary = analyzer.analyse_text(text, language="en").risk_summary
    assert "for the court's assessment" in summary and DISCLAIMER in summary
    assert "child victim with debt bondage and confiscated documents" in summary


def test_actors_and_relations_from_placeholders() -> None:
    text = (
        "<PERSON_1>, the recruiter, recruited <PERSON_2> in Lagos. <PERSON_2> was driven to Italy by <PERSON_3>. "
        "Every night <PERSON_2> paid <PERSON_4>, the madam. <PERSON_5> è stata reclutata da <PERSON_6>. "
        "<PERSON_1> never paid <PERSON_3>."
    )
    actors, relations = extract_actors(split_sentences(text))
    triples = {(r.source, r.kind, r.target) for r in relations}
    assert triples == {
        ("<PERSON_1>", "recruited", "<PERSON_2>"),
        ("<PERSON_3>", "transported", "<PERSON_2>"),
        ("<PERSON_2>", "paid", "<PERSON_4>"),
        ("<PERSON_6>", "recruited", "<PERSON_5>"),
    }
    roles = {actor.id: actor.roles for actor in actors}
    assert "recruiter" in roles["<PERSON_1>"] and "controller" in roles["<PERSON_4>"]
    assert "victim" in roles["<PERSON_2>"] and "victim" in roles["<PERSON_5>"]
    dot = to_dot(actor_graph(actors, relations))
    assert '"<PERSON_1>" -> "<PERSON_2>" [label="recruited"]' in dot


def test_similar_cases_grouped_by_decision_with_shared_features() -> None:
    def hit(source: str, score: float, doc_type: str = "case_law") -> Hit:
        meta = {"source": source, "title": source.upper(), "doc_type": doc_type, "section": "Facts", "page": -1}
        return Hit.from_metadata(f"{source}#{score}", "text", score, meta)

    documents = {
        "a.md": {"meta": {"exploitation_type": ["labour_exploitation"], "recruitment_method": ["false_job_offer"]}},
        "b.md": {"meta": {"exploitation_type": ["sexual_exploitation"], "victim_age_group": "adult"}},
    }
    searcher = FakeSearcher([hit("b.md", 0.9), hit("a.md", 0.5), hit("a.md", 0.4), hit("law.md", 0.8, "legislation")])
    analyzer = CaseAnalyzer(
        parse_catalogue(TINY), HashEmbedder(), KeywordScrubber(), searcher, RULES_ONLY, documents=lambda: documents
    )
    result = analyzer.analyse_text("He has not been paid for three months. The boss took his passport.")
    sources = [case.source for case in result.similar_cases]
    assert sources == ["a.md", "b.md"]  # shared features rank first
    assert result.similar_cases[0].shared == {"exploitation_type": ["labour_exploitation"]}
    assert len(result.similar_cases[0].passages) == 2
    retrieved = [p for p in result.provisions if p["kind"] == "retrieved"]
    assert [p["source"] for p in retrieved] == ["law.md"]
    assert {p["citation"] for p in result.provisions if p["kind"] == "catalogue"} == {
        "Palermo Protocol art. 3(a)", "c.p. art. 603-bis"
    }  # fmt: skip
    assert [f.doc_types for _, f in searcher.queries] == [("legislation",), ("case_law",)]


def test_to_json_has_the_documented_shape(analyzer: CaseAnalyzer) -> None:
    data = analyzer.analyse_text("Maria Rossi recruited Ion Popescu. The boss took his passport.").to_json()
    for key in ("indicators", "elements", "child_victim", "provisions", "similar_cases", "risk_summary", "actors",
                "relations", "scrubbed_counts"):  # fmt: skip
        assert key in data
    assert set(data["indicators"][0]) >= {"id", "label", "category", "element", "severity", "evidence", "score"}
    assert set(data["elements"]) == {"act", "means", "purpose"}
    assert data["scrubbed_counts"] == {"PERSON": 2}
    assert "Maria" not in json.dumps(data)


def test_catalogue_validation() -> None:
    assert len(load_catalogue(PROJECT_ROOT / "knowledge_base/indicators/indicators.yaml").indicators) == 50
    broken = json.loads(json.dumps(TINY))
    broken["indicators"][0]["element"] = "motive"
    with pytest.raises(ConfigError, match="documents_confiscated.*element"):
        parse_catalogue(broken)
    broken["indicators"][0]["element"] = "means"
    broken["indicators"][1]["id"] = "documents_confiscated"
    with pytest.raises(ConfigError, match="used twice"):
        parse_catalogue(broken)
    with pytest.raises(ConfigError, match="not found|cannot be read"):
        load_catalogue(Path("/nonexistent/indicators.yaml"))


def test_sentences_keep_abbreviations_and_language_is_detected() -> None:
    text = "Mrs. Adaeze met her at 4 a.m. near the station. Art. 601 c.p. applies. Fine."
    sentences = split_sentences(text, keep_lines=False)
    assert [s.text for s in sentences] == [
        "Mrs. Adaeze met her at 4 a.m. near the station.", "Art. 601 c.p. applies.", "Fine."
    ]  # fmt: skip
    assert detect_language("La ragazza non parla italiano e vive con la madre.") == "it"
    assert detect_language("The girl does not speak Italian and lives with her mother.") == "en"


def test_cli_analyze_prints_json(analyzer: CaseAnalyzer, tmp_path: Path) -> None:
    case = tmp_path / "case.txt"
    case.write_text("The boss took his passport. He owes 5,000 euros for the journey.", encoding="utf-8")
    out = io.StringIO()
    code = main(["analyze", str(case), "--json"], stdout=out, analyzer_factory=lambda config, index: analyzer)
    assert code == 0
    data = json.loads(out.getvalue())
    assert {i["id"] for i in data["indicators"]} == {"documents_confiscated", "debt_bondage"}


def test_cli_analyze_reports_bad_files_in_one_line(
    analyzer: CaseAnalyzer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "case.xlsx"
    bad.write_bytes(b"x")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for path in (bad, empty, tmp_path / "missing.txt"):
        assert main(["analyze", str(path)], analyzer_factory=lambda config, index: analyzer) == 2
        error = capsys.readouterr().err
        assert error.startswith("error: ") and error.count("\n") == 1
