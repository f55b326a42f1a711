"""Which documents a build carries over unchanged, which it (re)indexes and which it drops."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any, NamedTuple

from core.errors import IndexUnavailableError
from core.index_files import Manifest, read_current_manifest, read_generation_chunks
from core.settings import Settings
from ingestion.load import discover
from ingestion.report import FileResult


class Pending(NamedTuple):
    """A document the build (re)indexes: its source name, folder, path and file hash ("" when too large)."""

    source: str
    root: Path
    path: Path
    digest: str


@dataclass
class Plan:
    """What a build does, decided before anything is written."""

    previous: Manifest | None
    previous_records: list[dict[str, Any]]
    fingerprint: dict[str, Any]
    old_docs: dict[str, dict[str, Any]]
    results: list[FileResult] = field(default_factory=list)  # unchanged and removed documents
    keep: dict[str, dict[str, Any]] = field(default_factory=dict)  # source -> manifest entry carried over unchanged
    todo: list[Pending] = field(default_factory=list)

    @property
    def changes_nothing(self) -> bool:
        return not self.todo and not any(result.status == "removed" for result in self.results)


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _previous(index_dir: Path) -> tuple[Manifest | None, list[dict[str, Any]]]:
    """The current generation's manifest and chunks, or nothing when there is none or it is damaged."""
    try:
        manifest = read_current_manifest(index_dir)
        return manifest, read_generation_chunks(index_dir, manifest)
    except IndexUnavailableError:
        return None, []


def max_file_bytes(settings: Settings) -> int:
    return int(settings.ingestion.max_file_mb * 1024 * 1024)


def _discover_files(roots: Sequence[Path], exclude: Sequence[str]) -> list[tuple[str, Path, Path]]:
    """(source, root, path) of every document in the folders; of two with the same source name the first wins."""
    files: list[tuple[str, Path, Path]] = []
    seen: set[str] = set()
    for root in roots:
        for path in discover(root):
            source = path.relative_to(root).as_posix()
            if any(fnmatch(source, pattern) for pattern in exclude):
                continue
            if source in seen:
                continue  # the first folder wins; the second copy is reported below
            seen.add(source)
            files.append((source, root, path))
    return files


def plan_build(
    roots: Sequence[Path],
    index_dir: Path,
    settings: Settings,
    fingerprint: dict[str, Any],
    *,
    doc_type: str | None,
    rebuild: bool,
    remove: Sequence[str],
) -> Plan:
    """Which documents are carried over unchanged, which are (re)indexed and which are dropped."""
    previous, previous_records = (None, []) if rebuild else _previous(index_dir)
    same_settings = previous is not None and previous.fingerprint == fingerprint
    plan = Plan(previous, previous_records, fingerprint, previous.documents if previous is not None else {})
    files = _discover_files(roots, settings.ingestion.exclude)
    max_bytes = max_file_bytes(settings)
    for source, root, path in files:
        if source in remove:
            continue
        old = plan.old_docs.get(source)
        digest = _file_hash(path) if path.stat().st_size <= max_bytes else ""
        if old is not None and same_settings and old["hash"] == digest and old.get("forced_type") == doc_type:
            plan.keep[source] = old
            plan.results.append(FileResult(source, "unchanged", len(old["chunk_ids"]), old.get("scrubbed", {})))
        else:
            plan.todo.append(Pending(source, root, path, digest))

    seen = {source for source, _, _ in files}
    root_names = {str(root) for root in roots}
    for source, entry in plan.old_docs.items():
        if source in seen and source not in remove:
            continue
        if source in remove or entry.get("root") in root_names or not same_settings:
            plan.results.append(FileResult(source, "removed", len(entry["chunk_ids"])))
        else:
            plan.keep[source] = entry  # indexed from a folder this build was not given: leave it alone
    return plan
