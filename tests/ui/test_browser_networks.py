"""Real browser: a judge opens the Networks page, sees the graph and the linked cases, and picks a node."""

from __future__ import annotations

import pytest

from tests.ui.conftest import PASSWORD, AppEnv
from tests.ui.test_app_networks import network_env  # noqa: F401  (fixture)
from tests.ui.test_browser import ARTIFACTS, CHROMIUM, server  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_networks_page_in_a_browser(network_env: AppEnv, server: str) -> None:  # noqa: F811
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium package")
    from playwright.sync_api import expect, sync_playwright

    network_env.add_user("judy", "judge")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1400})
            page.goto(server)
            page.get_by_role("textbox", name="Username").fill("judy")
            page.get_by_role("textbox", name="Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("link", name="Networks across cases").click()
            expect(page.get_by_role("heading", name="Networks across cases")).to_be_visible(timeout=30_000)
            expect(page.locator("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg").first
                   ).to_be_visible(timeout=30_000)  # fmt: skip
            expect(page.get_by_text("PA-1, TO-2")).to_be_visible()
            expect(page.get_by_text("Documents and sentences behind").first).to_be_visible()
            page.screenshot(path=str(ARTIFACTS / "networks.png"), full_page=True)
        finally:
            browser.close()
