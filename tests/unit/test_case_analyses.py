"""Kept case analyses live in the database, one user's never shown to another."""

from __future__ import annotations

from pathlib import Path

from app.case_analyses import CaseAnalysisStore


def test_each_user_sees_only_their_own_analyses(tmp_path: Path) -> None:
    store = CaseAnalysisStore(tmp_path)
    first = store.save("judy", "<PERSON_1> statement.pdf", {"indicators": [], "scrubbed_text": "<PERSON_1> said"})
    second = store.save("judy", "testo incollato", {"indicators": []})
    other = store.save("pat", "pasted text", {"indicators": []})
    assert [kept.id for kept in store.list_for("judy")] == [second.id, first.id]  # newest first
    assert [kept.id for kept in store.list_for("pat")] == [other.id]
    assert store.get("pat", first.id) is None  # another user's number shows nothing
    kept = store.get("judy", first.id)
    assert kept is not None and kept.analysis["scrubbed_text"] == "<PERSON_1> said"
    assert CaseAnalysisStore(tmp_path).list_for("judy")[1].title == "<PERSON_1> statement.pdf"  # kept on disk
