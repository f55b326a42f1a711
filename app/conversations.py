"""Each user's saved conversations: questions and answers with their citations, never visible to another user."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.db.connect import open_database
from app.db.models import ConversationRow, MessageRow
from core.errors import InputError

Speaker = Literal["user", "assistant"]
TITLE_CHARS = 80


@dataclass(frozen=True)
class Message:
    """One question or answer as stored."""

    role: Speaker
    content: str
    citations: list[dict[str, Any]] = field(default_factory=list)
    index_generation: str = ""
    details: dict[str, Any] = field(default_factory=dict)  # how an answer was given (``app.chat_history``)
    id: int = field(default=0, compare=False)  # set once stored


@dataclass(frozen=True)
class ConversationSummary:
    """A line of the history: the title (from the first question) and when it was last used."""

    id: int
    title: str
    updated_at: datetime


def _title(question: str) -> str:
    text = " ".join(question.split())
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1].rstrip() + "…"


class ConversationStore:
    """Conversations in the database; every method takes the user, and a user only ever reaches her own."""

    def __init__(self, data_dir: Path, url: str = "") -> None:
        self._database = open_database(url, data_dir)

    def create(self, user: str) -> int:
        """A new, empty conversation of ``user``; returns its id."""
        now = datetime.now(UTC)
        with self._database.session() as session:
            row = ConversationRow(user=user, title="", created_at=now, updated_at=now)
            session.add(row)
            session.flush()
            return row.id

    def _own(self, session: Session, user: str, conversation: int) -> ConversationRow:
        row = session.get(ConversationRow, conversation)
        if row is None or row.user != user:  # another user's conversation reads exactly like a missing one
            raise InputError(f"conversation {conversation}: not found")
        return row

    def append(self, user: str, conversation: int, message: Message) -> int:
        """Add a message and return its id; the first question becomes the title."""
        now = datetime.now(UTC)
        with self._database.session() as session:
            row = self._own(session, user, conversation)
            if not row.title and message.role == "user":
                row.title = _title(message.content)
            row.updated_at = now
            stored = MessageRow(
                conversation_id=conversation,
                role=message.role,
                content=message.content,
                citations=list(message.citations),
                index_generation=message.index_generation,
                details=dict(message.details),
                created_at=now,
            )
            session.add(stored)
            session.flush()
            return stored.id

    def list_for(self, user: str) -> list[ConversationSummary]:
        """``user``'s conversations, the most recently used first."""
        query = (
            select(ConversationRow)
            .where(ConversationRow.user == user)
            .order_by(ConversationRow.updated_at.desc(), ConversationRow.id.desc())
        )
        with self._database.session() as session:
            return [ConversationSummary(row.id, row.title, row.updated_at) for row in session.scalars(query)]

    def messages(self, user: str, conversation: int) -> list[Message]:
        """The messages of one of ``user``'s conversations, oldest first."""
        with self._database.session() as session:
            self._own(session, user, conversation)
            rows = session.scalars(
                select(MessageRow).where(MessageRow.conversation_id == conversation).order_by(MessageRow.id)
            )
            return [
                Message(r.role, r.content, list(r.citations), r.index_generation, dict(r.details), r.id)  # type: ignore[arg-type]
                for r in rows
            ]

    def rename(self, user: str, conversation: int, title: str) -> None:
        """Give a conversation another title (blank titles are refused)."""
        if not title.strip():
            raise InputError("conversation title: must not be empty")
        with self._database.session() as session:
            self._own(session, user, conversation).title = _title(title)

    def delete(self, user: str, conversation: int) -> None:
        """Delete a conversation and its messages."""
        with self._database.session() as session:
            row = self._own(session, user, conversation)
            session.execute(delete(MessageRow).where(MessageRow.conversation_id == conversation))
            session.delete(row)

    def export_markdown(self, user: str, conversation: int, headings: tuple[str, str] = ("Question", "Answer")) -> str:
        """The conversation as Markdown: the title, each question and answer, and each answer's sources.

        Args:
            user: whose conversation it is.
            conversation: its id.
            headings: the words for a question and an answer, in the reader's language.
        """
        title = next((c.title for c in self.list_for(user) if c.id == conversation), "")
        lines = [f"# {title or conversation}", ""]
        for message in self.messages(user, conversation):
            lines += [f"## {headings[0] if message.role == 'user' else headings[1]}", "", message.content, ""]
            for number, citation in enumerate(message.citations, start=1):
                lines.append(f"{citation.get('n') or number}. {_cited(citation)}".rstrip())
            if message.citations:
                lines.append("")
        return "\n".join(lines)


def _cited(citation: dict[str, Any]) -> str:
    """A stored citation in one line: its title, then its section and page (or an older ``location``)."""
    page = citation.get("page")
    where = [str(citation.get(key) or "") for key in ("section", "location")]
    where.append(f"p. {page}" if isinstance(page, int) and page > 0 else "")
    return " ".join(part for part in [str(citation.get("title") or citation.get("source") or ""), *where] if part)
