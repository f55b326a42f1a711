"""The database behind a URL: its engine, its sessions and the Alembic upgrade."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from core.errors import InputError

MIGRATIONS = Path(__file__).with_name("migrations")
SQLITE_FILE = "safeborders.db"


class DatabaseError(InputError):
    """The database cannot be reached or migrated; the message names the URL (without its password)."""


def folder_url(data_dir: Path) -> str:
    """The default database: ``safeborders.db`` in the data folder."""
    return f"sqlite:///{data_dir / SQLITE_FILE}"


def _sqlite_pragmas(dbapi_connection: Any, _record: object) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")  # several sessions write; wait instead of failing at once
    cursor.close()


class Database:
    """An engine and its sessions; ``upgrade()`` applies the Alembic migrations."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = create_engine(url, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def shown_url(self) -> str:
        """The URL with any password hidden, for messages."""
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        with self._sessions.begin() as session:
            yield session

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (``alembic upgrade head``), run programmatically."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        try:
            with self.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except SQLAlchemyError as error:
            raise DatabaseError(f"database {self.shown_url}: cannot migrate ({error.__class__.__name__})") from None
