"""Housekeeping of an index's generations: one build at a time, new generation names, and removing what a killed
build left behind or what is older than the generations kept."""

from __future__ import annotations

import fcntl
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from core.errors import IngestionError
from core.index_files import COMPLETE_MARKER, current_generation, generations_dir
from core.store import ChromaStore
from ingestion.index import remove_generation


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """One build at a time per index; the OS releases the lock if the builder is killed."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with (index_dir / ".build.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IngestionError(
                f"{index_dir}: another build is running on this index; try again when it ends"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_generation_name() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]


def clean_interrupted(index_dir: Path, store: ChromaStore) -> None:
    """Remove generations that a crashed or killed build left without their COMPLETE marker."""
    current = current_generation(index_dir)
    root = generations_dir(index_dir)
    if not root.is_dir():
        return
    for folder in root.iterdir():
        if folder.name != current and not (folder / COMPLETE_MARKER).exists():
            remove_generation(index_dir, folder.name, store)


def prune(index_dir: Path, keep: int, store: ChromaStore) -> None:
    """Keep the newest ``keep`` complete generations; a reader still on the previous one keeps working."""
    current = current_generation(index_dir)
    complete = sorted(f.name for f in generations_dir(index_dir).iterdir() if (f / COMPLETE_MARKER).exists())
    for name in complete[: max(0, len(complete) - keep)]:
        if name != current:
            remove_generation(index_dir, name, store)
