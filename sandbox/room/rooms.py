"""``Rooms`` and ``Room``: see :mod:`sandbox.room` for what they own and why."""
from __future__ import annotations

import threading
import time as monotonic_time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from sandbox.errors import InsideOutError
from sandbox.metrics import records
from sandbox.services import activity_log, feed
from sandbox.services.errors import NotFound
from sandbox.services.room_log import LogSnapshot, SharedLog, load_members
from sandbox.simulation.mission_records import record_finished_missions
from sandbox.simulation.missions import LogIndex, Mission
from sandbox.simulation.planning import Action
from sandbox.simulation.scenario import Scenario, ScenarioCache
from sandbox.simulation.seed import reset_and_reseed
from sandbox.simulation.tick import TickResult, WorkshopTick
from sandbox.simulation.timeline import Timeline, release_inject_now, skip_inject, timeline
from sandbox.store import read_session, write_session
from sandbox.store.models import Member, Workshop

# Key in ``Session.info``: ids of workshops whose remembered state is out of date once
# this transaction commits (a reset, the clock, a step released or skipped by hand).
_FORGET = "insideout.room_forget"

# The live feed's poll asks every second from every open feed; one server process shares
# the answers across its sessions (measured in tests/benchmarks/test_live_poll_cost.py).
# How long the newest post id read from the store is trusted: a post another server
# stores shows within this; this server's own writes and releases clear it at once.
NEWEST_POST_FRESH_SECONDS = 0.5
# At most one tick per workshop per this many seconds in this process (unless this
# server wrote since): the store still decides who releases each scripted post, once.
TICK_EVERY_SECONDS = 1.0
# How long "who is writing" is reused; it is computed looking this much further ahead.
COMING_UP_FRESH_SECONDS = 1.0


@dataclass(frozen=True)
class RoomSnapshot:
    """A workshop's members and activity log at one moment, as metric records."""

    members: list[records.Member]
    activities: list[records.Activity]
    version: tuple[int, int, str, int]
    """Changes whenever the log does (see ``RoomLog.version``): the key of derived caches."""

    def names(self) -> dict[str, str]:
        """Handle -> display name, for tables."""
        return {member.handle: member.display_name or member.handle for member in self.members}

    def learners(self) -> list[records.Member]:
        return [member for member in self.members if member.kind == "learner"]


@dataclass
class RoomWrite:
    """One command's transaction through :meth:`Rooms.writing`: its session and, once
    the block ends, the missions the command finished (learner handle -> missions)."""

    session: Session
    missions: dict[str, list[Mission]] = field(default_factory=dict)

    def finished_by(self, handle: str) -> list[Mission]:
        return self.missions.get(handle, [])


