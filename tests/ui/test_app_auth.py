"""AppTest: first start, sign-in, throttling, roles, session expiry and the language switch."""

from __future__ import annotations

import stat
import time

import pytest
import streamlit as st
from streamlit.runtime.context import StreamlitHeaders
from streamlit.testing.v1 import AppTest

from app.credentials import AccountError
from core.settings import PROJECT_ROOT
from tests.ui.conftest import PASSWORD, AppEnv, new_app, signed_in, texts


def _submit_sign_in(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input[0].set_value(name)
    at.text_input[1].set_value(password)
    return at.button[0].click().run()


def test_first_start_creates_the_administrator_once(app_env: AppEnv) -> None:
    at = new_app().run()
    assert at.title[0].value == "Create the administrator account"
    name, password, again = at.text_input
    name.set_value("Chief")
    password.set_value("short")
    again.set_value("short")
    at.button[0].click().run()
    assert "at least 12 characters" in at.error[0].value
    assert not app_env.users.has_users()

    at.text_input[1].set_value(PASSWORD)
    at.text_input[2].set_value(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "Ask the knowledge base"  # signed in straight away
    assert [(u.name, u.role) for u in app_env.users.list_users()] == [("chief", "admin")]
    database_file = app_env.settings.data_dir / "safeborders.db"
    assert stat.S_IMODE(database_file.stat().st_mode) == 0o600
    assert PASSWORD.encode() not in database_file.read_bytes()

    again_at = new_app().run()  # another browser session: only the sign-in screen, never the setup one
    assert "Create the administrator account" not in texts(again_at)
    assert again_at.subheader[0].value == "Sign in"
    with pytest.raises(AccountError):
        app_env.users.create_first_admin("intruder", PASSWORD, PASSWORD)


def test_first_start_from_another_machine_needs_the_one_time_token(app_env: AppEnv, monkeypatch) -> None:
    monkeypatch.setattr(type(st.context), "ip_address", property(lambda self: "203.0.113.9"))
    token = app_env.users.issue_setup_token()  # as `python -m app.serve` does, printing it in the server log
    at = new_app().run()
    assert "setup token printed in the server log" in at.info[0].value
    name, password, again, given = at.text_input
    name.set_value("intruder")
    password.set_value(PASSWORD)
    again.set_value(PASSWORD)
    given.set_value("a guess at the token")
    at.button[0].click().run()
    assert at.error[0].value.startswith("Wrong or missing setup token")
    assert not app_env.users.has_users()

    at.text_input[3].set_value(token)
    at.button[0].click().run()
    assert at.title[0].value == "Ask the knowledge base"
    assert [u.name for u in app_env.users.list_users()] == ["intruder"] and not app_env.users.has_setup_token()


def test_first_start_through_a_proxy_on_this_machine_needs_the_token(app_env: AppEnv, monkeypatch) -> None:
    # A reverse proxy on the same machine connects from the loopback; its forwarding header gives it away.
    headers = StreamlitHeaders([("X-Forwarded-For", "203.0.113.9")])
    monkeypatch.setattr(type(st.context), "headers", property(lambda self: headers))
    at = new_app().run()
    assert len(at.text_input) == 4 and at.text_input[3].label == "Setup token"
    assert app_env.users.has_setup_token()  # issued on this first visit, since `streamlit run` printed none


def test_wrong_password_is_refused_counted_and_then_slowed_down(app_env: AppEnv) -> None:
    app_env.add_user("judy", "judge")
    at = new_app().run()
    _submit_sign_in(at, "judy", "not the password!")
    assert at.error[0].value == "Wrong username or password."
    assert app_env.users.failure_count("judy") == 1
    _submit_sign_in(at, "nobody", "not the password!")
    assert at.error[0].value == "Wrong username or password."  # the same words whether the user exists or not

    for _ in range(2):
        _submit_sign_in(at, "judy", "still wrong!!")
    assert app_env.users.failure_count("judy") == 3
    _submit_sign_in(at, "judy", PASSWORD)  # locked: even the right password waits for the window to pass
    assert "Too many failed attempts" in at.error[0].value
    assert at.title[0].value == "SafeBorders Assistant"

    events = [(e["event"], e["user"]) for e in app_env.audit()]
    assert events.count(("sign_in_failed", "judy")) == 4
    assert ("sign_in_failed", "nobody") in events
    assert all("password" not in str(e) for e in app_env.audit())


def test_right_password_signs_in_and_is_audited(app_env: AppEnv) -> None:
    app_env.add_user("judy", "judge")
    at = _submit_sign_in(new_app().run(), "Judy", PASSWORD)
    assert not at.error
    assert at.title[0].value == "Ask the knowledge base"
    assert "Signed in as **judy**" in texts(at)
    assert app_env.audit()[-1] | {"time": ""} == {"time": "", "user": "judy", "role": "judge", "event": "sign_in"}


def test_frontline_account_is_refused_the_editor_pages(app_env: AppEnv) -> None:
    at = signed_in(app_env, "frank", "frontline", page="pages/knowledge_base.py")
    assert "Knowledge base" not in [title.value for title in at.title]
    assert not at.file_uploader

    # The page itself refuses, even when reached without the navigation.
    page = AppTest.from_file(str(PROJECT_ROOT / "app" / "pages" / "knowledge_base.py"))
    page.session_state["auth"] = {"user": "frank", "role": "frontline", "last_seen": time.time()}
    page.run()
    assert page.error[0].value == "Your account cannot open this page. Choose a page from the menu."
    assert not page.file_uploader
    users_page = AppTest.from_file(str(PROJECT_ROOT / "app" / "pages" / "users.py"))
    users_page.session_state["auth"] = {"user": "eddie", "role": "editor", "last_seen": time.time()}
    assert users_page.run().error[0].value.startswith("Your account cannot open this page")


def test_idle_session_expires(app_env: AppEnv) -> None:
    app_env.add_user("judy", "judge")
    at = new_app()
    at.session_state["auth"] = {"user": "judy", "role": "judge", "last_seen": time.time() - 31 * 60}
    at.run()
    assert "Your session expired" in at.info[0].value
    assert at.subheader[0].value == "Sign in"


def test_italian_switch_translates_labels(app_env: AppEnv) -> None:
    at = signed_in(app_env, "judy", "judge")
    assert at.title[0].value == "Ask the knowledge base"
    at.sidebar.radio[0].set_value("it").run()
    assert at.title[0].value == "Interroga la base di conoscenza"
    assert at.sidebar.button(key="new_conversation").label == "Nuova conversazione"
    assert at.sidebar.multiselect(key="filter_types").label == "Tipi di documento"


def test_users_page_refuses_a_weak_password(app_env: AppEnv) -> None:
    at = signed_in(app_env, "chief", "admin", page="pages/users.py")
    name, password, again = at.text_input[:3]
    name.set_value("judy")
    password.set_value("judyjudyjudy1")
    again.set_value("judyjudyjudy1")
    next(button for button in at.button if button.label == "Add a user").click().run()
    assert at.error[0].value == "The password must not contain the username."
    assert app_env.users.get("judy") is None


def test_signed_in_user_changes_their_own_password(app_env: AppEnv) -> None:
    at = signed_in(app_env, "judy", "frontline", page="pages/account.py")

    def change(current: str, new: str) -> None:
        for field, value in zip(at.text_input, (current, new, new), strict=True):
            field.set_value(value)
        next(button for button in at.button if button.label == "Change my password").click().run()

    change(PASSWORD, "aaaaaaaaaaaa")
    assert at.error[0].value == "The password is too easy to guess: it repeats characters or words."
    change("not my password!", "lantern quarry meadow")
    assert at.error[0].value == "The current password is wrong."
    change(PASSWORD, "lantern quarry meadow")
    assert at.success[0].value == "Your password was changed."
    assert app_env.users.sign_in("judy", "lantern quarry meadow").user is not None
    assert app_env.audit()[-1]["event"] == "password_reset" and app_env.audit()[-1]["account"] == "judy"


def test_an_unreachable_database_is_one_line_naming_it(app_env: AppEnv, monkeypatch) -> None:
    monkeypatch.setenv("SAFEBORDERS_DATABASE__URL", "postgresql+psycopg://judge:secret@127.0.0.1:1/none")
    at = new_app().run(timeout=60)
    assert not at.exception
    assert [error.value for error in at.error] == [
        "database postgresql+psycopg://judge:***@127.0.0.1:1/none: cannot migrate (OperationalError)"
    ]
