"""Sign-in through an identity provider: user names and roles from its claims, and the account the app keeps."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.accounts import UserStore
from app.credentials import AccountError
from app.oidc import identity, role_from_claims, username_from_claims
from core.settings import OIDCSettings

SETTINGS = OIDCSettings(enabled=True, roles={"giudici": "judge", "it-admins": "admin", "operatori": "frontline"})


def test_the_user_name_comes_from_the_email_in_allowed_characters() -> None:
    email = {"email": "Anna.Rossi@Tribunale.Torino.it"}
    assert username_from_claims(email, SETTINGS) == "anna.rossi.tribunale.torino.it"
    assert username_from_claims({"sub": "a1b2 c3"}, SETTINGS) == "a1b2-c3"
    assert username_from_claims({"email": "@"}, SETTINGS) == ""


@pytest.mark.parametrize(
    ("claim", "role"),
    [
        (["giudici"], "judge"),
        (["operatori", "it-admins"], "admin"),  # the most privileged mapped value
        ("operatori giudici", "judge"),
        ("giudici,operatori", "judge"),
        (["staff"], None),
        (None, None),
    ],
)
def test_the_role_is_the_most_privileged_mapped_claim_value(claim: object, role: str | None) -> None:
    assert role_from_claims({"roles": claim}, SETTINGS) == role


def test_nobody_is_signed_in_when_the_provider_is_off_or_says_not_logged_in() -> None:
    claims = {"is_logged_in": True, "email": "anna@court.it", "roles": ["giudici"]}
    assert identity(claims, OIDCSettings(roles=SETTINGS.roles)) is None
    assert identity({**claims, "is_logged_in": False}, SETTINGS) is None
    who = identity(claims, SETTINGS)
    assert who is not None and (who.username, who.role) == ("anna.court.it", "judge")


def test_a_provider_user_gets_an_account_without_a_password_and_the_providers_role(tmp_path: Path) -> None:
    users = UserStore.in_folder(tmp_path, "")
    users.add_user("admin1", "admin", "Correct-Horse-Battery-9")
    user = users.provider_user("anna.court.it", "judge")
    assert (user.name, user.role) == ("anna.court.it", "judge")
    assert users.sign_in("anna.court.it", "").user is None  # no password can match
    assert users.sign_in("anna.court.it", "anything-at-all-1").user is None
    assert users.provider_user("anna.court.it", "editor").role == "editor"  # the provider's word on the role


def test_a_disabled_provider_user_is_refused_and_the_last_admin_keeps_the_role(tmp_path: Path) -> None:
    users = UserStore.in_folder(tmp_path, "")
    users.provider_user("boss.court.it", "admin")
    assert users.provider_user("boss.court.it", "judge").role == "admin"  # else no administrator would remain
    users.add_user("admin1", "admin", "Correct-Horse-Battery-9")
    users.provider_user("anna.court.it", "judge")
    users.set_disabled("anna.court.it")
    with pytest.raises(AccountError, match="disabled"):
        users.provider_user("anna.court.it", "judge")
