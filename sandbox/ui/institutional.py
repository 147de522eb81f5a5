"""Sign in with the organisation's account (OpenID Connect, Streamlit's ``st.login``).

Shown on the join page only where a provider is configured: an ``[auth]`` section in
``.streamlit/secrets.toml`` (``redirect_uri``, ``cookie_secret``, ``client_id``,
``client_secret``, ``server_metadata_url``; Streamlit needs the Authlib package). Once
the provider has said who this is (``st.user``), the person gives the join code (and, the
first time, their department and the usage policy) and is in, under the name their
organisation knows them by; on any other device they sign in the same way and are the
same member. The rules are in ``sandbox/services/accounts.py``; this module only lays
out the widgets. Without a provider nothing here shows and join codes work as before.
"""
from __future__ import annotations

import streamlit as st

from sandbox.services import accounts
from sandbox.ui import identity, state
from sandbox.ui.actions import FAILED, run_action, show_error

FORM = "institutional_join"


def configured() -> bool:
    """True when ``.streamlit/secrets.toml`` names an OpenID Connect provider."""
    # load_if_toml_exists is Streamlit's quiet probe: no secrets file is simply False.
    return st.secrets.load_if_toml_exists() and "auth" in st.secrets


def _signed_in_claims() -> dict | None:
    user = getattr(st, "user", None)
    if user is None or not user.get("is_logged_in"):
        return None
    return user.to_dict()


def _sign_in(claims: dict) -> None:
    values = st.session_state
    signed = run_action(
        FORM,
        accounts.sign_in,
        values.get(state.widget_key("oidc_code"), ""),
        accounts.Identity.from_claims(claims),
        rule=accounts.TrainerRule.from_env(),
        department=values.get(state.widget_key("oidc_department"), ""),
        accept_policy=bool(values.get(state.widget_key("oidc_policy"))),
        client_key=identity.client_key(),
        success="Welcome! You are in, signed in with your organisation's account.",
    )
    if signed is not FAILED:
        identity.sign_in(signed.session_token)


def render() -> None:
    """The organisation sign-in block of the join page (nothing without a provider)."""
    if not configured():
        return
    st.subheader("Or sign in with your organisation's account", divider=False)
    claims = _signed_in_claims()
    if claims is None:
        st.write("No display name to choose: the sandbox uses the name your organisation knows you by, "
                 "and you come back as yourself from any device.")
        st.button("Sign in with your organisation's account", on_click=st.login,
                  icon=":material/badge:")
        return
    who = accounts.Identity.from_claims(claims)
    st.write(f"Signed in as **{who.display_name()}**"
             + (f" ({who.email})" if who.email else "")
             + ". Give the join code to enter the workshop. The first time, say which department "
               "you work in and accept the usage policy above.")
    show_error(FORM)
    with st.form("institutional_join_form"):
        st.text_input("Join code", key=state.widget_key("oidc_code"), max_chars=20,
                      placeholder="for example K7M2QX")
        st.text_input("Your department (first time only)", key=state.widget_key("oidc_department"),
                      max_chars=60)
        st.checkbox("I have read and accept the usage policy (first time only)",
                    key=state.widget_key("oidc_policy"))
        st.form_submit_button("Enter the workshop", type="primary", on_click=_sign_in, args=(claims,))
    st.button("Sign out of your organisation's account", on_click=st.logout)
