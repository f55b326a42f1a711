"""llama.cpp's own server (``llama-server``) with parallel slots, started and stopped by the project.

One in-process model answers one question at a time; ``llama-server --parallel N`` decodes N replies together
(continuous batching), so twenty users do not queue behind each other. The binary is built from the llama.cpp sources
of the pinned llama-cpp-python by ``make llama-server``. ``python -m rag.llm_server`` (``make serve-llm``) runs it in
the foreground; the app and the load test start it themselves when ``llm.server.start`` is true.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

from core.errors import ModelUnavailableError, SafeBordersError
from core.models import smollm_gguf_path
from core.settings import PROJECT_ROOT, LLMSettings, load_settings

DEFAULT_BINARY = PROJECT_ROOT / ".venv" / "bin" / "llama-server"
SERVED_ALIAS = "served"
_START_TIMEOUT_S = 180.0


def server_binary(settings: LLMSettings) -> Path:
    """The llama-server executable the settings name, or the one `make llama-server` builds."""
    binary = settings.server.binary or DEFAULT_BINARY
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        raise ModelUnavailableError(f"{binary}: llama-server is not built; run `make llama-server`")
    return binary


def server_command(settings: LLMSettings) -> list[str]:
    """The llama-server command line: one context per slot, each the size ``llm.context_tokens`` asks for."""
    server = settings.server
    model = settings.model_path or smollm_gguf_path()
    command = [
        str(server_binary(settings)),
        "--model", str(model),
        "--alias", SERVED_ALIAS,
        "--host", "127.0.0.1",
        "--port", str(server.port),
        "--parallel", str(server.parallel),
        "--ctx-size", str(settings.context_tokens * server.parallel),
        "--cont-batching",
        # Threads sleep between steps instead of spinning: beside an index build or the app sharing the cores, a
        # spinning pool wrote 4 tokens/s where a sleeping one wrote 70 (same machine, same prompt).
        "--poll", "0",
        "--no-webui",
    ]  # fmt: skip
    if server.threads:
        command += ["--threads", str(server.threads)]
    return command


def served(settings: LLMSettings) -> LLMSettings:
    """The generator settings that answer through the started server (budgets stay those of the served model)."""
    return settings.model_copy(update={"backend": "openai", "url": settings.server.url, "model": SERVED_ALIAS})


class ModelServer:
    """A llama-server process on the loopback: ``with ModelServer(settings): ...`` starts it and waits until it
    answers, and stops it on the way out (also when the start fails)."""

    def __init__(self, settings: LLMSettings, log: Path | None = None) -> None:
        self.settings = settings
        self._log = log
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> ModelServer:
        command = server_command(self.settings)
        output = self._log.open("ab") if self._log else subprocess.DEVNULL
        try:
            self._process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        finally:
            if self._log:
                output.close()  # type: ignore[union-attr]
        try:
            self._wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self) -> None:
        import httpx  # as in rag.generate: not imported with the generators, only when a server is started

        url = self.settings.server.url.removesuffix("/v1") + "/health"
        deadline = time.monotonic() + _START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                raise ModelUnavailableError(
                    f"llama-server exited with status {self._process.returncode} on port {self.settings.server.port}"
                    " (is the port taken? see its log)"
                )
            try:
                if httpx.get(url, timeout=2.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        raise ModelUnavailableError(f"llama-server did not become ready on {url} within {_START_TIMEOUT_S:g} s")

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def __enter__(self) -> ModelServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


def main() -> int:
    """``make serve-llm``: the model server in the foreground, with the settings' slots, until Ctrl-C."""
    try:
        settings = load_settings().llm
        command = server_command(settings)
    except SafeBordersError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"llama-server: {settings.server.parallel} slots on {settings.server.url}", flush=True)
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
