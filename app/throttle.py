"""Sign-in throttling: failures counted per account and per client, answered with a growing delay that has a cap.

Every attempt is counted as a failure *before* its password is checked (and forgiven when it turns out right), so
attempts sent in parallel cannot all slip through while the first ones are still being checked. The delay is capped
at a minute: a stranger who types wrong passwords for someone else's account slows that person down for at most a
minute at a time instead of locking them out.
"""

from __future__ import annotations

ACCOUNT_FREE_ATTEMPTS = 3  # failures in a row for one username before each further attempt waits
CLIENT_FREE_ATTEMPTS = 10  # failures from one address, any username (a shared office address needs some slack)
MAX_DELAY_SECONDS = 60.0
FORGET_AFTER_SECONDS = 15 * 60  # a counter nobody has added to for this long starts again from zero

Records = dict[str, dict[str, float]]


def account_key(username: str) -> str:
    """The counter of one (normalised) username."""
    return f"account:{username}"


def client_key(address: str | None) -> str:
    """The counter of one client address; None is this machine (Streamlit reports no address for the loopback)."""
    return f"client:{address or 'local'}"


def delay_seconds(failures: int, free: int) -> float:
    """How long after the last counted attempt the next one waits, given ``failures`` so far.

    Nothing while there are fewer than ``free``; then 2, 4, 8 … seconds, never more than MAX_DELAY_SECONDS.
    """
    if failures < free:
        return 0.0
    return min(2.0 ** (failures - free + 1), MAX_DELAY_SECONDS)


def _forget_quiet(records: Records, now: float) -> None:
    # Also keeps the file small however many names are guessed.
    for key in [key for key, record in records.items() if now - record.get("last", 0.0) > FORGET_AFTER_SECONDS]:
        del records[key]


def wait_seconds(records: Records, keys: dict[str, int], now: float) -> float:
    """How long the attempt counted under ``keys`` (counter key -> free attempts) must still wait; 0 = it may go."""
    waits = [0.0]
    for key, free in keys.items():
        record = records.get(key)
        if record is not None:
            waits.append(record["last"] + delay_seconds(int(record["count"]), free) - now)
    return max(waits)


def reserve(records: Records, keys: dict[str, int], now: float) -> float:
    """Count one attempt as a failure under every key, unless one of them must wait; returns the wait (0 = counted).

    Call it under the lock that guards ``records``, and write them back, before checking the password.
    """
    _forget_quiet(records, now)
    wait = wait_seconds(records, keys, now)
    if wait > 0:
        return wait
    for key in keys:
        count = int(records.get(key, {}).get("count", 0))
        records[key] = {"count": count + 1, "last": now}
    return 0.0


def forgive(records: Records, account: str, client: str) -> None:
    """The attempt counted by ``reserve`` was right: the account starts afresh, the client's count drops by one."""
    records.pop(account, None)
    record = records.get(client)
    if record is not None:
        record["count"] = max(0.0, record["count"] - 1)
