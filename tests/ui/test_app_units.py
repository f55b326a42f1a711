"""Unit tests of the app's helpers: upload checks and names, throttled sign-in, safe HTML, the users CLI."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from app.accounts import UserStore
from app.audit import WITHHELD, AuditLog, scrub_text
from app.credentials import AccountError
from app.render import highlight_html, supporting_span
from app.throttle import ACCOUNT_FREE_ATTEMPTS as FREE_ATTEMPTS
from app.users_cli import main as users_cli
from ingestion.uploads import (
    Metadata,
    UploadRejectedError,
    check_upload,
    delete_upload,
    safe_filename,
    save_upload,
    unique_name,
)
from tests.fakes import KeywordScrubber

PASSWORD = "a long enough password"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\Sentenza n. 12 (Bari).PDF", "Sentenza_n_12_Bari.pdf"),
        ("Übersicht – Menschenhandel.docx", "Ubersicht_Menschenhandel.docx"),
        ("..md", "document.md"),
        ("a" * 300 + ".txt", "a" * 76 + ".txt"),
    ],
)
def test_safe_filename(given: str, expected: str) -> None:
    assert safe_filename(given) == expected


def test_unique_name_avoids_every_source_folder_and_excluded_names(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.md").write_text("taken")
    assert unique_name("x.md", [tmp_path / "a", tmp_path / "b"]) == "x-2.md"
    assert unique_name("README.md", [tmp_path / "a"], ["*/README.md"], prefix="case_law/") == "README-2.md"
    assert unique_name("x.md", [tmp_path / "a"], ["indicators/*"], prefix="case_law/") == "x.md"


def _docx(member: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, "<xml/>")
    return buffer.getvalue()


def test_check_upload_checks_content_and_size() -> None:
    assert check_upload("a.PDF", b"%PDF-1.7 ...", 1) == ".pdf"
    assert check_upload("a.docx", _docx("word/document.xml"), 1) == ".docx"
    assert check_upload("a.md", "Testo con accenti: è".encode(), 1) == ".md"
    for name, data, key in [
        ("a.exe", b"MZ", "upload_bad_type"),
        ("a.pdf", b"", "upload_empty"),
        ("a.pdf", b"<html>", "upload_not_pdf"),
        ("a.docx", _docx("xl/workbook.xml"), "upload_not_docx"),
        ("a.txt", b"\x00\x01\x02binary", "upload_binary"),
        ("a.md", b"x" * (1024 * 1024 + 1), "upload_too_large"),
    ]:
        with pytest.raises(UploadRejectedError) as caught:
            check_upload(name, data, 1)
        assert caught.value.key == key, name


def test_save_upload_writes_front_matter_and_never_overwrites(tmp_path: Path) -> None:
    metadata = Metadata("handbook", title="Guida", jurisdiction="IT", language="it", date="2024-01-02")
    first = save_upload(b"---\naudience: frontline\n---\nTesto.", "guida.md", metadata, tmp_path)
    second = save_upload(b"Testo.", "guida.md", metadata, tmp_path)
    assert (first.name, second.name) == ("guida.md", "guida-2.md")
    text = first.read_text()
    assert text.startswith("---\naudience: frontline\ntitle: Guida\ndoc_type: handbook\njurisdiction: IT\n")
    assert text.endswith("---\n\nTesto.")
    assert save_upload(b"%PDF-1.4", "x.pdf", metadata, tmp_path).read_bytes() == b"%PDF-1.4"  # binary kept as is
    with pytest.raises(UploadRejectedError):
        delete_upload(tmp_path, "../outside.md")
    assert delete_upload(tmp_path, "handbook/guida.md") and not first.exists()


def test_sign_in_lockout_grows_and_is_checked_before_the_password(tmp_path: Path) -> None:
    store = UserStore(tmp_path / "users.json", rounds=4)
    store.add_user("judy", "judge", PASSWORD)
    now = 1_000_000.0
    for _ in range(FREE_ATTEMPTS - 1):
        assert store.sign_in("judy", "wrong password!", now=now).wait_seconds == 0
    assert store.sign_in("judy", "wrong password!", now=now).user is None  # third failure opens a window
    locked = store.sign_in("judy", PASSWORD, now=now + 1)
    assert locked.user is None and locked.wait_seconds == 1
    assert store.sign_in("judy", "wrong password!", now=now + 3).user is None  # fourth: a longer window
    assert store.sign_in("judy", PASSWORD, now=now + 5).wait_seconds == 2  # until now + 3 + 4
    assert store.sign_in("judy", PASSWORD, now=now + 10).user is not None
    assert store.failure_count("judy") == 0
    for _ in range(FREE_ATTEMPTS):  # unknown names are throttled the same way
        store.sign_in("ghost", "anything at all", now=now)
    assert store.sign_in("ghost", "anything at all", now=now + 1).wait_seconds > 0


def test_accounts_validate_names_roles_and_passwords(tmp_path: Path) -> None:
    store = UserStore(tmp_path / "users.json", rounds=4)
    for args, key in [
        (("x", "judge", PASSWORD), "bad_username"),
        (("judy", "prosecutor", PASSWORD), "bad_role"),
        (("judy", "judge", "short"), "password_short"),
        (("judy", "judge", "é" * 40), "password_long"),
    ]:
        with pytest.raises(AccountError) as caught:
            store.add_user(*args)
        assert caught.value.key == key
    store.add_user("Judy", "judge", PASSWORD)
    with pytest.raises(AccountError):
        store.add_user("judy", "editor", PASSWORD)
    store.set_password("judy", "another long password")
    assert store.sign_in("judy", "another long password").user is not None


def test_highlight_html_escapes_before_marking() -> None:
    text = "<script>alert(1)</script> and <PERSON_1> said\nhi"
    start = text.index("<PERSON_1>")
    html = highlight_html(text, [(start, start + len("<PERSON_1>"))])
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark>&lt;PERSON_1&gt;</mark>" in html and "\n" not in html and "<br>hi" in html
    assert supporting_span("Art. 2\nThe consent  of a\nchild is irrelevant.", "The consent of a child") == (7, 30)


def test_audit_never_keeps_an_unscrubbed_question(tmp_path: Path) -> None:
    class Broken:
        def scrub(self, texts, language="en"):
            raise RuntimeError("spaCy exploded")

    assert scrub_text("Where is Maria Rossi?", KeywordScrubber()) == "Where is <PERSON_1>?"
    assert scrub_text("Where is Maria Rossi?", Broken()) == WITHHELD
    log = AuditLog(tmp_path / "audit.jsonl")
    log.record("sign_in", "judy", "judge")
    log.record("sign_in", "eddie", "editor")
    assert [event["user"] for event in log.read()] == ["judy", "eddie"]
    assert (tmp_path / "safeborders.db").stat().st_mode & 0o077 == 0


def test_users_cli_adds_and_lists_accounts(tmp_path: Path, monkeypatch, capsys, settings) -> None:
    config = tmp_path / "profile.json"
    config.write_text(json.dumps({"paths": {"data": str(settings.data_dir)}}))
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    import yaml

    config = tmp_path / "profile.yaml"
    config.write_text(yaml.safe_dump({"paths": {"data": str(settings.data_dir)}}))
    assert users_cli(["--config", str(config), "users", "add", "Paola", "--role", "judge", "--password-stdin"]) == 0
    assert users_cli(["--config", str(config), "users", "list"]) == 0
    assert "paola" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert users_cli(["--config", str(config), "users", "add", "ugo", "--role", "judge", "--password-stdin"]) == 1
    assert "at least 12 characters" in capsys.readouterr().err
