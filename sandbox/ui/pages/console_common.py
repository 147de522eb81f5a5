"""What the trainer console pages (and the missions page) share. Not a page itself.

- :func:`require_console_trainer`: the guard every console page starts with.
- :func:`room`: the workshop's members and activity log, the log kept per
  server process and topped up with only the new rows (``RoomLog``).
- :func:`mission_index`: the missions' index of that log, built once per change.
- :func:`dashboard`: every dashboard metric, cached by (workshop, log
  fingerprint) so 40 reruns of an unchanged room compute it once.
- :func:`clear_caches`: call after any console write, so the next run re-reads.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

import streamlit as st

from sandbox import config
from sandbox.errors import InsideOutError
from sandbox.metrics import Dashboard, compute_dashboard
from sandbox.metrics import records
from sandbox.services import room as room_service
from sandbox.simulation import Scenario, load_scenario
from sandbox.simulation.missions import LogIndex
from sandbox.simulation.tick import tick
from sandbox.store.models import Member, Workshop
from sandbox.ui.db import engine, reading, utc_now
from sandbox.ui.pages_common import require_trainer

# (database URL, workshop id) -> RoomLog. A plain dict, not st.cache_resource:
# the log is topped up in place, which Streamlit's caches are not meant for.
_logs: dict[tuple[str, int, str], room_service.RoomLog] = {}
_log_locks: dict[tuple[str, int, str], threading.Lock] = {}
_logs_lock = threading.Lock()  # guards the two dicts, never held while reading the store


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


@dataclass(frozen=True)
class _WorkshopRef:
    """What :func:`room` needs of a workshop (a cached function gets plain values)."""

    id: int
    code: str


@dataclass(frozen=True)
class Room:
    members: list[records.Member]
    activities: list[records.Activity]
    version: tuple[int, int, str]
    """Changes whenever the log does (see ``RoomLog.version``): the key of derived caches."""

    def names(self) -> dict[str, str]:
        """Handle -> display name, for tables."""
        return {member.handle: member.display_name or member.handle for member in self.members}

    def learners(self) -> list[records.Member]:
        return [member for member in self.members if member.kind == "learner"]


def _key(workshop: Workshop | _WorkshopRef) -> tuple[str, int, str]:
    # The join code too: a test database (or a store wiped and made again) can give
    # another workshop the same id, never the same random code.
    return (config.database_url(), workshop.id, workshop.code)


def room(workshop: Workshop | _WorkshopRef) -> Room:
    """Members and the activity log of ``workshop``, the log read incrementally."""
    key = _key(workshop)
    workshop_id = workshop.id
    with _logs_lock:
        log = _logs.setdefault(key, room_service.RoomLog(workshop_id))
        lock = _log_locks.setdefault(key, threading.Lock())
    # One lock per workshop: browser sessions of one room take turns topping up its
    # log, and a busy room never holds up another.
    with lock:
        with reading() as session:
            log.refresh(session)
            members = room_service.load_members(session, workshop_id)
        # A copy: the shared list grows under other sessions' feet.
        return Room(members=members, activities=list(log.activities), version=log.version)


@lru_cache(maxsize=16)
def scenario(name: str) -> Scenario:
    """The workshop's scenario (shipped files: one read per process is enough)."""
    return load_scenario(name)


@st.cache_data(max_entries=16, show_spinner=False)
def _dashboard(url: str, workshop_id: int, code: str, version: tuple[int, int, str], scenario_name: str) -> Dashboard:
    # The arguments are the cache key; ``url`` and ``version`` are not read here
    # but make a new key whenever the room changes.
    current = room(_WorkshopRef(workshop_id, code))
    seed_tags = scenario(scenario_name).seed_tags()
    return compute_dashboard(current.activities, current.members, seed_tags=seed_tags)


def dashboard(workshop: Workshop) -> tuple[Dashboard, Room]:
    """The dashboard's metrics for ``workshop`` and the room they were computed from."""
    current = room(workshop)
    result = _dashboard(config.database_url(), workshop.id, workshop.code, current.version, workshop.scenario)
    return result, current


_indexes: dict[tuple[str, int, str], tuple[tuple[int, int, str], LogIndex]] = {}


def mission_index(workshop: Workshop) -> LogIndex:
    """The missions' index of the room's log, built once per change of the log.

    Every learner's missions page evaluates against the same index, so 40 learners
    reloading an unchanged room build it once, not 40 times.
    """
    current = room(workshop)
    key = _key(workshop)
    with _logs_lock:
        known = _indexes.get(key)
        if known is not None and known[0] == current.version:
            return known[1]
    index = LogIndex.build(current.activities, scenario(workshop.scenario).seed_tags())
    with _logs_lock:
        _indexes[key] = (current.version, index)
    return index


def wiki_titles(workshop_id: int) -> dict[str, str]:
    with reading() as session:
        return room_service.wiki_titles(session, workshop_id)


def keep_room_alive(workshop: Workshop) -> str:
    """Let the simulated colleagues do whatever is due (the tick is cheap when nothing is).

    Live pages call this on every refresh, as DESIGN.md asks of pages. Returns
    "" or, when the scenario cannot be run, the plain reason to show.
    """
    try:
        tick(engine(), workshop.code, utc_now())
    except InsideOutError as error:
        return f"The simulated colleagues could not act: {error}"
    return ""


def clear_caches() -> None:
    """Forget cached dashboards and mission indexes (after a reset or other console write)."""
    _dashboard.clear()
    with _logs_lock:
        _indexes.clear()
