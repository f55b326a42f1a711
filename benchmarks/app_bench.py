"""The app as a user meets it: the server `make run` starts (python -m app.serve) over a built index, the default
models, a real browser.

Measured (issue 17's targets): from starting the server process to the first answer on screen (≤ 20 s on the
2-core machine), with when its sources appear; then, in the same conversation, each later question's time from
pressing Enter to its sources and to the draft's first words on screen (median ≤ 2 s), and to the checked answer.
Reference from the same run: the same later questions' time to first token through the service alone
(``Assistant.ask_stream`` in this process, models warm), so the ratio shows what the page adds. The server's
peak resident memory is read from /proc (VmHWM) at the end.

Needs Debian's chromium and Playwright's Python package (both installed by `make setup` / .ci/run).
Usage: python -m benchmarks.app_bench   (also run by `make bench`)
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from benchmarks.helpers import peak_rss_mb
from core.settings import CONFIG_ENV, PROJECT_ROOT, Settings

CHROMIUM = Path("/usr/bin/chromium")
TREATIES = ("palermo_protocol_2000.md", "coe_convention_cets197_2005.md", "un_convention_rights_of_the_child_1989.md")
FIRST_QUESTION = "What assistance must states give to victims of trafficking in persons?"
LATER_QUESTIONS = (
    "Is the consent of a child victim relevant?",
    "How long is the recovery and reflection period for victims?",
    "Can a victim be punished for offences she was compelled to commit?",
)
USER, PASSWORD = "bench", "staple horse battery 2026"
STEP_TIMEOUT_MS = 300_000  # one question's sources, first words or complete answer
FIRST_ANSWER_TARGET_S = 20.0
FIRST_TOKEN_TARGET_S = 2.0
# Markers in the assistant's reply number N (0-based) of the chat page while it streams: the captions naming the
# sources the draft is written from, then the draft's first words (markdown outside captions, buttons' labels and
# the status box).
_REPLY = """const replies = [...document.querySelectorAll('[data-testid="stChatMessage"]')]
  .filter(m => m.querySelector('[data-testid="stChatMessageAvatarAssistant"]')); const reply = replies[n];"""
SOURCES_SHOWN_JS = f"""n => {{ {_REPLY}
  const captions = reply ? [...reply.querySelectorAll('[data-testid="stCaptionContainer"]')] : [];
  return captions.some(c => c.innerText.includes('Writing a draft answer')); }}"""
FIRST_WORDS_JS = f"""n => {{ {_REPLY}
  const texts = reply ? [...reply.querySelectorAll('[data-testid="stMarkdownContainer"]')] : [];
  return texts.some(m => m.innerText.trim().length > 0
    && !m.closest('[data-testid="stCaptionContainer"], [data-testid="stExpander"], button')); }}"""
# Each finished exchange gets its export button, whether answered or abstained.
ANSWERED_JS = f"""n => {{ {_REPLY} return !!reply && !!reply.querySelector('[data-testid="stDownloadButton"]'); }}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, server: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"streamlit did not answer at {url} within {seconds} s")


def _profile(root: Path, settings: Settings) -> Path:
    """A settings file like the default one, with the index and data folders under ``root``."""
    profile = {
        "paths": {"knowledge_base": str(root / "kb"), "index": str(root / "index"), "data": str(root / "data")},
        "embedder": settings.embedder.model_dump(mode="json"),
        "llm": settings.llm.model_dump(mode="json"),
        "app": {"language": "en"},
    }
    path = root / "profile.yaml"
    path.write_text(yaml.safe_dump(profile), encoding="utf-8")
    return path


