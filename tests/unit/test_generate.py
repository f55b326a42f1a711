"""Generator backends: lazy llama.cpp with a lock for whole streams, the OpenAI-compatible SSE client, the factory."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import httpx
import llama_cpp
import pytest

from core.errors import ModelUnavailableError
from core.settings import LLMSettings
from rag.generate import (
    LlamaCppGenerator,
    OpenAICompatibleGenerator,
    PromptTooLongError,
    count_tokens,
    make_generator,
)
from tests.fakes import ReplayGenerator

CHAT = [{"role": "user", "content": "hello"}]


class FakeLlama:
    """Stands in for llama_cpp.Llama: streams numbered tokens slowly and logs who is streaming."""

    instances: ClassVar[list[FakeLlama]] = []

    def __init__(self, model_path: str, n_ctx: int, n_threads: int, flash_attn: bool, verbose: bool) -> None:
        self.model_path = model_path
        self.n_ctx = n_ctx
        self.flash_attn = flash_attn
        self.log: list[str] = []
        FakeLlama.instances.append(self)

    def tokenize(self, text: bytes, add_bos: bool = False, special: bool = False) -> list[int]:
        return list(range(len(text.split())))

    def create_chat_completion(self, messages: list[dict[str, str]], **kwargs: Any) -> Iterator[dict[str, Any]]:
        who = messages[-1]["content"]
        if who == "too long":
            raise ValueError(f"Requested tokens (9000) exceed context window of {self.n_ctx}")
        for i in range(5):
            self.log.append(who)
            time.sleep(0.002)  # give the other thread every chance to interleave
            yield {"choices": [{"delta": {"content": f"{who}{i} "}}]}


@pytest.fixture
def gguf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(llama_cpp, "Llama", FakeLlama)
    FakeLlama.instances.clear()
    path = tmp_path / "model.gguf"
    path.write_bytes(b"GGUF")
    return path


def test_factory_picks_the_backend_without_loading_anything(gguf: Path) -> None:
    local = make_generator(LLMSettings(model_path=gguf))
    remote = make_generator(LLMSettings(backend="openai", url="http://127.0.0.1:8080/v1"))
    assert isinstance(local, LlamaCppGenerator) and local.name == "llama.cpp/model.gguf"
    assert isinstance(remote, OpenAICompatibleGenerator)
    assert FakeLlama.instances == []


def test_missing_model_file_names_the_path_and_the_setting(tmp_path: Path) -> None:
    generator = LlamaCppGenerator(LLMSettings(model_path=tmp_path / "absent.gguf"))
    with pytest.raises(ModelUnavailableError) as error:
        list(generator.stream(CHAT, max_tokens=8, temperature=0))
    assert "absent.gguf" in str(error.value) and "SAFEBORDERS_LLM__MODEL_PATH" in str(error.value)


def test_model_loads_once_on_first_use_with_the_settings(gguf: Path) -> None:
    generator = LlamaCppGenerator(LLMSettings(model_path=gguf, context_tokens=1024, threads=2))
    assert "".join(generator.stream(CHAT, max_tokens=8, temperature=0)) == "hello0 hello1 hello2 hello3 hello4 "
    generator.warm_up()
    assert len(FakeLlama.instances) == 1 and FakeLlama.instances[0].n_ctx == 1024


def test_concurrent_streams_do_not_interleave(gguf: Path) -> None:
    generator = LlamaCppGenerator(LLMSettings(model_path=gguf))
    generator.warm_up()
    outputs: dict[str, str] = {}

    def ask(who: str) -> None:
        outputs[who] = "".join(generator.stream([{"role": "user", "content": who}], max_tokens=8, temperature=0))

    threads = [threading.Thread(target=ask, args=(who,)) for who in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    log = FakeLlama.instances[0].log
    assert sorted(log) == ["a"] * 5 + ["b"] * 5
    assert log in (["a"] * 5 + ["b"] * 5, ["b"] * 5 + ["a"] * 5)  # one whole stream, then the other
    assert outputs == {"a": "a0 a1 a2 a3 a4 ", "b": "b0 b1 b2 b3 b4 "}


def test_context_overflow_becomes_prompt_too_long(gguf: Path) -> None:
    generator = LlamaCppGenerator(LLMSettings(model_path=gguf, context_tokens=2048))
    with pytest.raises(PromptTooLongError, match="2048 tokens"):
        list(generator.stream([{"role": "user", "content": "too long"}], max_tokens=8, temperature=0))


def test_token_counts_use_the_tokenizer_when_there_is_one(gguf: Path) -> None:
    assert count_tokens(LlamaCppGenerator(LLMSettings(model_path=gguf)), "one two three") == 3
    assert count_tokens(ReplayGenerator(), "x" * 40) == 10  # ~4 characters per token without one


def _sse(*deltas: str) -> bytes:
    events = [{"choices": [{"delta": {"role": "assistant"}}]}]
    events += [{"choices": [{"delta": {"content": delta}}]} for delta in deltas]
    return ("".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n").encode()


@pytest.mark.parametrize("url", ["http://llm.local:8080", "http://llm.local:8080/", "http://llm.local:8080/v1"])
def test_openai_server_stream_is_parsed(url: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=_sse("Child ", "means ", "under 18 [1]."))

    settings = LLMSettings(backend="openai", url=url, model="smollm", api_key="secret")
    generator = OpenAICompatibleGenerator(settings, transport=httpx.MockTransport(handler))
    assert list(generator.stream(CHAT, max_tokens=32, temperature=0.1)) == ["Child ", "means ", "under 18 [1]."]
    body = json.loads(seen[0].content)
    assert str(seen[0].url) == "http://llm.local:8080/v1/chat/completions"
    assert seen[0].headers["Authorization"] == "Bearer secret"
    assert body == {"model": "smollm", "messages": CHAT, "stream": True, "max_tokens": 32, "temperature": 0.1}


def test_unreachable_server_says_how_to_fix_it() -> None:
    generator = OpenAICompatibleGenerator(LLMSettings(backend="openai", url="http://127.0.0.1:9", timeout_s=5))
    with pytest.raises(ModelUnavailableError) as error:
        list(generator.stream(CHAT, max_tokens=8, temperature=0))
    message = str(error.value)
    assert message.startswith("model server http://127.0.0.1:9 is unreachable (")
    assert message.endswith("start it or unset SAFEBORDERS_LLM_URL")


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (404, "model 'x' not found", ModelUnavailableError),
        (400, "the request exceeds the available context size", PromptTooLongError),
    ],
)
def test_server_errors_are_reported(status: int, body: str, error: type[Exception]) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(status, text=body))
    generator = OpenAICompatibleGenerator(LLMSettings(backend="openai", url="http://llm.local"), transport=transport)
    with pytest.raises(error, match=body[:12]):
        list(generator.stream(CHAT, max_tokens=8, temperature=0))
