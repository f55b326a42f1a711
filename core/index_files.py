"""The index folder on disk, as both its builder and its readers see it: generations, manifest, chunk records.

Layout of an index folder::

    CURRENT                      name of the generation readers use (replaced atomically)
    generations/<generation>/
        manifest.json            documents with their hash, chunk ids and scrubbed counts
        chunks.jsonl             every chunk's text and citation metadata
        bm25/                    the persisted lexical index
        chroma/                  the vector store (embedded mode; on a server it is a collection)
        COMPLETE                 written last: a generation without it is an interrupted build
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import IndexUnavailableError

FORMAT_VERSION = 1
COMPLETE_MARKER = "COMPLETE"


@dataclass
class Manifest:
    """What one generation holds, keyed by document source path."""

    generation: str
    created_at: str
    fingerprint: dict[str, Any]
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> str:
        data = {"format": FORMAT_VERSION, **self.__dict__}
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def read(cls, path: Path) -> Manifest:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"manifest format {data.get('format')!r}, expected {FORMAT_VERSION}")
        return cls(data["generation"], data["created_at"], data["fingerprint"], data["documents"])

    @property
    def chunk_count(self) -> int:
        return sum(len(doc["chunk_ids"]) for doc in self.documents.values())


def generations_dir(index_dir: Path) -> Path:
    return index_dir / "generations"


def current_generation(index_dir: Path) -> str | None:
    """The generation readers should use, or None when no build has completed yet."""
    pointer = index_dir / "CURRENT"
    if not pointer.is_file():
        return None
    name = pointer.read_text(encoding="utf-8").strip()
    return name or None


def read_chunks(path: Path) -> list[dict[str, Any]]:
    """The chunk records of a ``chunks.jsonl`` file: id, text and the flat citation metadata of each chunk."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _rebuild_hint(index_dir: Path) -> str:
    return f"rebuild it: python -m ingestion build --index {index_dir} --rebuild"


def read_current_manifest(index_dir: Path) -> Manifest:
    """The manifest of the current generation; only that file is read (no vector store, no model).

    The manifest's ``generation`` is the name of the folder it was read from (the builder writes it so).

    Raises:
        IndexUnavailableError: no complete build yet, or the manifest is damaged; the message says how to rebuild.
    """
    generation = current_generation(index_dir)
    if generation is None:
        raise IndexUnavailableError(
            f"no index at {index_dir}: build it with `make index` "
            f"(python -m ingestion build --source knowledge_base --index {index_dir})"
        )
    folder = generations_dir(index_dir) / generation
    if not (folder / COMPLETE_MARKER).is_file():
        raise IndexUnavailableError(
            f"index at {index_dir} is corrupted (generation {generation} is incomplete or missing); "
            + _rebuild_hint(index_dir)
        )
    try:
        return Manifest.read(folder / "manifest.json")
    except (OSError, ValueError, KeyError) as exc:
        raise IndexUnavailableError(
            f"index at {index_dir} is corrupted ({folder.name}: {exc}); " + _rebuild_hint(index_dir)
        ) from None


def read_generation_chunks(index_dir: Path, manifest: Manifest) -> list[dict[str, Any]]:
    """The chunk records of a manifest's generation, checked to be the chunks the manifest lists.

    Raises:
        IndexUnavailableError: the chunk file is unreadable or holds another number of chunks.
    """
    folder = generations_dir(index_dir) / manifest.generation
    try:
        records = read_chunks(folder / "chunks.jsonl")
    except (OSError, ValueError, KeyError) as exc:
        raise IndexUnavailableError(
            f"index at {index_dir} is corrupted ({folder.name}: {exc}); " + _rebuild_hint(index_dir)
        ) from None
    count = len({record["id"] for record in records})
    if count != manifest.chunk_count:
        raise IndexUnavailableError(
            f"index at {index_dir} is corrupted (chunks.jsonl has {count} chunks, the manifest "
            f"{manifest.chunk_count}); " + _rebuild_hint(index_dir)
        )
    return records
