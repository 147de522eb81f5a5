"""Who is using this browser tab: the session token, and the member it belongs to.

The token is random (from the join or trainer sign-in service) and rides in the
URL as ``?s=...`` so that a reload keeps the person signed in; the display name
is never used to sign anyone in. Streamlit clears query parameters when the page
changes, so the token is also kept in session state and put back in the URL on
every run.
"""
from __future__ import annotations

import hashlib
import ipaddress
import secrets
from collections.abc import Mapping

import streamlit as st

from sandbox import config
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
    peer = getattr(st.context, "ip_address", None)
    headers = getattr(st.context, "headers", None)
    # Outside a browser connection (Streamlit's AppTest) these are not strings.
    address = client_address(peer if isinstance(peer, str) else None,
                             headers if isinstance(headers, Mapping) else {}, config.trusted_proxies())
    if address:
        return "ip:" + hashlib.sha256(address.encode()).hexdigest()[:32]
    tab = st.session_state.setdefault(state.CLIENT_KEY, secrets.token_hex(16))
    return "tab:" + tab


LOOPBACK = "127.0.0.1"


def client_address(peer: str | None, headers: Mapping[str, str], trusted: list[str]) -> str | None:
    """The address of the person's browser, or None when it is not known.

    ``peer`` is the address the connection came from (Streamlit gives None for this
    machine itself). Behind a reverse proxy that is the proxy's address for everyone,
    so when the peer is one of the ``trusted`` proxies (``INSIDEOUT_TRUSTED_PROXIES``)
    the address the proxy passed on is used: the last one in ``X-Forwarded-For`` that
    is not itself a trusted proxy, else ``X-Real-IP``. From anyone else these headers
    are ignored: a browser can write whatever it likes in them.
    """
    networks = _networks(trusted)
    if not _within(peer or LOOPBACK, networks):
        return peer
    # Every X-Forwarded-For line, in order (Streamlit's headers give the first by name).
    lines = headers.get_all("X-Forwarded-For") if hasattr(headers, "get_all") else [headers.get("X-Forwarded-For")]
    forwarded = [part.strip() for line in lines for part in (line or "").split(",") if part.strip()]
    for address in reversed(forwarded):
        if not _within(address, networks):
            return address if _is_address(address) else peer
    real = (headers.get("X-Real-IP") or "").strip()
    return real if _is_address(real) else peer


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _networks(trusted: list[str]) -> list:
    networks = []
    for entry in trusted:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue  # not an address: trusts nobody
    return networks


def _within(address: str, networks: list) -> bool:
    if not _is_address(address):
        return False
    ip = ipaddress.ip_address(address)
    return any(ip.version == network.version and ip in network for network in networks)
