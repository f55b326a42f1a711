"""The signed-in session in Streamlit: its token and cookie, where the browser connects from, and page access."""

from __future__ import annotations

import re
import time
from typing import Any

from app.accounts import ROLES, User
from app.sessions import SessionStore

SESSION_KEY = "auth"
COOKIE_NAME = "safeborders_session"
# The cookie's own lifetime; the session ends before that when idle for ``app.session_minutes`` (``SessionStore``).
COOKIE_MAX_AGE_S = 12 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)
# Headers a reverse proxy adds: a request that carries one did not come straight from this machine.
PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")

# Which roles may open which page; a page missing here is open to nobody.
PAGE_ROLES: dict[str, frozenset[str]] = {
    "chat": frozenset(ROLES),
    "about": frozenset(ROLES),
    "account": frozenset(ROLES),
    "knowledge_base": frozenset({"editor", "admin"}),
    "feedback": frozenset({"editor", "admin"}),
    "users": frozenset({"admin"}),
    "case_analysis": frozenset({"judge", "editor", "admin"}),
    "patterns": frozenset({"judge", "editor", "admin"}),
    "networks": frozenset({"judge", "editor", "admin"}),
}


def start_session(user: User, sessions: SessionStore, minutes: int) -> None:
    """Remember the signed-in user in this browser session, and issue the token its cookie keeps over a refresh."""
    import streamlit as st

    token = sessions.issue(user.name, minutes)
    st.session_state[SESSION_KEY] = {"user": user.name, "role": user.role, "last_seen": time.time(), "token": token}


def renew_session(sessions: SessionStore, minutes: int) -> None:
    """A new token for the signed-in user, after her own password change ended every session she had."""
    import streamlit as st

    session = st.session_state.get(SESSION_KEY)
    if session is not None:
        session["token"] = sessions.issue(session["user"], minutes)


def end_session(sessions: SessionStore | None = None) -> None:
    """Revoke this browser's session token (with ``sessions``) and forget everything this session held."""
    import streamlit as st

    token = (st.session_state.get(SESSION_KEY) or {}).get("token")
    if sessions is not None and token:
        sessions.revoke(token)
    for key in list(st.session_state.keys()):
        if key != "language":
            del st.session_state[key]


def current_session(session_minutes: int, sessions: SessionStore, *, now: float | None = None) -> dict[str, Any] | None:
    """The signed-in user's session, refreshed; None when signed out, idle for longer than ``session_minutes``, or
    its token no longer valid (signed out elsewhere, password changed, account disabled or deleted).

    After a refresh the browser's session is new: it is taken back from the cookie's token. When the session has just
    expired or ended, ``st.session_state["expired"]`` is set so the sign-in screen can say so.
    """
    import streamlit as st

    now = time.time() if now is None else now
    session = st.session_state.get(SESSION_KEY)
    if session is None:
        token = session_cookie()
        if token is None:
            return None
        session = {"user": "", "role": "", "last_seen": now, "token": token}
    if now - session["last_seen"] > session_minutes * 60:
        end_session(sessions)
        st.session_state["expired"] = "idle"
        return None
    resumed = sessions.resume(str(session.get("token", "")), session_minutes)
    if resumed is None:
        known = bool(session["user"])  # a stale cookie on a fresh visit is not worth a message
        end_session()
        if known:
            st.session_state["expired"] = "ended"
        return None
    session.update(user=resumed.user, role=resumed.role, last_seen=now)  # a changed role applies at once
    st.session_state[SESSION_KEY] = session
    return dict(session)


def session_cookie() -> str | None:
    """The session token in the cookie the browser sent when it opened this session, if it looks like one."""
    import streamlit as st

    value = st.context.cookies.get(COOKIE_NAME)
    return value if isinstance(value, str) and _TOKEN.fullmatch(value) else None


def keep_cookie(session: dict[str, Any]) -> None:
    """Have the browser keep the session's token in a cookie, so that a refresh stays signed in.

    Streamlit sends cookies to the server but cannot set them: a script does. It cannot be an HttpOnly cookie for
    that reason; ``SameSite=Strict`` keeps other sites from sending it, ``Secure`` is added over HTTPS. Rendered on
    every run, as the same element: the browser runs it once.
    """
    token = str(session.get("token", ""))
    if _TOKEN.fullmatch(token):
        _cookie_script(f"{COOKIE_NAME}={token}; Max-Age={COOKIE_MAX_AGE_S}")


def forget_cookie() -> None:
    """Have the browser drop the session cookie (the sign-in screen: whatever cookie it holds signs nobody in)."""
    _cookie_script(f"{COOKIE_NAME}=; Max-Age=0")


def _cookie_script(cookie: str) -> None:
    import streamlit as st

    st.html(
        f"<script>document.cookie = '{cookie}; Path=/; SameSite=Strict'"
        " + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        unsafe_allow_javascript=True,
    )


def client_address() -> str | None:
    """The browser's address as the server saw it; None for this machine (and when Streamlit reports none)."""
    import streamlit as st

    address = st.context.ip_address
    return address if isinstance(address, str) else None  # AppTest's runtime answers with a stand-in object


def is_local_connection() -> bool:
    """Whether this browser session comes straight from this machine: a loopback address and no proxy header.

    A reverse proxy on this machine also connects from the loopback, so a request it forwards counts as local only
    when it adds none of ``PROXY_HEADERS``; the README's nginx example adds them.
    """
    import streamlit as st

    if client_address() is not None:
        return False
    headers = st.context.headers
    return not any(headers.get_all(name) for name in PROXY_HEADERS)


def allowed(page: str, role: str) -> bool:
    """Whether an account with ``role`` may open ``page``."""
    return role in PAGE_ROLES.get(page, frozenset())


def require_page(page: str) -> dict[str, Any]:
    """Stop the page with an error unless the signed-in user may open it; returns the session.

    Every page calls this first, so a page that is hidden from the navigation is also refused when reached
    directly.
    """
    import streamlit as st

    from app.i18n import t

    session = st.session_state.get(SESSION_KEY)
    if session is None or not allowed(page, session["role"]):
        st.error(t("not_allowed"))
        st.stop()
    return dict(session)
