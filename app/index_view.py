"""What the pages show of the index: the current manifest, its document rows, uploads and jurisdictions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.errors import IndexUnavailableError
from core.index_files import Manifest, read_current_manifest


def read_manifest(index_dir: Path) -> Manifest | None:
    """The current generation's manifest, or None when there is no complete, readable one.

    Only the manifest file is read (no vector store), so listing documents never loads a model.
    """
    try:
        return read_current_manifest(index_dir)
    except IndexUnavailableError:
        return None


def is_upload(entry: dict[str, Any], uploads_dir: Path) -> bool:
    """Whether a manifest entry was indexed from the uploads folder (only those can be removed in the app)."""
    return Path(entry.get("root", "")).resolve() == uploads_dir.resolve()


def document_rows(manifest: Manifest, uploads_dir: Path) -> list[dict[str, Any]]:
    """One row per indexed document: source, title, type, chunks, date indexed, hash prefix, scrubbed counts."""
    rows = []
    for source, entry in sorted(manifest.documents.items()):
        scrubbed = entry.get("scrubbed", {}) or {}
        rows.append(
            {
                "source": source,
                "title": entry.get("title", ""),
                "doc_type": entry.get("doc_type", ""),
                "chunks": len(entry.get("chunk_ids", [])),
                "indexed_at": entry.get("indexed_at", ""),
                "hash": str(entry.get("hash", ""))[:12],
                "scrubbed": ", ".join(f"{kind} {count}" for kind, count in sorted(scrubbed.items())),
                "upload": is_upload(entry, uploads_dir),
            }
        )
    return rows


def jurisdictions(manifest: Manifest | None) -> list[str]:
    """The distinct jurisdictions of the indexed documents, for the chat's filter."""
    if manifest is None:
        return []
    return sorted({str(doc.get("jurisdiction")) for doc in manifest.documents.values() if doc.get("jurisdiction")})
