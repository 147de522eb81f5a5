"""The learner x mission matrix reads each row a bounded number of times, and gives exactly the
answers a plain walk over the whole log gives (the way missions were checked before)."""
from __future__ import annotations

import random

import pytest

from sandbox.simulation import missions
from sandbox.simulation.missions import LogIndex, evaluate
from sandbox.simulation.scenario import load_scenario
from tests.metrics.logbook import Logbook

COLLEGE = load_scenario("college")
LEARNERS = [f"learner-{number:02d}" for number in range(40)]
PERSONAS = ["priya", "dev", "tom", "grace", "carla"]
TAGS = ["welcome", "rooms", "mileage", "question", "open-day", "expenses"]


def busy_log(seed: int, rows: int = 2500) -> Logbook:
    """A lively 40-learner room: posts, replies to others' posts, reactions, mentions, wiki
    edits, bookmarks, idea votes and unvotes, polls, groups, thresholds. Some rows come out
    of time order, as simulated colleagues' actions do when released "when due"."""
    rng = random.Random(seed)
    log = Logbook()
    people = LEARNERS + PERSONAS
    made: dict[str, list[tuple[str, str]]] = {"post": [], "page": [], "idea": [], "poll": [], "group": []}
    for number in range(rows):
        at = number * 0.05 - (rng.random() * 3 if rng.random() < 0.05 else 0)
        me = rng.choice(people)
        choice = rng.random()
        if choice < 0.18 or not made["post"]:
            post_id = f"p{number}"
            mentions = [rng.choice(people)] if rng.random() < 0.3 else []
            kind = "question" if rng.random() < 0.2 else ""
            log.add(at, me, "post.create", post_id, tags=rng.sample(TAGS, rng.randint(0, 2)), kind=kind,
                    mentions=mentions, **({"group": rng.choice(made["group"])[1]} if made["group"] and rng.random() < 0.1 else {}))
            made["post"].append((me, post_id))
            for person in mentions:
                log.add(at, me, "post.mention", post_id, target=person)
        elif choice < 0.35:
            author, post_id = rng.choice(made["post"])
            log.add(at, me, "post.reply", f"r{number}", target=author, thread=post_id, tags=rng.sample(TAGS, rng.randint(0, 1)))
        elif choice < 0.48:
            author, post_id = rng.choice(made["post"])
            log.add(at, me, "post.react", post_id, target=author, reaction="like")
        elif choice < 0.53:
            page_id = f"w{number}"
            log.add(at, me, "wiki.create", page_id)
            made["page"].append((me, page_id))
        elif choice < 0.6 and made["page"]:
            author, page_id = rng.choice(made["page"])
            log.add(at, me, "wiki.edit", page_id, target=author)
        elif choice < 0.68:
            log.add(at, me, "bookmark.save", f"b{number}", tags=rng.sample(TAGS, rng.randint(1, 2)))
        elif choice < 0.71:
            idea_id = f"i{number}"
            log.add(at, me, "idea.create", idea_id)
            made["idea"].append((me, idea_id))
        elif choice < 0.8 and made["idea"]:
            author, idea_id = rng.choice(made["idea"])
            log.add(at, me, rng.choice(["idea.vote", "idea.vote", "idea.unvote"]), idea_id, target=author)
        elif choice < 0.83:
            poll_id = f"q{number}"
            log.add(at, me, "poll.create", poll_id)
            made["poll"].append((me, poll_id))
        elif choice < 0.88 and made["poll"]:
            author, poll_id = rng.choice(made["poll"])
            log.add(at, me, "poll.vote", poll_id, target=author)
        elif choice < 0.9:
            group_id = f"g{number}"
            log.add(at, me, "group.create", group_id)
            made["group"].append((me, group_id))
        elif choice < 0.93:
            log.add(at, me, "search.run", "", query="rooms")
        elif choice < 0.96:
            log.add(at, me, "post.praise", f"pr{number}", target=rng.choice(people))
        elif choice < 0.98:
            log.add(at, me, rng.choice(["event.rsvp", "schedule.vote"]), f"e{number % 7}")
        else:
            log.add(at, me, "member.threshold", "", threshold=rng.randint(0, 100))
    return log


def walk_whole_log(step, me, index, since):
    """The old way: every row of the log, for every learner and every step; (when done, how many so far)."""
    seen = set()
    for activity in index.activities:
        if since is not None and activity.at < since:
            continue
        if activity.verb != step.verb or not missions._matches(step, activity, me, index):
            continue
        seen.add((activity.actor, activity.object_id) if step.received else (activity.object_id or activity.id))
        if len(seen) >= step.count:
            return activity.at, step.count
    return None, len(seen)


def matrix(index: LogIndex):
    return {handle: {mission.id: evaluate(mission, handle, index) for mission in COLLEGE.missions}
            for handle in LEARNERS}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matrix_answers_are_those_of_a_walk_over_the_whole_log(seed, monkeypatch):
    index = LogIndex.build(busy_log(seed).activities, COLLEGE.seed_tags())
    fast = matrix(index)
    monkeypatch.setattr(missions, "_step_progress", walk_whole_log)
    slow = matrix(index)
    assert fast == slow
    done = sum(progress.done for row in fast.values() for progress in row.values())
    assert 0 < done < len(LEARNERS) * len(COLLEGE.missions)  # the log exercises both outcomes


def test_matrix_reads_each_row_a_few_times_not_once_per_learner_and_step(monkeypatch):
    log = busy_log(4).activities
    index = LogIndex.build(log, COLLEGE.seed_tags())
    calls = 0
    real = missions._matches

    def counting(*args):
        nonlocal calls
        calls += 1
        return real(*args)

    monkeypatch.setattr(missions, "_matches", counting)
    matrix(index)
    # A row is looked at by the steps of its own verb, for its actor and whoever received it.
    # Walking the whole log for 40 learners x 25 steps looked at ~38,000 rows here.
    assert calls <= 4 * len(log), calls