class Room:
    """One workshop's live state in this server process (made by :meth:`Rooms.room`)."""

    def __init__(self, rooms: Rooms, workshop: Workshop) -> None:
        self.workshop_id = workshop.id
        self.code = workshop.code
        self.scenario_name = workshop.scenario
        self._rooms = rooms
        self.log = SharedLog(workshop.id)
        # The missions' index of the committed log, and the last row it covers (the very
        # record object: a log read again after a reset never matches it).
        self._index: tuple[int, records.Activity | None, LogIndex] | None = None
        self._index_lock = threading.Lock()
        self.ticker = WorkshopTick(workshop.id, log=self.log, scenarios=rooms.scenarios,
                                   mission_index=self.index_of)
        # The live poll's shared answers (monotonic time they were taken, ...): see changed().
        self._live_lock = threading.Lock()
        self._newest: tuple[float, int] | None = None
        self._changes = 0  # how many times changed() was called: a read taken before one is stale
        self._last_tick: tuple[float, datetime] | None = None
        self._coming: tuple[float, datetime, timedelta, list[tuple[str, Action]]] | None = None

    @property
    def scenario(self) -> Scenario:
        """The workshop's scenario, read again only when its file changes. Fails with ScenarioError."""
        return self._rooms.scenarios.get(self.scenario_name)

    # --- reading ------------------------------------------------------------------

    def snapshot(self) -> RoomSnapshot:
        """Members and the activity log, the log read incrementally."""
        with read_session(self._rooms.engine) as session:
            log = self.log.snapshot(session)
            members = load_members(session, self.workshop_id)
        return RoomSnapshot(members=members, activities=log.activities, version=log.version)

    def mission_index(self, snapshot: RoomSnapshot | None = None) -> LogIndex:
        """The missions' index of the log, built once and then extended with new rows only.

        Every learner's missions page evaluates against the same index, so 40
        learners reloading an unchanged room build it once, not 40 times.
        """
        current = snapshot or self.snapshot()
        return self.index_of(current.activities, remember=True)

    def index_of(self, activities: list[records.Activity], *, remember: bool = False) -> LogIndex:
        """The missions' index of ``activities`` (the log in id order, as the shared log
        gives it): the remembered index extended by the rows it lacks, or built afresh.

        ``remember`` only for committed rows (never a write transaction's own).
        """
        with self._index_lock:
            known = self._index
        index = None
        if known is not None:
            count, last, base = known
            if len(activities) >= count and (activities[count - 1] if count else None) is last:
                index = base.extended(activities[count:]) if len(activities) > count else base
        if index is None:
            index = LogIndex.build(activities, self.scenario.seed_tags())
        if remember:
            with self._index_lock:
                self._index = (len(activities), activities[-1] if activities else None, index)
        return index

    def timeline(self, now: datetime) -> Timeline:
        """Every scripted step with its status now (see :func:`sandbox.simulation.timeline.timeline`)."""
        with read_session(self._rooms.engine) as session:
            workshop = session.get(Workshop, self.workshop_id)
            return timeline(session, workshop, self.scenario, now=now)

    # --- the simulation -----------------------------------------------------------

    def keep_alive(self, now: datetime) -> TickResult:
        """Let simulated colleagues do whatever is due (one small query when nothing is).

        Every page run and every live poll of every session asks; the room looks at most
        once per ``TICK_EVERY_SECONDS`` (and at once after this server writes, or when
        ``now`` moves on by more than that). Fails with ScenarioError when the scenario
        file is missing or broken.
        """
        started = monotonic_time.monotonic()
        with self._live_lock:
            last, changes = self._last_tick, self._changes
            if (last is not None and started - last[0] < TICK_EVERY_SECONDS
                    and timedelta(0) <= now - last[1] < timedelta(seconds=TICK_EVERY_SECONDS)):
                return TickResult()
        result = self.ticker.tick(self._rooms.engine, now)
        if result.released:
            self.changed()
        else:
            with self._live_lock:
                if self._changes == changes:
                    self._last_tick = (started, now)
        return result

    def coming_up(self, now: datetime, within: timedelta) -> list[tuple[str, Action]]:
        """Posts and replies simulated colleagues will write in the next ``within``, as
        (scope, action); see :meth:`WorkshopTick.coming_up`. Fails with ScenarioError.

        Shared by the room's sessions for ``COMING_UP_FRESH_SECONDS``: the answer is
        worked out that much further ahead and cut to ``within`` for each ``now``.
        """
        fresh = timedelta(seconds=COMING_UP_FRESH_SECONDS)
        started = monotonic_time.monotonic()
        with self._live_lock:
            known, changes = self._coming, self._changes
        if (known is None or started - known[0] >= COMING_UP_FRESH_SECONDS or known[2] != within
                or not timedelta(0) <= now - known[1] < fresh):
            ahead = self.ticker.coming_up(self._rooms.engine, now, within + fresh)
            known = (started, now, within, ahead)
            with self._live_lock:
                if self._changes == changes:
                    self._coming = known
        return [(scope, action) for scope, action in known[3] if now < action.due_at <= now + within]

    def newest_post_id(self) -> int:
        """The newest post or reply id in the workshop (0 when none), as the live poll
        asks for it: read again at most every ``NEWEST_POST_FRESH_SECONDS``, and at once
        after this server stores a post (see :meth:`changed`)."""
        started = monotonic_time.monotonic()
        with self._live_lock:
            known, changes = self._newest, self._changes
        if known is not None and started - known[0] < NEWEST_POST_FRESH_SECONDS:
            return known[1]
        with read_session(self._rooms.engine) as session:
            newest = feed.latest_post_id(session, self.workshop_id) or 0
        with self._live_lock:
            if self._changes == changes:  # else this server wrote meanwhile: ask again next time
                self._newest = (started, newest)
        return newest

    def changed(self) -> None:
        """This server wrote to the workshop: the live poll's shared answers (newest post,
        the tick's pause, who is writing) are out of date."""
        with self._live_lock:
            self._newest = self._last_tick = self._coming = None
            self._changes += 1

    # --- the trainer's controls: service-shaped, for a write through Rooms.writing ------

    def release(self, session: Session, trainer: Member, inject_id: str, *, now: datetime) -> list[str]:
        """Release one scripted step now (see ``release_inject_now`` for how it fails)."""
        released = release_inject_now(session, trainer, self.scenario, inject_id, now=now)
        self._forget_after_commit(session)
        return released

    def skip(self, session: Session, trainer: Member, inject_id: str, *, now: datetime) -> None:
        """Never release this scripted step (see ``skip_inject`` for how it fails)."""
        skip_inject(session, trainer, self.scenario, inject_id, now=now)
        self._forget_after_commit(session)

    def change_clock(self, session: Session, change: Callable[[Session, Workshop, datetime], Workshop], *,
                     now: datetime) -> Workshop:
        """Start, pause or resume the session clock (``change`` is one of ``sandbox.simulation.clock``'s)."""
        workshop = change(session, session.get(Workshop, self.workshop_id), now)
        self._forget_after_commit(session)
        return workshop

    def reset(self, session: Session, *, now: datetime) -> dict[str, int]:
        """Reset the workshop and seed it again (see ``reset_and_reseed``)."""
        removed = reset_and_reseed(session, self.code, now=now)
        self._forget_after_commit(session)
        return removed

    def forget(self) -> None:
        """Drop everything remembered: the log, the "nothing due" answer, the missions' index."""
        self.ticker.forget()
        with self._index_lock:
            self._index = None
        self.changed()

    def _forget_after_commit(self, session: Session) -> None:
        session.info.setdefault(_FORGET, set()).add(self.workshop_id)


