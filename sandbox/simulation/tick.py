"""``tick(engine, code, now)``: simulated colleagues do whatever is due, exactly once.

Pages call it on every rerun and poll, so it has three speeds:

- **Nothing due** (almost always): one small query reads the workshop's clock
  and its newest activity id. If neither changed since the last full look in
  this process (trusted for 30 seconds) and ``now`` is before the earliest
  moment anything could fall due, it returns at once. The log is not loaded.
- **Something changed** (a learner acted, the clock moved): a look without
  any lock. The log is kept per process and only new rows are read; planning
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

An action a service refuses (a post deleted meanwhile, a vote cast already) is
marked as done and listed in ``TickResult.skipped``: the room carries on. A
second mark, ``skipped:<key>``, remembers that it was skipped rather than
released (the trainer's timeline says so); planning never reads those.
"""
from __future__ import annotations

import threading
import time as monotonic_time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from sandbox.activity import parse_detail
from sandbox.errors import InsideOutError
from sandbox.metrics.records import Activity as LogActivity
from sandbox.services.errors import NotFound
from sandbox.services.workshops import normalise_code
from sandbox.simulation.clock import learner_clock, live_clock
from sandbox.simulation.perform import REF_PREFIX, ObjectRefs, Performer
from sandbox.simulation.planning import Action, Clock, plan_due
from sandbox.simulation.scenario import Scenario, load_scenario
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


@dataclass(frozen=True)
class TickResult:
    released: list[str] = field(default_factory=list)
    """Keys of what simulated colleagues did in this tick, in order."""
    skipped: list[str] = field(default_factory=list)
    """Keys of due actions a service refused; they will not be tried again."""


@dataclass(frozen=True)
class _Quiet:
    """What the last full tick learned: nothing is due before ``until`` unless the room changes."""

    fingerprint: tuple
    until: datetime | None  # None: nothing will ever be due without a change
    checked_at: float


_quiet: dict[tuple[str, str | int], _Quiet] = {}
_looking: dict[tuple[str, str | int], threading.Lock] = {}
_quiet_lock = threading.Lock()


def tick(
    target: Engine | Session, workshop_code: str | int, now: datetime, *, scenario: Scenario | None = None
) -> TickResult:
    """Release everything due at ``now`` in workshop ``workshop_code``, exactly once.

    The workshop is named by its join code, or by its id (``member.workshop_id``).

    ``target`` is an Engine (the usual case: the tick opens its own write
    transaction, and skips it entirely when nothing can be due) or a Session
    already in a write transaction (the tick then works inside it and the
    caller commits). ``scenario`` overrides the workshop's scenario file (tests).

    Fails with NotFound (no such workshop), ScenarioError (its scenario file is
    missing or broken). Any other error rolls the whole tick back.
    """
    code = workshop_code if isinstance(workshop_code, int) else normalise_code(workshop_code)
    if isinstance(target, Session):
        result, _quiet_state = _tick_in(target, code, now, scenario)
        return result
    engine = target
    cache_key = (engine.url.render_as_string(hide_password=True), code)
    known = _quiet.get(cache_key)
    if known is not None and _still_quiet(engine, code, now, known):
        return TickResult()
    # Browser sessions of one server are threads: one of them looks, the others
    # wait for its answer instead of all planning the same thing at once.
    with _looking_lock(cache_key):
        known = _quiet.get(cache_key)
        if known is not None and _still_quiet(engine, code, now, known):
            return TickResult()
        return _look_and_release(engine, code, now, scenario, cache_key)


def _looking_lock(cache_key: tuple[str, str | int]) -> threading.Lock:
    with _quiet_lock:
        return _looking.setdefault(cache_key, threading.Lock())


def _look_and_release(engine: Engine, code: str | int, now: datetime, scenario: Scenario | None,
                      cache_key: tuple[str, str | int]) -> TickResult:
    # Look first without the write lock: after a learner acts, the answer is
    # usually "due in a minute", and the room's writers need not wait for that.
    with read_session(engine) as session:
        _nothing, quiet_state = _tick_in(session, code, now, scenario, dry_run=True)
    if quiet_state is None:
        with write_session(engine) as session:
            # Sessions that saw the same thing queue here; the first releases it
            # and the rest find the room quiet again without planning anything.
            if _quiet_in(session, code, now, _quiet.get(cache_key)):
                return TickResult()
            result, quiet_state = _tick_in(session, code, now, scenario)
    else:
        result = TickResult()
    with _quiet_lock:
        _quiet[cache_key] = quiet_state
    return result


