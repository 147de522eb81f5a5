"""The sidebar under the page list: who you are, and a way to sign out."""
from __future__ import annotations

import streamlit as st

from sandbox.store.models import Member
from sandbox.ui import identity, state


def _sign_out() -> None:
    identity.sign_out()
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
        # Closing the tab loses the sign-in unless the address (which carries it) is kept.
        st.caption("To come back as yourself later, bookmark this page: its address is your "
                   "private sign-in, so don't share it.")
        st.button("Sign out", key=state.widget_key("signout"), on_click=_sign_out,
                  help="Forget this browser's sign-in. Your posts stay.")
