"""Sign-in through an identity provider (OpenID Connect via ``st.login``): who the provider says the user is, and
which SafeBorders role its claims give. The app keeps its own session and account record for such a user (no
password), so audit, history and revocation work as for local accounts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.accounts import Role
from core.settings import OIDCSettings

_NOT_IN_USERNAME = re.compile(r"[^a-z0-9._-]+")
# From the fewest pages to all of them (app.auth.PAGE_ROLES): a user in several mapped groups gets the widest.
_BY_REACH: tuple[Role, ...] = ("frontline", "judge", "editor", "admin")


@dataclass(frozen=True)
class Identity:
    """A user as the identity provider vouches for them: the local user name and the role, if any, it maps to."""

    username: str
    role: Role | None


def username_from_claims(claims: Mapping[str, Any], settings: OIDCSettings) -> str:
    """The local user name: the configured claim (default e-mail), else the subject, in the allowed characters."""
    raw = str(claims.get(settings.username_claim) or claims.get("sub") or "").strip().casefold()
    name = _NOT_IN_USERNAME.sub("-", raw.replace("@", ".")).strip(".-_")[:64]
    return name if len(name) >= 2 else ""


def role_from_claims(claims: Mapping[str, Any], settings: OIDCSettings) -> Role | None:
    """The most privileged role any value of the role claim maps to (None: no mapped value).

    The claim may be a list or a string of names separated by spaces or commas.
    """
    value = claims.get(settings.role_claim)
    names = value if isinstance(value, list | tuple) else re.split(r"[,\s]+", str(value or ""))
    mapped = [settings.roles[str(name)] for name in names if str(name) in settings.roles]
    return max(mapped, key=_BY_REACH.index) if mapped else None


def identity(user: Mapping[str, Any], settings: OIDCSettings) -> Identity | None:
    """Who is signed in at the provider (``st.user``), or None when nobody is or OpenID Connect is off."""
    if not settings.enabled or not user.get("is_logged_in"):
        return None
    username = username_from_claims(user, settings)
    if not username:
        return None
    return Identity(username, role_from_claims(user, settings))
