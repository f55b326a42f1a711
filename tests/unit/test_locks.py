"""FairLock: one holder at a time, granted in arrival order, so a long series of calls cannot starve a single one."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from core.locks import FairLock


def _wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def test_waiting_threads_get_the_lock_in_arrival_order() -> None:
    lock, order = FairLock(), []
    lock.__enter__()
    threads = []
    for n in range(5):
        thread = threading.Thread(target=lambda n=n: _take(lock, order, n))
        thread.start()
        _wait_until(lambda n=n: lock._next_ticket == n + 2)  # this waiter has its ticket before the next one asks
        threads.append(thread)
    lock.__exit__(None, None, None)
    for thread in threads:
        thread.join(5)
    assert order == [0, 1, 2, 3, 4]


def _take(lock: FairLock, order: list[int], n: int) -> None:
    with lock:
        order.append(n)


def test_a_single_call_is_not_starved_by_a_series_of_batches() -> None:
    lock, events = FairLock(), []
    asked = threading.Event()

    def batches() -> None:
        for n in range(200):
            with lock:
                events.append(f"batch {n}")
                if n == 2:
                    asked.set()
                    _wait_until(lambda: lock._next_ticket > 3)  # batches 0-2 took tickets 0-2: the question holds 3
                time.sleep(0.001)

    def question() -> None:
        asked.wait(5)
        with lock:
            events.append("question")

    threads = [threading.Thread(target=batches), threading.Thread(target=question)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert events.index("question") == 3  # right after the batch that was running when it asked


def test_the_lock_is_released_when_the_holder_raises() -> None:
    lock = FairLock()
    try:
        with lock:
            raise ValueError("engine failed")
    except ValueError:
        pass
    acquired = threading.Event()
    threading.Thread(target=lambda: (lock.__enter__(), acquired.set())).start()
    assert acquired.wait(2)
