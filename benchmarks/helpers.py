"""Helpers the benchmarks share: percentiles, peak memory, and multiplying real chunks into large synthetic indexes."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ingestion.documents import chunk_id

_SENTENCE_END = re.compile(r"(?<=[.;:])\s+")


def peak_rss_mb(pid: int | str = "self") -> float:
    """A process's peak resident memory in MB (VmHWM): it starts afresh at exec, whereas ``ru_maxrss`` keeps the
    high-water mark of the parent that forked the process."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation between closest ranks, as numpy's default.

    Raises:
        ValueError: no values, or q outside 0-100.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} outside 0-100")
    ordered = sorted(values)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def vary_text(text: str, copy: int) -> str:
    """Copy ``copy`` of a chunk text: copy 0 is the text itself; others shuffle the body's sentences.

    The heading (everything before the first blank line) stays first, as it does in real chunks, and
    " (copy k)" is appended so that no two copies are the same text. The shuffle is seeded by ``copy``.
    """
    if copy == 0:
        return text
    head, separator, body = text.partition("\n\n")
    if not separator:
        head, body = "", text
    sentences = [s for s in _SENTENCE_END.split(body) if s]
    random.Random(copy).shuffle(sentences)
    shuffled = " ".join(sentences)
    return (f"{head}\n\n{shuffled}" if head else shuffled) + f" (copy {copy})"


def multiply_records(bases: Sequence[dict[str, Any]], n: int) -> list[tuple[int, int, dict[str, Any]]]:
    """``n`` chunk records made by cycling ``bases``; returns (base index, copy number, record) triples.

    Copy 0 of each base is the real chunk. Later copies are filed as commentaries of their own (source
    ``bench-copies/<k>/<source>``, doc_type "handbook", title "<title> (copy k)"): a large knowledge base holds
    many documents about the treaties, not thousands of copies of the treaties themselves, and the retriever's
    instrument scoping would otherwise search hundreds of "Palermo Protocols".
    """
    if not bases:
        raise ValueError("no base chunks to multiply")
    records: list[tuple[int, int, dict[str, Any]]] = []
    for position in range(n):
        base_index, copy = position % len(bases), position // len(bases)
        base = bases[base_index]
        record = dict(base)
        if copy:
            record["text"] = vary_text(base["text"], copy)
            record["source"] = f"bench-copies/{copy:05d}/{base['source']}"
            record["title"] = f"{base['title']} (copy {copy})"
            record["doc_type"] = "handbook"
        record["id"] = chunk_id(record["source"], int(record["ordinal"]), record["text"])
        records.append((base_index, copy, record))
    return records


def perturb(vectors: np.ndarray, copy: int, scale: float = 0.01) -> np.ndarray:
    """Unit vectors near ``vectors`` (rows): Gaussian noise of ``scale`` per dimension, seeded by ``copy``.

    Copy 0 is returned unchanged (re-normalised). With 384 dimensions a scale of 0.01 keeps each copy at a
    cosine of about 0.98 from its original, close to how paraphrases of one passage embed.
    """
    matrix = np.asarray(vectors, dtype=np.float32)
    if copy:
        noise = np.random.default_rng(copy).normal(0.0, scale, size=matrix.shape).astype(np.float32)
        matrix = matrix + noise
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)
