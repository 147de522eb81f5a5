"""Cached reads for the busiest page: the feed reruns on every click of every learner.

``st.cache_data`` keeps recent answers for a few seconds, keyed by everything
that changes them: the viewer, the filters, the page cursor and the newest post
id (so a new post or reply anywhere shows at once) and the workshop's generation.
Every write made through ``sandbox.ui.actions.run_action`` moves that workshop's
generation on (:func:`clear`), so people always see their own changes immediately,
while other workshops keep their cached answers. What can lag by up to
``FRESH_SECONDS`` is only someone else's reaction or vote on a post already on screen.

Services still do all the work; this module only remembers their answers.
"""
from __future__ import annotations

import threading
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


# How many times each workshop's cached answers were cleared in this process: part of
# every cache key, so clearing one workshop leaves the others' entries in place (old
# entries age out with the TTL and MAX_ENTRIES).
_generations: dict[int, int] = {}
_generations_lock = threading.Lock()


def generation(workshop_id: int) -> int:
    return _generations.get(workshop_id, 0)


@st.cache_data(ttl=FRESH_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def _feed_page(workshop_generation: tuple[int, int], viewer_id: int, latest_id: int, tag: str, author: str,
               group_id: int | None, kind: str, before_id: int | None, limit: int, _viewer: Member) -> FeedPage:
    with reading() as session:
        return feed.list_feed(session, _viewer, tag=tag or None, author_handle=author or None,
                              group_id=group_id, kind=kind or None, before_id=before_id, limit=limit)


@st.cache_data(ttl=FRESH_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def _pinned(workshop_generation: tuple[int, int], viewer_id: int, latest_id: int, _viewer: Member) -> list[PostView]:
    with reading() as session:
        return feed.pinned_posts(session, _viewer)


@st.cache_data(ttl=FRESH_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def _my_groups(workshop_generation: tuple[int, int], viewer_id: int, _viewer: Member) -> list[GroupView]:
    with reading() as session:
        return [g for g in groups.list_groups(session, _viewer) if g.is_member]


@st.cache_data(ttl=FRESH_SECONDS, max_entries=MAX_ENTRIES, show_spinner=False)
def _colleagues(workshop_generation: tuple[int, int], viewer_id: int) -> list[Colleague]:
    workshop_id = workshop_generation[0]
    with reading() as session:
        return [Colleague(m.handle, m.display_name, m.department, m.kind)
                for m in workshops.list_members(session, workshop_id) if m.id != viewer_id]


def _key(workshop_id: int) -> tuple[int, int]:
    return (workshop_id, generation(workshop_id))


def feed_page(viewer_id: int, latest_id: int, tag: str, author: str, group_id: int | None, kind: str,
              before_id: int | None, limit: int, viewer: Member) -> FeedPage:
    return _feed_page(_key(viewer.workshop_id), viewer_id, latest_id, tag, author, group_id, kind, before_id,
                      limit, viewer)


def pinned(viewer_id: int, latest_id: int, viewer: Member) -> list[PostView]:
    return _pinned(_key(viewer.workshop_id), viewer_id, latest_id, viewer)


def my_groups(viewer_id: int, viewer: Member) -> list[GroupView]:
    return _my_groups(_key(viewer.workshop_id), viewer_id, viewer)


def colleagues(workshop_id: int, viewer_id: int) -> list[Colleague]:
    return _colleagues(_key(workshop_id), viewer_id)


def latest_post_id(workshop_id: int) -> int:
    """Not cached: this one index lookup is what tells the caches above they are out of date."""
    with reading() as session:
        return feed.latest_post_id(session, workshop_id) or 0


def clear(workshop_id: int | None) -> None:
    """Forget the cached answers of ``workshop_id`` after a write there; every
    workshop's when it is not known (None)."""
    if workshop_id is None:
        for cached in (_feed_page, _pinned, _my_groups, _colleagues):
            cached.clear()
        return
    with _generations_lock:
        _generations[workshop_id] = _generations.get(workshop_id, 0) + 1
