"""AppTest: the Networks page draws the linked cases, lists a node's evidence, and is refused to frontline accounts."""

from __future__ import annotations

import json
import shutil
import time
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from analysis.network_view import default_workspace
from analysis.workspace import Workspace
from core.settings import PROJECT_ROOT
from tests.ui.conftest import AppEnv, signed_in, texts
from tests.unit.test_network import FILES, make_intake

PAGE = "pages/networks.py"


@pytest.fixture
def network_env(app_env: AppEnv) -> AppEnv:
    """The UI profile with two linked cases and one unlinked case in the app's workspace."""
    folder = app_env.root / "incoming"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    intake = make_intake(Workspace(default_workspace(app_env.settings)))
    intake.add_files("PA-1", [folder / "palermo_report.txt", folder / "transfers.csv"])
    intake.add_files("TO-2", [folder / "torino_statement.md"])
    intake.add_files("GE-4", [folder / "genova_report.txt"])
    return app_env


def test_judge_sees_linked_cases_patterns_and_a_nodes_evidence(network_env: AppEnv) -> None:
    at = signed_in(network_env, "judy", "judge", page=PAGE)
    assert not at.exception
    assert not at.error
    shown = texts(at)
    assert "3 cases" in shown and "PA-1, TO-2" in shown  # the one network
    links = next(frame.value for frame in at.dataframe if "Shared identifiers" in frame.value.columns)
    assert list(links["Cases"]) == ["PA-1 — TO-2"]
    assert "PHONE-" in links["Shared identifiers"][0]
    assert "One account receiving money from many people" in [e.label for e in at.expander]
    phone = next(option for option in at.selectbox(key="net_node").options if option.startswith("PHONE-"))
    at.selectbox(key="net_node").set_value(phone).run()
    evidence = at.dataframe[0].value
    assert set(evidence["Case"]) == {"PA-1", "TO-2"}
    assert any(f"<{phone}>" in sentence for sentence in evidence["Sentence"])
    assert not any("1234567" in sentence for sentence in evidence["Sentence"])


def test_filters_and_italian_strings(network_env: AppEnv) -> None:
    at = signed_in(network_env, "judy", "judge", page=PAGE)
    at.session_state["language"] = "it"
    at.multiselect(key="net_cases").set_value(["GE-4"]).run()
    assert not at.exception
    assert at.title[0].value == "Reti tra i casi"
    assert "1 casi" in texts(at)


def test_exports_are_offered(network_env: AppEnv) -> None:
    at = signed_in(network_env, "judy", "judge", page=PAGE)
    labels = [button.proto.label for button in at.get("download_button")]
    assert labels == ["GraphML (Gephi, i2)", "Nodes (CSV)", "Edges (CSV)"]


def test_empty_workspace_says_how_to_add_cases(app_env: AppEnv) -> None:
    at = signed_in(app_env, "judy", "judge", page=PAGE)
    assert not at.exception
    assert "python -m analysis add --workspace" in at.info[0].value


def test_frontline_accounts_are_refused(network_env: AppEnv) -> None:
    at = signed_in(network_env, "fred", "frontline", page=PAGE)
    assert "Networks across cases" not in [title.value for title in at.title]  # not in the navigation
    page = AppTest.from_file(str(PROJECT_ROOT / "app" / "pages" / "networks.py"))
    page.session_state["auth"] = {"user": "fred", "role": "frontline", "last_seen": time.time()}
    page.run()
    assert page.error[0].value.startswith("Your account cannot open this page")
    assert not page.dataframe and not page.selectbox


def test_a_judge_adds_documents_to_a_new_case_from_memory(app_env: AppEnv) -> None:
    catalogue = PROJECT_ROOT / "knowledge_base" / "indicators"  # the case analysis reads it from the knowledge base
    shutil.copytree(catalogue, app_env.settings.knowledge_base_dir / "indicators")
    at = signed_in(app_env, "judy", "judge", page=PAGE)
    assert at.selectbox(key="net_add_case").value is None  # no case yet: a new one is named
    at.text_input(key="net_add_name").set_value("BA-9")
    report = b"Ion Popescu brought the boys from Craiova to Bari by car and took all their money."
    at.file_uploader(key="net_add_files").set_value(
        [("popescu_report.txt", report, "text/plain"), ("scan.pdf", b"not a PDF", "application/pdf"),
         ("empty.txt", b"  ", "text/plain")]
    ).run()  # fmt: skip
    at.button(key="net_add_go").click().run()
    assert not at.exception
    assert "Case BA-9: 1 documents added (D1); only their scrubbed text is kept." in [s.value for s in at.success]
    errors = [e.value for e in at.error]  # one line per bad file, naming it
    assert len(errors) == 2 and errors[0].startswith("scan.pdf: ") and errors[1] == "empty.txt: empty file"
    assert all("\n" not in line and "Traceback" not in line for line in errors)
    folder = default_workspace(app_env.settings)
    assert Workspace(folder).cases() == ["BA-9"]
    stored = b"".join(path.read_bytes() for path in folder.rglob("*") if path.is_file())
    assert b"Popescu" not in stored and b"popescu_report" not in stored
    assert not list((app_env.root).rglob("popescu_report*"))  # the upload was never written to disk
    routes = next(frame.value for frame in at.dataframe if "Route" in frame.value.columns)
    assert list(routes["Route"]) == ["Craiova → Bari"]


