"""The database: the one-time import of the old files, the append-only audit log, account administration."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from app.accounts import UserStore
from app.audit import AuditLog
from app.credentials import AccountError
from app.db import connect, engine
from app.db.connect import open_database
from app.db.models import AuditChangeError, AuditRow, UserRow
from app.feedback import FeedbackStore

PASSWORD = "correct horse battery"


def _old_files(folder: Path) -> str:
    """The files of an installation from before the database; returns the bcrypt hash of its account."""
    import bcrypt

    folder.mkdir(parents=True, exist_ok=True)
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(4)).decode()
    users = {"users": {"anna": {"role": "admin", "hash": hashed, "created_at": "2026-01-02T03:04:05+00:00"}}}
    (folder / "users.json").write_text(json.dumps(users))
    audit = [
        {"time": "2026-01-02T03:04:06+00:00", "user": "anna", "role": "admin", "event": "sign_in"},
        {"time": "2026-01-02T03:04:07+00:00", "user": "anna", "role": "admin", "event": "upload", "file": "a.pdf"},
    ]
    lines = [json.dumps(audit[0]), '{"time": "cut by a cra', json.dumps(audit[1]), '{"user": "x"}']
    (folder / "audit.jsonl").write_text("\n".join(lines) + "\n")
    rating = {"time": "2026-01-03T00:00:00+00:00", "user": "anna", "rating": "down", "question": "q"}
    (folder / "feedback.jsonl").write_text(json.dumps(rating | {"answer_sha256": "0" * 64}) + "\n")
    return hashed


def test_old_files_are_imported_once_and_kept_renamed(tmp_path: Path, monkeypatch, capsys) -> None:
    _old_files(tmp_path)
    users = UserStore.in_folder(tmp_path)
    assert users.sign_in("anna", PASSWORD).user is not None  # the old hash still signs her in
    events = AuditLog.in_folder(tmp_path).read()
    assert [(e["event"], e.get("file")) for e in events] == [("sign_in", None), ("upload", "a.pdf")]
    assert [e.rating for e in FeedbackStore(tmp_path / "feedback.jsonl").entries()] == ["down"]
    err = capsys.readouterr().err
    assert "audit.jsonl line 2: not valid JSON; skipped" in err
    assert "audit.jsonl line 4: field 'time' is missing; skipped" in err
    for name in ("users.json", "audit.jsonl", "feedback.jsonl"):
        assert not (tmp_path / name).exists() and (tmp_path / f"{name}.migrated").is_file()

    monkeypatch.setattr(connect, "_OPEN", {})  # as a restarted app would
    _old_files(tmp_path)  # files that reappear after the import are left alone: the marker row says it is done
    assert len(AuditLog.in_folder(tmp_path).read()) == 2
    assert (tmp_path / "audit.jsonl").is_file()


def test_a_damaged_users_file_is_reported_and_nothing_is_lost(tmp_path: Path, capsys) -> None:
    (tmp_path / "users.json").write_text("{not json")
    assert not UserStore.in_folder(tmp_path).has_users()
    assert "users.json: not a valid users file; no account imported" in capsys.readouterr().err
    assert (tmp_path / "users.json.migrated").read_text() == "{not json"


def test_the_audit_log_has_no_update_or_delete_path(tmp_path: Path) -> None:
    public = {name for name, _ in inspect.getmembers(AuditLog) if not name.startswith("_")}
    assert public == {"in_folder", "question", "read", "record"}
    log = AuditLog.in_folder(tmp_path)
    log.record("sign_in", "judy", "judge")
    database = open_database("", tmp_path)
    with pytest.raises(AuditChangeError, match="append-only"), database.session() as session:
        session.scalars(select(AuditRow)).one().user = "someone else"
    with pytest.raises(AuditChangeError, match="append-only"), database.session() as session:
        session.delete(session.scalars(select(AuditRow)).one())
    for statement in (update(AuditRow).values(user="x"), delete(AuditRow)):
        with pytest.raises(AuditChangeError, match="append-only"), database.session() as session:
            session.execute(statement)
    assert [e["user"] for e in log.read()] == ["judy"]


@pytest.fixture
def accounts(tmp_path: Path) -> UserStore:
    store = UserStore(tmp_path / "users.json", rounds=4)
    store.add_user("chief", "admin", PASSWORD)
    store.add_user("judy", "judge", PASSWORD)
    return store


def test_a_disabled_account_cannot_sign_in_until_enabled(accounts: UserStore) -> None:
    accounts.set_disabled("judy")
    assert accounts.get("judy").disabled  # type: ignore[union-attr]
    assert accounts.sign_in("judy", PASSWORD).user is None
    accounts.set_disabled("judy", False)
    assert accounts.sign_in("judy", PASSWORD).user is not None


def test_roles_change_and_accounts_go_but_never_the_last_administrator(accounts: UserStore) -> None:
    for refused in (
        lambda: accounts.delete_user("chief"),
        lambda: accounts.set_role("chief", "judge"),
        lambda: accounts.set_disabled("chief"),
    ):
        with pytest.raises(AccountError) as caught:
            refused()
        assert caught.value.key == "last_admin"
    with pytest.raises(AccountError) as caught:
        accounts.set_role("judy", "emperor")
    assert caught.value.key == "bad_role"
    accounts.set_role("judy", "admin")
    accounts.delete_user("chief")  # judy is an administrator now
    assert [(u.name, u.role) for u in accounts.list_users()] == [("judy", "admin")]
    with pytest.raises(AccountError) as caught:
        accounts.delete_user("nobody")
    assert caught.value.key == "unknown_user"
    with open_database("", accounts.path.parent).session() as session:
        assert session.scalars(select(UserRow.name)).all() == ["judy"]


def test_a_bad_database_url_is_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(engine.DatabaseError, match=r"^database.url: not a usable database URL \(ArgumentError\)$"):
        open_database("no such thing", tmp_path)
    unreachable = f"sqlite:///{tmp_path}/missing/folder/x.db"
    with pytest.raises(engine.DatabaseError, match="^database sqlite:///.*: cannot migrate"):
        open_database(unreachable, tmp_path)


def test_the_upgrade_command_migrates_and_reports_a_bad_url(tmp_path: Path, monkeypatch, capsys) -> None:
    from app.db.__main__ import main

    monkeypatch.setenv("SAFEBORDERS_PATHS__DATA", str(tmp_path))
    assert main(["upgrade"]) == 0
    assert "up to date" in capsys.readouterr().out and (tmp_path / "safeborders.db").is_file()
    monkeypatch.setenv("SAFEBORDERS_DATABASE__URL", "postgresql+nosuchdriver://x@/y")
    assert main(["upgrade"]) == 1
    assert capsys.readouterr().err == "error: database.url: not a usable database URL (NoSuchModuleError)\n"
