"""The tables: users, sessions, conversations and messages, audit log, feedback, case analyses, markers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, event
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, ORMExecuteState, Session, mapped_column

from core.errors import InputError


class Base(DeclarativeBase):
    """The declarative base every table shares (Alembic compares against its metadata)."""


class UserRow(Base):
    """An account: the bcrypt hash, never the password."""

    __tablename__ = "users"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[str] = mapped_column(String(32))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class SessionRow(Base):
    """A sign-in session for a cookie: only the token's SHA-256 is kept."""

    __tablename__ = "sessions"
    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user: Mapped[str] = mapped_column(ForeignKey("users.name", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class ConversationRow(Base):
    """One user's conversation; its title comes from the first question."""

    __tablename__ = "conversations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MessageRow(Base):
    """A question or an answer, with the answer's citations and the index generation it was answered from."""

    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    citations: Mapped[list[Any]] = mapped_column(JSON, default=list)
    index_generation: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # How an answer was given, to show it again as it was: abstained, quoted, stopped, the sentences removed.
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")


class AuditRow(Base):
    """One audit event; rows are only ever inserted (``_refuse_change`` below)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    time: Mapped[str] = mapped_column(String(32), index=True)
    user: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    event: Mapped[str] = mapped_column(String(32))
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class FeedbackRow(Base):
    """One rating of an answer: scrubbed question and comment, the answer's hash."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    time: Mapped[str] = mapped_column(String(32), index=True)
    user: Mapped[str] = mapped_column(String(64))
    rating: Mapped[str] = mapped_column(String(8))
    question: Mapped[str] = mapped_column(Text)
    answer_sha256: Mapped[str] = mapped_column(String(64))
    comment: Mapped[str] = mapped_column(Text, default="")
    index_generation: Mapped[str] = mapped_column(String(64), default="")


class CaseAnalysisRow(Base):
    """A stored case analysis (already scrubbed), as JSON."""

    __tablename__ = "case_analyses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    analysis: Mapped[dict[str, Any]] = mapped_column(JSON)


class MarkerRow(Base):
    """A one-time step that is done (the import of the old JSON files)."""

    __tablename__ = "markers"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    done_at: Mapped[str] = mapped_column(String(32))


class AuditChangeError(InputError):
    """Raised when code tries to change or delete an audit row: the log is append-only."""


@event.listens_for(AuditRow, "before_update")
@event.listens_for(AuditRow, "before_delete")
def _refuse_change(mapper: Mapper[Any], connection: object, target: AuditRow) -> None:
    raise AuditChangeError(f"audit_log row {target.id}: the audit log is append-only (no update or delete)")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_change(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and state.bind_mapper is not None and state.bind_mapper.class_ is AuditRow:
        raise AuditChangeError("audit_log: the audit log is append-only (no update or delete)")
