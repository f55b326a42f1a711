"""The stores on SQLite and on a real PostgreSQL server that the tests start (a throwaway initdb cluster)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text, update
from sqlalchemy.exc import DBAPIError

from app.accounts import UserStore
from app.audit import AuditLog
from app.conversations import ConversationStore, Message
from app.db.connect import open_database
from app.db.engine import MIGRATIONS
from app.db.models import AuditChangeError, AuditRow
from app.feedback import FeedbackStore
from app.sessions import SessionStore

pytestmark = [pytest.mark.server, pytest.mark.slow]
PASSWORD = "correct horse battery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    """initdb refuses to run as root: run the server's commands as the unprivileged ``postgres`` user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL cluster on a free port, reached through a unix socket in a temporary folder; its base URL."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        pytest.skip("PostgreSQL binaries absent (/usr/lib/postgresql/*/bin/initdb): apt-get install postgresql")
    bin_dir = Path(found[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="safeborders-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, port = root / "cluster", _free_port()
    run = {"check": True, "capture_output": True, "timeout": 120}
    subprocess.run(_as_postgres([str(bin_dir / "initdb"), "-D", str(data), "-U", "safeborders", "-A", "trust"]), **run)
    options = f"-p {port} -k {root} -c listen_addresses=''"
    start = [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]
    subprocess.run(_as_postgres(start), **run)
    try:
        yield f"postgresql+psycopg://safeborders@/{{name}}?host={root}&port={port}"
    finally:
        subprocess.run(_as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]), **run)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each kind: "" (SQLite in the data folder) or a new PostgreSQL database."""
    if request.param == "sqlite":
        return ""
    base = request.getfixturevalue("postgres_server")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base.format(name="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return str(base.format(name=name))


def test_migrations_create_every_table(database_url: str, tmp_path: Path) -> None:
    database = open_database(database_url, tmp_path)
    tables = set(inspect(database.engine).get_table_names())
    expected = {"users", "sessions", "conversations", "messages", "audit_log", "feedback", "case_analyses"}
    assert expected | {"markers", "alembic_version"} <= tables
    database.upgrade()  # applying again changes nothing
    with database.engine.connect() as connection:
        applied = connection.execute(text("select version_num from alembic_version")).scalar_one()
    assert applied == ScriptDirectory(str(MIGRATIONS)).get_current_head()  # the newest migration, whatever its number


def test_stores_work_and_the_audit_log_refuses_changes(database_url: str, tmp_path: Path) -> None:
    users = UserStore.in_folder(tmp_path, database_url)
    users.add_user("chief", "admin", PASSWORD)
    users.add_user("judy", "judge", PASSWORD)
    users.set_disabled("judy")
    assert users.sign_in("judy", PASSWORD).user is None and users.sign_in("chief", PASSWORD).user is not None
    audit = AuditLog.in_folder(tmp_path, database_url)
    audit.record("sign_in", "chief", "admin", note="ünïcode")
    assert audit.read()[-1]["note"] == "ünïcode"
    with pytest.raises(AuditChangeError), open_database(database_url, tmp_path).session() as session:
        session.execute(update(AuditRow).values(user="x"))
    feedback = FeedbackStore(tmp_path / "feedback.jsonl", url=database_url)
    feedback.add(user="judy", rating="up", scrubbed_question="q", answer_text="a")
    assert [e.user for e in feedback.entries()] == ["judy"]
    conversations = ConversationStore(tmp_path, database_url)
    mine = conversations.create("judy")
    conversations.append("judy", mine, Message("assistant", "Yes [1].", [{"title": "T"}], "gen-1"))
    assert conversations.messages("judy", mine)[0].citations == [{"title": "T"}]
    assert conversations.list_for("eddie") == []
    sessions = SessionStore(tmp_path, database_url)
    token = sessions.issue("chief", 30)
    assert sessions.user_for(token) == "chief"
    users.set_password("chief", "lantern quarry meadow")
    assert sessions.user_for(token) is None
    users.add_user("eddie", "editor", PASSWORD)
    sessions.issue("eddie", 30)
    users.delete_user("eddie")  # its session goes with it (ON DELETE CASCADE)


def test_old_files_are_imported_into_the_server(database_url: str, tmp_path: Path) -> None:
    record = {"time": "2026-01-02T03:04:06+00:00", "user": "anna", "role": "admin", "event": "sign_in"}
    (tmp_path / "audit.jsonl").write_text(f"{record}\n".replace("'", '"') + "broken\n")
    assert [e["user"] for e in AuditLog.in_folder(tmp_path, database_url).read()] == ["anna"]
    assert (tmp_path / "audit.jsonl.migrated").is_file()


def test_the_database_refuses_sql_that_changes_the_audit_log(database_url: str, tmp_path: Path) -> None:
    AuditLog.in_folder(tmp_path, database_url).record("sign_in", "judy", "judge")
    database = open_database(database_url, tmp_path)
    for statement in ("UPDATE audit_log SET role = 'admin'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="audit_log is append-only"), database.engine.begin() as connection:
            connection.execute(text(statement))  # plain SQL, past the ORM's guard
    assert [e["role"] for e in AuditLog.in_folder(tmp_path, database_url).read()] == ["judge"]
