"""llama.cpp's own server (built by `make llama-server`), really started: parallel slots decode together."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from core.settings import LLMSettings, ModelServerSettings, Settings, load_settings
from rag.generate import make_generator
from rag.llm_server import ModelServer
from tests.conftest import TEST_CONFIG
from tests.integration.support import child_law_assistant

pytestmark = [pytest.mark.server, pytest.mark.slow]

SLOTS = 4


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _llm(port: int) -> LLMSettings:
    return LLMSettings(
        context_tokens=1024, server=ModelServerSettings(start=True, parallel=SLOTS, port=port, threads=2)
    )


def _stream(llm: LLMSettings, number: int, spans: dict[int, tuple[float, float, str]]) -> None:
    generator = make_generator(llm)
    messages = [{"role": "user", "content": f"Count from {number} to {number + 30}, one number per line."}]
    first, text = 0.0, []
    for delta in generator.stream(messages, max_tokens=48, temperature=0.0):
        if not text:
            first = time.monotonic()
        text.append(delta)
    spans[number] = (first, time.monotonic(), "".join(text))


def test_parallel_slots_decode_several_replies_at_once() -> None:
    llm = _llm(_free_port())
    spans: dict[int, tuple[float, float, str]] = {}
    with ModelServer(llm):
        threads = [threading.Thread(target=_stream, args=(llm, n, spans)) for n in range(SLOTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    assert sorted(spans) == list(range(SLOTS)), "every stream finished"
    assert all(text.strip() for _, _, text in spans.values())
    # Continuous batching: every reply had begun before any reply ended (one model in process would serialise them).
    assert max(first for first, _, _ in spans.values()) < min(last for _, last, _ in spans.values())


def test_the_assistant_answers_through_the_server_it_was_given(tmp_path: Path) -> None:
    llm = _llm(_free_port())
    settings: Settings = load_settings(TEST_CONFIG, paths={"index": tmp_path / "index"})
    settings = settings.model_copy(update={"llm": llm})
    assistant = child_law_assistant(settings, tmp_path)
    with ModelServer(llm):
        answer = assistant.ask("Is the consent of a child victim of trafficking relevant?")
    assert answer.model == f"openai/served@{llm.server.url}"
    assert not answer.abstained and answer.evidence[0].section.startswith("Article 3")
    assert answer.answer.strip()


def test_a_question_beyond_every_slot_and_the_queue_gets_quotations_at_once(tmp_path: Path) -> None:
    server = ModelServerSettings(start=True, parallel=1, queue=0, port=_free_port(), threads=2)
    llm = LLMSettings(context_tokens=1024, server=server)
    settings: Settings = load_settings(TEST_CONFIG, paths={"index": tmp_path / "index"})
    assistant = child_law_assistant(settings.model_copy(update={"llm": llm}), tmp_path)
    question = "Is the consent of a child victim of trafficking relevant?"
    with ModelServer(llm):
        writing = assistant.ask_stream(question)
        tokens = iter(writing)
        next(tokens)  # the one slot is writing this answer (its first token is out)
        waiting = assistant.ask(question)
        for _ in tokens:
            pass
    assert writing.result is not None and writing.result.model.startswith("openai/served@")
    assert waiting.extractive and waiting.model == "" and waiting.citations
    assert waiting.notice is not None and waiting.notice.key == "notice_model_busy"
    assert waiting.answer.startswith("The model is busy answering other users")
