"""``tick(engine, code, now)``: simulated colleagues do whatever is due, exactly once.

Pages call it on every rerun and poll, so it has three speeds:

- **Nothing due** (almost always): one small query reads the workshop's clock
  and its newest activity id. If neither changed since the last full look by
  this workshop's :class:`WorkshopTick` (trusted for 30 seconds) and ``now`` is
  before the earliest moment anything could fall due, it returns at once. The
  log is not loaded. (The room, :mod:`sandbox.room`, keeps one WorkshopTick per
  workshop for the server process.)
- **Something changed** (a learner acted, the clock moved): a look without
  any lock. The log is the room's shared log and only new rows are read; planning
  (:func:`~sandbox.simulation.planning.plan_due`) says whether anything is due
  now and when the next thing will be. Browser sessions of one server take turns,
  so one of them plans and the others reuse its answer.
- **Something is due**: one write transaction (SQLite ``BEGIN IMMEDIATE``
  through ``write_session``; on PostgreSQL the workshop row is locked ``FOR
  UPDATE``), so ticks from 40 sessions or several servers queue instead of
  racing. Inside it: re-read what was released, plan again, perform each
  action through the services as the persona's simulated member, and store its
  key as a simulation mark. The unique constraint on marks is the last guard:
  an action whose mark already exists is rolled back, so nothing is released
  twice even if the lock were missed.

Live mode has one timeline for the room (see :mod:`sandbox.simulation.clock`);
in self-study mode each learner has their own: injects are released per
learner (their mark key starts ``learner:<handle>:``) and reactions answer that
learner's own actions.

Missions a simulated colleague's action finishes for a learner (a reply to
their first post) are recorded in the same transaction
(:mod:`sandbox.simulation.mission_records`) and listed in ``TickResult.missions``.

An action a service refuses (a post deleted meanwhile, a vote cast already) is
marked as done and listed in ``TickResult.skipped``: the room carries on. A
second mark, ``skipped:<key>``, remembers that it was skipped rather than
released (the trainer's timeline says so); planning never reads those.
"""
from __future__ import annotations

import threading
import time as monotonic_time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sandbox.errors import InsideOutError
from sandbox.metrics.records import Activity as LogActivity
from sandbox.services import activity_log
from sandbox.services.errors import NotFound
from sandbox.services.room_log import SharedLog
from sandbox.services.workshops import normalise_code
from sandbox.simulation.clock import learner_clock, live_clock
from sandbox.simulation.perform import REF_PREFIX, ObjectRefs, Performer
from sandbox.simulation.planning import Action, Clock, plan_due
from sandbox.simulation.mission_records import record_finished_missions
from sandbox.simulation.missions import LogIndex
from sandbox.simulation.scenario import Scenario, ScenarioCache
from sandbox.simulation.seed import SEED_PREFIX
from sandbox.store import read_session, write_session
from sandbox.store.models import Activity, Member, SimulationMark, Workshop

# Non-simulated members are named like this in what planning sees, so a learner
# called "Priya" (handle "priya") is never mistaken for the persona "priya".
MEMBER_PREFIX = "member:"
SELF_STUDY = "self-study"
# How long a "nothing is due" answer is trusted without a full look. It bounds
# the one blind spot of the quick check: on PostgreSQL an activity can commit
# with a lower id than one already seen.
QUIET_TRUST_SECONDS = 30
# Marks that record a step was skipped (by the trainer, or refused by a service), next
# to the step's own mark. Bookkeeping for people; planning ignores them.
SKIPPED_PREFIX = "skipped:"
_FAR = timedelta(days=3650)
# What a person would see someone "writing": a post or a reply.
WRITING_VERBS = ("post.create", "post.reply", "post.praise")


@dataclass(frozen=True)
class TickResult:
    released: list[str] = field(default_factory=list)
    """Keys of what simulated colleagues did in this tick, in order."""
    skipped: list[str] = field(default_factory=list)
    """Keys of due actions a service refused; they will not be tried again."""
    missions: dict[str, list[str]] = field(default_factory=dict)
    """Learner handle -> ids of the missions this tick finished for them (recorded)."""


@dataclass(frozen=True)
class _Quiet:
    """What the last full tick learned: nothing is due before ``until`` unless the room changes."""

    fingerprint: tuple
    until: datetime | None  # None: nothing will ever be due without a change
    checked_at: float


