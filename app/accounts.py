"""Accounts and roles: the users table, throttled sign-in attempts and the first-start setup token."""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import math
import os
import secrets
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import delete, select, update

from app import throttle
from app.credentials import (
    BCRYPT_ROUNDS,
    AccountError,
    check_password,
    check_username,
    hash_password,
    normalise_username,
    password_matches,
)
from app.db.connect import open_database
from app.db.models import SessionRow, UserRow

Role = Literal["judge", "frontline", "editor", "admin"]
ROLES: tuple[Role, ...] = ("judge", "frontline", "editor", "admin")


@dataclass(frozen=True)
class User:
    """An account as the app sees it (never the hash)."""

    name: str
    role: Role
    created_at: str
    disabled: bool = False


@dataclass(frozen=True)
class SignInResult:
    """The outcome of one attempt: the user, or None with how long to wait when the username is locked."""

    user: User | None
    wait_seconds: int = 0


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _write_private(path: Path, data: dict[str, Any]) -> None:
    """Replace ``path`` atomically with a file only the owner can read."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(data, handle, indent=1, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.chmod(0o600)  # the umask may have narrowed the mode further, never widened it; make it exact
    tmp.replace(path)


class UserStore:
    """The users table, the sign-in counters and the first-start setup token (0600 files in the data folder)."""

    def __init__(self, path: Path, *, rounds: int = BCRYPT_ROUNDS, url: str = "") -> None:
        # ``path`` is the old ``users.json``: its folder holds the SQLite database unless ``url`` names another
        self.path = path
        self.url = url
        self._database = open_database(url, path.parent)
        self.failures_path = path.with_name("sign_in_failures.json")
        self.setup_token_path = path.with_name("setup_token.json")
        self._lock_path = path.with_name(".users.lock")
        self._rounds = rounds

    @classmethod
    def in_folder(cls, data_dir: Path, url: str = "") -> UserStore:
        """The installation's accounts: the database at ``url``, or the one in the data folder."""
        return cls(data_dir / "users.json", url=url)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """One writer at a time across sessions and processes (the app and ``python -m app users``)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._lock_path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read(self) -> dict[str, dict[str, Any]]:
        with self._database.session() as session:
            rows = session.scalars(select(UserRow)).all()
            return {
                row.name: {
                    "role": row.role,
                    "hash": row.password_hash,
                    "created_at": row.created_at,
                    "disabled": row.disabled,
                }
                for row in rows
            }

    def _write(self, users: dict[str, dict[str, Any]], *names: str) -> None:
        """Store the accounts ``names`` as they are in ``users`` (deleting those no longer there), in one transaction.

        Only the named rows are touched, so that another instance's concurrent change to other accounts is kept.
        """
        with self._database.session() as session:
            for name in names:
                entry = users.get(name)
                if entry is None:
                    session.execute(delete(UserRow).where(UserRow.name == name))
                    continue
                session.merge(
                    UserRow(
                        name=name,
                        role=entry["role"],
                        password_hash=entry["hash"],
                        created_at=entry.get("created_at", ""),
                        disabled=bool(entry.get("disabled", False)),
                    )
                )

    def has_users(self) -> bool:
        """Whether at least one account exists (after that, the first-start screen can never appear)."""
        return bool(self._read())

    def list_users(self) -> list[User]:
        """All accounts, sorted by name."""
        users = sorted(self._read().items())
        return [_user(name, entry) for name, entry in users]

    def get(self, name: str) -> User | None:
        """One account by (case-insensitive) name, or None."""
        entry = self._read().get(normalise_username(name))
        return None if entry is None else _user(normalise_username(name), entry)

    def issue_setup_token(self) -> str | None:
        """A new one-time token that lets another machine create the administrator; None once an account exists.

        Only its SHA-256 is kept (0600 file); it replaces any earlier token and is deleted when the administrator
        is created.
        """
        with self._locked():
            if self._read():
                self.setup_token_path.unlink(missing_ok=True)
                return None
            token = secrets.token_urlsafe(12)
            _write_private(self.setup_token_path, {"sha256": _sha256(token)})
        return token

    def has_setup_token(self) -> bool:
        """Whether a setup token was issued and not used yet."""
        return self.setup_token_path.is_file()

    def _setup_token_matches(self, token: str | None) -> bool:
        if not token or not self.setup_token_path.is_file():
            return False
        stored = str(json.loads(self.setup_token_path.read_text(encoding="utf-8")).get("sha256", ""))
        return hmac.compare_digest(_sha256(token.strip()), stored)

    def create_first_admin(
        self, name: str, password: str, again: str | None = None, *, local: bool = False, token: str | None = None
    ) -> User:
        """Create the administrator on first start: from this machine (``local``) or with the setup token.

        Raises:
            AccountError: an account already exists, the token is missing or wrong, or the name or password is not
                acceptable.
        """
        name = check_username(name)
        check_password(password, again, username=name)
        hashed = hash_password(password, self._rounds)
        with self._locked():
            if self._read():
                raise AccountError("setup_done", "an account already exists; sign in instead")
            if not local and not self._setup_token_matches(token):
                raise AccountError("setup_token_wrong", "wrong or missing setup token (see the server log)")
            created = _now_iso()
            self._write({name: {"role": "admin", "hash": hashed, "created_at": created}}, name)
            self.setup_token_path.unlink(missing_ok=True)
        return User(name, "admin", created)

    def add_user(self, name: str, role: str, password: str, again: str | None = None) -> User:
        """Add an account.

        Raises:
            AccountError: the name is taken or invalid, the role unknown, or the password not acceptable.
        """
        name = check_username(name)
        if role not in ROLES:
            raise AccountError("bad_role", f"role must be one of: {', '.join(ROLES)}")
        check_password(password, again, username=name)
        hashed = hash_password(password, self._rounds)
        with self._locked():
            users = self._read()
            if name in users:
                raise AccountError("user_exists", f"user {name} already exists", user=name)
            created = _now_iso()
            users[name] = {"role": role, "hash": hashed, "created_at": created}
            self._write(users, name)
            self.setup_token_path.unlink(missing_ok=True)  # an account exists now: the first start is over
        return User(name, role, created)

    def set_password(self, name: str, password: str, again: str | None = None) -> None:
        """Reset an account's password and clear its failure counter.

        Raises:
            AccountError: no such user, or the password is not acceptable.
        """
        name = normalise_username(name)
        check_password(password, again, username=name)
        hashed = hash_password(password, self._rounds)
        with self._locked():
            users = self._read()
            if name not in users:
                raise AccountError("unknown_user", f"no user named {name}", user=name)
            users[name]["hash"] = hashed
            self._write(users, name)
            self._revoke_sessions(name)
            failures = self._read_failures()
            if failures.pop(throttle.account_key(name), None) is not None:
                _write_private(self.failures_path, failures)

    def change_own_password(
        self, name: str, current: str, password: str, again: str | None = None, *, client: str | None = None
    ) -> None:
        """A signed-in user's own change: the current password is checked (and throttled) as a sign-in is.

        Raises:
            AccountError: the current password is wrong or must wait, or the new one is not acceptable.
        """
        check_password(password, again, username=normalise_username(name))
        result = self.sign_in(name, current, client=client)
        if result.wait_seconds:
            raise AccountError(
                "locked_out",
                f"too many failed attempts; wait {result.wait_seconds} seconds",
                seconds=result.wait_seconds,
            )
        if result.user is None:
            raise AccountError("wrong_current_password", "the current password is wrong")
        self.set_password(name, password)

    def _change(self, name: str, change: str, value: object = None) -> None:
        """Disable, enable, delete or re-role an account, never leaving the installation without an administrator.

        Raises:
            AccountError: no such user, an unknown role, or the change would leave no enabled administrator.
        """
        name = normalise_username(name)
        if change == "role" and value not in ROLES:
            raise AccountError("bad_role", f"role must be one of: {', '.join(ROLES)}")
        with self._locked():
            users = self._read()
            if name not in users:
                raise AccountError("unknown_user", f"no user named {name}", user=name)
            if change == "delete":
                del users[name]
            else:
                users[name]["disabled" if change == "disabled" else "role"] = value
            if not any(entry["role"] == "admin" and not entry.get("disabled") for entry in users.values()):
                raise AccountError("last_admin", "at least one enabled administrator must remain")
            self._write(users, name)
            if change == "disabled" and value:
                self._revoke_sessions(name)

    def provider_user(self, name: str, role: str) -> User:
        """The account of someone the identity provider signed in: made on the first sign-in without a password (none
        can match it), and given the role the provider's claims map to — unless that would leave no administrator.

        Raises:
            AccountError: the name is not a valid user name, or an administrator disabled the account.
        """
        name = check_username(name)
        with self._locked():
            users = self._read()
            entry = users.get(name)
            if entry is not None and entry.get("disabled"):
                raise AccountError("account_disabled", f"the account {name} is disabled", user=name)
            if entry is None:
                entry = users[name] = {"role": role, "hash": "", "created_at": _now_iso()}
            elif entry["role"] != role:
                changed = {**users, name: {**entry, "role": role}}
                if any(other["role"] == "admin" and not other.get("disabled") for other in changed.values()):
                    entry = users[name] = changed[name]
            self._write(users, name)
            self.setup_token_path.unlink(missing_ok=True)
        return _user(name, entry)

    def _revoke_sessions(self, name: str) -> None:
        """A new password or a disabled account ends every cookie session of the account."""
        with self._database.session() as session:
            session.execute(update(SessionRow).where(SessionRow.user == name).values(revoked=True))

    def set_disabled(self, name: str, disabled: bool = True) -> None:
        """Disable an account (it can no longer sign in) or enable it again."""
        self._change(name, "disabled", disabled)

    def delete_user(self, name: str) -> None:
        """Delete an account (never the last enabled administrator)."""
        self._change(name, "delete")

    def set_role(self, name: str, role: str) -> None:
        """Give an account another role (the last enabled administrator keeps hers)."""
        self._change(name, "role", role)

    def _read_failures(self) -> dict[str, dict[str, float]]:
        if not self.failures_path.is_file():
            return {}
        return dict(json.loads(self.failures_path.read_text(encoding="utf-8")))

    def sign_in(self, name: str, password: str, *, client: str | None = None, now: float | None = None) -> SignInResult:
        """Check a username and password, slowing down repeated failures for that username and that client.

        The attempt is counted under the lock before bcrypt runs (``app.throttle``), so parallel attempts are
        counted one by one and those beyond the allowance are refused without their password being checked. Unknown
        usernames are counted exactly like known ones, so neither the message nor the timing tells whether an
        account exists.

        Args:
            name: the username as typed.
            password: the password as typed.
            client: the browser's address (``client_address()``); None for this machine.
            now: the time, for tests.
        """
        now = time.time() if now is None else now
        key = normalise_username(name)[:64]
        keys = {throttle.account_key(key): throttle.ACCOUNT_FREE_ATTEMPTS}
        keys[throttle.client_key(client)] = throttle.CLIENT_FREE_ATTEMPTS
        with self._locked():
            failures = self._read_failures()
            wait = throttle.reserve(failures, keys, now)
            if not wait:
                _write_private(self.failures_path, failures)
        if wait:
            return SignInResult(None, math.ceil(wait))

        entry = self._read().get(key)
        stored = None if entry is None else entry["hash"]
        if not password_matches(stored, password, self._rounds) or (entry is not None and entry.get("disabled")):
            return SignInResult(None)  # a disabled account is refused like a wrong password, after the same work
        with self._locked():
            failures = self._read_failures()
            throttle.forgive(failures, throttle.account_key(key), throttle.client_key(client))
            _write_private(self.failures_path, failures)
        assert entry is not None
        return SignInResult(_user(key, entry))

    def failure_count(self, name: str) -> int:
        """How many failed sign-ins in a row this username has (for tests and administrators)."""
        record = self._read_failures().get(throttle.account_key(normalise_username(name)[:64]), {})
        return int(record.get("count", 0))


def _user(name: str, entry: dict[str, Any]) -> User:
    return User(name, entry["role"], entry.get("created_at", ""), bool(entry.get("disabled", False)))


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def announce_setup_token(users: UserStore) -> None:
    """Issue a setup token when no account exists and print it in the server log (the console of ``make run``)."""
    token = users.issue_setup_token()
    if token is not None:
        print(
            f"SafeBorders Assistant: no account exists yet. Create the administrator in the browser; from another "
            f"machine, or through a reverse proxy, enter this one-time setup token: {token}",
            file=sys.stderr,
            flush=True,
        )
