"""Who is looking: the dashboard's login and the viewer's role.

`dashboard.login` in the config says how people sign in:

- `none` (the default, and the demo's): nobody signs in; everyone has `dashboard.default_role`.
- `password`: users and their roles live in the Streamlit secrets file (never in the config):
  `[c360_users.alice]` with `password = "<c360 dashboard-password output>"` and `role = "..."`.
- `oidc`: Streamlit's built-in OpenID Connect login (`st.login`, configured in the `[auth]`
  section of the secrets file); roles come from `dashboard.roles` (e-mail -> role).

Only roles named in `privacy.contact_roles` see real e-mails and phone numbers (c360.privacy).
"""

from __future__ import annotations

import streamlit as st

from c360.passwords import password_matches
from dashboards.data import config
from dashboards.i18n import t


def _secret(section: str) -> dict:
    try:
        return dict(st.secrets.get(section, {}))
    except FileNotFoundError:  # no secrets file at all
        return {}


def _password_users() -> dict:
    return {name: dict(user) for name, user in _secret("c360_users").items()}


def require_login() -> str:
    """The viewer's role; when the config asks for a login and nobody is signed in, draws the
    sign-in form and stops the page."""
    settings = config().dashboard
    if settings["login"] == "none":
        return settings["default_role"]
    if settings["login"] == "oidc":
        return _oidc_role(settings)
    if "c360_user" in st.session_state:
        _signed_in_sidebar(st.session_state["c360_user"], st.session_state["c360_role"])
        return st.session_state["c360_role"]
    users = _password_users()
    if not users:
        st.error(t("login.no_users"))
        st.stop()
    with st.form("login"):
        st.subheader(t("login.title"))
        name = st.text_input(t("login.user"), key="login_user")
        password = st.text_input(t("login.password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("login.submit"))
    if submitted:
        user = users.get(name)
        if user and password_matches(password, str(user.get("password", ""))):
            st.session_state["c360_user"] = name
            st.session_state["c360_role"] = str(user.get("role", settings["default_role"]))
            st.rerun()
        st.error(t("login.failed"))
    st.stop()


def _oidc_role(settings: dict) -> str:
    if not _secret("auth"):  # st.login needs the identity provider
        st.error(t("login.no_provider"))
        st.stop()
    if not st.user.get("is_logged_in", False):
        st.subheader(t("login.title"))
        st.button(t("login.submit"), on_click=st.login)
        st.stop()
    email = str(st.user.get("email", ""))
    role = settings["roles"].get(email, settings["default_role"])
    _signed_in_sidebar(email, role, st.logout)
    return role


def _signed_in_sidebar(user: str, role: str, logout=None) -> None:
    with st.sidebar:
        st.caption(t("login.signed_in", user=user, role=role))
        if st.button(t("login.sign_out"), key="sign_out"):
            if logout is not None:
                logout()
            for key in ("c360_user", "c360_role"):
                st.session_state.pop(key, None)
            st.rerun()


def may_see_contacts(role: str) -> bool:
    return role in config().contact_roles
