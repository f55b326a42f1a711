"""Users' ratings of answers, kept in ``feedback.jsonl`` for editors (scrubbed question, answer hash, comment)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from app.audit import append_jsonl, read_jsonl, sha256

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
    """Append-only ``feedback.jsonl``."""

    def __init__(self, path: Path) -> None:
        self.path = path

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
        append_jsonl(self.path, asdict(entry))
        return entry

    def entries(self) -> list[FeedbackEntry]:
        """All ratings, newest first."""
        fields = FeedbackEntry.__dataclass_fields__
        entries = [FeedbackEntry(**{k: v for k, v in r.items() if k in fields}) for r in read_jsonl(self.path)]
        return sorted(entries, key=lambda entry: entry.time, reverse=True)
