"""The sidebar under the page list: who you are, and a way to sign out."""
from __future__ import annotations

import streamlit as st

from sandbox.services import workshops
from sandbox.store.models import Member
from sandbox.ui import identity, state
from sandbox.ui.components.text import md_escape


def _sign_out(everywhere: bool = False) -> None:
    if everywhere:
        identity.sign_out_everywhere()
    else:
        identity.sign_out()
    st.session_state[state.SIGNED_OUT] = "everywhere" if everywhere else "here"
    for key in (state.FEED_TAG, state.FEED_GROUP, state.FEED_BEFORE, state.OPEN_THREAD):
        st.session_state[key] = state.DEFAULTS[key]


def signed_in_as(member: Member, workshop_title: str, unread: int) -> None:
    with st.sidebar:
        st.markdown("**Signed in as**")
        st.text(f"{member.display_name}" + (f" ({member.department})" if member.department else ""))
        st.caption(f"Your handle is @{member.handle}")
        st.text(f"Workshop: {workshop_title}")
        if unread:
            st.caption(f"You have {unread} unread notification{'s' if unread != 1 else ''}.")
        return_code = st.session_state.get(state.RETURN_CODE)
        if return_code:
            st.markdown(f"**Your return code:** `{return_code}`")
            st.caption("Write it down now: it is shown only here, and only in this tab. With "
                       "the join code and your name, it brings you back as yourself on another "
                       "browser or computer.")
        # The sign-in lives in a cookie of this browser, never in the address.
        lifetime = workshops.session_lifetime(member)
        lasts = f"for {lifetime.total_seconds() / 3600:g} hours" if lifetime else "until you sign out"
        st.caption(f"This browser keeps you signed in {lasts}, also in new tabs. "
                   "On a shared computer, sign out when you leave.")
        st.button("Sign out", key=state.widget_key("signout"), on_click=_sign_out,
                  help="Forget this browser's sign-in. Your posts stay.")
        st.button("Sign out everywhere", key=state.widget_key("signout_everywhere"), on_click=_sign_out,
                  kwargs={"everywhere": True},
                  help="Sign out on every browser and device you used, for example a lost laptop.")


def continuing_as(member: Member) -> None:
    """On a tab the browser's cookie signed in: who this is, and a way out for someone else
    at a shared computer. Shown once; gone at the next click."""
    # One short row (a phone has room for it), so the page's own content stays on the first screen.
    with st.container(horizontal=True, vertical_alignment="center", gap="small"):
        st.caption(f"Continuing as **{md_escape(member.display_name)}**.", width="content",
                   help="This browser remembered you.")
        st.button("Not you? Sign out", key=state.widget_key("someone_else"), on_click=_sign_out, type="tertiary",
                  help=f"Not {md_escape(member.display_name)}? Sign this browser out and join as yourself.")
