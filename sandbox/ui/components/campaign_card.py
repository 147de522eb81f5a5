"""The campaign card at the top of the feed: each running hashtag campaign and how far it has got.

One line in the feed calls :func:`show`. The figures come from the room's log
(:mod:`sandbox.metrics.campaigns`), remembered per change of the log, so 40
learners rerunning the feed compute them once.
"""
from __future__ import annotations

import streamlit as st

from sandbox import config
from sandbox.metrics.campaigns import Campaign, campaigns
from sandbox.store.models import Member
from sandbox.ui import db
from sandbox.ui.db import utc_now


@st.cache_data(max_entries=64, show_spinner=False)
def _campaigns(url: str, workshop_id: int, code: str, version: tuple[int, int, str], _activities) -> list[Campaign]:
    # The arguments but the last are the cache key (the log changes, the key does; the join
    # code tells apart two stores that reuse a workshop id).
    return campaigns(_activities)


def current(workshop_id: int) -> list[Campaign]:
    """Every campaign of the workshop, newest first."""
    room = db.rooms().room_of(workshop_id)
    snapshot = room.snapshot()
    return _campaigns(config.database_url(), workshop_id, room.code, snapshot.version, snapshot.activities)


def show(member: Member) -> None:
    """Cards for the campaigns running now (nothing when there are none)."""
    now = utc_now()
    for campaign in current(member.workshop_id):
        if not campaign.open_at(now):
            continue
        with st.container(border=True):
            st.markdown(f"**Campaign: #{campaign.tag}**. Tag your post **#{campaign.tag}** to join in.")
            st.progress(campaign.progress, text=campaign.summary(now))
