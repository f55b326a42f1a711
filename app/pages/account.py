"""Account page (every role): change one's own password."""

from __future__ import annotations

import streamlit as st

from app import accounts, auth, credentials
from app.audit import AuditLog
from app.auth import require_page
from app.i18n import error_text, t
from app.resources import get_settings
from app.sessions import SessionStore

session = require_page("account")
settings = get_settings()
users = accounts.UserStore.in_folder(settings.data_dir, settings.database.url)
audit = AuditLog.in_folder(settings.data_dir, settings.database.url)

st.title(t("change_password"))
if flash := st.session_state.pop("account_flash", None):
    st.success(flash)
with st.form("change_password", clear_on_submit=True):
    current = st.text_input(t("current_password"), type="password")
    password = st.text_input(t("users_new_password"), type="password")
    again = st.text_input(t("password_again"), type="password")
    if st.form_submit_button(t("change_password"), type="primary"):
        try:
            users.change_own_password(session["user"], current, password, again, client=auth.client_address())
        except credentials.AccountError as exc:
            st.error(error_text(exc))
        else:
            auth.renew_session(SessionStore(settings.data_dir, settings.database.url), settings.app.session_minutes)
            audit.record("password_reset", session["user"], session["role"], account=session["user"])
            st.session_state["account_flash"] = t("password_changed")
            st.rerun()
