"""AppTest: the Patterns page says what it counts and from where, for both of its sources, in English and Italian."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.network_view import default_workspace
from analysis.workspace import Workspace
from tests.ui.conftest import LEGISLATION, AppEnv, make_env, signed_in, texts
from tests.ui.test_app_italian import english_strings, visible_strings
from tests.ui.test_app_networks import network_env  # noqa: F401  (fixture)
from tests.unit.test_network import make_intake

PAGE = "pages/patterns.py"
# What a judge reads on the page for each source and language: the title, where the counts come from, the unit of
# the bars, and the words every chart title and the route heading carry.
EXPECTED = {
    ("front_matter", "en"): ("Patterns across the case law", "case-law metadata", "decisions", "Decisions by ",
                             "(case-law metadata)", "Decisions behind"),
    ("front_matter", "it"): ("Ricorrenze nella giurisprudenza", "metadati redatti per ciascuna decisione",
                             "decisioni", "Decisioni per ", "(metadati della giurisprudenza)",
                             "Decisioni corrispondenti"),
    ("documents", "en"): ("Patterns across the analysed cases", "analysed documents of the case workspace", "cases",
                          "Cases by ", "(analysed documents)", "Cases behind"),
    ("documents", "it"): ("Ricorrenze nei casi analizzati", "documenti analizzati dell'area dei casi", "casi",
                          "Casi per ", "(documenti analizzati)", "Casi corrispondenti"),
}  # fmt: skip
ROUTES = {
    ("front_matter", "en"): "Routes recorded in the case-law metadata (origin → transit → destination)",
    ("front_matter", "it"): "Rotte registrate nei metadati della giurisprudenza (origine → transito → destinazione)",
    ("documents", "en"): "Routes told in the analysed documents (origin → transit → destination)",
    ("documents", "it"): "Rotte descritte nei documenti analizzati (origine → transito → destinazione)",
}


def _open(env: AppEnv, language: str) -> AppTest:
    at = signed_in(env, "judy", "judge", page=PAGE)
    at.session_state["language"] = language
    return at.run()


def _check_wording(at: AppTest, source: str, language: str) -> list[dict[str, object]]:
    """The checks shared by both sources; the chart specs, for the source's own checks."""
    title, basis, unit, chart_start, chart_end, behind = EXPECTED[(source, language)]
    assert not at.exception
    assert at.title[0].value == title
    assert basis in texts(at)
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    assert specs
    for spec in specs:
        assert spec["title"].startswith(chart_start) and spec["title"].endswith(chart_end), spec["title"]
        assert spec["encoding"]["x"]["title"] == unit
    assert {box.label for box in at.selectbox} == {behind}
    assert f"**{ROUTES[(source, language)]}**" in [markdown.value for markdown in at.markdown]
    if language == "it":
        assert english_strings(visible_strings(at)) == []
    return specs


@pytest.mark.parametrize("language", ["en", "it"])
def test_counts_from_the_case_law_metadata_say_so(app_env: AppEnv, language: str) -> None:
    at = _open(app_env, language)
    assert len(_check_wording(at, "front_matter", language)) == 4  # every dimension the decision states
    assert at.multiselect(key="pat_j").options == ["IT"]  # decisions state their jurisdiction
    note = {"en": "the decisions recording that leg", "it": "le decisioni che registrano quella tratta"}[language]
    assert note in texts(at)


@pytest.mark.parametrize("language", ["en", "it"])
def test_counts_from_the_analysed_documents_say_so(network_env: AppEnv, language: str) -> None:  # noqa: F811
    journey = network_env.root / "incoming" / "bari_report.txt"
    journey.write_text("Ion Popescu brought the boys from Craiova to Bari by car.", encoding="utf-8")
    make_intake(Workspace(default_workspace(network_env.settings))).add_files("BA-5", [journey])
    at = _open(network_env, language)
    specs = _check_wording(at, "documents", language)
    assert len(specs) == 2  # exploitation and age group: what these documents show
    shown = {"en": "4 of 4 cases", "it": "4 casi su 4"}[language]
    assert shown in texts(at)
    assert not at.multiselect  # cases of the workspace state no jurisdiction: no filter that would be empty
    case = {"en": "Case", "it": "Caso"}[language]
    assert [list(frame.value.columns) for frame in at.dataframe] == [[case]] * 3  # a case is named, nothing more
    note = {"en": "the cases telling that leg", "it": "i casi che descrivono quella tratta"}[language]
    assert note in texts(at)
    ages = {"en": "adult: no document of the case shows one", "it": "adulta: nessun documento del caso ne indica"}
    assert ages[language] in texts(at)  # "adult" here means no child victim found, and the page says so


def test_with_nothing_to_count_the_page_says_where_counts_come_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = make_env(tmp_path, monkeypatch, {"legislation/directive.md": LEGISLATION}, [])
    at = _open(env, "en")
    assert not at.exception
    assert at.info[0].value.startswith("Nothing to count yet: no case document has been analysed and no case-law")
    assert not at.get("vega_lite_chart")
