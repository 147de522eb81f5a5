"""What the trainer console pages (and the missions page) share. Not a page itself.

- :func:`require_console_trainer`: the guard every console page starts with;
  :func:`require_console_viewer` for the pages an observer may see too (read-only).
- :func:`room`: the workshop's members and activity log, from the workshop's
  room (:mod:`sandbox.room`), which reads the log incrementally.
- :func:`mission_index`: the missions' index of that log, built once per change.
- :func:`dashboard`: every dashboard metric, cached by (workshop, log
  fingerprint) so 40 reruns of an unchanged room compute it once.
- :func:`clear_caches`: call after any console write, so the next run re-reads.
"""
from __future__ import annotations

import streamlit as st

from sandbox import config
from sandbox.activity import OBSERVER
from sandbox.errors import InsideOutError
from sandbox.metrics import Dashboard, compute_dashboard
from sandbox.room import RoomSnapshot
from sandbox.services import room_log
from sandbox.simulation import Scenario
from sandbox.simulation.missions import LogIndex
from sandbox.store.models import Member, Workshop
from sandbox.ui import db
from sandbox.ui.db import reading, utc_now
from sandbox.ui.pages_common import require_member, require_trainer


def require_console_trainer() -> tuple[Member, Workshop]:
    """The signed-in trainer and their workshop; stops the page for anyone else.

    app.py offers console pages only to the trainer; this is the second lock, for
    a page script run some other way (a guessed URL, a test).
    """
    trainer = require_trainer()
    with reading() as session:
        workshop = session.get(Workshop, trainer.workshop_id)
    if workshop is None:
        st.info("This workshop no longer exists.")
        st.stop()
    return trainer, workshop


def require_console_viewer() -> tuple[Member, Workshop]:
    """The signed-in trainer or observer (a co-trainer, read-only) and their workshop;
    stops the page for anyone else. For pages that only show the room."""
    member = require_member()
    if member.kind not in ("trainer", OBSERVER):
        st.info("Only the trainer can use this page. Observers signed in with their own key can see it too.")
        st.stop()
    with reading() as session:
        workshop = session.get(Workshop, member.workshop_id)
    if workshop is None:
        st.info("This workshop no longer exists.")
        st.stop()
    return member, workshop


def room(workshop: Workshop) -> RoomSnapshot:
    """Members and the activity log of ``workshop``, the log read incrementally."""
    return db.room(workshop).snapshot()


def scenario(workshop: Workshop) -> Scenario:
    """The workshop's scenario (read again only when its file changes)."""
    return db.room(workshop).scenario


@st.cache_data(max_entries=16, show_spinner=False)
def _dashboard(url: str, workshop_id: int, code: str, version: tuple[int, int, str], started: object,
               _workshop: Workshop) -> Dashboard:
    # The arguments are the cache key; ``url``, ``version`` and ``started`` (the session
    # clock's start, for community health) are not read here but make a new key
    # whenever the room changes.
    current = room(_workshop)
    return compute_dashboard(current.activities, current.members, seed_tags=scenario(_workshop).seed_tags(),
                             session_start=_workshop.clock_started_at)


def dashboard(workshop: Workshop) -> tuple[Dashboard, RoomSnapshot]:
    """The dashboard's metrics for ``workshop`` and the room they were computed from."""
    current = room(workshop)
    result = _dashboard(config.database_url(), workshop.id, workshop.code, current.version,
                        workshop.clock_started_at, workshop)
    return result, current


def mission_index(workshop: Workshop) -> LogIndex:
    """The missions' index of the room's log, built once per change of the log."""
    return db.room(workshop).mission_index()


def wiki_titles(workshop_id: int) -> dict[str, str]:
    with reading() as session:
        return room_log.wiki_titles(session, workshop_id)


def keep_room_alive(workshop: Workshop) -> str:
    """Let the simulated colleagues do whatever is due (the tick is cheap when nothing is).

    Live pages call this on every refresh, as DESIGN.md asks of pages. Returns
    "" or, when the scenario cannot be run, the plain reason to show.
    """
    try:
        db.room(workshop).keep_alive(utc_now())
    except InsideOutError as error:
        return f"The simulated colleagues could not act: {error}"
    return ""


def clear_caches() -> None:
    """Forget cached dashboards (after a reset or other console write)."""
    _dashboard.clear()
