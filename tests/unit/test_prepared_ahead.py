"""Documents are read, scrubbed and chunked ahead of the embedder, in order, and a fatal error stops the build."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from core.errors import ModelUnavailableError
from ingestion.plan import Pending
from ingestion.prepare import prepared_ahead

TODO = [Pending(f"doc{n}.md", Path("/kb"), Path(f"/kb/doc{n}.md"), "") for n in range(5)]


def test_results_come_in_order_whatever_finishes_first() -> None:
    def prepare(pending: Pending) -> str:
        if pending.source == "doc0.md":
            started_later.wait(5)  # the first document finishes last
        else:
            started_later.set()
        return pending.source.upper()

    started_later = threading.Event()
    got = [(pending.source, prepared) for pending, prepared in prepared_ahead(TODO, prepare, 2)]
    assert got == [(p.source, p.source.upper()) for p in TODO]


def test_the_next_document_is_prepared_while_the_current_one_is_embedded() -> None:
    prepared_sources: list[str] = []

    def prepare(pending: Pending) -> str:
        prepared_sources.append(pending.source)
        if pending.source == "doc1.md":
            second_ready.set()
        return pending.source

    second_ready = threading.Event()
    stream = prepared_ahead(TODO, prepare, 1)
    next(stream)
    assert second_ready.wait(5), "doc1 was prepared before the consumer asked for it"
    assert [source for _, source in stream] == [p.source for p in TODO[1:]]


def test_without_workers_each_step_follows_the_other() -> None:
    def prepare(pending: Pending) -> str:
        assert threading.current_thread() is threading.main_thread()
        return pending.source

    assert [source for _, source in prepared_ahead(TODO, prepare, 0)] == [p.source for p in TODO]


def test_a_missing_model_stops_the_build_and_no_later_document_is_started() -> None:
    started: list[str] = []

    def prepare(pending: Pending) -> str:
        started.append(pending.source)
        if pending.source == "doc1.md":
            raise ModelUnavailableError("spaCy model missing")
        return pending.source

    with pytest.raises(ModelUnavailableError, match="spaCy model missing"):
        for _ in prepared_ahead(TODO, prepare, 1):
            pass
    assert "doc4.md" not in started
