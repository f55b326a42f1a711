"""Password strength: zxcvbn's estimate of how many guesses a password takes, and the username kept out of it."""

from __future__ import annotations

# zxcvbn's scale: 3 = "safely unguessable" (at least 10^8 guesses), the lowest it recommends against online guessing
# of a hash that is also stolen. Below it fall common passwords, words, repeats, sequences and keyboard walks.
MIN_SCORE = 3
_NAME_INSIDE_FROM = 4  # shorter usernames ("jo", "ann") occur inside too many ordinary words to refuse them

# zxcvbn's names for the patterns it recognised, and the i18n key that explains the weakest one to the user.
_PATTERN_KEYS = {
    "repeat": "password_repeated",
    "sequence": "password_sequence",
    "spatial": "password_keyboard",
    "date": "password_date",
}


def contains_username(password: str, username: str) -> bool:
    """Whether the password is the username, or holds it forwards or backwards (ignoring case)."""
    name = username.strip().casefold()
    if not name:
        return False
    text = password.casefold()
    if text in (name, name[::-1]):
        return True
    return len(name) >= _NAME_INSIDE_FROM and (name in text or name[::-1] in text)


def weakness(password: str, username: str = "") -> str | None:
    """The i18n key that says why the password is too easy to guess, or None when it is strong enough.

    Args:
        password: the candidate password (its length is checked elsewhere).
        username: the account's name; zxcvbn also counts it as a word an attacker tries first.
    """
    if contains_username(password, username):
        return "password_has_username"
    from zxcvbn import zxcvbn

    result = zxcvbn(password, user_inputs=[username] if username else [])
    if int(result["score"]) >= MIN_SCORE:
        return None
    patterns = [match["pattern"] for match in result["sequence"]]
    for pattern, key in _PATTERN_KEYS.items():
        if pattern in patterns:
            return key
    return "password_common"