def forget_quiet_state() -> None:
    """Drop every cached "nothing due" answer (after a reset, and in tests)."""
    with _quiet_lock:
        _quiet.clear()
        _logs.clear()


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
    session: Session, code: str | int, now: datetime, scenario: Scenario | None, *, dry_run: bool = False
) -> tuple[TickResult, _Quiet | None]:
    """Plan and perform what is due. With ``dry_run`` nothing is written and no
    lock is taken: the quiet state comes back as None as soon as something is due."""
    query = select(Workshop).where(_is_workshop(code))
    workshop = session.scalar(query if dry_run else query.with_for_update())
    if workshop is None:
        raise NotFound("That workshop does not exist. Check the join code.")
    scenario = scenario or _scenario(workshop.scenario)
    members = list(session.scalars(select(Member).where(Member.workshop_id == workshop.id)))
    names = {planning_handle(member): member.display_name for member in members}
    full_log = _cached_log(session, workshop.id)
    newest_seen = max((activity.id for activity in full_log), default=None)
    log = _planning_relevant(scenario, full_log)
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
    return TickResult(released=released, skipped=skipped), quiet


def _release(session: Session, performer: Performer, workshop: Workshop, action: Action, key: str,
             scope: str, now: datetime) -> bool | None:
    """Perform one action with its mark: True when done, False when refused, None when
    another tick had already released it."""
    at = min(action.due_at, now)
    try:
        with session.begin_nested():
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


def _planning_relevant(scenario: Scenario, log: Sequence[LogActivity]) -> list[LogActivity]:
    """Only the rows planning reads: rule triggers, what rules do (to pick someone new
    each time) and posts (to know a first post). Searches, joins and the like are dropped."""
    verbs = {"post.create"} | {rule.when.verb for rule in scenario.rules} | {rule.action for rule in scenario.rules}
    return [activity for activity in log if activity.verb in verbs]


@dataclass(frozen=True)
class _KnownLog:
    rows: tuple[LogActivity, ...]
    newest_id: int


_logs: dict[tuple[str, int], _KnownLog] = {}


def _cached_log(session: Session, workshop_id: int) -> list[LogActivity]:
    """The workshop's log, reading only rows newer than last time (the log is append-only).

    The row count is checked too: if it is not what the rows we hold plus the new
    ones add up to (a reset removed rows; on PostgreSQL a row committed late with
    a lower id), the whole log is read again.
    """
    cache_key = (session.get_bind().url.render_as_string(hide_password=True), workshop_id)
    known = _logs.get(cache_key)
    count = session.scalar(select(func.count(Activity.id)).where(Activity.workshop_id == workshop_id))
    if known is not None:
        new_rows = _load_log(session, workshop_id, after_id=known.newest_id)
        if len(known.rows) + len(new_rows) == count:
            rows = list(known.rows) + new_rows
            if new_rows and known.rows and (new_rows[0].at, new_rows[0].id) < (known.rows[-1].at, known.rows[-1].id):
                rows.sort(key=lambda activity: (activity.at, activity.id))  # released "when due", in the past
        else:
            rows = _load_log(session, workshop_id)
    else:
        rows = _load_log(session, workshop_id)
    newest = max((activity.id for activity in rows), default=0)
    with _quiet_lock:
        _logs[cache_key] = _KnownLog(rows=tuple(rows), newest_id=newest)
    return rows


def _load_log(session: Session, workshop_id: int, after_id: int = 0) -> list[LogActivity]:
    """The workshop's activity log (rows after ``after_id``) as planning reads it
    (actors as planning handles), in log order."""
    actor = aliased(Member)
    target = aliased(Member)
    # Plain columns, not ORM objects: the log can hold thousands of rows.
    rows = session.execute(
        select(
            Activity.id, Activity.at, Activity.verb, Activity.actor_kind, Activity.department,
            Activity.object_type, Activity.object_id, Activity.detail,
            actor.handle, actor.kind, actor.persona, target.handle, target.kind, target.persona,
        )
        .outerjoin(actor, actor.id == Activity.actor_id)
        .outerjoin(target, target.id == Activity.target_id)
        .where(Activity.workshop_id == workshop_id, Activity.id > after_id)
        .order_by(Activity.at, Activity.id)
    )
    return [
        LogActivity(
            id=row_id,
            at=at,
            actor=_handle(actor_handle, actor_kind, actor_persona),
            verb=verb,
            actor_kind=kind,
            department=department,
            object_type=object_type,
            object_id=object_id,
            target=_handle(target_handle, target_kind, target_persona),
            detail=parse_detail(detail),
        )
        for (row_id, at, verb, kind, department, object_type, object_id, detail,
             actor_handle, actor_kind, actor_persona, target_handle, target_kind, target_persona) in rows
    ]


def planning_handle(member: Member) -> str:
    """How planning names a member: a persona by its scenario handle, anyone else prefixed."""
    return _handle(member.handle, member.kind, member.persona)


def _handle(handle: str | None, kind: str | None, persona: str | None) -> str:
    if handle is None:
        return ""
    if kind == "simulated" and persona:
        return persona
    return MEMBER_PREFIX + handle


@lru_cache(maxsize=16)
def _scenario(name: str) -> Scenario:
    # Scenario files ship with the code; reading one per process is enough.
    return load_scenario(name)


__all__ = ["SKIPPED_PREFIX", "TickResult", "forget_quiet_state", "planning_handle", "tick"]
