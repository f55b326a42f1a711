"""AppTest: conversations are saved per user, reopened after a refresh, renamed, exported and deleted; a stopped
answer keeps only its checked part."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from app import resources
from app.conversations import ConversationStore
from app.sessions import SessionStore
from tests.ui.conftest import COVERED_QUESTION, GROUNDED_REPLY, UNCOVERED_QUESTION, AppEnv, new_app, signed_in, texts


def _store(env: AppEnv) -> ConversationStore:
    return ConversationStore(env.settings.data_dir)


def _reload(env: AppEnv, at: AppTest, name: str, role: str) -> AppTest:
    """The same browser after a refresh: a new session, the cookie's token, the page's URL."""
    again = new_app()
    again.session_state["auth"] = {"user": name, "role": role, "last_seen": time.time(),
                                   "token": SessionStore(env.settings.data_dir).issue(name, 30)}  # fmt: skip
    for key, value in at.query_params.items():
        again.query_params[key] = value
    return again.run()


def test_a_conversation_is_saved_and_reopened_after_a_refresh(app_env: AppEnv) -> None:
    at = signed_in(app_env, "judy", "judge")
    at.chat_input[0].set_value("Does the consent of Maria Rossi matter in trafficking cases?").run()
    at.chat_input[0].set_value(UNCOVERED_QUESTION).run()
    [listed] = _store(app_env).list_for("judy")
    assert listed.title == "Does the consent of <PERSON_1> matter in trafficking cases?"  # scrubbed
    question, answer, _, abstention = _store(app_env).messages("judy", listed.id)
    assert question.content == listed.title
    assert answer.citations and answer.citations[0]["source"] == "legislation/test_directive.md"
    assert answer.index_generation and answer.index_generation == abstention.index_generation
    assert abstention.details["abstained"] and abstention.citations  # the nearest sources it showed

    reloaded = _reload(app_env, at, "judy", "judge")
    assert not reloaded.exception
    shown = texts(reloaded)
    assert len(reloaded.chat_message) == 4
    assert "Generated answer — each sentence is supported by the quoted source" in shown
    assert "Not covered by the knowledge base" in [warning.value.strip("*") for warning in reloaded.warning]
    assert "Maria" not in shown
    button = reloaded.sidebar.button(key=f"open_{listed.id}")
    assert button.label.replace("\\", "") == f"{listed.title} · {listed.updated_at:%Y-%m-%d}"  # Markdown escaped
    assert button.proto.type == "primary"  # the open one


def test_a_user_never_sees_another_users_conversation(app_env: AppEnv) -> None:
    judy = signed_in(app_env, "judy", "judge")
    judy.chat_input[0].set_value(COVERED_QUESTION).run()
    [conversation] = _store(app_env).list_for("judy")
    frank = signed_in(app_env, "frank", "frontline")
    assert not [b for b in frank.sidebar.button if (b.key or "").startswith("open_")]
    frank.query_params["conversation"] = str(conversation.id)  # judy's link, opened by frank
    frank = _reload(app_env, frank, "frank", "frontline")
    assert not frank.chat_message
    assert frank.error[0].value == "That conversation does not exist or is not yours; a new one is open."
    assert COVERED_QUESTION not in texts(frank)


def test_the_open_conversation_is_renamed_exported_and_deleted_once_confirmed(app_env: AppEnv) -> None:
    at = signed_in(app_env, "judy", "judge")
    at.chat_input[0].set_value(COVERED_QUESTION).run()
    [conversation] = _store(app_env).list_for("judy")
    at.text_input(key="rename_title").set_value("Consent of a child")
    at.button(key="rename").click().run()
    assert _store(app_env).list_for("judy")[0].title == "Consent of a child"
    assert at.sidebar.button(key=f"open_{conversation.id}").label.startswith("Consent of a child")
    export = at.get("download_button")
    assert any(button.proto.label == "Export the conversation (Markdown)" for button in export)
    markdown = _store(app_env).export_markdown("judy", conversation.id)
    assert markdown.startswith("# Consent of a child\n") and "Test Directive on trafficking in children" in markdown
    at.button(key="delete_conversation").click().run()
    assert 'Delete the conversation "Consent of a child" with all its answers?' in texts(at)
    assert len(_store(app_env).list_for("judy")) == 1  # asked, not yet deleted
    at.button(key="delete_conversation_cancel").click().run()
    assert len(_store(app_env).list_for("judy")) == 1 and "with all its answers" not in texts(at)
    at.button(key="delete_conversation").click().run()
    at.button(key="delete_conversation_yes").click().run()
    assert _store(app_env).list_for("judy") == []
    assert "conversation" not in at.query_params


def test_a_stopped_answer_keeps_what_was_checked(app_env: AppEnv) -> None:
    at = signed_in(app_env, "judy", "judge")
    stream = resources.get_assistant().ask_stream(COVERED_QUESTION)
    reader = iter(stream)
    first_sentence = GROUNDED_REPLY.split(" [1].")[0]
    drafted = ""
    while "harbouring" not in drafted:  # stopped in the middle of the second sentence
        drafted += next(reader)
    # What the page left in the session when the stop button cut its run short.
    at.session_state["pending_answer"] = {"stream": stream, "question": COVERED_QUESTION}
    at.run()
    assert "Stopped: only the sentences written and checked before the stop are kept." in texts(at)
    [conversation] = _store(app_env).list_for("judy")
    _, reply = _store(app_env).messages("judy", conversation.id)
    assert reply.details["stopped"] and reply.content.startswith(first_sentence)
    assert "harbouring" not in reply.content
    assert at.query_params["conversation"] == str(conversation.id)
