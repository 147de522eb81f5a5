"""The scripted timeline as the trainer sees and steers it: each step's status, release and skip.

Release and skip go through the simulation's own marks, so a step is never
released twice; a ``skipped:`` mark next to a step's mark says it was skipped
rather than released. Like every service these take a Session and never commit.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sandbox.errors import InsideOutError
from sandbox.services.workshops import require_trainer
from sandbox.simulation import clock as session_clock
from sandbox.simulation.planning import inject_key
from sandbox.simulation.scenario import Inject, Scenario
from sandbox.simulation.tick import SKIPPED_PREFIX, tick
from sandbox.store.models import Member, SimulationMark, Workshop

SELF_STUDY = "self-study"


def released_keys(session: Session, workshop_id: int) -> set[str]:
    """Keys of everything the simulation has released in the workshop (``inject:<id>``, ...)."""
    return set(session.scalars(select(SimulationMark.key).where(SimulationMark.workshop_id == workshop_id)))


def skipped_injects(keys: Iterable[str]) -> set[str]:
    """Ids of the room's scripted steps that were skipped, not released, given
    :func:`released_keys`: skipped by the trainer, or refused when they fell due."""
    prefix = SKIPPED_PREFIX + "inject:"
    return {key[len(prefix):] for key in keys if key.startswith(prefix)}


class TimelineError(InsideOutError):
    """A scripted step that cannot be released or skipped now (the message says why)."""


def _pending_inject(session: Session, workshop: Workshop, scenario: Scenario, inject_id: str) -> Inject:
    inject = next((item for item in scenario.injects if item.id == inject_id), None)
    if inject is None:
        raise TimelineError("That scripted step is not in this workshop's scenario.")
    if workshop.mode == "self-study":
        raise TimelineError("In self-study mode each learner has their own timeline; "
                            "scripted steps cannot be released or skipped for the room.")
    if inject_key(inject) in released_keys(session, workshop.id):
        raise TimelineError("That scripted step has already been released or skipped.")
    return inject


def release_inject_now(session: Session, trainer: Member, scenario: Scenario, inject_id: str, *,
                       now: datetime) -> list[str]:
    """Trainer: release one scripted step now, however far ahead it is on the timeline.

    Works through the tick itself (the step is treated as due at minute 0), so it
    is released exactly once, with its mark, like any other. Anything else due
    goes out in the same tick. Returns the keys released.

    Fails with NotAllowed (not the trainer) or TimelineError (unknown, already
    released, self-study mode, clock not started, or waiting for an earlier step).
    """
    require_trainer(trainer)
    workshop = session.get(Workshop, trainer.workshop_id)
    inject = _pending_inject(session, workshop, scenario, inject_id)
    if workshop.clock_started_at is None and session.scalar(
            select(func.min(Member.joined_at)).where(Member.workshop_id == workshop.id,
                                                     Member.kind == "learner")) is None:
        raise TimelineError("The session clock has not started yet. Start it first.")
    released = released_keys(session, workshop.id)
    waiting = [before for before in inject.after if f"inject:{before}" not in released]
    if waiting:
        steps = {item.id: item for item in scenario.injects}
        people = {persona.handle: persona.name for persona in scenario.personas}
        earlier = "; ".join(
            f"the minute-{steps[step].at_minute:g} step by {people.get(steps[step].persona, steps[step].persona)}"
            if step in steps else step
            for step in waiting)
        raise TimelineError(f"That step waits for an earlier one first ({earlier}, id {', '.join(waiting)}). "
                            "Release or skip that one first.")
    now_due = replace(scenario, injects=tuple(
        replace(item, at_minute=0) if item.id == inject.id else item for item in scenario.injects))
    result = tick(session, workshop.id, now, scenario=now_due)
    if inject_key(inject) not in result.released:
        # The tick refused it (say, the colleague or post it needs is gone). Raising
        # rolls the whole tick back: the step stays on the timeline, unmarked.
        raise TimelineError("That step could not be done now (something it needs is missing from the "
                            "room). It stays on the timeline.")
    return result.released


def skip_inject(session: Session, trainer: Member, scenario: Scenario, inject_id: str, *, now: datetime) -> None:
    """Trainer: never release this scripted step (steps that wait for it can then go ahead).

    Stores the step's mark, which is how the tick knows a step is done, and a
    ``skipped:`` mark so the timeline can say it was skipped, not released.
    Fails with NotAllowed (not the trainer) or TimelineError (unknown, already
    released, or self-study mode).
    """
    require_trainer(trainer)
    workshop = session.get(Workshop, trainer.workshop_id)
    inject = _pending_inject(session, workshop, scenario, inject_id)
    try:
        with session.begin_nested():
            session.add(SimulationMark(workshop_id=workshop.id, key=inject_key(inject), at=now))
            session.add(SimulationMark(workshop_id=workshop.id, key=SKIPPED_PREFIX + inject_key(inject), at=now))
            session.flush()
    except IntegrityError:
        # A tick released it between our check and now.
        raise TimelineError("That scripted step has just been released.") from None


@dataclass(frozen=True)
class TimelineStep:
    """One scripted step of the scenario and where it stands in the room."""

    inject: Inject
    who: str
    """The persona's name."""
    status: str
    """done / skipped / due now / waiting for an earlier step / in N min / waiting
    for the clock; in self-study mode "released for N learners"."""
    pending: bool
    """Neither released nor skipped yet: the trainer can still release or skip it."""


