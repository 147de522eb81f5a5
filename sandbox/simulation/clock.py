"""The session clock: when the scenario's minute 0 was, for a room or for one learner.

Live mode has one shared clock. It starts when the trainer starts it
(:func:`start_clock`) or, if they never do, when the first learner joins, so a
trainer who forgets still gets a room that comes alive. Paused time does not
count: while the clock is paused the timeline stands still, and on resume the
paused stretch is added to ``clock_offset_seconds``.

Self-study mode has one clock per learner, starting when they joined: someone
studying alone at 9 pm gets the same timeline as a room at 9 am.

The functions that change the clock take a Session and never commit, like
services. Reading it is pure.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sandbox.errors import InsideOutError
from sandbox.simulation.planning import Clock
from sandbox.store.models import Member, Workshop


class ClockError(InsideOutError):
    """The clock cannot do that now (pause a stopped clock, resume a running one)."""


def live_start(
    started_at: datetime | None,
    paused_at: datetime | None,
    offset_seconds: int,
    now: datetime,
    first_join: datetime | None,
) -> datetime | None:
    """Minute 0 of the shared timeline, moved forward by every pause; None if not started.

    While paused the start moves forward with ``now``, so the scenario's minute
    stands still at the moment of the pause.
    """
    start = started_at or first_join
    if start is None:
        return None
    start = start + timedelta(seconds=offset_seconds or 0)
    if paused_at is not None:
        start = start + max(timedelta(0), now - paused_at)
    return start


def live_clock(workshop: Workshop, now: datetime, first_join: datetime | None) -> Clock | None:
    """The shared clock of a live workshop, or None when it has not started."""
    start = live_start(
        workshop.clock_started_at,
        workshop.clock_paused_at,
        workshop.clock_offset_seconds,
        now,
        first_join,
    )
    return None if start is None else Clock(started_at=start, now=now)


def learner_clock(joined_at: datetime, now: datetime) -> Clock:
    """A self-study learner's own clock: minute 0 is when they joined."""
    return Clock(started_at=joined_at, now=now)


def first_learner_join(session: Session, workshop_id: int) -> datetime | None:
    """When the workshop's first learner joined, or None if nobody has yet."""
    return session.scalar(
        select(func.min(Member.joined_at)).where(Member.workshop_id == workshop_id, Member.kind == "learner")
    )


def start_clock(session: Session, workshop: Workshop, now: datetime) -> Workshop:
    """Start (or restart) the shared timeline at ``now``; minute 0 is now.

    Restarting does not release anything twice: what was released stays released.
    """
    workshop = session.get(Workshop, workshop.id)
    workshop.clock_started_at = now
    workshop.clock_paused_at = None
    workshop.clock_offset_seconds = 0
    session.flush()
    return workshop


def pause_clock(session: Session, workshop: Workshop, now: datetime) -> Workshop:
    """Stop the timeline: no inject is released until :func:`resume_clock`.

    Simulated colleagues still answer learners while paused (a question should not
    go unanswered because the trainer is talking). Fails with ClockError when
    the clock is already paused.
    """
    workshop = session.get(Workshop, workshop.id)
    if workshop.clock_paused_at is not None:
        raise ClockError("The session clock is already paused.")
    if workshop.clock_started_at is None:
        # The clock started by itself when the first learner joined (or not at all):
        # make that start explicit, so the pause has a minute 0 to hold.
        workshop.clock_started_at = first_learner_join(session, workshop.id) or now
    workshop.clock_paused_at = now
    session.flush()
    return workshop


def resume_clock(session: Session, workshop: Workshop, now: datetime) -> Workshop:
    """Carry on from where the timeline was paused. Fails with ClockError if not paused."""
    workshop = session.get(Workshop, workshop.id)
    if workshop.clock_paused_at is None:
        raise ClockError("The session clock is not paused.")
    paused_for = max(timedelta(0), now - workshop.clock_paused_at)
    workshop.clock_offset_seconds = (workshop.clock_offset_seconds or 0) + int(paused_for.total_seconds())
    workshop.clock_paused_at = None
    session.flush()
    return workshop


__all__ = [
    "ClockError",
    "first_learner_join",
    "learner_clock",
    "live_clock",
    "live_start",
    "pause_clock",
    "resume_clock",
    "start_clock",
]
