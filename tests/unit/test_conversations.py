"""Saved conversations: order, titles, citations, Markdown export, and one user never reaching another's."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.conversations import ConversationStore, Message
from core.errors import InputError

CITATION = {"title": "Directive 2011/36/EU", "location": "Article 2"}


def test_conversations_keep_messages_and_list_newest_first(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path)
    first = store.create("judy")
    store.append("judy", first, Message("user", "Does consent   matter\nin trafficking cases?"))
    store.append("judy", first, Message("assistant", "No [1].", [CITATION], "gen-7"))
    second = store.create("judy")
    store.append("judy", second, Message("user", "x" * 200))
    listed = store.list_for("judy")
    assert [c.id for c in listed] == [second, first]
    assert listed[1].title == "Does consent matter in trafficking cases?"
    assert len(listed[0].title) == 80 and listed[0].title.endswith("…")
    assert store.messages("judy", first)[1] == Message("assistant", "No [1].", [CITATION], "gen-7")
    store.append("judy", first, Message("user", "And the means?"))
    assert [c.id for c in store.list_for("judy")] == [first, second]  # used last: first again
    store.rename("judy", first, "Consent")
    markdown = store.export_markdown("judy", first)
    assert markdown.startswith("# Consent\n") and "No [1]." in markdown
    assert "1. Directive 2011/36/EU Article 2" in markdown
    store.delete("judy", first)
    assert [c.id for c in store.list_for("judy")] == [second]


def test_a_user_never_sees_or_changes_another_users_conversation(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path)
    judys = store.create("judy")
    store.append("judy", judys, Message("user", "A private question"))
    assert store.list_for("eddie") == []
    for attempt in (
        lambda: store.messages("eddie", judys),
        lambda: store.append("eddie", judys, Message("user", "hi")),
        lambda: store.rename("eddie", judys, "mine"),
        lambda: store.delete("eddie", judys),
        lambda: store.export_markdown("eddie", judys),
    ):
        with pytest.raises(InputError, match=f"conversation {judys}: not found"):
            attempt()
    assert store.list_for("judy")[0].title == "A private question"
    assert len(store.messages("judy", judys)) == 1
