"""Users' ratings of answers, kept in the database for editors (scrubbed question, answer hash, comment)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from sqlalchemy import select

from app.audit import sha256
from app.db.connect import open_database
from app.db.models import FeedbackRow

Rating = Literal["up", "down"]


@dataclass(frozen=True)
class FeedbackEntry:
    """One rating as stored: nothing in it is raw personal data."""

    time: str
    user: str
    rating: Rating
    question: str  # scrubbed
    answer_sha256: str
    comment: str  # scrubbed
    index_generation: str = ""


class FeedbackStore:
    """The feedback table (ratings are added, never changed)."""

    @classmethod
    def in_folder(cls, data_dir: Path, url: str = "") -> FeedbackStore:
        """The installation's feedback: the database at ``url`` ("" for the one in the data folder)."""
        return cls(data_dir / "feedback.jsonl", url=url)

    def __init__(self, path: Path, *, url: str = "") -> None:
        # ``path`` is the old ``feedback.jsonl``: its folder holds the SQLite database unless ``url`` names another
        self.path = path
        self._database = open_database(url, path.parent)

    def add(
        self,
        *,
        user: str,
        rating: Rating,
        scrubbed_question: str,
        answer_text: str,
        scrubbed_comment: str = "",
        index_generation: str = "",
    ) -> FeedbackEntry:
        """Store one rating; the caller scrubs the question and the comment first."""
        entry = FeedbackEntry(
            time=datetime.now(UTC).isoformat(timespec="seconds"),
            user=user,
            rating=rating,
            question=scrubbed_question,
            answer_sha256=sha256(answer_text),
            comment=scrubbed_comment.strip(),
            index_generation=index_generation,
        )
        with self._database.session() as session:
            session.add(FeedbackRow(**entry.__dict__))
        return entry

    def entries(self) -> list[FeedbackEntry]:
        """All ratings, newest first."""
        with self._database.session() as session:
            rows = session.scalars(select(FeedbackRow).order_by(FeedbackRow.time.desc(), FeedbackRow.id.desc())).all()
            return [
                FeedbackEntry(
                    time=row.time,
                    user=row.user,
                    rating=row.rating,  # type: ignore[arg-type]
                    question=row.question,
                    answer_sha256=row.answer_sha256,
                    comment=row.comment,
                    index_generation=row.index_generation,
                )
                for row in rows
            ]
