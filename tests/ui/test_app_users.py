"""AppTest: administrators change roles, disable, enable and delete accounts; a disabled account cannot sign in."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import PASSWORD, AppEnv, new_app, signed_in, texts


def _apply(at: AppTest, target: str, action: str, *, role: str = "judge", confirm: bool = False) -> AppTest:
    at.selectbox(key="manage_target").set_value(target)
    at.radio(key="manage_action").set_value(action)
    at.selectbox(key="manage_role").set_value(role)
    at.checkbox(key="manage_confirm").set_value(confirm)
    return next(button for button in at.button if button.label == "Apply").click().run()


def _sign_in(name: str) -> AppTest:
    at = new_app().run()
    at.text_input[0].set_value(name)
    at.text_input[1].set_value(PASSWORD)
    return at.button[0].click().run()


def test_administrator_disables_enables_and_changes_a_role(app_env: AppEnv) -> None:
    app_env.add_user("judy", "judge")
    at = signed_in(app_env, "chief", "admin", page="pages/users.py")
    at = _apply(at, "judy", "disable")
    assert at.success[0].value == "judy is disabled."
    assert "disabled" in at.dataframe[0].value.to_string()
    assert _sign_in("judy").error[0].value == "Wrong username or password."
    at = _apply(at, "judy", "enable")
    assert _sign_in("judy").title[0].value == "Ask the knowledge base"
    at = _apply(at, "judy", "role", role="editor")
    assert at.success[0].value == "Role of judy changed."
    assert app_env.users.get("judy").role == "editor"  # type: ignore[union-attr]
    assert app_env.audit()[-1] | {"time": ""} == {
        "time": "",
        "user": "chief",
        "role": "admin",
        "event": "user_changed",
        "account": "judy",
        "change": "role",
        "account_role": "editor",
    }


def test_deleting_needs_confirmation_and_never_takes_the_last_administrator(app_env: AppEnv) -> None:
    app_env.add_user("judy", "judge")
    at = signed_in(app_env, "chief", "admin", page="pages/users.py")
    at = _apply(at, "judy", "delete")
    assert at.error[0].value == "Tick the confirmation to delete the account."
    assert app_env.users.get("judy") is not None
    at = _apply(at, "judy", "delete", confirm=True)
    assert at.success[0].value == "Account judy deleted." and app_env.users.get("judy") is None
    for action in ("delete", "disable"):
        at = _apply(at, "chief", action, confirm=True)
        assert at.error[0].value == "At least one active administrator must remain."
    at = _apply(at, "chief", "role", role="judge")
    assert at.error[0].value == "At least one active administrator must remain."
    assert app_env.users.get("chief").role == "admin"  # type: ignore[union-attr]


def test_user_administration_reads_in_italian(app_env: AppEnv) -> None:
    at = signed_in(app_env, "chief", "admin", page="pages/users.py")
    at.session_state["language"] = "it"
    at = at.run()
    shown = texts(at)
    assert "Gestisci un account" in shown
    assert at.radio(key="manage_action").options == [
        "Cambia il ruolo",
        "Disattiva (non può accedere)",
        "Riattiva",
        "Elimina l'account",
    ]
    assert next(button for button in at.button if button.label == "Applica")