class WorkshopTick:
    """One workshop's tick and what it remembers between calls.

    It remembers the last "nothing is due" answer (with one lock, so browser
    sessions of one server take turns to look), the workshop's shared log (read
    incrementally) and its scenarios. The room (:mod:`sandbox.room`) holds one
    per workshop for the whole server process; a throwaway one remembers nothing
    useful, which is what :func:`tick` uses.
    """

    def __init__(self, workshop: int | str, *, log: SharedLog | None = None,
                 scenarios: ScenarioCache | None = None,
                 mission_index: Callable[[list[LogActivity]], LogIndex] | None = None) -> None:
        self.workshop = workshop if isinstance(workshop, int) else normalise_code(workshop)
        self.log = log if log is not None else SharedLog(0)
        self.scenarios = scenarios if scenarios is not None else ScenarioCache()
        # How to get the missions' index of a log (the room's extends the one it keeps).
        self.mission_index = mission_index
        self._quiet: _Quiet | None = None
        self._looking = threading.Lock()

    def tick(self, target: Engine | Session, now: datetime, *, scenario: Scenario | None = None) -> TickResult:
        """Release everything due at ``now``, exactly once (see :func:`tick`)."""
        if isinstance(target, Session):
            # Someone else's transaction, perhaps with rows of its own: read, never remember.
            result, _quiet_state = _tick_in(target, self, now, scenario, remember_log=False)
            return result
        engine = target
        known = self._quiet
        if known is not None and _still_quiet(engine, self.workshop, now, known):
            return TickResult()
        # Browser sessions of one server are threads: one of them looks, the others
        # wait for its answer instead of all planning the same thing at once.
        with self._looking:
            known = self._quiet
            if known is not None and _still_quiet(engine, self.workshop, now, known):
                return TickResult()
            return self._look_and_release(engine, now, scenario)

    def coming_up(self, engine: Engine, now: datetime, within: timedelta,
                  verbs: Iterable[str] = WRITING_VERBS) -> list[tuple[str, Action]]:
        """What simulated colleagues will do in the next ``within`` (not yet due), as
        (scope, action) pairs; scope is "" for a live room, ``learner:<handle>:`` in self-study.

        The room shows it as "Priya is writing..." a little before the reply lands. Cheap
        when nothing is near: the last tick already knows the earliest next moment.
        Writes nothing.
        """
        known = self._quiet
        if known is not None and _trusted(known, now) and (known.until is None or known.until > now + within):
            return []
        wanted = set(verbs)
        with read_session(engine) as session:
            workshop = session.scalar(select(Workshop).where(_is_workshop(self.workshop)))
            if workshop is None:
                return []
            scenario = self.scenarios.get(workshop.scenario)
            members = list(session.scalars(select(Member).where(Member.workshop_id == workshop.id)))
            names = {planning_handle(member): member.display_name for member in members}
            log = _planning_view(scenario, self.log.snapshot(session).activities, members)
            marks = set(session.scalars(select(SimulationMark.key).where(SimulationMark.workshop_id == workshop.id)))
        soon: list[tuple[str, Action]] = []
        for scope, clock, activities in _scopes(workshop, members, log, now):
            ahead = Clock(started_at=clock.for_planning.started_at, now=now + within)
            for action in plan_due(scenario, ahead, _released_in(scope, marks), activities, names=names):
                if action.due_at <= now or action.verb not in wanted:
                    continue  # due already: the next tick releases it
                if action.key.startswith("inject:") and not clock.timeline_runs:
                    continue
                soon.append((scope, action))
        return soon

    def forget(self) -> None:
        """Drop the "nothing due" answer and the log (after a reset or a change to the timeline)."""
        self._quiet = None
        self.log.forget()

    def _look_and_release(self, engine: Engine, now: datetime, scenario: Scenario | None) -> TickResult:
        # Look first without the write lock: after a learner acts, the answer is
        # usually "due in a minute", and the room's writers need not wait for that.
        with read_session(engine) as session:
            _nothing, quiet_state = _tick_in(session, self, now, scenario, dry_run=True)
        if quiet_state is None:
            with write_session(engine) as session:
                # Sessions that saw the same thing queue here; the first releases it
                # and the rest find the room quiet again without planning anything.
                if _quiet_in(session, self.workshop, now, self._quiet):
                    return TickResult()
                result, quiet_state = _tick_in(session, self, now, scenario)
        else:
            result = TickResult()
        self._quiet = quiet_state
        return result


def tick(
    target: Engine | Session, workshop_code: str | int, now: datetime, *, scenario: Scenario | None = None
) -> TickResult:
    """Release everything due at ``now`` in workshop ``workshop_code``, exactly once.

    The workshop is named by its join code, or by its id (``member.workshop_id``).

    ``target`` is an Engine (the tick opens its own write transaction, and skips
    it when nothing is due) or a Session already in a write transaction (the
    tick then works inside it and the caller commits). ``scenario`` overrides the
    workshop's scenario file (tests, and releasing a step early).

    This remembers nothing between calls; a server keeps a :class:`WorkshopTick`
    per workshop in its room instead, which makes "nothing is due" one query.

    Fails with NotFound (no such workshop), ScenarioError (its scenario file is
    missing or broken). Any other error rolls the whole tick back.
    """
    return WorkshopTick(workshop_code).tick(target, now, scenario=scenario)


