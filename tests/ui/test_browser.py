"""One real-browser test: the app served as `make run` serves it, driven in headless Chromium through a question."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.app_bench import free_port, wait_healthy
from core.settings import PROJECT_ROOT
from tests.ui.conftest import COVERED_QUESTION, GROUNDED_REPLY, PASSWORD, AppEnv

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def server(app_env: AppEnv):
    """The app as `make run` starts it (app.serve, launched by tests.ui.fake_app to build it on the fakes) on a free
    loopback port, with the test profile of ``app_env``."""
    port = free_port()
    replies = app_env.root / "replies.json"
    replies.write_text(json.dumps([GROUNDED_REPLY]), encoding="utf-8")
    command = [sys.executable, "-m", "tests.ui.fake_app", str(replies), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true"]  # fmt: skip
    log = (app_env.root / "streamlit.log").open("wb")
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_sign_in_ask_and_see_a_source_card(app_env: AppEnv, server: str) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium package")
    from playwright.sync_api import expect, sync_playwright

    app_env.add_user("judy", "judge")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(server)
            page.get_by_role("textbox", name="Username").fill("judy")
            page.get_by_role("textbox", name="Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()

            chat = page.get_by_placeholder("Ask a question about law, case law or procedures…")
            expect(chat).to_be_visible(timeout=30_000)
            expect(page.get_by_text("Signed in as")).to_be_visible()
            chat.fill(COVERED_QUESTION)
            chat.press("Enter")

            label = "Generated answer — each sentence is supported by the quoted source"
            expect(page.get_by_text(label)).to_be_visible(timeout=60_000)
            # (the collapsed status box above the answer also names the source, hidden)
            card = page.get_by_text("Test Directive on trafficking in children").filter(visible=True).first
            expect(card).to_be_visible()
            expect(page.locator("mark").first).to_contain_text("consent of a child victim")
            expect(page.get_by_text("Source text").first).to_be_visible()
            page.wait_for_timeout(500)  # let the status box finish collapsing before the picture
            page.screenshot(path=str(ARTIFACTS / "browser_chat.png"), full_page=True)
        finally:
            browser.close()
    assert (ARTIFACTS / "browser_chat.png").stat().st_size > 10_000


def _sign_in(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("textbox", name="Username").fill(name)
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_refresh_keeps_the_sign_in_and_the_conversation_and_no_one_else_sees_it(app_env: AppEnv, server: str) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium package")
    from playwright.sync_api import expect, sync_playwright

    app_env.add_user("judy", "judge")
    app_env.add_user("frank", "frontline")
    label = "Generated answer — each sentence is supported by the quoted source"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(server)
            _sign_in(page, "judy")
            chat = page.get_by_placeholder("Ask a question about law, case law or procedures…")
            expect(chat).to_be_visible(timeout=30_000)
            chat.fill(COVERED_QUESTION)
            chat.press("Enter")
            expect(page.get_by_text(label)).to_be_visible(timeout=60_000)
            page.wait_for_url("**conversation=*", timeout=10_000)
            judys_link = page.url

            page.reload()  # a new browser session: signed in again from the cookie, the conversation reopened
            expect(page.get_by_text("Signed in as")).to_be_visible(timeout=30_000)
            expect(page.get_by_text(label)).to_be_visible(timeout=30_000)
            expect(page.get_by_text(COVERED_QUESTION).first).to_be_visible()

            page.get_by_role("button", name="Sign out").click()
            expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=30_000)
            page.reload()  # the cookie is gone and its token revoked
            expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=30_000)

            _sign_in(page, "frank")
            expect(page.get_by_text("Signed in as")).to_be_visible(timeout=30_000)
            expect(page.get_by_text(COVERED_QUESTION)).to_have_count(0)
            page.goto(judys_link)
            expect(page.get_by_text("That conversation does not exist or is not yours")).to_be_visible(timeout=30_000)
            expect(page.get_by_text(label)).to_have_count(0)
        finally:
            browser.close()
