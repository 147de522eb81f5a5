"""The live feel: new posts arrive without a click, and colleagues are seen writing.

A fragment reruns on its own every few seconds and asks only the cheap
questions (the newest post id, then how many are new). When something new has
arrived and the reader is at the top of the feed, not writing or reading a
thread, the whole page redraws with it. Otherwise redrawing would move things
under the reader's cursor (or lose a half-typed reply), so it offers
"N new posts - show them" instead.

A little before a simulated colleague's post or reply is due, it says
"Priya Shah is writing…", as a real network would.
"""
from __future__ import annotations

from datetime import timedelta

import streamlit as st

from sandbox.errors import InsideOutError
from sandbox.services import feed
from sandbox.store.models import Member
from sandbox.ui import db, state
from sandbox.ui.components.network import writing_line
from sandbox.ui.db import reading
from sandbox.ui.simulation import release_due

# Every second: another learner's post showed in 1.5 s median in Chromium at load 18
# (tests/benchmarks/test_feed_feel.py; 3.0 s with the old 3 s poll; issue 14's aim is 2 s).
# A poll's questions are shared by the server's sessions in the workshop's room (the newest
# post id for 0.5 s, one tick a second, who is writing for 1 s: sandbox/room), and the
# server no longer collects garbage after every script run (sandbox/ui/server.py): a poll
# costs the server about 4-5 ms of CPU (was 95 ms), so 100 idle readers polling every
# second take under half of one core (tests/benchmarks/test_live_poll_cost.py).
POLL_SECONDS = 1
# How long before a simulated colleague's post or reply "Priya is writing…" shows.
WRITING_LEAD = timedelta(seconds=20)


def reader_is_at_the_top() -> bool:
    """True when redrawing the feed cannot disturb the reader: the newest page, and no
    composer, edit, delete question or thread open (where they may be typing)."""
    values = st.session_state
    return (values.get(state.FEED_BEFORE) is None
            and not values.get(state.COMPOSER_OPEN)
            and values.get(state.EDITING_POST) is None
            and values.get(state.CONFIRM_DELETE) is None
            and values.get(state.OPEN_THREAD) is None
            and values.get(state.FOCUS_POST) is None)


def colleagues_writing(member: Member) -> list[str]:
    """Names of simulated colleagues about to post or reply where ``member`` would see it."""
    try:
        room = db.rooms().room_of(member.workshop_id)
        soon = room.coming_up(db.utc_now(), WRITING_LEAD)
        scenario = room.scenario if soon else None
    except InsideOutError:
        return []
    names: list[str] = []
    for scope, action in soon:
        # In self-study each learner has their own colleagues' timeline.
        if scope and scope != f"learner:{member.handle}:":
            continue
        try:
            name = scenario.persona(action.persona).name
        except KeyError:
            continue
        if name not in names:
            names.append(name)
    return names


@st.fragment(run_every=POLL_SECONDS)
def new_posts_notice(member: Member, shown_latest_id: int) -> None:
    seen = st.session_state.get(state.FEED_SEEN_ID, shown_latest_id)
    release_due(member)  # simulated colleagues answer while the reader waits
    try:
        latest = db.rooms().room_of(member.workshop_id).newest_post_id()
    except InsideOutError:
        return
    new = 0
    if latest > seen:
        with reading() as session:
            new = feed.count_new_posts(session, member, seen)
    if latest > seen and reader_is_at_the_top():
        # The whole page (about 35 ms of server CPU, measured), so new posts and replies show
        # where they belong: a fragment cannot rerun another in Streamlit 1.67, and a polling
        # fragment that held the posts would draw them all again every second.
        st.rerun()
    writing_line(colleagues_writing(member))
    if not new:
        return
    label = f"{new} new post{'s' if new != 1 else ''} — show them"
    if st.button(label, key=state.widget_key("show_new"), icon=":material/arrow_upward:"):
        st.session_state[state.FEED_BEFORE] = None
        st.session_state[state.FEED_CURSORS] = []
        st.rerun()
