"""Sign-in sessions for a browser cookie: a random token whose SHA-256 is stored, expiring and revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update

from app.db.connect import open_database
from app.db.models import SessionRow, UserRow


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class SessionStore:
    """The sessions table; the token itself is only ever in the user's browser."""

    def __init__(self, data_dir: Path, url: str = "") -> None:
        self._database = open_database(url, data_dir)

    def issue(self, user: str, minutes: int, *, now: datetime | None = None) -> str:
        """A new session token for ``user`` that expires after ``minutes``."""
        now = now or datetime.now(UTC)
        token = secrets.token_urlsafe(32)
        with self._database.session() as session:
            session.add(SessionRow(token_sha256=_digest(token), user=user, expires_at=now + timedelta(minutes=minutes)))
        return token

    def user_for(self, token: str, *, now: datetime | None = None) -> str | None:
        """The account a token signs in, or None when it is unknown, expired, revoked or its account disabled."""
        now = now or datetime.now(UTC)
        with self._database.session() as session:
            row = session.get(SessionRow, _digest(token))
            if row is None or row.revoked:
                return None
            expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)  # SQLite
            account = session.get(UserRow, row.user)
            if expires <= now or account is None or account.disabled:
                return None
            return row.user

    def revoke(self, token: str) -> None:
        """End one session (sign-out)."""
        with self._database.session() as session:
            session.execute(update(SessionRow).where(SessionRow.token_sha256 == _digest(token)).values(revoked=True))

    def revoke_all(self, user: str) -> int:
        """End every session of ``user`` (password change, account disabled); returns how many were open."""
        with self._database.session() as session:
            open_rows = session.scalars(
                select(SessionRow).where(SessionRow.user == user, SessionRow.revoked.is_(False))
            ).all()
            for row in open_rows:
                row.revoked = True
            return len(open_rows)
