"""The model server the project starts: its command line, the settings that answer through it, back-pressure."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.errors import ModelBusyError, ModelUnavailableError
from core.settings import LLMSettings, ModelServerSettings
from rag.generate import OpenAICompatibleGenerator, make_generator
from rag.llm_server import SERVED_ALIAS, ModelServer, served, server_command

CHAT = [{"role": "user", "content": "hello"}]


@pytest.fixture
def binary(tmp_path: Path) -> Path:
    path = tmp_path / "llama-server"
    path.write_text("#!/bin/sh\nexit 3\n")
    path.chmod(0o755)
    return path


def _settings(binary: Path, **server: object) -> LLMSettings:
    return LLMSettings(server=ModelServerSettings(start=True, binary=binary, **server), context_tokens=2048)


def test_the_command_gives_every_slot_its_own_context(binary: Path) -> None:
    command = server_command(_settings(binary, parallel=8, port=9123, threads=2))
    assert command[0] == str(binary)
    assert command[command.index("--parallel") + 1] == "8"
    assert command[command.index("--ctx-size") + 1] == str(8 * 2048)
    assert command[command.index("--port") + 1] == "9123"
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert "--cont-batching" in command
    assert command[command.index("--model") + 1].endswith(".gguf")


def test_a_missing_binary_is_one_line_saying_how_to_build_it(tmp_path: Path) -> None:
    settings = _settings(tmp_path / "absent")
    with pytest.raises(ModelUnavailableError, match=r"absent: llama-server is not built; run `make llama-server`"):
        server_command(settings)


def test_a_server_that_exits_at_start_is_reported_with_its_port(binary: Path) -> None:
    with pytest.raises(ModelUnavailableError, match=r"exited with status 3 on port 9124"):
        ModelServer(_settings(binary, port=9124)).start()


def test_answers_through_the_server_keep_the_shipped_models_budgets(binary: Path) -> None:
    settings = _settings(binary, port=9125)
    through = served(settings)
    assert through.backend == "openai" and through.url == "http://127.0.0.1:9125/v1" and through.model == SERVED_ALIAS
    assert through.shipped_model and through.reply_tokens == 128 and through.evidence_budget == 200
    generator = make_generator(settings)
    assert isinstance(generator, OpenAICompatibleGenerator)
    assert generator.name == f"openai/{SERVED_ALIAS}@http://127.0.0.1:9125/v1"


def test_an_external_server_has_no_shipped_budgets() -> None:
    external = LLMSettings(backend="openai", url="http://gpu-box:8000/v1")
    assert not external.shipped_model and external.reply_tokens == 512


def _sse(text: str) -> bytes:
    return f'data: {{"choices": [{{"delta": {{"content": "{text}"}}}}]}}\n\ndata: [DONE]\n\n'.encode()


@pytest.mark.parametrize("own_server", [True, False])
def test_beyond_slots_and_queue_a_question_is_refused_at_once(own_server: bool) -> None:
    release = threading.Event()
    started = threading.Semaphore(0)

    def slow(request: httpx.Request) -> httpx.Response:
        started.release()
        release.wait(10)
        return httpx.Response(200, content=_sse("ok"))

    server = ModelServerSettings(parallel=1, queue=1, start=own_server)
    settings = LLMSettings(backend="openai", url="http://x/v1", server=server)
    generator = OpenAICompatibleGenerator(settings, transport=httpx.MockTransport(slow))
    replies: list[str] = []

    def ask() -> None:
        replies.append("".join(generator.stream(CHAT, max_tokens=8, temperature=0.0)))

    held = [threading.Thread(target=ask) for _ in range(2)]
    for thread in held:
        thread.start()
    assert started.acquire(timeout=10)
    # At the project's own server the second question waits here for the one slot, not in the server's queue (where
    # its read timeout would run); another server's slots are unknown, so it is sent at once.
    assert started.acquire(timeout=0.3) is not own_server
    with pytest.raises(ModelBusyError, match=r"busy \(2 questions being answered or waiting\); ask again"):
        next(iter(generator.stream(CHAT, max_tokens=8, temperature=0.0)))
    release.set()
    if own_server:
        assert started.acquire(timeout=10)  # sent once the first left its slot
    for thread in held:
        thread.join(10)
    assert replies == ["ok", "ok"]
    assert "".join(generator.stream(CHAT, max_tokens=8, temperature=0.0)) == "ok"  # the places were given back


def test_a_loading_server_is_busy_not_broken() -> None:
    def loading(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503, json={"error": {"message": "Loading model"}})

    generator = OpenAICompatibleGenerator(
        LLMSettings(backend="openai", url="http://x/v1"), transport=httpx.MockTransport(loading)
    )
    stream: Iterator[str] = generator.stream(CHAT, max_tokens=8, temperature=0.0)
    with pytest.raises(ModelBusyError, match="is loading or full .*Loading model"):
        next(stream)
