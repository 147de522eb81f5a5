"""Who is using this browser: the session token, and the member it belongs to.

The token is random (from the join or trainer sign-in service); the display name
is never used to sign anyone in. It never appears in an address (an address can be
copied, bookmarked or read off a projector): this tab keeps it in session state,
and the browser keeps it in a cookie (:mod:`sandbox.ui.components.session_cookie`)
so that a reload or a new tab of the same browser continues as the same person.
Another browser, given the same address, has no cookie and sees the join page.
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
from sandbox.ui.components import session_cookie
from sandbox.ui.db import reading, utc_now, writing


def _token() -> str:
    """This tab's token: the one it signed in with, else the browser's cookie.

    Session state holds None until the tab has decided, and "" once it has signed
    out (the cookie the page opened with is then no longer believed)."""
    chosen = st.session_state.get(state.TOKEN)
    return session_cookie.sent_token() if chosen is None else chosen


def current_member() -> Member | None:
    """The signed-in member, or None.

    An unknown, revoked or expired token (say, after a workshop reset, "Sign out
    everywhere" or the end of a trainer's day) is dropped quietly: the person sees
    the join page again.
    """
    from_cookie = st.session_state.get(state.TOKEN) is None
    token = _token()
    if not token:
        return None
    with reading() as session:
        member = workshops.member_for_token(session, token, now=utc_now())
    st.session_state[state.TOKEN] = token if member is not None else ""
    if from_cookie and member is not None:
        st.session_state[state.RESTORED] = True  # app.py offers "I am someone else" once
    return member


def keep_in_browser(member: Member | None) -> None:
    """Make the browser's cookie match this tab's sign-in (call once per run, from app.py).

    Nothing to do while the cookie the page opened with is the right one (most page
    loads). Once this tab has signed in or out, it says so again on every run: the
    write is idempotent, and a run cut short by a rerun cannot lose it."""
    wanted = st.session_state.get(state.TOKEN) or ""
    if wanted == session_cookie.sent_token() and not st.session_state.get(state.COOKIE_WRITTEN):
        return
    st.session_state[state.COOKIE_WRITTEN] = True
    if not wanted or member is None:
        session_cookie.write("", 0)
        return
    lifetime = workshops.session_lifetime(member)
    session_cookie.write(wanted, int(lifetime.total_seconds()) if lifetime else session_cookie.LONGEST)


def sign_in(token: str, *, return_code: str | None = None) -> None:
    """Remember a fresh session token for this tab and browser (after join or trainer sign-in).

    A learner's ``return_code`` (new at joining) is kept in this tab only, for the
    sidebar to show until the tab closes: the store has only its hash."""
    st.session_state[state.TOKEN] = token
    st.session_state[state.RETURN_CODE] = return_code or ""


def sign_out() -> None:
    """Forget this browser's token here and in the store (other devices stay signed in)."""
    token = _token()
    if token:
        with writing() as session:
            workshops.sign_out(session, token)
    _forget()


def _forget() -> None:
    st.session_state[state.TOKEN] = ""
    st.session_state[state.RETURN_CODE] = ""


def sign_out_everywhere() -> None:
    """Forget every sign-in of the signed-in member, on every browser and device."""
    token = _token()
    if token:
        with writing() as session:
            member = workshops.member_for_token(session, token)
            if member is not None:
                workshops.sign_out_everywhere(session, member)
    _forget()


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