@dataclass(frozen=True)
class Timeline:
    steps: list[TimelineStep]
    minutes: float | None
    """The room's clock in scenario minutes; None when not started (or self-study)."""
    paused: bool
    self_study: bool

    @property
    def released(self) -> int:
        return sum(1 for step in self.steps if step.status == "done")

    @property
    def skipped(self) -> int:
        return sum(1 for step in self.steps if step.status == "skipped")


def timeline(session: Session, workshop: Workshop, scenario: Scenario, *, now: datetime) -> Timeline:
    """Every scripted step of ``scenario`` in minute order, with its status in ``workshop`` at ``now``."""
    marks = released_keys(session, workshop.id)
    skipped = skipped_injects(marks)
    self_study = workshop.mode == SELF_STUDY
    minutes = None
    if not self_study:
        live = session_clock.live_clock(workshop, now, session_clock.first_learner_join(session, workshop.id))
        minutes = live.minutes if live else None
    names = {persona.handle: persona.name for persona in scenario.personas}

    def status(inject: Inject) -> str:
        key = inject_key(inject)
        if self_study:
            count = sum(1 for mark in marks if mark.startswith("learner:") and mark.endswith(":" + key)
                        and SKIPPED_PREFIX + mark not in marks)
            return f"released for {count} learner{'s' if count != 1 else ''}"
        if inject.id in skipped:
            return "skipped"
        if key in marks:
            return "done"
        if minutes is None:
            return "waiting for the clock"
        if inject.at_minute <= minutes:
            return "due now" if not inject.after else "waiting for an earlier step"
        return f"in {int(inject.at_minute - minutes) + 1} min"

    steps = [
        TimelineStep(inject=inject, who=names.get(inject.persona, inject.persona), status=status(inject),
                     pending=inject_key(inject) not in marks)
        for inject in sorted(scenario.injects, key=lambda item: (item.at_minute, item.id))
    ]
    return Timeline(steps=steps, minutes=minutes, paused=workshop.clock_paused_at is not None, self_study=self_study)


def release_times(session: Session, workshop_id: int) -> dict[str, datetime]:
    """Step id -> when the room's timeline marked it (released or skipped), for the after-action review."""
    prefix = "inject:"
    rows = session.execute(select(SimulationMark.key, SimulationMark.at).where(
        SimulationMark.workshop_id == workshop_id, SimulationMark.key.startswith(prefix, autoescape=True)))
    return {key[len(prefix):]: at for key, at in rows}