def test_adding_needs_a_case_name(app_env: AppEnv) -> None:
    at = signed_in(app_env, "judy", "judge", page=PAGE)
    at.file_uploader(key="net_add_files").set_value([("note.txt", b"A note.", "text/plain")]).run()
    at.button(key="net_add_go").click().run()
    assert [e.value for e in at.error] == ["Name the new case first."]
    assert not (default_workspace(app_env.settings) / "workspace.sqlite3").exists()


def _chart_rows(at: AppTest) -> list[list[dict[str, object]]]:
    import pyarrow as pa

    charts = at.get("vega_lite_chart")
    frames = [pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_pandas() for chart in charts]
    return [frame[["category", "cases"]].to_dict("records") for frame in frames]


@pytest.mark.parametrize("language", ["en", "it"])
def test_patterns_page_counts_the_analysed_documents(network_env: AppEnv, language: str) -> None:
    journey = network_env.root / "incoming" / "bari_report.txt"
    journey.write_text("Ion Popescu brought the boys from Craiova to Bari by car.", encoding="utf-8")
    make_intake(Workspace(default_workspace(network_env.settings))).add_files("BA-5", [journey])
    at = signed_in(network_env, "judy", "judge", page="pages/patterns.py")
    at.session_state["language"] = language
    at.run()
    assert not at.exception
    words = {"en": "analysed documents of the case workspace", "it": "documenti analizzati dell'area dei casi"}
    assert words[language] in texts(at)
    # Charts for what the documents show: the Palermo madam's sexual exploitation, one case about a child (aged
    # 15) and three without; recruitment methods and outcomes are not in these texts, so they have no chart.
    assert _chart_rows(at) == [
        [{"category": "sexual_exploitation", "cases": 1}],
        [{"category": "adult", "cases": 3}, {"category": "child", "cases": 1}],
    ]
    assert at.selectbox(key="pick_route").options == ["Craiova → Bari"]
    assert '"Craiova" -> "Bari"' in at.get("graphviz_chart")[0].proto.spec


@pytest.fixture
def dated_env(network_env: AppEnv) -> AppEnv:
    """The linked cases of ``network_env`` (PA-1's transfers in January 2024) and a Turin case dated May 2022."""
    statement = network_env.root / "incoming" / "torino_2022.md"
    statement.write_text("Il 3 maggio 2022 la ragazza, nata il 4/06/2007, è stata contattata da OKAFOR Joy dal "
                         "numero 3331234567 a Torino.", encoding="utf-8")  # fmt: skip
    make_intake(Workspace(default_workspace(network_env.settings))).add_files("TO-5", [statement])
    return network_env


@pytest.mark.parametrize("language", ["en", "it"])
def test_the_timeline_lists_dated_events_and_never_a_birth_date(dated_env: AppEnv, language: str) -> None:
    at = signed_in(dated_env, "judy", "judge", page=PAGE)
    at.session_state["language"] = language
    at.run()
    assert not at.exception
    heading = {"en": "Timeline of events", "it": "Cronologia dei fatti"}[language]
    assert heading in [header.value for header in at.subheader]
    column = {"en": "Date", "it": "Data"}[language]
    timeline = next(frame.value for frame in at.dataframe if column in frame.value.columns)
    assert list(timeline[column]) == ["2022-05-03", "2024-01-05", "2024-01-06", "2024-01-07"]  # not her birth date
    chart = json.loads(next(c for c in at.get("vega_lite_chart") if "Dated" in c.proto.spec
                            or "datati" in c.proto.spec).proto.spec)  # fmt: skip
    assert chart["title"] == {"en": "Dated events by case", "it": "Fatti datati per caso"}[language]


def test_the_period_filter_removes_a_case_outside_it(dated_env: AppEnv) -> None:
    at = signed_in(dated_env, "judy", "judge", page=PAGE)
    assert "case:TO-5" in at.selectbox(key="net_node").options
    at.slider(key="net_period").set_value((date(2024, 1, 1), date(2024, 1, 7))).run()
    assert not at.exception
    assert "Only documents with events from 01/01/2024 to 07/01/2024." in texts(at)
    options = at.selectbox(key="net_node").options
    assert "case:TO-5" not in options and "case:PA-1" in options  # dated outside the period: gone
    assert "case:TO-2" in options  # states no date at all: still shown
    timeline = next(frame.value for frame in at.dataframe if "Date" in frame.value.columns)
    assert set(timeline["Case"]) == {"PA-1"}
    links = next(frame.value for frame in at.dataframe if "Shared identifiers" in frame.value.columns)
    assert list(links["Cases"]) == ["PA-1 — TO-2"]  # PA-1 — TO-5 (the same phone) is outside the period
