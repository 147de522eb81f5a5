"""Benchmark: the live dashboard over a big workshop's log.

200 members and 100,000 activities (far beyond a 40-person day, so a trainer's
dashboard never waits). Target: median at most 1 s. We print the median and its
ratio to a baseline measured in the same run (one plain pass over the rows,
counting verbs), and assert nothing about time: machines differ, ratios travel.
Run with ``make bench`` (it passes ``-s`` so the figures show).
"""
from __future__ import annotations

import json
import random
import statistics
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from sandbox.activity import CONTRIBUTING_VERBS, LIGHT_VERBS, TIE_VERBS, VERBS
from sandbox.metrics import compute_dashboard
from sandbox.metrics.community import community
from sandbox.metrics.records import Activity, Member

MEMBERS = 200
ACTIVITIES = 100_000
RUNS = 5
DEPARTMENTS = ["student-services", "finance", "curriculum-quality", "estates", "it-services", "library", "marketing"]
START = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)

# Rough mix of a lively room: lots of reading and reacting, fewer creations.
VERB_WEIGHTS = {
    "post.create": 8, "post.reply": 14, "post.react": 20, "post.mention": 4, "post.praise": 1,
    "poll.vote": 3, "poll.create": 0.5, "wiki.create": 0.5, "wiki.edit": 4, "bookmark.save": 5,
    "idea.create": 1, "idea.vote": 5, "event.rsvp": 2, "schedule.vote": 1, "search.run": 10,
    "group.join": 1, "member.threshold": 0.2,
    # Reading, recorded for the community managers' numbers (throttled, so fewer rows than clicks).
    "feed.view": 12, "post.view": 6,
}


def build_log(seed: int = 2026) -> tuple[list[Activity], list[Member]]:
    rng = random.Random(seed)
    members = [
        Member(
            handle=f"m{index:03d}",
            department=DEPARTMENTS[index % len(DEPARTMENTS)],
            kind="simulated" if index < 20 else "learner",
            champion=index < 4,
        )
        for index in range(MEMBERS)
    ]
    handles = [member.handle for member in members]
    # A few people do most of the work, as in real rooms.
    activity_weights = [1 / (rank + 1) for rank in range(MEMBERS)]
    verbs = list(VERB_WEIGHTS)
    verb_weights = list(VERB_WEIGHTS.values())
    tags = [f"tag{index}" for index in range(60)]
    actors = rng.choices(handles, weights=activity_weights, k=ACTIVITIES)
    chosen = rng.choices(verbs, weights=verb_weights, k=ACTIVITIES)
    activities = []
    created: list[str] = []
    for index, (actor, verb) in enumerate(zip(actors, chosen, strict=True)):
        assert verb in VERBS
        detail: dict = {}
        if verb in ("post.create", "bookmark.save"):
            detail["tags"] = rng.sample(tags, k=rng.randint(0, 3))
        if verb == "member.threshold":
            detail["threshold"] = rng.randint(0, 100)
        if verb == "feed.view":  # a page of 10 of the 100 newest posts, as the feed shows them
            detail["posts"] = rng.sample(created[-100:], k=min(10, len(created[-100:])))
        target = rng.choice(handles) if verb in TIE_VERBS else ""
        object_id = str(rng.randrange(5000)) if verb != "post.create" else f"post{index}"
        if verb == "post.create":
            created.append(object_id)
        activities.append(
            Activity(
                id=index + 1,
                at=START + timedelta(seconds=index * 0.2),
                actor=actor,
                verb=verb,
                object_id=object_id,
                target=target,
                detail=detail,
            )
        )
    return activities, members


def median_seconds(func, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


@pytest.mark.slow
def test_dashboard_on_200_members_and_100k_activities():
    activities, members = build_log()

    def baseline():
        counts = Counter()
        for activity in activities:
            counts[activity.verb] += 1
        return counts

    dashboard = compute_dashboard(activities, members)
    # Sanity, so the timing is of real work: everyone is in the room and most contributed.
    assert dashboard.adoption.population == 180
    assert dashboard.participation.creators + dashboard.participation.light + dashboard.participation.readers == 180
    assert dashboard.network.ties > 1000
    assert dashboard.replies.posts > 1000
    assert dashboard.threshold_game.people
    figures = dashboard.community
    assert sum(figures.personas.counts.values()) == 180 and figures.reading.readers > 100
    assert figures.responses.posts > 1000 and figures.leaders.leaders == 4
    assert set(VERB_WEIGHTS) <= set(VERBS) and CONTRIBUTING_VERBS and LIGHT_VERBS

    base = median_seconds(baseline)
    full = median_seconds(lambda: compute_dashboard(activities, members))
    community_only = median_seconds(lambda: community(activities, members))
    # The same log as export rows (ISO times, JSON details): parsing included.
    rows = [
        {
            "id": activity.id, "at": activity.at.isoformat().replace("+00:00", "Z"), "actor": activity.actor,
            "verb": activity.verb, "object_id": activity.object_id, "target": activity.target,
            "detail": json.dumps(dict(activity.detail)),
        }
        for activity in activities
    ]
    member_rows = [{"handle": m.handle, "department": m.department, "kind": m.kind, "champion": m.champion} for m in members]
    from_rows = median_seconds(lambda: compute_dashboard(rows, member_rows), runs=3)
    print(
        f"\ndashboard metrics, {MEMBERS} members, {ACTIVITIES:,} activities: "
        f"median {full:.3f} s over {RUNS} runs (target at most 1 s); "
        f"baseline (one pass counting verbs) {base * 1000:.1f} ms; ratio {full / base:.1f}x; "
        f"of which the community managers' numbers {community_only:.3f} s ({community_only / base:.1f}x); "
        f"from export rows incl. parsing: median {from_rows:.3f} s over 3 runs"
    )
