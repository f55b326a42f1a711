"""Cookie sessions: only the hash is stored; expiry, sign-out, password change and disabling end them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.auth import AccountError, UserStore
from app.db.connect import open_database
from app.db.models import SessionRow
from app.sessions import SessionStore

PASSWORD = "correct horse battery"


def test_sessions_expire_and_are_revoked(tmp_path: Path) -> None:
    users = UserStore.in_folder(tmp_path)
    users.add_user("chief", "admin", PASSWORD)
    users.add_user("judy", "judge", PASSWORD)
    sessions = SessionStore(tmp_path)
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    token = sessions.issue("judy", 30, now=start)
    assert token.encode() not in (tmp_path / "safeborders.db").read_bytes()
    assert sessions.user_for(token, now=start + timedelta(minutes=29)) == "judy"
    assert sessions.user_for(token, now=start + timedelta(minutes=30)) is None
    assert sessions.user_for("made up") is None
    sessions.revoke(token)
    assert sessions.user_for(token, now=start) is None

    first, second = sessions.issue("judy", 60), sessions.issue("judy", 60)
    users.set_password("judy", "lantern quarry meadow")
    assert sessions.user_for(first) is None and sessions.user_for(second) is None
    third = sessions.issue("judy", 60)
    users.set_disabled("judy")
    assert sessions.user_for(third) is None
    users.set_disabled("judy", False)
    assert sessions.user_for(third) is None  # enabling again does not bring old sessions back
    other = sessions.issue("chief", 60)
    with pytest.raises(AccountError):
        users.set_disabled("chief")  # the last administrator: refused, and her session stays open
    assert sessions.user_for(other) == "chief"
    assert sessions.revoke_all("judy") == 0 and sessions.user_for(other) == "chief"
    with open_database("", tmp_path).session() as session:
        assert len(session.scalars(select(SessionRow).where(SessionRow.user == "judy")).all()) == 4
    users.delete_user("judy")  # the database deletes her sessions with her (ON DELETE CASCADE)
    with open_database("", tmp_path).session() as session:
        assert session.scalars(select(SessionRow.user)).all() == ["chief"]
