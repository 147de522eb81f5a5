"""Who is using this browser tab: the session token, and the member it belongs to.

The token is random (from the join or trainer sign-in service) and rides in the
URL as ``?s=...`` so that a reload keeps the person signed in; the display name
is never used to sign anyone in. Streamlit clears query parameters when the page
changes, so the token is also kept in session state and put back in the URL on
every run.
"""
from __future__ import annotations

import hashlib
import secrets

import streamlit as st

from sandbox.services import workshops
from sandbox.store.models import Member
from sandbox.ui import state
from sandbox.ui.db import reading, writing


def _token() -> str:
    from_url = st.query_params.get(state.TOKEN_PARAM, "")
    return from_url or st.session_state.get(state.TOKEN, "")


def current_member() -> Member | None:
    """The signed-in member, or None. Keeps the token in the URL while valid.

    An unknown or revoked token (say, an old bookmark after a workshop reset) is
    dropped quietly: the person sees the join page again.
    """
    token = _token()
    if not token:
        return None
    with reading() as session:
        member = workshops.member_for_token(session, token)
    if member is None:
        _forget()
        return None
    st.session_state[state.TOKEN] = token
    if st.query_params.get(state.TOKEN_PARAM) != token:
        st.query_params[state.TOKEN_PARAM] = token
    return member


def sign_in(token: str) -> None:
    """Remember a fresh session token for this tab (after join or trainer sign-in)."""
    st.session_state[state.TOKEN] = token
    st.query_params[state.TOKEN_PARAM] = token


def sign_out() -> None:
    """Forget this tab's token here and in the store (other devices stay signed in)."""
    token = _token()
    if token:
        with writing() as session:
            workshops.sign_out(session, token)
    _forget()


def _forget() -> None:
    st.session_state[state.TOKEN] = ""
    if state.TOKEN_PARAM in st.query_params:
        del st.query_params[state.TOKEN_PARAM]


def client_key() -> str:
    """Who is trying join codes, for the rate limit: the address if known, else this tab.

    Only a hash is passed on; the address itself is not stored.
    """
    address = getattr(st.context, "ip_address", None)
    if isinstance(address, str) and address:
        return "ip:" + hashlib.sha256(address.encode()).hexdigest()[:32]
    tab = st.session_state.setdefault(state.CLIENT_KEY, secrets.token_hex(16))
    return "tab:" + tab
