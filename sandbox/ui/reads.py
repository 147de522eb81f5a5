"""Cached reads for the busiest page: the feed reruns on every click of every learner.

``st.cache_data`` keeps recent answers for a few seconds, keyed by everything
that changes them: the viewer, the filters, the page cursor and the newest post
id (so a new post or reply anywhere shows at once). Every write made through
``sandbox.ui.actions.run_action`` clears these caches, so people always see
their own changes immediately. What can lag by up to ``FRESH_SECONDS`` is only
someone else's reaction or vote on a post already on screen.

Services still do all the work; this module only remembers their answers.
"""
from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from sandbox.services import feed, groups, workshops
from sandbox.services.feed import FeedPage, PostView
from sandbox.services.groups import GroupView
from sandbox.store.models import Member
from sandbox.ui.db import reading

FRESH_SECONDS = 10
MAX_ENTRIES = 2000


@dataclass(frozen=True)
class Colleague:
    handle: str
    display_name: str
    department: str
    kind: str


@st.cache_data(ttl=FRESH_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def feed_page(viewer_id: int, latest_id: int, tag: str, author: str, group_id: int | None, kind: str,
              before_id: int | None, limit: int, _viewer: Member) -> FeedPage:
    with reading() as session:
        return feed.list_feed(session, _viewer, tag=tag or None, author_handle=author or None,
                              group_id=group_id, kind=kind or None, before_id=before_id, limit=limit)


@st.cache_data(ttl=FRESH_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def pinned(viewer_id: int, latest_id: int, _viewer: Member) -> list[PostView]:
    with reading() as session:
        return feed.pinned_posts(session, _viewer)


@st.cache_data(ttl=FRESH_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def my_groups(viewer_id: int, _viewer: Member) -> list[GroupView]:
    with reading() as session:
        return [g for g in groups.list_groups(session, _viewer) if g.is_member]


@st.cache_data(ttl=FRESH_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def colleagues(workshop_id: int, viewer_id: int) -> list[Colleague]:
    with reading() as session:
        return [Colleague(m.handle, m.display_name, m.department, m.kind)
                for m in workshops.list_members(session, workshop_id) if m.id != viewer_id]


def latest_post_id(workshop_id: int) -> int:
    """Not cached: this one index lookup is what tells the caches above they are out of date."""
    with reading() as session:
        return feed.latest_post_id(session, workshop_id) or 0


def clear() -> None:
    """Forget every cached answer (after any write)."""
    for cached in (feed_page, pinned, my_groups, colleagues):
        cached.clear()
