"""Entry point (``streamlit run app/streamlit_app.py``, or ``python -m app.serve`` to load models with the server):
sign-in gate, language switch, sidebar and navigation."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

# Streamlit puts this file's folder on sys.path, not the project root that holds app/, core/, ingestion/, rag/.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from app import accounts, auth, credentials, i18n, oidc
from app.audit import AuditLog
from app.i18n import error_text, t
from app.resources import get_settings, start_warm_up
from app.sessions import SessionStore
from core.errors import ConfigError, InputError
from core.settings import OIDCSettings, Settings

log = logging.getLogger("app.pages")

PAGES = Path(__file__).resolve().parent / "pages"
# (page name for auth.PAGE_ROLES, file, title key, icon); the first is the default page.
PAGE_TABLE = (
    ("chat", "chat.py", "page_chat", ":material/chat:"),
    ("case_analysis", "case_analysis.py", "page_case_analysis", ":material/fact_check:"),
    ("patterns", "patterns.py", "page_patterns", ":material/hub:"),
    ("networks", "networks.py", "page_networks", ":material/share:"),
    ("knowledge_base", "knowledge_base.py", "page_kb", ":material/library_books:"),
    ("feedback", "feedback.py", "page_feedback", ":material/thumbs_up_down:"),
    ("users", "users.py", "page_users", ":material/manage_accounts:"),
    ("account", "account.py", "page_account", ":material/key:"),
    ("about", "about.py", "page_about", ":material/info:"),
)


def _language_switch() -> None:
    names = i18n.languages()
    st.sidebar.radio(
        t("language"), options=list(names), format_func=names.__getitem__, key=i18n.STATE_KEY, horizontal=True
    )


@st.cache_resource(show_spinner=False)
def _setup_token_announced(data_dir: str, url: str) -> bool:
    # `python -m app.serve` prints a token as the server starts; `streamlit run` alone gets one on the first visit.
    users = accounts.UserStore.in_folder(Path(data_dir), url)
    if not users.has_setup_token():
        accounts.announce_setup_token(users)
    return True


def _run(page: StreamlitPage) -> None:
    """Run the chosen page; an error nobody expected becomes one line instead of Streamlit's error page."""
    try:
        page.run()
    except Exception as exc:  # the one place every page's unexpected error ends
        # The page and the error's type only: its message may quote a question, a case file or a document.
        log.error("page %r failed with %s", page.title, type(exc).__name__)
        st.error(t("page_failed", error=type(exc).__name__), icon=":material/error:")


def _first_start(users: accounts.UserStore, audit: AuditLog, sessions: SessionStore, minutes: int) -> None:
    st.title(t("setup_title"))
    st.write(t("setup_intro", min=credentials.MIN_PASSWORD_CHARS))
    local = auth.is_local_connection()
    if not local:
        _setup_token_announced(str(users.path.parent), users.url)
        st.info(t("setup_token_needed"))
    with st.form("setup"):
        name = st.text_input(t("username"))
        password = st.text_input(t("password"), type="password")
        again = st.text_input(t("password_again"), type="password")
        token = None if local else st.text_input(t("setup_token"), type="password")
        submitted = st.form_submit_button(t("create_account"), type="primary")
    if not submitted:
        return
    try:
        user = users.create_first_admin(name, password, again, local=local, token=token)
    except credentials.AccountError as exc:
        st.error(error_text(exc))
        return
    auth.start_session(user, sessions, minutes)
    audit.record("user_added", user.name, user.role, account=user.name, account_role=user.role)
    audit.record("sign_in", user.name, user.role)
    st.rerun()


def _provider_claims() -> dict[str, object]:
    """What Streamlit knows of the user from the identity provider (empty without OpenID Connect set up)."""
    try:
        return dict(st.user.to_dict())
    except Exception:  # no [auth] section in secrets.toml: nobody is signed in at a provider
        return {}


def _provider_sign_in(settings: OIDCSettings, users: accounts.UserStore, audit: AuditLog, sessions: SessionStore,
                      minutes: int) -> bool:  # fmt: skip
    """Start a session for whoever the identity provider vouches for; True when it handled this run."""
    who = oidc.identity(_provider_claims(), settings)
    if who is None:
        return False
    if who.role is None:
        audit.record("sign_in_failed", who.username, "", method="oidc", reason="no_role")
        st.error(t("oidc_no_role", user=who.username))
        if st.button(t("sign_out"), key="provider_sign_out"):
            st.logout()
        return True
    try:
        user = users.provider_user(who.username, who.role)
    except credentials.AccountError as exc:
        st.error(t(exc.key, **exc.values))
        return True
    auth.start_session(user, sessions, minutes)
    audit.record("sign_in", user.name, user.role, method="oidc")
    st.rerun()
    return True


