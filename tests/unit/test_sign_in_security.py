"""Sign-in against hostile users: parallel guessing, strangers slowing an account down, weak passwords, first start."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import bcrypt
import pytest
from sqlalchemy import delete

from app import throttle
from app.accounts import SignInResult, UserStore
from app.credentials import AccountError
from app.db.connect import open_database
from app.db.models import UserRow
from app.serve import streamlit_options
from core.errors import ConfigError
from core.settings import load_settings

PASSWORD = "correct horse battery"
PARALLEL = 24


def _forget_accounts(users: UserStore) -> None:
    """Back to a first start: no account in the database of ``users``."""
    with open_database("", users.path.parent).session() as session:
        session.execute(delete(UserRow))


@pytest.fixture
def store(tmp_path: Path) -> UserStore:
    users = UserStore(tmp_path / "users.json", rounds=4)
    users.add_user("judy", "judge", PASSWORD)
    return users


class HeldChecks:
    """bcrypt checks that record their password and wait until every parallel attempt is inside one or refused.

    So no check finishes (and no right password resets the counter) before all attempts have been counted.
    """

    def __init__(self, attempts: int) -> None:
        self.attempts = attempts
        self.checked: list[bytes] = []
        self.refused = 0
        self._settled = threading.Condition()
        self._real = bcrypt.checkpw

    def checkpw(self, password: bytes, hashed: bytes) -> bool:
        with self._settled:
            self.checked.append(password)
            self._settled.notify_all()
            self._settled.wait_for(lambda: len(self.checked) + self.refused >= self.attempts, timeout=30)
        return self._real(password, hashed)

    def was_refused(self) -> None:
        with self._settled:
            self.refused += 1
            self._settled.notify_all()


def test_parallel_attempts_beyond_the_allowance_are_refused_unchecked(store: UserStore, monkeypatch) -> None:
    checks = HeldChecks(PARALLEL)
    monkeypatch.setattr(bcrypt, "checkpw", checks.checkpw)
    guesses = [f"wrong guess number {n}" for n in range(PARALLEL)]
    guesses[PARALLEL // 2] = PASSWORD
    start = threading.Barrier(PARALLEL)
    now = 1_000_000.0

    def attempt(password: str) -> SignInResult:
        start.wait()
        result = store.sign_in("judy", password, client="203.0.113.7", now=now)
        if result.wait_seconds:
            checks.was_refused()
        return result

    with ThreadPoolExecutor(PARALLEL) as pool:
        results = dict(zip(guesses, pool.map(attempt, guesses), strict=True))

    assert len(checks.checked) == throttle.ACCOUNT_FREE_ATTEMPTS  # the rest never reached bcrypt
    refused = [guess for guess, result in results.items() if result.wait_seconds > 0]
    assert len(refused) == PARALLEL - throttle.ACCOUNT_FREE_ATTEMPTS
    assert all(results[guess].user is None for guess in refused)
    right_was_checked = PASSWORD.encode() in checks.checked
    assert (results[PASSWORD].user is not None) == right_was_checked  # throttled, the right one does not get in
    # Once the delay has passed, the right password still works.
    later = now + throttle.MAX_DELAY_SECONDS + 1
    assert store.sign_in("judy", PASSWORD, client="203.0.113.7", now=later).user is not None


def test_a_stranger_can_slow_an_account_down_for_a_minute_at_most(store: UserStore) -> None:
    now = 1_000_000.0
    for _ in range(40):  # someone keeps guessing, each time as soon as the delay allows
        while wait := store.sign_in("judy", "not the password at all", client="198.51.100.9", now=now).wait_seconds:
            now += wait
    now += 1
    waited = store.sign_in("judy", PASSWORD, client="192.0.2.1", now=now)
    assert 0 < waited.wait_seconds <= throttle.MAX_DELAY_SECONDS
    assert store.sign_in("judy", PASSWORD, client="192.0.2.1", now=now + waited.wait_seconds).user is not None
    assert store.failure_count("judy") == 0


def test_one_client_guessing_many_accounts_is_slowed_down_alone(store: UserStore) -> None:
    now = 1_000_000.0
    for n in range(throttle.CLIENT_FREE_ATTEMPTS):
        assert store.sign_in(f"user{n}", "guessed password!!", client="203.0.113.7", now=now).wait_seconds == 0
    assert store.sign_in("someone.else", "guessed password!!", client="203.0.113.7", now=now).wait_seconds > 0
    assert store.sign_in("judy", PASSWORD, client="192.0.2.1", now=now).user is not None  # others are not slowed


def test_counters_of_quiet_names_are_forgotten(store: UserStore) -> None:
    now = 1_000_000.0
    for _ in range(throttle.ACCOUNT_FREE_ATTEMPTS):
        store.sign_in("judy", "wrong password!!", now=now)
    assert store.failure_count("judy") == throttle.ACCOUNT_FREE_ATTEMPTS
    store.sign_in("ghost", "wrong password!!", now=now + throttle.FORGET_AFTER_SECONDS + 1)
    assert store.failure_count("judy") == 0


@pytest.mark.parametrize(
    ("password", "key"),
    [
        ("aaaaaaaaaaaa", "password_repeated"),
        ("passwordpassword", "password_repeated"),
        ("123456789012", "password_sequence"),
        ("abcdefghijklmn", "password_sequence"),
        ("qwertyuiop123", "password_common"),
        ("sunshine2024!", "password_common"),
        ("zxcvbnm,./zxc", "password_keyboard"),
        ("marco.bianchi", "password_has_username"),
        ("MARCO.BIANCHI.2024", "password_has_username"),
        ("ihcnaib.ocram", "password_has_username"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(tmp_path: Path, password: str, key: str) -> None:
    users = UserStore(tmp_path / "users.json", rounds=4)
    with pytest.raises(AccountError) as caught:
        users.add_user("marco.bianchi", "judge", password)
    assert caught.value.key == key
    assert not users.has_users()


def test_weak_passwords_are_refused_on_reset_and_on_first_start(store: UserStore, tmp_path: Path) -> None:
    with pytest.raises(AccountError) as caught:
        store.set_password("judy", "judyjudyjudy")
    assert caught.value.key == "password_has_username"
    assert store.sign_in("judy", PASSWORD).user is not None  # the old password still works
    first = UserStore(tmp_path / "other" / "users.json", rounds=4)
    with pytest.raises(AccountError) as caught:
        first.create_first_admin("chief", "passwordpassword", local=True)
    assert caught.value.key == "password_repeated"
    for strong in ("correct horse battery", "Tribunale minorile 7 ottobre", "wÿvern-lantern-quarry"):
        assert first.create_first_admin("chief", strong, local=True).role == "admin"
        _forget_accounts(first)


def test_first_administrator_from_elsewhere_needs_the_one_time_token(tmp_path: Path) -> None:
    users = UserStore(tmp_path / "users.json", rounds=4)
    token = users.issue_setup_token()
    assert token and token not in users.setup_token_path.read_text()  # only its hash is on disk
    assert users.setup_token_path.stat().st_mode & 0o077 == 0
    for wrong in (None, "", "guess", token[:-1]):
        with pytest.raises(AccountError) as caught:
            users.create_first_admin("chief", PASSWORD, token=wrong)
        assert caught.value.key == "setup_token_wrong"
    assert not users.has_users()
    assert users.create_first_admin("chief", PASSWORD, token=f" {token}\n").name == "chief"
    assert not users.has_setup_token()  # used: gone
    _forget_accounts(users)
    with pytest.raises(AccountError):
        users.create_first_admin("chief", PASSWORD, token=token)  # a used token never works again
    users.create_first_admin("chief", PASSWORD, local=True)
    assert users.issue_setup_token() is None and not users.has_setup_token()  # none once an account exists
    _forget_accounts(users)
    assert users.issue_setup_token()
    users.add_user("paola", "judge", PASSWORD)  # from the command line, before anyone used the token
    assert not users.has_setup_token()


def test_server_listens_on_the_loopback_unless_configured(tmp_path: Path, monkeypatch) -> None:
    settings = load_settings()
    assert settings.app.address == "127.0.0.1"
    assert streamlit_options(["--server.port", "8501"], settings.app.address)[:2] == ["--server.address", "127.0.0.1"]
    assert streamlit_options(["--server.address=0.0.0.0"], "127.0.0.1") == ["--server.address=0.0.0.0"]
    monkeypatch.setenv("SAFEBORDERS_APP__ADDRESS", "0.0.0.0")
    assert load_settings().app.address == "0.0.0.0"
    monkeypatch.setenv("SAFEBORDERS_APP__ADDRESS", "http://everywhere")
    with pytest.raises(ConfigError, match="app.address"):
        load_settings()


def test_users_cli_refuses_a_weak_password_in_one_line(tmp_path: Path, monkeypatch, capsys) -> None:
    import io

    import yaml

    from app.users_cli import main as users_cli

    config = tmp_path / "profile.yaml"
    config.write_text(yaml.safe_dump({"paths": {"data": str(tmp_path / "data")}}))
    monkeypatch.setattr("sys.stdin", io.StringIO("123456789012\n"))
    assert users_cli(["--config", str(config), "users", "add", "paola", "--role", "judge", "--password-stdin"]) == 1
    assert capsys.readouterr().err == "error: the password is too easy to guess: it is a simple sequence\n"


def test_own_password_change_checks_the_current_one_and_the_rule(store: UserStore) -> None:
    new = "lantern quarry meadow"
    for current, password, key in [
        ("not my password!!", new, "wrong_current_password"),
        (PASSWORD, "judy.judy.judy", "password_has_username"),
        (PASSWORD, "iloveyou12345", "password_common"),
    ]:
        with pytest.raises(AccountError) as caught:
            store.change_own_password("judy", current, password, password)
        assert caught.value.key == key
    assert store.failure_count("judy") == 1  # a wrong current password counts as a failed sign-in
    store.change_own_password("judy", PASSWORD, new, new)
    assert store.sign_in("judy", PASSWORD).user is None
    assert store.sign_in("judy", new).user is not None


def test_a_sign_in_costs_one_bcrypt_check_on_a_new_store(store: UserStore, monkeypatch) -> None:
    """The page builds a UserStore on every run: the hash unknown names are checked against is made once per
    process, so neither a known nor an unknown name pays for a second bcrypt (and both pay the same)."""
    store.sign_in("judy", PASSWORD)  # the process's first attempt makes the comparison hash
    calls: list[str] = []
    real_hash, real_check = bcrypt.hashpw, bcrypt.checkpw
    monkeypatch.setattr(bcrypt, "hashpw", lambda *args: calls.append("hashpw") or real_hash(*args))
    monkeypatch.setattr(bcrypt, "checkpw", lambda *args: calls.append("checkpw") or real_check(*args))
    fresh = UserStore(store.path, rounds=4)
    assert fresh.sign_in("judy", PASSWORD).user is not None
    assert fresh.sign_in("nobody", PASSWORD).user is None
    assert calls == ["checkpw", "checkpw"]
