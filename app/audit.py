"""The append-only audit log: one database row per event, never a password or an unscrubbed question."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select

from app.db.connect import open_database
from app.db.models import AuditRow
from ingestion.scrub import PiiScrubber

Event = Literal[
    "sign_in",
    "sign_in_failed",
    "question",
    "upload",
    "reindex",
    "remove",
    "feedback",
    "user_added",
    "password_reset",
    "user_changed",
]
WITHHELD = "[withheld: the scrubber is unavailable]"


def sha256(text: str) -> str:
    """Hex SHA-256 of a text, used to refer to an answer without storing it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def scrub_text(text: str, scrubber: PiiScrubber | None, language: str = "en") -> str:
    """``text`` with personal data replaced, or a placeholder when it cannot be scrubbed (never the raw text).

    The scrubber is the one that scrubs documents; a text typed by a person goes through its ``scrub_typed``,
    which also reads names and streets typed in lower case ("mario rossi", "via garibaldi 5").
    """
    if not text:
        return ""
    if scrubber is None:
        return WITHHELD
    try:
        typed = getattr(scrubber, "scrub_typed", None)
        if typed is not None:
            return str(typed(text, language))
        return scrubber.scrub([text], language).texts[0]
    except Exception:  # a scrubber failure must not leak the text nor stop the user's work
        return WITHHELD


class AuditLog:
    """The audit log table: rows are only inserted (``app.db.models`` refuses any update or delete)."""

    def __init__(self, path: Path, *, url: str = "") -> None:
        # ``path`` is the old ``audit.jsonl``: its folder holds the SQLite database unless ``url`` names another
        self.path = path
        self._database = open_database(url, path.parent)

    @classmethod
    def in_folder(cls, data_dir: Path, url: str = "") -> AuditLog:
        """The installation's audit log: the database at ``url``, or the one in the data folder."""
        return cls(data_dir / "audit.jsonl", url=url)

    def record(self, event: Event, user: str, role: str, **fields: Any) -> None:
        """Append one event with its time (UTC), user and role.

        Args:
            event: what happened.
            user: the account (or, for a failed sign-in, the name that was typed).
            role: the account's role ("" when unknown).
            **fields: event details; callers pass only scrubbed text and hashes.
        """
        row = AuditRow(
            time=datetime.now(UTC).isoformat(timespec="seconds"), user=user, role=role, event=event, fields=fields
        )
        with self._database.session() as session:
            session.add(row)

    def question(
        self,
        user: str,
        role: str,
        scrubbed_question: str,
        *,
        sources: Sequence[dict[str, str]],
        answer_text: str,
        model: str,
        index_generation: str,
        abstained: bool,
    ) -> None:
        """Log an answered question: the scrubbed question, the retrieved sources and a hash of the answer."""
        self.record(
            "question",
            user,
            role,
            question=scrubbed_question,
            sources=list(sources),
            answer_sha256=sha256(answer_text),
            model=model,
            index_generation=index_generation,
            abstained=abstained,
        )

    def read(self) -> list[dict[str, Any]]:
        """Every event, oldest first, as the flat records the old file held."""
        with self._database.session() as session:
            rows = session.scalars(select(AuditRow).order_by(AuditRow.id)).all()
            return [
                {"time": row.time, "user": row.user, "role": row.role, "event": row.event} | dict(row.fields)
                for row in rows
            ]
