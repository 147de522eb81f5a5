"""The live feel: new posts announced without a manual reload.

A fragment reruns on its own every few seconds and asks only the cheap
questions (the newest post id, then how many are new). It never redraws the
feed under the reader's cursor; it offers "N new posts - show them" instead.
"""
from __future__ import annotations

import streamlit as st

from sandbox.services import feed
from sandbox.store.models import Member
from sandbox.ui import state
from sandbox.ui.db import reading
from sandbox.ui.simulation import release_due

POLL_SECONDS = 5


@st.fragment(run_every=POLL_SECONDS)
def new_posts_notice(member: Member, shown_latest_id: int) -> None:
    seen = st.session_state.get(state.FEED_SEEN_ID, shown_latest_id)
    release_due(member)  # simulated colleagues answer while the reader waits
    with reading() as session:
        latest = feed.latest_post_id(session, member.workshop_id) or 0
        new = feed.count_new_posts(session, member, seen) if latest > seen else 0
    if not new:
        return
    label = f"{new} new post{'s' if new != 1 else ''} — show them"
    if st.button(label, key=state.widget_key("show_new"), icon=":material/arrow_upward:"):
        st.session_state[state.FEED_BEFORE] = None
        st.session_state[state.FEED_CURSORS] = []
        st.rerun()
