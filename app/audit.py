"""The append-only audit log: one JSON line per event, never a password or an unscrubbed question."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

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


def append_jsonl(path: Path, record: dict[str, Any]) -> None:
    """Append one JSON line and force it to disk (the file is only ever opened for appending)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)  # one write per line: O_APPEND keeps concurrent writers' lines whole
        os.fsync(fd)
    finally:
        os.close(fd)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """All records of a JSON-lines file (empty when it does not exist); damaged lines are skipped."""
    if not path.is_file():
        return []
    records = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                continue  # a line cut by a crash must not hide every other record
    return records


class AuditLog:
    """``audit.jsonl`` under the data folder."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def in_folder(cls, data_dir: Path) -> AuditLog:
        """The installation's audit log, ``audit.jsonl`` in the data folder."""
        return cls(data_dir / "audit.jsonl")

    def record(self, event: Event, user: str, role: str, **fields: Any) -> None:
        """Append one event with its time (UTC), user and role.

        Args:
            event: what happened.
            user: the account (or, for a failed sign-in, the name that was typed).
            role: the account's role ("" when unknown).
            **fields: event details; callers pass only scrubbed text and hashes.
        """
        append_jsonl(
            self.path,
            {"time": datetime.now(UTC).isoformat(timespec="seconds"), "user": user, "role": role, "event": event}
            | fields,
        )

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
        """Every event, oldest first."""
        return read_jsonl(self.path)
