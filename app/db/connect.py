"""The process's databases: opened once per URL, migrated, private, and filled from the old files once."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from app.db.engine import Database, DatabaseError, folder_url
from app.db.legacy import import_old_files

_OPEN: dict[str, Database] = {}
_OPEN_LOCK = threading.Lock()


def _make_private(database: Database) -> None:
    """A SQLite file holds password hashes and the audit log: only the owner may read it."""
    path = database.engine.url.database
    if database.engine.dialect.name == "sqlite" and path and Path(path).is_file():
        Path(path).chmod(0o600)


def open_database(url: str = "", data_dir: Path | None = None) -> Database:
    """The migrated database at ``url`` (or in ``data_dir`` when ``url`` is empty), opened once per process."""
    if not url:
        if data_dir is None:
            raise DatabaseError("database: no URL and no data folder given")
        data_dir.mkdir(parents=True, exist_ok=True)
        url = folder_url(data_dir)
    with _OPEN_LOCK:
        database = _OPEN.get(url)
        if database is None:
            try:
                database = Database(url)
            except (SQLAlchemyError, ImportError) as error:
                raise DatabaseError(f"database.url: not a usable database URL ({error.__class__.__name__})") from None
            database.upgrade()
            _make_private(database)
            if data_dir is not None:
                import_old_files(database, data_dir)
            _OPEN[url] = database
    return database
