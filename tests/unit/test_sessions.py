"""Cookie sessions: only the hash is stored; expiry, sign-out, password change and disabling end them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.accounts import UserStore
from app.credentials import AccountError
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


def test_resuming_moves_the_idle_deadline_so_only_idleness_expires_a_session(tmp_path: Path) -> None:
    UserStore.in_folder(tmp_path).add_user("judy", "judge", PASSWORD)
    sessions = SessionStore(tmp_path)
    start = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    token = sessions.issue("judy", 30, now=start)
    for minutes in (20, 40, 60):  # used every 20 minutes: still open an hour later
        resumed = sessions.resume(token, 30, now=start + timedelta(minutes=minutes))
        assert resumed is not None and (resumed.user, resumed.role) == ("judy", "judge")
    assert sessions.user_for(token, now=start + timedelta(minutes=89)) == "judy"
    assert sessions.resume(token, 30, now=start + timedelta(minutes=91)) is None  # idle for 31 minutes
    assert sessions.resume("made up", 30) is None
    fresh = sessions.issue("judy", 30, now=start)
    sessions.revoke(fresh)
    assert sessions.resume(fresh, 30, now=start) is None
