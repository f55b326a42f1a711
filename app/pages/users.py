"""Users page (administrators): list accounts, add one, reset a password, change a role, disable or delete one."""

from __future__ import annotations

import streamlit as st

from app.accounts import ROLES, UserStore
from app.audit import AuditLog
from app.auth import require_page
from app.credentials import AccountError
from app.i18n import error_text, option_names, t
from app.resources import get_settings

session = require_page("users")
settings = get_settings()
users = UserStore.in_folder(settings.data_dir, settings.database.url)
audit = AuditLog.in_folder(settings.data_dir, settings.database.url)
ACTIONS = ("role", "disable", "enable", "delete")


st.title(t("users_title"))
if flash := st.session_state.pop("users_flash", None):
    st.success(flash)
accounts = users.list_users()
st.dataframe(
    [
        {
            t("col_user"): u.name,
            t("col_role"): t(f"role_{u.role}"),
            t("col_created"): u.created_at,
            t("col_account_status"): t("users_disabled" if u.disabled else "users_enabled"),
        }
        for u in accounts
    ],
    hide_index=True,
    key="users_table",
)

st.subheader(t("users_add"))
st.caption(t("users_role_note"))
with st.form("add_user", clear_on_submit=True):
    name = st.text_input(t("username"))
    role = st.selectbox(t("users_role"), ROLES, format_func=option_names("role_", ROLES))
    password = st.text_input(t("password"), type="password")
    again = st.text_input(t("password_again"), type="password")
    if st.form_submit_button(t("users_add")):
        try:
            user = users.add_user(name, role, password, again)
        except AccountError as exc:
            st.error(error_text(exc))
        else:
            audit.record("user_added", session["user"], session["role"], account=user.name, account_role=user.role)
            st.session_state["users_flash"] = t("users_added", user=user.name)
            st.rerun()

st.subheader(t("users_reset"))
with st.form("reset_password", clear_on_submit=True):
    target = st.selectbox(t("username"), [u.name for u in accounts])
    password = st.text_input(t("users_new_password"), type="password")
    again = st.text_input(t("password_again"), type="password")
    if st.form_submit_button(t("users_reset")):
        try:
            users.set_password(target or "", password, again)
        except AccountError as exc:
            st.error(error_text(exc))
        else:
            audit.record("password_reset", session["user"], session["role"], account=target)
            st.session_state["users_flash"] = t("users_reset_done", user=target)
            st.rerun()


def _manage(target: str, action: str, role: str, confirmed: bool) -> None:
    """Apply one administrator's change to ``target``; the store refuses what would leave no administrator."""
    if action == "delete" and not confirmed:
        st.error(t("users_confirm_needed"))
        return
    try:
        if action == "role":
            users.set_role(target, role)
        elif action == "delete":
            users.delete_user(target)
        else:
            users.set_disabled(target, action == "disable")
    except AccountError as exc:
        st.error(error_text(exc))
        return
    audit.record("user_changed", session["user"], session["role"], account=target, change=action, account_role=role)
    st.session_state["users_flash"] = t(f"users_done_{action}", user=target)
    st.rerun()


st.subheader(t("users_manage"))
with st.form("manage_user"):
    target = st.selectbox(t("username"), [u.name for u in accounts], key="manage_target")
    action = st.radio(
        t("users_action"), ACTIONS, format_func=option_names("users_action_", ACTIONS), key="manage_action"
    )
    new_role = st.selectbox(t("users_role"), ROLES, format_func=option_names("role_", ROLES), key="manage_role")
    confirmed = st.checkbox(t("users_confirm_delete"), key="manage_confirm")
    if st.form_submit_button(t("users_apply")):
        _manage(target or "", action, new_role, confirmed)
