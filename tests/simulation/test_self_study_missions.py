"""Alone at 9 pm: every mission that needs a colleague can be finished thanks to the rules.

The learner's actions are logged as the services record them; the planner's
responses are turned into the rows the services would write; then the missions
are evaluated. No store: this checks the scenario's rules and missions fit.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from sandbox.metrics.records import Activity
from sandbox.simulation.missions import evaluate
from sandbox.simulation.planning import Clock, plan_due
from sandbox.simulation.scenario import load_scenario
from tests.metrics.logbook import T0, minute

COLLEGE = load_scenario("college")
ALL_INJECTS = {f"inject:{inject.id}" for inject in COLLEGE.injects}
ME = "lee"


def as_service_row(action, activity_id: int, trigger: Activity) -> Activity:
    """The row a service would record when a persona performs ``action``."""
    detail = {}
    object_id = action.object_id
    if action.verb == "post.reply":
        detail = {"thread": trigger.thread() if trigger.verb == "post.reply" else trigger.object_id, "tags": []}
        object_id = f"reply-{activity_id}"
    return Activity(id=activity_id, at=action.due_at, actor=action.persona, verb=action.verb,
                    actor_kind="simulated", object_id=object_id, target=trigger.actor, detail=detail)


def run_until(log: list[Activity], minutes: float) -> list[Activity]:
    """Tick every minute, performing what is due, like a page rerunning."""
    released = set(ALL_INJECTS)
    for now in range(int(minutes) + 1):
        for action in plan_due(COLLEGE, Clock(T0, T0 + timedelta(minutes=now)), released, log):
            trigger = next(activity for activity in log if activity.id == action.trigger_id)
            log.append(as_service_row(action, len(log) + 1000, trigger))
            released.add(action.key)
    return log


@pytest.mark.parametrize(
    ("mission_id", "learner_rows"),
    [
        ("wiki-from-share", [("wiki.create", "room-booking", {})]),
        ("first-post", [("post.create", "101", {"tags": ["welcome"], "kind": "normal"})]),
        ("idea-reactions", [("idea.create", "55", {})]),
        ("run-a-poll", [("poll.create", "77", {"options": 3})]),
    ],
)
def test_mission_done_alone(mission_id, learner_rows):
    log = [
        Activity(id=index, at=minute(5 + index), actor=ME, verb=verb, actor_kind="learner", object_id=object_id, detail=detail)
        for index, (verb, object_id, detail) in enumerate(learner_rows, start=1)
    ]
    before = evaluate(COLLEGE.mission(mission_id), ME, log, seed_tags=COLLEGE.seed_tags())
    assert not before.done
    after = evaluate(COLLEGE.mission(mission_id), ME, run_until(log, 20), seed_tags=COLLEGE.seed_tags())
    assert after.done, after