def _fingerprint_query(code: str | int):
    newest_activity = (
        select(func.max(Activity.id)).where(Activity.workshop_id == Workshop.id).scalar_subquery()
    )
    return select(
        Workshop.id,
        Workshop.clock_started_at,
        Workshop.clock_paused_at,
        Workshop.clock_offset_seconds,
        newest_activity,
    ).where(_is_workshop(code))


def _is_workshop(code: str | int):
    return Workshop.id == code if isinstance(code, int) else Workshop.code == code


def _still_quiet(engine: Engine, code: str | int, now: datetime, known: _Quiet) -> bool:
    if not _trusted(known, now):
        return False
    with engine.connect() as connection:
        row = connection.execute(_fingerprint_query(code)).one_or_none()
    return row is not None and tuple(row) == known.fingerprint


def _quiet_in(session: Session, code: str | int, now: datetime, known: _Quiet | None) -> bool:
    if known is None or not _trusted(known, now):
        return False
    row = session.execute(_fingerprint_query(code)).one_or_none()
    return row is not None and tuple(row) == known.fingerprint


def _trusted(known: _Quiet, now: datetime) -> bool:
    if monotonic_time.monotonic() - known.checked_at > QUIET_TRUST_SECONDS:
        return False
    return known.until is None or now < known.until


# --- the full tick ------------------------------------------------------------------


def _tick_in(
    session: Session, ticker: WorkshopTick, now: datetime, scenario: Scenario | None, *, dry_run: bool = False,
    remember_log: bool = True,
) -> tuple[TickResult, _Quiet | None]:
    """Plan and perform what is due. With ``dry_run`` nothing is written and no
    lock is taken: the quiet state comes back as None as soon as something is due."""
    query = select(Workshop).where(_is_workshop(ticker.workshop))
    workshop = session.scalar(query if dry_run else query.with_for_update())
    if workshop is None:
        raise NotFound("That workshop does not exist. Check the join code.")
    scenario = scenario or ticker.scenarios.get(workshop.scenario)
    members = list(session.scalars(select(Member).where(Member.workshop_id == workshop.id)))
    names = {planning_handle(member): member.display_name for member in members}
    if ticker.log.workshop_id != workshop.id:
        ticker.log = SharedLog(workshop.id)
    snapshot = ticker.log.snapshot(session) if remember_log else ticker.log.snapshot_in_write(session)
    newest_seen = max((activity.id for activity in snapshot.activities), default=None)
    log = _planning_view(scenario, snapshot.activities, members)
    marks = set(session.scalars(
        select(SimulationMark.key).where(SimulationMark.workshop_id == workshop.id)
    ))
    performer = None if dry_run else Performer(session, workshop, scenario, ObjectRefs.load(session, workshop.id))
    released: list[str] = []
    skipped: list[str] = []
    next_due: list[datetime] = []
    for scope, clock, activities in _scopes(workshop, members, log, now):
        done = _released_in(scope, marks)
        plan = plan_due(scenario, clock.for_planning, done, activities, names=names)
        if dry_run and plan:
            return TickResult(), None
        for action in plan:
            key = scope + action.key
            outcome = _release(session, performer, workshop, action, key, scope, now)
            if outcome is True:
                released.append(key)
            elif outcome is False:
                skipped.append(key)
            done.add(action.key)
        next_due += _next_due(scenario, clock, done, activities, names, now)
    missions: dict[str, list[str]] = {}
    if released:
        # A colleague's reply can finish a learner's mission: record it with the reply.
        missions = record_finished_missions(session, workshop.id, scenario,
                                            ticker.log.snapshot_in_write(session).activities, now=now,
                                            new_after_id=newest_seen or 0, index_of=ticker.mission_index)
    if released and session.get_bind().dialect.name == "sqlite":
        # SQLite has one writer at a time and we are it: every activity added
        # since the log was read is one of ours, so the room is quiet again now.
        # (On PostgreSQL a learner may have written meanwhile; the next tick looks.)
        newest_seen = session.scalar(select(func.max(Activity.id)).where(Activity.workshop_id == workshop.id))
    fingerprint = (
        workshop.id,
        workshop.clock_started_at,
        workshop.clock_paused_at,
        workshop.clock_offset_seconds,
        newest_seen,
    )
    quiet = _Quiet(fingerprint=fingerprint, until=min(next_due, default=None),
                   checked_at=monotonic_time.monotonic())
    return TickResult(released=released, skipped=skipped, missions=missions), quiet


