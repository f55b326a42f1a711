"""AppTest: the chat answers with source cards, abstains visibly, stores feedback and reports errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.feedback import FeedbackStore
from core.store import ChromaStore
from ingestion.pipeline import Components, build_index
from tests.fakes import HashEmbedder, KeywordScrubber
from tests.fixtures_docs import make_pdf
from tests.ui.conftest import CASE_LAW, COVERED_QUESTION, UNCOVERED_QUESTION, AppEnv, make_env, signed_in, texts


def test_answer_shows_checked_text_and_source_cards(app_env: AppEnv) -> None:
    at = signed_in(app_env, "judy", "judge")
    at.chat_input[0].set_value(COVERED_QUESTION).run()
    assert not at.exception
    shown = texts(at)
    assert "Generated answer — each sentence is supported by the quoted source" in shown
    # [n] is a link to its card's anchor, and only that: the brackets stay escaped text inside it
    marker = re.search(r"is never relevant \[\\\[(\d)\\\]\]\(#(source-\d+-\d)\)\.", shown)
    assert marker is not None  # the checker may renumber the citation to the chunk that supports it
    n, anchor = marker.groups()
    assert anchor.endswith(f"-{n}")
    assert f'<span id="{anchor}"></span>**[{n}] Test Directive on trafficking in children**' in shown
    assert "Source text" in shown
    card = next(m.value for m in at.markdown if m.value.startswith("<div"))
    assert "<mark>" in card and "Article 2" in card  # the quoted passage with its supporting sentence marked
    assert at.get("download_button")[0].proto.label == "Export as Markdown"

    event = app_env.audit()[-1]
    assert event["event"] == "question" and event["question"] == COVERED_QUESTION
    assert {"source": "legislation/test_directive.md", "section": "Article 2 – Offences"} in [
        {k: v for k, v in source.items() if k != "chunk_id"} for source in event["sources"]
    ]
    assert all(len(source["chunk_id"]) == 24 for source in event["sources"])
    assert len(event["answer_sha256"]) == 64 and event["model"] == "fake/replay"


def test_question_is_scrubbed_before_it_is_logged(app_env: AppEnv) -> None:
    at = signed_in(app_env, "judy", "judge")
    at.chat_input[0].set_value("Does the consent of Maria Rossi matter in trafficking cases?").run()
    stored = (app_env.settings.data_dir / "safeborders.db").read_bytes()  # every table, as written to disk
    assert b"Maria" not in stored and b"Rossi" not in stored
    assert app_env.audit()[-1]["question"] == "Does the consent of <PERSON_1> matter in trafficking cases?"


def test_uncovered_question_is_shown_as_not_covered_with_nearest_sources(app_env: AppEnv) -> None:
    at = signed_in(app_env, "frank", "frontline")
    at.chat_input[0].set_value(UNCOVERED_QUESTION).run()
    assert at.warning[0].value == "**Not covered by the knowledge base**"
    shown = texts(at)
    assert "Nearest sources found" in shown
    assert "Generated answer" not in shown
    assert app_env.audit()[-1]["abstained"] is True


def test_feedback_is_stored_scrubbed_and_listed_for_editors(app_env: AppEnv) -> None:
    at = signed_in(app_env, "judy", "judge")
    at.chat_input[0].set_value(COVERED_QUESTION).run()
    at.feedback[0].set_value(1).run()
    at.text_input[0].set_value("Helpful for the hearing of Maria Rossi")
    at.button(key=next(b.key for b in at.button if b.key and b.key.startswith("send_"))).click().run()
    assert "Thank you — feedback saved." in texts(at)

    stored = [vars(entry) for entry in FeedbackStore(app_env.settings.data_dir / "feedback.jsonl").entries()]
    assert len(stored) == 1
    assert stored[0]["rating"] == "up" and stored[0]["user"] == "judy"
    assert stored[0]["question"] == COVERED_QUESTION
    assert stored[0]["comment"] == "Helpful for the hearing of <PERSON_1>"
    assert len(stored[0]["answer_sha256"]) == 64

    editor = signed_in(app_env, "eddie", "editor", page="pages/feedback.py")
    table = editor.dataframe[0].value
    assert list(table.iloc[0][["Rating", "Comment"]]) == ["👍", "Helpful for the hearing of <PERSON_1>"]


def test_new_conversation_clears_the_history(app_env: AppEnv) -> None:
    at = signed_in(app_env, "judy", "judge")
    at.chat_input[0].set_value(COVERED_QUESTION).run()
    assert at.chat_message
    at.sidebar.button(key="new_conversation").click().run()
    assert not at.chat_message


def test_missing_index_is_an_error_message_not_a_traceback(app_env: AppEnv) -> None:
    (app_env.settings.index_dir / "CURRENT").unlink()
    at = signed_in(app_env, "judy", "judge")
    at.chat_input[0].set_value(COVERED_QUESTION).run()
    assert not at.exception
    assert "no index at" in at.error[0].value and "python -m ingestion build" in at.error[0].value


def test_about_page_shows_purpose_limits_and_index_counts(app_env: AppEnv) -> None:
    at = signed_in(app_env, "frank", "frontline", page="pages/about.py")
    assert not at.exception
    assert "never a substitute for professional judgement" in at.warning[0].value
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["Documents"] == "2" and metrics["legislation"] == "1" and metrics["case law"] == "1"
    assert "fake/replay" in texts(at) and "fake/hash-64" in texts(at)
    at.session_state["language"] = "it"  # the switch's key; AppTest keeps main-script widgets only on a first run
    at.run()
    assert at.title[0].value == "Informazioni su SafeBorders Assistant"
    assert {metric.label for metric in at.metric} >= {"Documenti", "giurisprudenza"}


def _open_first_source(at: AppTest) -> AppTest:
    key = next(str(button.key) for button in at.button if str(button.key).startswith("view_"))
    return at.button(key=key).click().run()


def test_a_source_card_opens_its_document_at_the_cited_section(app_env: AppEnv) -> None:
    at = signed_in(app_env, "judy", "judge")
    at.chat_input[0].set_value(COVERED_QUESTION).run()
    _open_first_source(at)
    assert not at.exception
    shown = texts(at)
    assert "The cited section with the text around it; the cited passage is highlighted." in shown
    passages = [m.value for m in at.markdown if m.value.startswith("<div")]
    cited = next(p for p in passages if "<mark>" in p and "Article 2" in p)
    assert "<mark>The consent of a child victim to the exploitation is never relevant.</mark>" in cited
    assert any("Article 8" in passage and "<mark>" not in passage for passage in passages)  # the text after it


def test_a_source_removed_from_the_index_is_one_line_in_the_viewer(app_env: AppEnv) -> None:
    at = signed_in(app_env, "judy", "judge")
    at.chat_input[0].set_value(COVERED_QUESTION).run()
    kb = app_env.settings.knowledge_base_dir
    (kb / "legislation" / "test_directive.md").unlink()
    components = Components(HashEmbedder(), KeywordScrubber(), ChromaStore(app_env.settings.vector_store))
    build_index([kb], app_env.settings.index_dir, app_env.settings, components)
    _open_first_source(at)
    assert not at.exception
    assert [e.value for e in at.error] == [
        "legislation/test_directive.md is no longer in the knowledge base: it was removed or renamed after this "
        "answer was written."
    ]


GUIDE_PAGES = [
    "Guide to the identification of child victims\nGeneral remarks on the scope of this guide and its chapters.",
    "Interviews\nA child victim is interviewed by trained staff in a child-friendly room, with a guardian present.",
]
GUIDE_REPLY = "A child victim is interviewed by trained staff in a child-friendly room, with a guardian present [1]."


def test_the_viewer_shows_the_cited_pdf_page_and_turns_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = make_env(tmp_path, monkeypatch, {"case_law/torino_servitude.md": CASE_LAW}, [GUIDE_REPLY])
    kb = env.settings.knowledge_base_dir
    make_pdf(kb / "handbook" / "guide.pdf", GUIDE_PAGES, title="Guide to identifying child victims")
    components = Components(HashEmbedder(), KeywordScrubber(), ChromaStore(env.settings.vector_store))
    build_index([kb], env.settings.index_dir, env.settings, components)
    at = signed_in(env, "judy", "judge")
    at.chat_input[0].set_value("Who interviews a child victim, and in which room?").run()
    _open_first_source(at)
    assert not at.exception
    assert [image.proto.imgs[0].caption for image in at.get("image")] == [
        "Page 2 of 2 · The cited passage is marked in yellow."
    ]
    assert at.button(key="viewer_next").disabled
    at.button(key="viewer_previous").click().run()
    assert [image.proto.imgs[0].caption for image in at.get("image")] == ["Page 1 of 2"]
    at.button(key="viewer_cited").click().run()
    assert at.get("image")[0].proto.imgs[0].caption.startswith("Page 2 of 2")
