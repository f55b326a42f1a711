"""Time to first token and tokens/s through our chain (Assistant.ask_stream) against raw llama.cpp on the same prompt.

The chain runs the default settings' model over a small index of the Palermo Protocol; a recording wrapper keeps
the messages the Answerer sent, and a second llama_cpp.Llama with the same file, context and threads streams
them with create_chat_completion. Both instances see the same sequence of prompts (a warm-up, then the measured
questions), so llama.cpp's prompt-prefix reuse helps both equally. Tokens are the streamed text deltas, counted
the same way on both sides; tokens/s is the decode rate after the first token.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.settings import Settings
from ingestion.pipeline import build_index, make_components

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
PALERMO = "palermo_protocol_2000.md"
WARM_UP = "What is the purpose of the Protocol against trafficking in persons?"
QUESTIONS = (
    "Does the consent of a victim of trafficking matter if threats or deception were used?",
    "What assistance and protection must states offer to victims of trafficking?",
    "What must states do at their borders to prevent trafficking in persons?",
)


def build_treaty_index(settings: Settings, index_dir: Path, names: Sequence[str] = (PALERMO,)) -> None:
    """Index some of the treaties in ../shared/corpus as legislation, with the real components."""
    with tempfile.TemporaryDirectory(prefix="bench-src-") as tmp:
        for name in names:
            shutil.copy(CORPUS / name, Path(tmp) / name)
        build_index([Path(tmp)], index_dir, settings, make_components(settings), doc_type="legislation")


class RecordingGenerator:
    """Wraps the real generator and keeps the messages of its last call (and its tokenizer for prompt fitting)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.messages: list[dict[str, str]] = []

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.inner, attribute)  # warm_up, count_tokens

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float) -> Iterator[str]:
        self.messages = [dict(message) for message in messages]
        yield from self.inner.stream(messages, max_tokens=max_tokens, temperature=temperature)


@dataclass
class Timing:
    first_token_s: float
    tokens: int
    decode_s: float  # from the first token to the last

    @property
    def tokens_per_s(self) -> float:
        return (self.tokens - 1) / self.decode_s if self.tokens > 1 and self.decode_s > 0 else 0.0


def _consume(tokens: Iterator[str], started: float) -> tuple[Timing, float]:
    """Time a stream of text deltas; returns the timing and the clock at the last token."""
    first = last = None
    count = 0
    for _ in tokens:
        last = time.perf_counter()
        first = first or last
        count += 1
    if first is None or last is None:
        raise RuntimeError("the model produced no tokens; the benchmark question must be covered by the index")
    return Timing(first - started, count, last - first), last


def _raw_deltas(llama: Any, messages: list[dict[str, str]], settings: Settings) -> Iterator[str]:
    for chunk in llama.create_chat_completion(
        messages=messages, stream=True, max_tokens=settings.llm.reply_tokens, temperature=settings.llm.temperature
    ):
        content = chunk["choices"][0]["delta"].get("content")
        if content:
            yield content


def _raw_llama(settings: Settings) -> Any:
    import llama_cpp

    from core.models import smollm_gguf_path

    path = Path(settings.llm.model_path) if settings.llm.model_path else smollm_gguf_path()
    return llama_cpp.Llama(
        model_path=str(path),
        n_ctx=settings.llm.context_tokens,
        n_threads=settings.llm.threads or os.cpu_count(),
        flash_attn=True,  # as LlamaCppGenerator
        verbose=False,
    )


def run(settings: Settings, *, quick: bool = False) -> dict[str, Any]:
    from core.embedders import make_embedder
    from core.store import ChromaStore
    from rag.generate import make_generator
    from rag.service import Assistant

    if settings.llm.backend != "llama_cpp":
        raise SystemExit("the answer benchmark compares against llama.cpp in process: set llm.backend to llama_cpp")
    questions = QUESTIONS[:1] if quick else QUESTIONS
    with tempfile.TemporaryDirectory(prefix="bench-answer-") as tmp:
        index_dir = Path(tmp) / "index"
        build_treaty_index(settings, index_dir)
        recorder = RecordingGenerator(make_generator(settings.llm))
        assistant = Assistant(
            settings,
            embedder=make_embedder(settings.embedder),
            generator=recorder,
            store=ChromaStore(settings.vector_store),
            index_dir=index_dir,
        )
        assistant.warm_up()
        raw = _raw_llama(settings)

        chain: list[Timing] = []
        direct: list[Timing] = []
        retrieval_s: list[float] = []
        grounding_s: list[float] = []
        for position, question in enumerate((WARM_UP, *questions)):
            started = time.perf_counter()
            stream = assistant.ask_stream(question)
            returned = time.perf_counter()
            timing, last = _consume(iter(stream), started)
            finished = time.perf_counter()  # the stream runs grounding after its last token
            raw_started = time.perf_counter()
            raw_timing, _ = _consume(_raw_deltas(raw, recorder.messages, settings), raw_started)
            if position == 0:
                continue  # warm-up: first prompt evaluation and graph allocations on both instances
            chain.append(timing)
            direct.append(raw_timing)
            retrieval_s.append(returned - started)
            grounding_s.append(finished - last)

    ttft = statistics.median(t.first_token_s for t in chain)
    raw_ttft = statistics.median(t.first_token_s for t in direct)
    return {
        "answer_model": recorder.name,
        "answer_runs": len(chain),
        "answer_tokens": round(statistics.mean(t.tokens for t in chain), 1),
        "raw_tokens": round(statistics.mean(t.tokens for t in direct), 1),
        "ttft_s": round(ttft, 3),
        "tokens_per_s": round(statistics.median(t.tokens_per_s for t in chain), 1),
        "raw_ttft_s": round(raw_ttft, 3),
        "raw_tokens_per_s": round(statistics.median(t.tokens_per_s for t in direct), 1),
        "chain_overhead_s": round(ttft - raw_ttft, 3),
        "answer_retrieval_s": round(statistics.median(retrieval_s), 3),
        "answer_grounding_s": round(statistics.median(grounding_s), 3),
    }
