"""AppTest: case analysis finds indicators and refuses frontline accounts; patterns chart the case law."""

from __future__ import annotations

import shutil
import time

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from app.case_analyses import CaseAnalysisStore
from core.settings import PROJECT_ROOT
from tests.ui.conftest import AppEnv, signed_in, texts

CASE_PAGE = "pages/case_analysis.py"
NARRATIVE = (
    "The girl is 15 years old. The madam took her passport when she arrived in Turin. "
    "She must repay a debt of 30,000 euros by prostitution."
)
RECIPE = "Preheat the oven to 180 degrees. Mix the flour, sugar and eggs, then bake the cake for forty minutes."


@pytest.fixture
def case_env(app_env: AppEnv) -> AppEnv:
    """The UI profile plus the project's indicator catalogue, which the analyzer reads from the knowledge base."""
    catalogue = PROJECT_ROOT / "knowledge_base" / "indicators"
    shutil.copytree(catalogue, app_env.settings.knowledge_base_dir / "indicators")
    return app_env


def _analyse(at: AppTest, text: str) -> AppTest:
    at.text_area(key="case_text").set_value(text)
    return at.button(key="case_run").click().run()


def test_judge_sees_indicators_and_that_a_child_needs_no_means(case_env: AppEnv) -> None:
    at = _analyse(signed_in(case_env, "judy", "judge", page=CASE_PAGE), NARRATIVE)
    assert not at.exception
    assert not at.error
    table = at.dataframe[0].value
    found = set(table["Indicator"])
    assert "Identity documents withheld by another person" in found
    assert "Debt owed to recruiter or exploiter that keeps growing" in found
    evidence = table.set_index("Indicator").loc["Identity documents withheld by another person", "Evidence"]
    assert "took her passport" in evidence
    shown = texts(at)
    assert "Child victim — means not required" in shown  # the badge of the means element
    assert "under 18: the means need not be proven" in at.info[0].value  # the risk summary
    assert "Fictional case of the Tribunale di Torino on domestic servitude" in shown  # the similar case
    # Nothing is stored unless the box is ticked.
    assert CaseAnalysisStore(case_env.settings.data_dir).list_for("judy") == []


def test_text_without_a_case_shows_no_indicators(case_env: AppEnv) -> None:
    at = _analyse(signed_in(case_env, "judy", "judge", page=CASE_PAGE), RECIPE)
    assert not at.exception
    assert [s.value for s in at.success] == ["No trafficking indicators found in this text."]
    assert not at.dataframe
    assert "Child victim — means not required" not in texts(at)


def test_frontline_account_is_refused_case_analysis(case_env: AppEnv) -> None:
    at = signed_in(case_env, "frank", "frontline", page=CASE_PAGE)
    assert "Case analysis" not in [title.value for title in at.title]  # not in the navigation
    assert not at.text_area

    # The page itself refuses, even when reached without the navigation.
    page = AppTest.from_file(str(PROJECT_ROOT / "app" / "pages" / "case_analysis.py"))
    page.session_state["auth"] = {"user": "frank", "role": "frontline", "last_seen": time.time()}
    page.run()
    assert page.error[0].value.startswith("Your account cannot open this page")
    assert not page.text_area and not page.file_uploader and not page.button


def test_patterns_page_charts_the_case_law_metadata(app_env: AppEnv) -> None:
    at = signed_in(app_env, "eddie", "editor", page="pages/patterns.py")
    assert not at.exception
    assert at.title[0].value == "Patterns across the case law"
    assert "1 of 1 decisions" in texts(at)

    charts = at.get("vega_lite_chart")
    assert len(charts) == 4  # exploitation type, recruitment method, victim age group, outcome
    data = [pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_pandas() for chart in charts]
    assert [frame.to_dict("records") for frame in data] == [
        [{"category": "domestic_servitude", "cases": 1, "label": "domestic servitude"}],
        [{"category": "family_member", "cases": 1, "label": "family member"}],
        [{"category": "child", "cases": 1, "label": "child"}],
        [{"category": "conviction", "cases": 1, "label": "conviction"}],
    ]
    picks = {box.key: box.options for box in at.selectbox}
    assert picks["pick_exploitation_type"] == ["domestic servitude"]
    assert picks["pick_route"] == ["Nigeria → Libya", "Libya → Italy"]
    behind = at.dataframe[0].value.iloc[0]
    assert behind["Source"] == "case_law/torino_servitude.md" and behind["Year"] == 2019
    routes = at.get("graphviz_chart")[0].proto.spec
    assert '"Nigeria" -> "Libya"' in routes and '"Libya" -> "Italy"' in routes


def test_a_language_switch_keeps_the_analysis_and_translates_it(case_env: AppEnv) -> None:
    at = _analyse(signed_in(case_env, "judy", "judge", page=CASE_PAGE), NARRATIVE)
    assert "Identity documents withheld by another person" in set(at.dataframe[0].value["Indicator"])
    at.session_state["language"] = "it"  # what the sidebar's language switch stores
    at.run()
    table = at.dataframe[0].value
    assert "Documenti d'identità trattenuti da un'altra persona" in set(table["Indicatore"])
    assert at.text_area(key="case_text").value == NARRATIVE  # the pasted text is kept as well
    assert "i mezzi non devono essere provati" in at.info[0].value
    assert [b.label for b in at.get("download_button")] == ["Scarica in Markdown", "Scarica in Word (DOCX)"]


def test_a_kept_analysis_is_listed_and_shown_again(case_env: AppEnv) -> None:
    at = signed_in(case_env, "judy", "judge", page=CASE_PAGE)
    at.checkbox(key="case_store").check()
    at = _analyse(at, NARRATIVE)
    assert "Analysis saved as no. 1." in texts(at)
    at = signed_in(case_env, "judy2", "judge", page=CASE_PAGE)  # another judge sees none of it
    assert "No saved analyses yet." in texts(at)
    fresh = signed_in(case_env, "judy3", "judge", page=CASE_PAGE)
    fresh.session_state["auth"] = {"user": "judy", "role": "judge", "last_seen": time.time()}
    fresh.run()
    fresh.button(key="case_saved_open").click().run()
    assert "Identity documents withheld by another person" in set(fresh.dataframe[0].value["Indicator"])
