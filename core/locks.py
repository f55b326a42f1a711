"""A lock granted in arrival order, for the native engines that run one call at a time."""

from __future__ import annotations

import threading
from types import TracebackType


class FairLock:
    """Like ``threading.Lock`` (not re-entrant), but waiting threads get it in the order they asked for it.

    A plain lock lets the thread that released it take it straight back: an index build embedding batch after batch,
    or one chat session streaming answer after answer, would keep every other session waiting until it is done.
    """

    def __init__(self) -> None:
        self._turns = threading.Condition()
        self._next_ticket = 0
        self._serving = 0

    def __enter__(self) -> FairLock:
        with self._turns:
            ticket = self._next_ticket
            self._next_ticket += 1
            while ticket != self._serving:
                self._turns.wait()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        with self._turns:
            self._serving += 1
            self._turns.notify_all()
