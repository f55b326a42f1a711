"""The one-time import of the old files (users.json, audit.jsonl, feedback.jsonl) into the database."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.db.engine import Database
from app.db.models import AuditRow, FeedbackRow, MarkerRow, UserRow

MARKER = "imported_json_files"
FILES = ("users.json", "audit.jsonl", "feedback.jsonl")


def _lines(path: Path, problems: list[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    """The JSON objects of a JSON-lines file; a damaged line is noted with its number and skipped."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                problems.append(f"{path.name} line {number}: not valid JSON; skipped")
                continue
            if not isinstance(record, dict):
                problems.append(f"{path.name} line {number}: not a JSON object; skipped")
                continue
            yield number, record


def _audit_row(record: dict[str, Any]) -> AuditRow:
    fields = {k: v for k, v in record.items() if k not in {"time", "user", "role", "event"}}
    return AuditRow(
        time=str(record["time"]),
        user=str(record.get("user", "")),
        role=str(record.get("role", "")),
        event=str(record["event"]),
        fields=fields,
    )


def _feedback_row(record: dict[str, Any]) -> FeedbackRow:
    return FeedbackRow(
        time=str(record["time"]),
        user=str(record.get("user", "")),
        rating=str(record["rating"]),
        question=str(record.get("question", "")),
        answer_sha256=str(record.get("answer_sha256", "")),
        comment=str(record.get("comment", "")),
        index_generation=str(record.get("index_generation", "")),
    )


def _import_lines(session: Session, path: Path, row: Callable[[dict[str, Any]], Any], problems: list[str]) -> None:
    for number, record in _lines(path, problems):
        try:
            session.add(row(record))
        except KeyError as missing:
            problems.append(f"{path.name} line {number}: field {missing} is missing; skipped")


def _import_users(session: Session, path: Path, problems: list[str]) -> None:
    try:
        users = json.loads(path.read_text(encoding="utf-8")).get("users", {})
    except (json.JSONDecodeError, AttributeError, UnicodeDecodeError):
        problems.append(f"{path.name}: not a valid users file; no account imported")
        return
    for name, entry in users.items():
        if not isinstance(entry, dict) or "hash" not in entry or "role" not in entry:
            problems.append(f"{path.name} user {name!r}: role or hash missing; skipped")
            continue
        session.add(
            UserRow(name=name, role=entry["role"], password_hash=entry["hash"], created_at=entry.get("created_at", ""))
        )


def import_old_files(database: Database, data_dir: Path) -> list[str]:
    """Import the old files once (a marker row says it is done), then rename each to ``*.migrated``.

    Returns the problems found (also printed to the server log, one line each); a damaged line is skipped, the
    rest is imported, and the original file is kept under its new name.
    """
    present = [data_dir / name for name in FILES if (data_dir / name).is_file()]
    problems: list[str] = []
    with database.session() as session:
        if session.get(MarkerRow, MARKER) is not None:
            return []
        for path in present:
            if path.name == "users.json":
                _import_users(session, path, problems)
            else:
                _import_lines(session, path, _audit_row if path.name == "audit.jsonl" else _feedback_row, problems)
        session.add(MarkerRow(name=MARKER, done_at=datetime.now(UTC).isoformat(timespec="seconds")))
    for path in present:
        path.rename(path.with_name(path.name + ".migrated"))
    for problem in problems:
        print(f"SafeBorders Assistant: importing {data_dir}: {problem}", file=sys.stderr, flush=True)
    return problems
