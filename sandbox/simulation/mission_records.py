"""Recording missions as they are finished: ``mission.complete`` rows in the activity log.

Missions are checks over the log (:mod:`sandbox.simulation.missions`); this module
writes the row that says one was finished, in the transaction that wrote the
activity that finished it. Two write paths call it: the room's (every command a
person gives, whatever page they are on; see :mod:`sandbox.room`) and the tick
(a simulated colleague's reply can finish a learner's mission). So the export
and the debrief have every completion, even for a learner who never opened the
Missions page.

Like every service it takes a Session and never commits.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sandbox.metrics.records import Activity as LogActivity
from sandbox.services import activity_log
from sandbox.simulation.missions import LogIndex, evaluate, feature, subject_of
from sandbox.simulation.scenario import Scenario
from sandbox.store.models import Activity, Member

COMPLETE = "mission.complete"


def completed_missions(session: Session, member: Member) -> set[str]:
    """Ids of the missions already recorded as complete for ``member``."""
    return set(session.scalars(
        select(Activity.object_id).where(
            Activity.workshop_id == member.workshop_id,
            Activity.actor_id == member.id,
            Activity.verb == COMPLETE,
        )
    ))


def completion_times(session: Session, member: Member) -> dict[str, datetime]:
    """Mission id -> when it was recorded as complete for ``member``."""
    rows = session.execute(
        select(Activity.object_id, func.min(Activity.at)).where(
            Activity.workshop_id == member.workshop_id,
            Activity.actor_id == member.id,
            Activity.verb == COMPLETE,
        ).group_by(Activity.object_id)
    )
    return {mission_id: at for mission_id, at in rows}


def record_completed_missions(session: Session, member: Member, done: Iterable[str], *, now: datetime) -> list[str]:
    """Record ``mission.complete`` for each mission in ``done`` not recorded yet.

    Returns the ids newly recorded, in the order given: the missions to
    celebrate now. Recording twice is harmless (nothing new is written).
    """
    already = completed_missions(session, member)
    member = session.get(Member, member.id)
    fresh = []
    for mission_id in done:
        if mission_id in already or mission_id in fresh:
            continue
        activity_log.record(session, member, COMPLETE, now=now, object_type="mission", object_id=mission_id)
        fresh.append(mission_id)
    return fresh


def record_finished_missions(session: Session, workshop_id: int, scenario: Scenario,
                             activities: Sequence[LogActivity], *, now: datetime, new_after_id: int = 0,
                             index_of: Callable[[list[LogActivity]], LogIndex] | None = None,
                             ) -> dict[str, list[str]]:
    """Record every mission a learner of the workshop has finished and that is not recorded yet.

    ``activities`` is the workshop's log as this transaction sees it (its own
    new rows included), with members named by handle. Only the learners the rows
    with an id above ``new_after_id`` touch are checked (the actor, the person
    addressed, the maker of what was acted on): a mission is finished only by
    something one did or received. ``index_of`` makes the missions' index of the
    log (the room's remembers the last one and extends it); by default it is built.
    Returns learner handle -> the mission ids recorded now, in the scenario's
    order (empty when nothing new).
    """
    new_rows = [activity for activity in activities if activity.id > new_after_id and activity.verb != COMPLETE]
    verbs = set().union(*(mission.verbs() for mission in scenario.missions)) if scenario.missions else set()
    if not any(activity.verb in verbs for activity in new_rows):
        return {}
    recorded = {(activity.actor, activity.object_id) for activity in activities if activity.verb == COMPLETE}
    index = index_of(list(activities)) if index_of else LogIndex.build(activities, scenario.seed_tags())
    touched = {activity.actor for activity in new_rows} | {activity.target for activity in new_rows}
    touched |= {index.creators.get((feature(activity.verb), subject_of(activity))) for activity in new_rows}
    learners = session.scalars(
        select(Member).where(Member.workshop_id == workshop_id, Member.kind == "learner",
                             Member.handle.in_(sorted(handle for handle in touched if handle)))
        .order_by(Member.id)
    ).all()
    waiting = {
        learner.handle: [mission for mission in scenario.missions if (learner.handle, mission.id) not in recorded]
        for learner in learners
    }
    fresh: dict[str, list[str]] = {}
    for learner in learners:
        done = [mission.id for mission in waiting[learner.handle] if evaluate(mission, learner.handle, index).done]
        if done:
            fresh[learner.handle] = record_completed_missions(session, learner, done, now=now)
    return fresh
