"""AppTest: the sign-in survives a refresh through the session cookie, and sign-out or a new password ends it."""

from __future__ import annotations

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app.auth import COOKIE_NAME
from app.sessions import SessionStore
from tests.ui.conftest import PASSWORD, AppEnv, new_app, signed_in, texts

COOKIE_SCRIPT = re.compile(rf"document\.cookie = '{COOKIE_NAME}=([A-Za-z0-9_-]*); Max-Age=(\d+); Path=/")


def _cookie_set(at: AppTest) -> tuple[str, int]:
    """The token and lifetime the run's script asks the browser to keep (the last cookie script it rendered)."""
    found = [match for html in at.html if (match := COOKIE_SCRIPT.search(html.value))]
    assert found, "no cookie script rendered"
    return found[-1].group(1), int(found[-1].group(2))


def _browser_sends(monkeypatch: pytest.MonkeyPatch, cookies: dict[str, str]) -> None:
    """What a browser that reloads the page sends with its new session (AppTest cannot seed cookies itself)."""
    monkeypatch.setattr(type(st.context), "cookies", property(lambda self: cookies))


def _sign_in(at: AppTest, name: str) -> AppTest:
    at.text_input[0].set_value(name)
    at.text_input[1].set_value(PASSWORD)
    return at.button[0].click().run()


def test_a_refresh_stays_signed_in_through_the_cookie(app_env: AppEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    app_env.add_user("judy", "judge")
    at = _sign_in(new_app().run(), "judy")
    token, max_age = _cookie_set(at)
    assert max_age > 0 and len(token) == 43
    sessions = SessionStore(app_env.settings.data_dir)
    assert sessions.user_for(token) == "judy"
    assert token.encode() not in (app_env.settings.data_dir / "safeborders.db").read_bytes()  # only its hash

    _browser_sends(monkeypatch, {COOKIE_NAME: token})
    refreshed = new_app().run()  # a new browser session: nothing in its session state
    assert not refreshed.exception
    assert refreshed.title[0].value == "Ask the knowledge base"
    assert "Signed in as **judy**" in texts(refreshed)


def test_a_revoked_token_signs_nobody_in(app_env: AppEnv, monkeypatch: pytest.MonkeyPatch) -> None:
    # Sign-out itself is driven in the browser test: AppTest does not rerun the entry script's sidebar buttons.
    app_env.add_user("judy", "judge")
    sessions = SessionStore(app_env.settings.data_dir)
    token = sessions.issue("judy", 30)
    sessions.revoke(token)
    _browser_sends(monkeypatch, {COOKIE_NAME: token})  # a copy of a signed-out cookie
    again = new_app().run()
    assert again.subheader[0].value == "Sign in"
    assert _cookie_set(again) == ("", 0)  # the sign-in screen tells the browser to drop it
    assert not again.info  # a stale cookie on a fresh visit is not worth a message


def test_a_session_whose_token_was_revoked_elsewhere_ends_with_a_message(app_env: AppEnv) -> None:
    at = signed_in(app_env, "judy", "judge")
    token = at.session_state["auth"]["token"]
    SessionStore(app_env.settings.data_dir).revoke_all("judy")  # e.g. signed out in another tab
    later = new_app()
    later.session_state["auth"] = dict(at.session_state["auth"])
    later.run()
    assert later.subheader[0].value == "Sign in"
    assert "Your session was ended" in later.info[0].value
    assert SessionStore(app_env.settings.data_dir).user_for(token) is None


@pytest.mark.parametrize("cookie", ["", "x" * 43, "not a token; Path=/"])
def test_a_made_up_cookie_shows_the_sign_in(app_env: AppEnv, monkeypatch: pytest.MonkeyPatch, cookie: str) -> None:
    app_env.add_user("judy", "judge")
    _browser_sends(monkeypatch, {COOKIE_NAME: cookie})
    at = new_app().run()
    assert not at.exception and at.subheader[0].value == "Sign in"


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app_env: AppEnv) -> None:
    at = signed_in(app_env, "judy", "frontline", page="pages/account.py")
    other = SessionStore(app_env.settings.data_dir).issue("judy", 30)  # judy on another computer
    for field, value in zip(at.text_input, (PASSWORD, "lantern quarry meadow", "lantern quarry meadow"), strict=True):
        field.set_value(value)
    next(button for button in at.button if button.label == "Change my password").click().run()
    assert at.success[0].value == "Your password was changed."
    assert SessionStore(app_env.settings.data_dir).user_for(other) is None
    renewed = at.session_state["auth"]["token"]  # this browser's session got a new token
    assert SessionStore(app_env.settings.data_dir).user_for(renewed) == "judy"


def test_a_disabled_account_and_a_new_role_apply_to_a_kept_cookie(
    app_env: AppEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    app_env.add_user("chief", "admin")
    app_env.add_user("eddie", "editor")
    app_env.add_user("judy", "judge")
    sessions = SessionStore(app_env.settings.data_dir)
    eddie, judy = sessions.issue("eddie", 30), sessions.issue("judy", 30)
    app_env.users.set_role("eddie", "frontline")
    app_env.users.set_disabled("judy")
    _browser_sends(monkeypatch, {COOKIE_NAME: eddie})
    assert "Signed in as **eddie** (frontline worker)" in texts(new_app().run())
    _browser_sends(monkeypatch, {COOKIE_NAME: judy})
    assert new_app().run().subheader[0].value == "Sign in"
