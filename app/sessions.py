"""Sign-in sessions for a browser cookie: a random token whose SHA-256 is stored, expiring when idle, revocable.

The token is 32 random bytes (``secrets``), so it cannot be guessed; the database keeps only its SHA-256, so a copy
of the database signs nobody in. An opaque token looked up in the database, rather than one signed with a server key,
is what lets several app instances share sessions without sharing a secret, and lets a sign-out end it at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db.connect import open_database
from app.db.models import SessionRow, UserRow

SLIDE_SECONDS = 60


@dataclass(frozen=True)
class Resumed:
    """Who a valid session token signs in, and the account's role as it is now."""

    user: str
    role: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite returns naive datetimes


def _valid(session: Session, row: SessionRow, now: datetime) -> bool:
    """Whether a session row still signs its account in: not revoked nor expired, the account there and enabled."""
    if row.revoked or _aware(row.expires_at) <= now:
        return False
    account = session.get(UserRow, row.user)
    return account is not None and not account.disabled


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
            return row.user if row is not None and _valid(session, row, now) else None

    def resume(self, token: str, minutes: int, *, now: datetime | None = None) -> Resumed | None:
        """The account a token signs in, with its current role, and the idle deadline moved to ``minutes`` from now;
        None as for ``user_for``.

        The deadline is written at most once every ``SLIDE_SECONDS``, not on every click.
        """
        now = now or datetime.now(UTC)
        with self._database.session() as session:
            row = session.get(SessionRow, _digest(token))
            if row is None or not _valid(session, row, now):
                return None
            deadline = now + timedelta(minutes=minutes)
            if deadline - _aware(row.expires_at) >= timedelta(seconds=SLIDE_SECONDS):
                row.expires_at = deadline
            account = session.get(UserRow, row.user)
            assert account is not None  # _valid checked it
            return Resumed(account.name, account.role)

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
