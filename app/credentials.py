"""Credentials: the username and password rules, and the bcrypt hashes that keep and check passwords."""

from __future__ import annotations

import functools
import os
import re

from app import passwords
from core.errors import KeyedInputError

MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_BYTES = 72  # bcrypt only reads the first 72 bytes; longer passwords would be silently cut
BCRYPT_ROUNDS = 12  # bcrypt's cost: 2^12 rounds, about 0.25 s a check on one core (OWASP asks for at least 10)
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,63}")


class AccountError(KeyedInputError):
    """A refused account operation."""


def normalise_username(name: str) -> str:
    """Usernames are case-insensitive and stored in lower case."""
    return name.strip().casefold()


def check_username(name: str) -> str:
    """The normalised username, or AccountError when it is not 2-64 letters, digits, dots, dashes or underscores."""
    normalised = normalise_username(name)
    if not _USERNAME.fullmatch(normalised):
        raise AccountError(
            "bad_username", "username must be 2-64 characters: letters, digits, '.', '-' or '_' (no spaces)"
        )
    return normalised


def check_password(password: str, again: str | None = None, *, username: str = "") -> None:
    """Refuse passwords that are not typed the same twice, too short, too long for bcrypt, or easy to guess.

    Easy to guess: a common password or word, a repeat, a sequence, a keyboard walk, a date, or the username
    (forwards, backwards, inside it); see ``app.passwords``.

    Raises:
        AccountError: with the reason.
    """
    if again is not None and password != again:
        raise AccountError("passwords_differ", "the two passwords differ")
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(
            "password_short", f"password must have at least {MIN_PASSWORD_CHARS} characters", min=MIN_PASSWORD_CHARS
        )
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise AccountError(
            "password_long", f"password must be at most {MAX_PASSWORD_BYTES} bytes", max=MAX_PASSWORD_BYTES
        )
    if (reason := passwords.weakness(password, username)) is not None:
        raise AccountError(reason, _WEAK_PASSWORD[reason])


_WEAK_PASSWORD = {
    "password_has_username": "the password must not contain the username",
    "password_repeated": "the password is too easy to guess: it repeats characters or words",
    "password_sequence": "the password is too easy to guess: it is a simple sequence",
    "password_keyboard": "the password is too easy to guess: it follows the keyboard",
    "password_date": "the password is too easy to guess: it is mostly a date",
    "password_common": "the password is too easy to guess: it is a common password or word",
}


def hash_password(password: str, rounds: int = BCRYPT_ROUNDS) -> str:
    """The bcrypt hash that is stored for ``password`` (a new salt each time)."""
    import bcrypt

    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds)).decode("ascii")


def password_matches(stored: str | None, password: str, rounds: int = BCRYPT_ROUNDS) -> bool:
    """Whether ``password`` matches the ``stored`` hash, after one bcrypt check whatever is stored.

    ``stored`` is None for an unknown username and "" for an account that signs in through the identity provider
    only; neither ever matches, and both are checked against a dummy hash so that a miss costs as much as a wrong
    password.
    """
    import bcrypt

    dummy = _dummy_hash(rounds)  # made on the process's first attempt whoever signs in: no timing tells
    candidate = password.encode("utf-8")[:MAX_PASSWORD_BYTES]
    return bcrypt.checkpw(candidate, stored.encode("ascii") if stored else dummy) and bool(stored)


def warm_up() -> None:
    """Make the comparison hash for unknown usernames now (the app's warm-up), not during the first sign-in."""
    _dummy_hash(BCRYPT_ROUNDS)


@functools.cache
def _dummy_hash(rounds: int) -> bytes:
    """A hash of no one's password, compared against when the user does not exist so that a miss costs as much as a
    wrong password; made once per process (the page builds a UserStore on every run, and a sign-in must not pay
    for a second bcrypt)."""
    import bcrypt

    return bcrypt.hashpw(os.urandom(16), bcrypt.gensalt(rounds))
