"""The missions' index extended row by row, as the room's write path uses it.

The room checks missions in every command's transaction; it keeps the index of
the log it has seen and extends it with the new rows instead of reading the whole
log again. An extended index must answer exactly as a full build does, on a real
workshop's log (the shipped sample export).
"""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from sandbox.metrics.records import Activity
from sandbox.simulation.missions import LogIndex, evaluate
from sandbox.simulation.scenario import load_scenario

SAMPLE = Path(__file__).resolve().parents[2] / "exercises" / "data" / "sample-export.json"
COLLEGE = load_scenario("college")


@pytest.fixture(scope="module")
def log() -> list[Activity]:
    rows = json.loads(SAMPLE.read_text(encoding="utf-8"))["activities"]
    return [Activity.from_row(row) for row in rows if row["verb"] != "mission.complete"]


def answers(index: LogIndex, people: list[str]) -> dict:
    return {(person, mission.id): evaluate(mission, person, index)
            for person in people for mission in COLLEGE.missions}


@pytest.mark.parametrize("split", [0, 1, 50, 200, 333, 499])
def test_an_extended_index_answers_as_a_full_build(log, split):
    people = sorted({activity.actor for activity in log if activity.actor_kind == "learner"})
    assert len(people) > 10 and len(log) >= 500
    full = LogIndex.build(log, COLLEGE.seed_tags())
    base = LogIndex.build(log[:split], COLLEGE.seed_tags())
    extended = base.extended(log[split:])
    assert extended is not None
    assert answers(extended, people) == answers(full, people)
    assert (extended.creators, extended.first_posts, extended.reusing, extended.withdrawn_votes) == (
        full.creators, full.first_posts, full.reusing, full.withdrawn_votes)
    # The index it came from is untouched (other pages may be reading it).
    assert answers(base, people) == answers(LogIndex.build(log[:split], COLLEGE.seed_tags()), people)


def test_a_row_from_before_the_index_ends_asks_for_a_full_build(log):
    base = LogIndex.build(log[:300], COLLEGE.seed_tags())
    late = replace(log[300], at=log[299].at - timedelta(minutes=5))  # released "when due", in the past
    assert base.extended([late]) is None
