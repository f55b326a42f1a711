"""A case workspace: cases and their scrubbed documents in one SQLite file under the workspace folder."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis.pseudonyms_keyed import Mention
from core.errors import InputError

DATABASE_FILE = "workspace.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS cases (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES cases(id),
    fingerprint TEXT NOT NULL, kind TEXT NOT NULL, language TEXT NOT NULL, added_at TEXT NOT NULL,
    text TEXT NOT NULL, analysis TEXT NOT NULL, UNIQUE (case_id, fingerprint));
CREATE TABLE IF NOT EXISTS mentions (
    document_id INTEGER NOT NULL REFERENCES documents(id), placeholder TEXT NOT NULL,
    identifier TEXT NOT NULL, kind TEXT NOT NULL, linking INTEGER NOT NULL,
    PRIMARY KEY (document_id, placeholder));
CREATE INDEX IF NOT EXISTS mentions_by_identifier ON mentions (identifier);
"""
MAX_CASE_NAME = 120


@dataclass
class NewDocument:
    """What is stored for one added file: its scrubbed text and analysis, never its raw text or its name."""

    fingerprint: str  # keyed hash of the file's bytes: the same file is not added twice to a case
    kind: str  # narrative | records
    language: str
    text: str  # scrubbed, with the scrubber's per-document placeholders
    analysis: dict[str, Any]
    mentions: list[Mention]


@dataclass
class StoredDocument:
    """A document as the network reads it back."""

    id: str
    case: str
    kind: str
    language: str
    text: str
    analysis: dict[str, Any]
    mentions: dict[str, Mention] = field(default_factory=dict)


def check_case_name(name: str) -> str:
    """The case name, stripped; one clear line when it is empty or too long."""
    name = name.strip()
    if not name:
        raise InputError("--case: the case name is empty")
    if len(name) > MAX_CASE_NAME:
        raise InputError(f"--case: the case name has {len(name)} characters, over {MAX_CASE_NAME}")
    return name


class Workspace:
    """The cases of one workspace folder; everything it stores lives in ``DIR/workspace.sqlite3`` (mode 0600)."""

    def __init__(self, folder: Path) -> None:
        if folder.exists() and not folder.is_dir():
            raise InputError(f"{folder}: the workspace is not a folder")
        self.folder = folder
        self.path = folder / DATABASE_FILE

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """One transaction on the workspace database, created (private to its owner) on first use."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            if not self.path.exists():
                os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
            with closing(sqlite3.connect(self.path)) as connection:
                connection.execute("PRAGMA foreign_keys=ON")
                connection.execute("PRAGMA busy_timeout=10000")
                connection.executescript(SCHEMA)
                with connection:
                    yield connection
        except sqlite3.DatabaseError as exc:
            raise InputError(f"{self.path}: the workspace database cannot be used ({exc})") from None
        except OSError as exc:
            raise InputError(f"{self.folder}: the workspace cannot be written ({exc.strerror or exc})") from None

    def add(self, case: str, document: NewDocument) -> str | None:
        """Store a document in ``case`` (created if new); its id, or None when this file is already in the case."""
        case = check_case_name(case)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connect() as db:
            db.execute("INSERT OR IGNORE INTO cases (name, created_at) VALUES (?, ?)", (case, now))
            (case_id,) = db.execute("SELECT id FROM cases WHERE name = ?", (case,)).fetchone()
            cursor = db.execute(
                "INSERT OR IGNORE INTO documents (case_id, fingerprint, kind, language, added_at, text, analysis) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (case_id, document.fingerprint, document.kind, document.language, now, document.text,
                 json.dumps(document.analysis, ensure_ascii=False)),
            )  # fmt: skip
            if cursor.rowcount == 0:
                return None
            document_id = cursor.lastrowid
            db.executemany(
                "INSERT INTO mentions (document_id, placeholder, identifier, kind, linking) VALUES (?, ?, ?, ?, ?)",
                [(document_id, m.placeholder, m.identifier, m.kind, int(m.linking)) for m in document.mentions],
            )
        return f"D{document_id}"

    def cases(self) -> list[str]:
        """The case names, in the order they were created."""
        with self._connect() as db:
            return [name for (name,) in db.execute("SELECT name FROM cases ORDER BY id")]

    def documents(self) -> list[StoredDocument]:
        """Every document with its case, analysis and keyed mentions, in the order they were added."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT d.id, c.name, d.kind, d.language, d.text, d.analysis FROM documents d "
                "JOIN cases c ON c.id = d.case_id ORDER BY d.id"
            ).fetchall()
            mentions = db.execute("SELECT document_id, placeholder, identifier, kind, linking FROM mentions").fetchall()
        documents = {
            number: StoredDocument(f"D{number}", case, kind, language, text, json.loads(analysis))
            for number, case, kind, language, text, analysis in rows
        }
        for number, placeholder, identifier, kind, linking in mentions:
            documents[number].mentions[placeholder] = Mention(placeholder, identifier, kind, bool(linking))
        return list(documents.values())
