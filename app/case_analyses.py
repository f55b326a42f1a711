"""Case analyses a user chose to keep, in the database: the scrubbed findings (and text), never the original."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.db.connect import open_database
from app.db.models import CaseAnalysisRow


@dataclass(frozen=True)
class StoredAnalysis:
    """One kept analysis: its number, owner, scrubbed title, time and its JSON form (``CaseAnalysis.to_json``)."""

    id: int
    user: str
    title: str
    created_at: datetime
    analysis: dict[str, Any]


class CaseAnalysisStore:
    """The case_analyses table; each user sees only their own analyses."""

    def __init__(self, data_dir: Path, url: str = "") -> None:
        """The store of the installation: the database at ``url`` ("" for the one in ``data_dir``)."""
        self._database = open_database(url, data_dir)

    def save(self, user: str, title: str, analysis: dict[str, Any]) -> StoredAnalysis:
        """Keep one analysis for ``user``; ``title`` and ``analysis`` are already scrubbed."""
        row = CaseAnalysisRow(user=user, title=title[:200], created_at=datetime.now(UTC), analysis=analysis)
        with self._database.session() as session:
            session.add(row)
            session.flush()
            return _stored(row)

    def list_for(self, user: str) -> list[StoredAnalysis]:
        """``user``'s analyses, newest first."""
        query = select(CaseAnalysisRow).where(CaseAnalysisRow.user == user)
        with self._database.session() as session:
            rows = session.scalars(query.order_by(CaseAnalysisRow.id.desc())).all()
            return [_stored(row) for row in rows]

    def get(self, user: str, analysis_id: int) -> StoredAnalysis | None:
        """One of ``user``'s analyses, or None (also when it belongs to someone else)."""
        with self._database.session() as session:
            row = session.get(CaseAnalysisRow, analysis_id)
            return _stored(row) if row is not None and row.user == user else None


def _stored(row: CaseAnalysisRow) -> StoredAnalysis:
    return StoredAnalysis(row.id, row.user, row.title, row.created_at, dict(row.analysis))
