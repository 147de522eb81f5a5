"""Record what a person reads (feed and threads), throttled twice over.

The store keeps one row per look within :data:`READING_THROTTLE_SECONDS`
(:mod:`sandbox.services.reading`); this tab also remembers what it recorded, so
the many reruns of the feed in between do not even ask the store.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

import streamlit as st

from sandbox.services import reading
from sandbox.store.models import Member
from sandbox.ui import state
from sandbox.ui.db import command, utc_now

_THROTTLE = timedelta(seconds=reading.READING_THROTTLE_SECONDS)


def note_feed_view(member: Member, post_ids: Iterable[int]) -> None:
    """Record that ``member`` sees the feed with ``post_ids`` on it."""
    shown = frozenset(post_ids)
    if _recently_noted("feed", shown):
        return
    with command() as write:
        reading.record_feed_view(write.session, member, shown, now=utc_now())
    _noted("feed", shown)


def note_thread_view(member: Member, post_id: int) -> None:
    """Record that ``member`` opened the thread of ``post_id``."""
    key = f"thread:{post_id}"
    if _recently_noted(key, frozenset()):
        return
    with command() as write:
        reading.record_thread_view(write.session, member, post_id, now=utc_now())
    _noted(key, frozenset())


def _recently_noted(key: str, shown: frozenset[int]) -> bool:
    noted = st.session_state.setdefault(state.READING_NOTED, {}).get(key)
    return noted is not None and utc_now() - noted[0] < _THROTTLE and shown <= noted[1]


def _noted(key: str, shown: frozenset[int]) -> None:
    st.session_state.setdefault(state.READING_NOTED, {})[key] = (utc_now(), shown)
