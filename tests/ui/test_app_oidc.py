"""Sign-in through the court's identity provider (OpenID Connect): AppTest seeds what the provider said."""

from __future__ import annotations

import os

import streamlit as st
import yaml

from core.settings import CONFIG_ENV
from tests.ui.conftest import AppEnv, new_app, texts

ROLES = {"giudici": "judge", "operatori": "frontline"}


def _with_provider(env: AppEnv) -> None:
    config = os.environ[CONFIG_ENV]
    with open(config, encoding="utf-8") as handle:
        profile = yaml.safe_load(handle)
    profile["app"]["oidc"] = {"enabled": True, "label": "Tribunale SSO", "roles": ROLES}
    with open(config, "w", encoding="utf-8") as handle:
        yaml.safe_dump(profile, handle)
    st.cache_resource.clear()
    env.add_user("admin1", "admin")


def test_the_sign_in_page_offers_the_identity_provider_beside_the_password(app_env: AppEnv) -> None:
    _with_provider(app_env)
    at = new_app().run()
    assert [button.label for button in at.button] == ["Sign in with Tribunale SSO", "Sign in"]
    assert at.text_input  # local accounts (the administrator) still sign in with a password


def test_a_user_the_provider_vouches_for_is_signed_in_with_the_mapped_role(app_env: AppEnv) -> None:
    _with_provider(app_env)
    at = new_app()
    at.user = {"is_logged_in": True, "email": "Anna@Tribunale.it", "roles": ["giudici"]}
    at.run()
    assert not at.error
    assert at.title[0].value == "Ask the knowledge base"
    assert "Signed in as **anna.tribunale.it**" in texts(at)
    assert app_env.users.get("anna.tribunale.it").role == "judge"
    assert app_env.audit()[-1] | {"time": ""} == {
        "time": "", "user": "anna.tribunale.it", "role": "judge", "event": "sign_in", "method": "oidc",
    }  # fmt: skip


def test_a_provider_user_without_a_mapped_role_is_kept_out_with_one_line(app_env: AppEnv) -> None:
    _with_provider(app_env)
    at = new_app()
    at.user = {"is_logged_in": True, "email": "guest@example.org", "roles": ["visitors"]}
    at.run()
    assert [error.value for error in at.error] == [
        "guest.example.org is signed in at the identity provider, but no SafeBorders role is given to this account: "
        "ask the administrator to map one of its groups to a role (app.oidc.roles)."
    ]
    assert app_env.users.get("guest.example.org") is None
    assert "Ask the knowledge base" not in [title.value for title in at.title]


def test_without_the_provider_enabled_its_say_is_ignored(app_env: AppEnv) -> None:
    app_env.add_user("admin1", "admin")
    at = new_app()
    at.user = {"is_logged_in": True, "email": "anna@tribunale.it", "roles": ["giudici"]}
    at.run()
    assert "Ask the knowledge base" not in [title.value for title in at.title]
    assert app_env.users.get("anna.tribunale.it") is None
