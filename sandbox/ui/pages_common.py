"""Helpers every signed-in page starts with."""
from __future__ import annotations

import streamlit as st

from sandbox.store.models import Member
from sandbox.ui import state


def require_member() -> Member:
    """The member app.py signed in for this run; stops the page if there is none.

    app.py only offers member pages to members, so this guards against a page
    script being run on its own.
    """
    member = st.session_state.get(state.MEMBER)
    if member is None:
        st.info("Please join the workshop first.")
        st.stop()
    return member


def require_trainer() -> Member:
    member = require_member()
    if member.kind != "trainer":
        st.info("Only the trainer can use this page.")
        st.stop()
    return member


FEED_PAGE = "ui/pages/feed.py"
WIKI_PAGE = "ui/pages/wiki.py"


def open_post(post_id: int) -> None:
    """Go to the feed with this post's thread open at the top."""
    st.session_state[state.FOCUS_POST] = post_id
    st.switch_page(FEED_PAGE)


def open_group(group_id: int) -> None:
    """Go to the feed showing only this group's posts."""
    st.session_state[state.FEED_GROUP] = group_id
    st.session_state[state.FEED_BEFORE] = None
    st.session_state[state.FEED_CURSORS] = []
    st.switch_page(FEED_PAGE)