class Rooms:
    """Every workshop's :class:`Room` for one store. Build one per process (or per test)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.scenarios = ScenarioCache()
        self._rooms: dict[int, Room] = {}
        self._lock = threading.Lock()

    def room(self, workshop: Workshop) -> Room:
        """The room of ``workshop`` (made on first use)."""
        with self._lock:
            known = self._rooms.get(workshop.id)
            # The join code too: a store wiped and made again can give another workshop
            # the same id, never the same random code.
            if known is None or known.code != workshop.code:
                known = self._rooms[workshop.id] = Room(self, workshop)
            return known

    def room_of(self, workshop_id: int) -> Room:
        """The room of the workshop with this id (read from the store on first use).

        Fails with NotFound when there is no such workshop.
        """
        with self._lock:
            known = self._rooms.get(workshop_id)
        if known is not None:
            return known
        with read_session(self.engine) as session:
            workshop = session.get(Workshop, workshop_id)
            if workshop is None:
                raise NotFound("That workshop does not exist. Check the join code.")
            return self.room(workshop)

    def scenario(self, name: str) -> Scenario:
        """Scenario ``name``, read again only when its file changes. Fails with ScenarioError."""
        return self.scenarios.get(name)

    @contextmanager
    def writing(self, now: datetime) -> Iterator[RoomWrite]:
        """One command's write transaction: everything in the block is stored, or nothing.

        Before the commit, the missions finished by the activity the block wrote
        are recorded (``write.missions`` says which); after it, rooms whose timeline
        the block changed forget what they remembered.
        """
        with write_session(self.engine) as session:
            write = RoomWrite(session)
            yield write
            written = activity_log.workshops_written(session)
            write.missions = self._record_missions(session, written, now)
            stale = session.info.pop(_FORGET, set())
        with self._lock:
            rooms = [self._rooms[workshop_id] for workshop_id in stale if workshop_id in self._rooms]
            touched = [self._rooms[workshop_id] for workshop_id in written if workshop_id in self._rooms]
        for room in rooms:
            room.forget()
        for room in touched:
            room.changed()

    def _record_missions(self, session: Session, written: set[int], now: datetime) -> dict[str, list[Mission]]:
        finished: dict[str, list[Mission]] = {}
        for workshop_id in sorted(written):
            workshop = session.get(Workshop, workshop_id)
            if workshop is None:
                continue
            room = self.room(workshop)
            try:
                scenario = room.scenario
            except InsideOutError:
                continue  # a broken scenario file: no missions to check, the command still counts
            # The shared log as of the last look (the tick after each page run tops it
            # up), plus what this transaction sees beyond it, its own rows included.
            log = room.log.snapshot_in_write(session)
            by_id = {mission.id: mission for mission in scenario.missions}
            for handle, ids in record_finished_missions(session, workshop_id, scenario, log.activities, now=now,
                                                        new_after_id=log.known_up_to,
                                                        index_of=_index_maker(room, log)).items():
                finished[handle] = [by_id[mission_id] for mission_id in ids]
        return finished


def _index_maker(room: Room, log: LogSnapshot) -> Callable[[list[records.Activity]], LogIndex]:
    """The missions' index of a write transaction's log: the room's remembered index of
    the rows the shared log held (brought up to date, and remembered for the next
    command), extended by the rows beyond them. Built only if a check needs it."""

    def index_of(activities: list[records.Activity]) -> LogIndex:
        room.index_of([activity for activity in log.activities if activity.id <= log.known_up_to], remember=True)
        return room.index_of(activities)

    return index_of