def _release(session: Session, performer: Performer, workshop: Workshop, action: Action, key: str,
             scope: str, now: datetime) -> bool | None:
    """Perform one action with its mark: True when done, False when refused, None when
    another tick had already released it."""
    at = min(action.due_at, now)
    try:
        with session.begin_nested(), activity_log.driven_by(session, key):
            performer.perform(action, at=at, scope=scope)
            session.add(SimulationMark(workshop_id=workshop.id, key=key, at=now))
            session.flush()
        return True
    except IntegrityError:
        return None
    except InsideOutError:
        pass
    try:
        with session.begin_nested():
            session.add(SimulationMark(workshop_id=workshop.id, key=key, at=now))
            session.add(SimulationMark(workshop_id=workshop.id, key=SKIPPED_PREFIX + key, at=now))
            session.flush()
    except IntegrityError:
        return None
    return False


@dataclass(frozen=True)
class _ScopeClock:
    """A scope's clock for planning, and whether its timeline runs at all."""

    for_planning: Clock
    timeline_runs: bool


def _scopes(workshop: Workshop, members: Sequence[Member], log: Sequence[LogActivity], now: datetime):
    """(mark prefix, clock, activities) for the room (live) or for each learner (self-study)."""
    learners = [member for member in members if member.kind == "learner"]
    if workshop.mode != SELF_STUDY:
        first_join = min((member.joined_at for member in learners), default=None)
        clock = live_clock(workshop, now, first_join)
        running = clock is not None and workshop.clock_paused_at is None
        if clock is None:
            # Not started: no inject can be due, but learners still get answers.
            clock = Clock(started_at=now + _FAR, now=now)
        yield "", _ScopeClock(clock, running), log
        return
    for learner in learners:
        own = planning_handle(learner)
        activities = [activity for activity in log if activity.actor_kind == "simulated" or activity.actor == own]
        yield f"learner:{learner.handle}:", _ScopeClock(learner_clock(learner.joined_at, now), True), activities


def _released_in(scope: str, marks: Iterable[str]) -> set[str]:
    """The keys planning knows (``inject:...``, ``rule:...``) released in ``scope``."""
    released = set()
    for key in marks:
        if key.startswith((REF_PREFIX, SEED_PREFIX, SKIPPED_PREFIX)) or not key.startswith(scope):
            continue
        rest = key[len(scope):]
        if not scope and rest.startswith("learner:"):
            continue
        released.add(rest)
    return released


def _next_due(scenario: Scenario, clock: _ScopeClock, done: set[str], activities, names, now: datetime) -> list[datetime]:
    """The earliest moment something not yet released could fall due in this scope.

    Planning is asked what it would do at a far-off time; the soonest of those
    actions still in the future is when the next full tick is needed.
    """
    far = Clock(started_at=clock.for_planning.started_at, now=now + _FAR)
    upcoming = [
        action.due_at
        for action in plan_due(scenario, far, done, activities, names=names)
        if clock.timeline_runs or not action.key.startswith("inject:")
    ]
    return [min(upcoming)] if upcoming else []


def _planning_view(scenario: Scenario, log: Sequence[LogActivity], members: Sequence[Member]) -> list[LogActivity]:
    """The rows planning reads, named as planning names people, in (time, id) order.

    Only rule triggers, what rules do (to pick someone new each time) and posts
    (to know a first post): searches, joins and the like are dropped. Simulated
    colleagues act "when due", in the past, so log order is not time order.
    """
    verbs = {"post.create"} | {rule.when.verb for rule in scenario.rules} | {rule.action for rule in scenario.rules}
    handles = {member.handle: planning_handle(member) for member in members}

    def named(handle: str) -> str:
        return handles.get(handle, MEMBER_PREFIX + handle) if handle else ""

    relevant = [
        replace(activity, actor=named(activity.actor), target=named(activity.target))
        for activity in log if activity.verb in verbs
    ]
    relevant.sort(key=lambda activity: (activity.at, activity.id))
    return relevant


def planning_handle(member: Member) -> str:
    """How planning names a member: a persona by its scenario handle, anyone else prefixed."""
    return _handle(member.handle, member.kind, member.persona)


def _handle(handle: str | None, kind: str | None, persona: str | None) -> str:
    if handle is None:
        return ""
    if kind == "simulated" and persona:
        return persona
    return MEMBER_PREFIX + handle


__all__ = ["SKIPPED_PREFIX", "TickResult", "WorkshopTick", "planning_handle", "tick"]
