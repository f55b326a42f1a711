"""Scale-out parts really started on loopback: a Chroma server for the index, llama.cpp's OpenAI-compatible server."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.errors import IndexUnavailableError, ModelUnavailableError
from core.models import smollm_gguf_path
from core.settings import Settings, load_settings
from core.store import ChromaStore
from ingestion.pipeline import Components, build_index
from rag.search import open_index
from tests.conftest import TEST_CONFIG
from tests.fakes import HashEmbedder, KeywordScrubber
from tests.integration.support import child_law_assistant

pytestmark = [pytest.mark.server, pytest.mark.slow]

VENV_BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_http(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not come up within {seconds} s")


def _start_chroma(path: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [str(VENV_BIN / "chroma"), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", 60)
    return process


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def chroma_port(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    port = _free_port()
    process = _start_chroma(tmp_path / "chroma-server", port)
    yield port, tmp_path / "chroma-server"
    _stop(process)


def test_index_builds_and_searches_on_a_chroma_server(
    tmp_path: Path, chroma_port: tuple[int, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    port, data = chroma_port
    monkeypatch.setenv("SAFEBORDERS_CHROMA_URL", f"http://127.0.0.1:{port}")
    settings: Settings = load_settings(TEST_CONFIG, paths={"index": tmp_path / "index"})
    components = Components(HashEmbedder(), KeywordScrubber(), ChromaStore(settings.vector_store))
    kb = tmp_path / "kb" / "legislation"
    kb.mkdir(parents=True)
    (kb / "law.md").write_text("# Law\n\nArticle 1 – Scope\nChildren are protected from trafficking.\n")
    report = build_index([tmp_path / "kb"], settings.index_dir, settings, components)
    assert report.count("indexed") == 1
    # the vectors live on the server, not in the index folder
    assert not (settings.index_dir / "generations" / str(report.generation) / "chroma").exists()

    snapshot = open_index(settings.index_dir, components.store, components.embedder.embed_query)
    assert snapshot.dense_search("children trafficking", k=1)[0].section.startswith("Article 1")

    # The server goes away: a clear error, not a traceback; it comes back: the same index serves again.
    _stop_server_on(port)
    with pytest.raises(IndexUnavailableError, match="unreachable"):
        open_index(settings.index_dir, components.store, components.embedder.embed_query).check()
    restarted = _start_chroma(data, port)
    try:
        again = open_index(settings.index_dir, components.store, components.embedder.embed_query)
        assert again.dense_search("children trafficking", k=1)[0].source == "legislation/law.md"
    finally:
        _stop(restarted)


def _stop_server_on(port: int) -> None:
    """Stop whatever `chroma run` listens on the port (the fixture's process)."""
    subprocess.run(["pkill", "-f", f"chroma run .*--port {port}"], check=False)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.2)


def _start_llama_server(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(smollm_gguf_path()), "--host", "127.0.0.1",
         "--port", str(port), "--n_ctx", "4096", "--model_alias", "smollm2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _wait_http(f"http://127.0.0.1:{port}/v1/models", 120)
    return process


def test_answers_through_llama_cpp_openai_server_and_recover_when_it_returns(tmp_path: Path) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/v1"
    settings: Settings = load_settings(
        TEST_CONFIG, paths={"index": tmp_path / "index"}, llm={"backend": "openai", "url": url, "model": "smollm2"}
    )
    assistant = child_law_assistant(settings, tmp_path)
    question = "Is the consent of a child victim of trafficking relevant?"

    server = _start_llama_server(port)
    try:
        answer = assistant.ask(question)
        assert answer.model == f"openai/smollm2@{url}"
        assert not answer.abstained and answer.evidence
        assert answer.evidence[0].section.startswith("Article 3")
        assert answer.answer.strip()
    finally:
        _stop(server)

    # The model server is down: a clear one-line error naming it, not a traceback.
    with pytest.raises(ModelUnavailableError, match="unreachable"):
        assistant.ask(question)

    # It comes back on the same address: the same Assistant answers again, without a restart.
    server = _start_llama_server(port)
    try:
        again = assistant.ask(question)
        assert not again.abstained and again.answer.strip()
    finally:
        _stop(server)