def _browse(url: str, started: float) -> dict[str, Any]:
    """Sign in, ask the first question, then the later ones in the same conversation; times as seen in the page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        try:
            page, chat = _signed_in(browser, url)
            signed_in = time.time()
            first = _ask(page, chat, FIRST_QUESTION, 0)
            later = [_ask(page, chat, question, number) for number, question in enumerate(LATER_QUESTIONS, start=1)]
        finally:
            browser.close()
    words = [clock["words"] - clock["asked"] for clock in later if "words" in clock]
    return {
        "app_signed_in_after_start_s": round(signed_in - started, 2),
        "app_first_sources_after_start_s": round(first["sources"] - started, 2),
        "app_first_answer_s": round(first["answered"] - started, 2),
        "app_later_sources_s": [round(clock["sources"] - clock["asked"], 2) for clock in later],
        "app_later_first_words_s": [round(value, 2) for value in words],
        "app_later_first_words_median_s": round(statistics.median(words), 2) if words else None,
        "app_later_answer_s": [round(clock["answered"] - clock["asked"], 2) for clock in later],
    }


def _signed_in(browser: Any, url: str) -> tuple[Any, Any]:
    """A new page signed in as the benchmark user, and its chat input."""
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(url)
    page.get_by_role("textbox", name="Username").fill(USER)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    chat = page.get_by_placeholder("Ask a question about law, case law or procedures…")
    expect(chat).to_be_visible(timeout=60_000)
    return page, chat


def _ask(page: Any, chat: Any, question: str, number: int) -> dict[str, float]:
    """Ask the conversation's question ``number`` (0-based); the clocks when it was asked, when its sources show,
    when the draft's first words show (absent if the reply had no draft: declined) and when the reply is complete."""
    chat.fill(question)
    clocks = {"asked": time.time()}
    chat.press("Enter")
    page.wait_for_function(SOURCES_SHOWN_JS, arg=number, timeout=STEP_TIMEOUT_MS, polling=50)
    clocks["sources"] = time.time()
    either = f"n => ({FIRST_WORDS_JS})(n) || ({ANSWERED_JS})(n)"
    page.wait_for_function(either, arg=number, timeout=STEP_TIMEOUT_MS, polling=50)
    if page.evaluate(f"n => !({ANSWERED_JS})(n)", number):
        clocks["words"] = time.time()
        page.wait_for_function(ANSWERED_JS, arg=number, timeout=STEP_TIMEOUT_MS, polling=100)
    clocks["answered"] = time.time()
    return clocks


def _service_ttft(settings: Settings, index_dir: Path, questions: Sequence[str]) -> list[float]:
    """The same later questions' time to first token through the service in this process (models warm)."""
    from rag.service import Assistant

    assistant = Assistant.from_settings(settings, index_dir=index_dir)
    assistant.warm_up()
    assistant.ask(FIRST_QUESTION)  # the same first question as in the browser, so the same prompt cache state
    timings = []
    for question in questions:
        started = time.perf_counter()
        stream = assistant.ask_stream(question)
        for _ in stream:
            timings.append(time.perf_counter() - started)
            break
        for _ in stream:
            pass
    return timings


def run(settings: Settings) -> dict[str, Any]:
    """Build a treaty index (not timed), start the app on it, drive it in Chromium, then measure the reference."""
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} not found: install Debian's chromium package (make setup does)")
    from app.accounts import UserStore
    from benchmarks.answer_bench import build_treaty_index

    with tempfile.TemporaryDirectory(prefix="bench-app-") as tmp:
        root = Path(tmp)
        profile = _profile(root, settings)
        from core.settings import load_settings

        app_settings = load_settings(profile)
        build_treaty_index(app_settings, app_settings.index_dir, TREATIES)
        UserStore.in_folder(app_settings.data_dir).add_user(USER, "judge", PASSWORD)

        port = free_port()
        url = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "app.serve", "--server.port", str(port),
                   "--server.address", "127.0.0.1", "--server.headless", "true"]  # fmt: skip
        env = {**os.environ, CONFIG_ENV: str(profile)}
        log = (root / "streamlit.log").open("wb")
        started = time.time()
        server = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_healthy(url, server)
            report = {"app_health_s": round(time.time() - started, 2), **_browse(url, started)}
            report["app_peak_rss_mb"] = round(peak_rss_mb(server.pid), 1)
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()
        service = _service_ttft(app_settings, app_settings.index_dir, LATER_QUESTIONS)
    report["service_ttft_s"] = [round(value, 2) for value in service]
    report["service_ttft_median_s"] = round(statistics.median(service), 2)
    report["app_first_answer_target_s"] = FIRST_ANSWER_TARGET_S
    report["app_first_answer_met"] = report["app_first_answer_s"] <= FIRST_ANSWER_TARGET_S
    report["app_ttft_target_s"] = FIRST_TOKEN_TARGET_S
    in_page = report["app_later_first_words_median_s"]
    report["app_ttft_met"] = in_page is not None and in_page <= FIRST_TOKEN_TARGET_S
    report["app_to_service_ttft_ratio"] = (
        round(in_page / report["service_ttft_median_s"], 2) if in_page and report["service_ttft_median_s"] else None
    )
    return report


def main(argv: Sequence[str] | None = None) -> int:
    from core.settings import load_settings

    print(json.dumps(run(load_settings()), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
