"""Every page, its backend failing unexpectedly: one error line, no Streamlit error page, nothing personal logged."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from app import index_view, resources
from app.accounts import UserStore
from app.feedback import FeedbackStore
from tests.ui.conftest import COVERED_QUESTION, AppEnv, signed_in, texts

PERSONAL = "Maria Rossi"


@pytest.fixture(autouse=True)
def through_the_entry_point(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run pages from streamlit_app.py, as a served app does once st.navigation ran.

    AppTest starts every run in Streamlit's older pages/ mode, which runs a page file directly, without the entry
    point that wraps it.
    """
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    original = PagesManager.__init__

    def init(self: PagesManager, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def _fail(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError(f"disk I/O error in /srv/cases/{PERSONAL}.txt")


def _ask(at: AppTest) -> AppTest:
    return at.chat_input[0].set_value(COVERED_QUESTION).run()


def _analyse(at: AppTest) -> AppTest:
    at.text_area(key="case_text").set_value("A girl of fourteen was made to work without pay in a house.")
    return at.button(key="case_run").click().run()


def _change_password(at: AppTest) -> AppTest:
    at.text_input[0].set_value("correct horse battery")
    at.text_input[1].set_value("another long passphrase here")
    at.text_input[2].set_value("another long passphrase here")
    return next(button for button in at.button if button.key != "sign_out").click().run()


def _nothing(at: AppTest) -> AppTest:
    return at


# (page, role, what fails, its attribute, what the user does on the page)
CASES: list[tuple[str, str, object, str, Callable[[AppTest], AppTest]]] = [
    ("chat", "frontline", resources, "build_scrubber", _ask),
    ("case_analysis", "judge", resources, "build_assistant", _analyse),
    ("patterns", "editor", index_view, "read_manifest", _nothing),
    ("knowledge_base", "editor", resources, "build_scrubber", _nothing),
    ("feedback", "editor", FeedbackStore, "entries", _nothing),
    ("users", "admin", UserStore, "list_users", _nothing),
    ("account", "frontline", UserStore, "change_own_password", _change_password),
    ("about", "frontline", resources, "build_assistant", _nothing),
]


@pytest.mark.parametrize(("page", "role", "owner", "attribute", "act"), CASES, ids=[case[0] for case in CASES])
def test_an_unexpected_error_on_any_page_is_one_line(
    app_env: AppEnv,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    page: str,
    role: str,
    owner: object,
    attribute: str,
    act: Callable[[AppTest], AppTest],
) -> None:
    monkeypatch.setattr(owner, attribute, _fail)  # before the first run, which warms the cached builders up
    with caplog.at_level(logging.ERROR, logger="app.pages"):
        at = act(signed_in(app_env, "pat", role, page=f"pages/{page}.py"))
    assert not at.exception
    assert [error.value for error in at.error] == [
        "This page met an unexpected error (RuntimeError). Try again; if it keeps happening, tell the administrator."
    ]
    assert PERSONAL not in texts(at)
    logged = [record.getMessage() for record in caplog.records if record.name == "app.pages"]
    assert len(logged) == 1 and logged[0].endswith("failed with RuntimeError") and PERSONAL not in logged[0]
