"""Deterministic stand-ins for the heavy components, for fast unit tests."""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence

from langchain_core.embeddings import Embeddings

from ingestion.documents import ScrubbedSpan, ScrubResult
from ingestion.pseudonyms import Detection

_WORD = re.compile(r"\w+")


class HashEmbedder(Embeddings):
    """Bag-of-words vectors from hashed tokens: texts sharing words are close, as with a real model."""

    name = "fake/hash-64"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim
        self.calls = 0
        self.texts_embedded = 0

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dim
        for token in _WORD.findall(text.lower()):
            bucket = int(hashlib.md5(token.encode()).hexdigest(), 16) % self.dim
            vector[bucket] += 1.0
        norm = math.sqrt(sum(x * x for x in vector)) or 1.0
        return [x / norm for x in vector] if any(vector) else [1.0 / math.sqrt(self.dim)] * self.dim

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        self.texts_embedded += len(texts)
        return [self._vector(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


class KeywordScrubber:
    """Replaces a fixed list of names with consistent placeholders, like the real scrubber's contract."""

    def __init__(self, names: Sequence[str] = ("Maria Rossi", "Rossi", "Ion Popescu")) -> None:
        self.names = sorted(names, key=len, reverse=True)
        self.calls = 0

    def scrub(self, texts: Sequence[str], language: str = "en") -> ScrubResult:
        self.calls += 1
        table: dict[str, str] = {}
        counts: Counter[str] = Counter()
        out_texts, out_spans = [], []
        pattern = re.compile("|".join(re.escape(name) for name in self.names))
        for text in texts:
            spans: list[ScrubbedSpan] = []
            pieces: list[str] = []
            last = 0
            for match in pattern.finditer(text):
                key = match.group().split()[-1]
                placeholder = table.setdefault(key, f"<PERSON_{len(table) + 1}>")
                pieces.append(text[last : match.start()])
                start = sum(len(p) for p in pieces)
                pieces.append(placeholder)
                spans.append(ScrubbedSpan(start, start + len(placeholder), "PERSON", placeholder))
                counts["PERSON"] += 1
                last = match.end()
            pieces.append(text[last:])
            out_texts.append("".join(pieces))
            out_spans.append(spans)
        return ScrubResult(out_texts, out_spans, dict(counts))

    def detect(self, texts: Sequence[str], language: str = "en") -> list[list[Detection]]:
        """Where the names are, page by page (what the keyed scrubber of case workspaces reads)."""
        pattern = re.compile("|".join(re.escape(name) for name in self.names))
        return [[Detection(m.start(), m.end(), "PERSON") for m in pattern.finditer(text)] for text in texts]


class ReplayGenerator:
    """A generator that replays canned replies word by word, at most ``max_tokens`` words as a model stops at its
    budget, and records the chats it was given."""

    name = "fake/replay"

    def __init__(self, replies: Sequence[str] = ("",)) -> None:
        self.replies = list(replies)
        self.prompts: list[list[dict[str, str]]] = []
        self.max_tokens: list[int] = []

    @property
    def calls(self) -> int:
        return len(self.prompts)

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float) -> Iterator[str]:
        reply = self.replies[min(len(self.prompts), len(self.replies) - 1)]
        self.prompts.append([dict(message) for message in messages])
        self.max_tokens.append(max_tokens)
        yield from re.findall(r"\s*\S+", reply)[:max_tokens]
