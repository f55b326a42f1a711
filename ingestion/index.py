"""Writing an index generation (layout in core/index_files.py): chunk records, the CURRENT pointer, removal."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from core.index_files import generations_dir
from core.store import ChromaStore


def set_current(index_dir: Path, generation: str) -> None:
    """Switch readers to a complete generation in one atomic rename."""
    tmp = index_dir / f".CURRENT.{os.getpid()}"
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(generation + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(index_dir / "CURRENT")
    _fsync_dir(index_dir)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_chunks(path: Path, records: Iterable[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def remove_generation(index_dir: Path, generation: str, store: ChromaStore) -> None:
    folder = generations_dir(index_dir) / generation
    store.drop(folder, generation)
    shutil.rmtree(folder, ignore_errors=True)
