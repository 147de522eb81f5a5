"""Keep the sign-in in a cookie, so that it never shows in an address.

Streamlit (1.67) reads cookies (``st.context.cookies``, the ones the browser sent
when the page opened) but has no call to write one. Of the ways round that, this
is the smallest that needs nothing outside Streamlit's documented API: a custom
component of version 2 (``st.components.v2.component``: its script runs in the
page itself, no iframe, nothing fetched from elsewhere) that sets
``document.cookie``. A Tornado route would mean patching Streamlit's server.

Because the script writes it, the cookie cannot be HttpOnly; it is SameSite=Strict
(never sent by another site's links or forms), Secure over https, scoped to the
sandbox's path, and lives only as long as the sign-in may. It holds the random
session token, nothing else; the store keeps only the token's SHA-256.
"""
from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

COOKIE = "insideout_session"
# A learner's sign-in lasts until they sign out; browsers keep a cookie at most 400
# days (Chrome's cap, from the cookie standard's draft RFC 6265bis), so ask for that.
LONGEST = 400 * 24 * 3600

# ``data`` is {"name", "value", "max_age"}; an empty value deletes the cookie.
# The path is the page's own folder, so a sandbox behind a path prefix keeps to it.
_JS = """
export default function (component) {
  const { name, value, max_age } = component.data || {};
  if (!name) return;
  const path = window.location.pathname.replace(/[^/]*$/, "") || "/";
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  const current = document.cookie.split("; ").find((part) => part.startsWith(name + "="));
  if (value) {
    if (current !== name + "=" + value) {
      document.cookie = `${name}=${value}; Max-Age=${max_age}; Path=${path}; SameSite=Strict${secure}`;
    }
  } else if (current !== undefined) {
    document.cookie = `${name}=; Max-Age=0; Path=${path}; SameSite=Strict${secure}`;
  }
}
"""
# Not isolated, so that the style reaches the element's own box: hidden, it takes no room
# (no gap above the page's title) and its script still runs. In the HTML rather than
# ``css=``, which Streamlit reads as a file pattern when it contains brackets.
_HTML = ('<style>[data-testid="stElementContainer"]:has(.io-cookie) { display: none; }</style>'
         '<span class="io-cookie"></span>')

_writer = st.components.v2.component("insideout.session_cookie", js=_JS, html=_HTML, isolate_styles=False)


def sent_token() -> str:
    """The token the browser sent in the cookie when this page opened ("" if none)."""
    cookies = st.context.cookies
    # Outside a browser connection (Streamlit's AppTest) this is not a mapping of strings.
    value = cookies.get(COOKIE) if isinstance(cookies, Mapping) else None
    return value if isinstance(value, str) else ""


def write(token: str, max_age_seconds: int) -> None:
    """Make the browser keep ``token`` (or forget the cookie, for "")."""
    _writer(key="io_session_cookie", width="content", height="content",
            data={"name": COOKIE, "value": token, "max_age": int(max_age_seconds)})