def _sign_in(users: accounts.UserStore, audit: AuditLog, sessions: SessionStore, minutes: int,
             provider: OIDCSettings) -> None:  # fmt: skip
    auth.forget_cookie()
    st.title(t("app_title"))
    if (why := st.session_state.get("expired")) is not None:
        st.info(t("session_ended" if why == "ended" else "session_expired"))
    if provider.enabled and st.button(t("oidc_sign_in", label=provider.label), type="primary"):
        if provider.provider:
            st.login(provider.provider)
        else:
            st.login()
    with st.form("sign_in"):
        st.subheader(t("sign_in_title"))
        name = st.text_input(t("username"))
        password = st.text_input(t("password"), type="password")
        submitted = st.form_submit_button(t("sign_in"), type="primary")
    if not submitted:
        return
    result = users.sign_in(name, password, client=auth.client_address())
    if result.user is None:
        audit.record("sign_in_failed", credentials.normalise_username(name)[:64], "", locked=result.wait_seconds > 0)
        st.error(t("locked_out", seconds=result.wait_seconds) if result.wait_seconds else t("bad_credentials"))
        return
    st.session_state.pop("expired", None)
    auth.start_session(result.user, sessions, minutes)
    audit.record("sign_in", result.user.name, result.user.role)
    st.rerun()


def _account_box(session: dict[str, str], sessions: SessionStore, provider: OIDCSettings) -> None:
    with st.sidebar:
        st.markdown(t("signed_in_as", user=session["user"], role=t(f"role_{session['role']}")))
        if st.button(t("sign_out"), key="sign_out", icon=":material/logout:"):
            auth.end_session(sessions)
            if oidc.identity(_provider_claims(), provider) is not None:
                st.logout()  # also at the provider's side of this browser, or the next run would sign in again
            st.rerun()
        auth.keep_cookie(session)


def _gate(settings: Settings) -> None:
    users = accounts.UserStore.in_folder(settings.data_dir, settings.database.url)
    audit = AuditLog.in_folder(settings.data_dir, settings.database.url)
    sessions = SessionStore(settings.data_dir, settings.database.url)
    minutes = settings.app.session_minutes

    if not users.has_users():
        # Reachable only while no account exists: create_first_admin refuses once one does, under a lock.
        def create_administrator() -> None:
            _first_start(users, audit, sessions, minutes)

        setup = st.Page(create_administrator, title=t("setup_title"), url_path="setup")
        _run(st.navigation([setup], position="hidden"))
        return

    session = auth.current_session(minutes, sessions)
    provider = settings.app.oidc
    if session is None and _provider_sign_in(provider, users, audit, sessions, minutes):
        return
    if session is None:

        def sign_in() -> None:
            _sign_in(users, audit, sessions, minutes, provider)

        _run(st.navigation([st.Page(sign_in, title=t("sign_in_title"), url_path="sign-in")], position="hidden"))
        return

    _account_box(session, sessions, provider)
    pages = [
        st.Page(PAGES / file, title=t(title), icon=icon, url_path=name, default=position == 0)
        for position, (name, file, title, icon) in enumerate(PAGE_TABLE)
        if auth.allowed(name, session["role"])
    ]
    _run(st.navigation(pages))


def main() -> None:
    """Render one run of the app for the current session."""
    st.set_page_config(page_title="SafeBorders Assistant", page_icon=":material/shield:", layout="centered")
    try:
        i18n.languages()
    except ConfigError as exc:  # a broken string catalog: no string is left to say so, so its one line as written
        st.error(str(exc))
        st.stop()
    try:
        settings = get_settings()
    except ConfigError as exc:
        st.error(t("config_error", error=exc))
        st.stop()
    start_warm_up()
    st.session_state.setdefault(i18n.STATE_KEY, settings.app.language)
    _language_switch()
    try:
        _gate(settings)
    except InputError as exc:  # the database cannot be opened: one line naming it, as for the settings
        st.error(error_text(exc))


main()
