"""Mission progress counts what the check counts, and names the real next step.

One test per kind of check (a single step counted once or several times, done or
received; all_of; sequence; any_of; nested), on hand-built logs. The defect these
pin down: a learner who had spent one of three idea votes read "0 of 1" with the
hint "Vote for an idea", because a counted step was shown as one undivided step.
"""
from __future__ import annotations

from sandbox.simulation.missions import Mission, evaluate, parse_check
from sandbox.simulation.scenario import load_scenario
from tests.metrics.logbook import Logbook

ME = "lee"
COLLEGE = load_scenario("college")


def mission(check: dict, hint: str = "The mission's own hint.") -> Mission:
    problems = []
    parsed = parse_check(check, lambda path, message: problems.append((path, message)))
    assert parsed is not None, problems
    return Mission(id="m", title="Test mission", module=1, description="", hint=hint, check=parsed)


def shipped(mission_id: str, log: Logbook):
    return evaluate(COLLEGE.mission(mission_id), ME, log.activities, seed_tags=COLLEGE.seed_tags())


def room() -> Logbook:
    log = Logbook()
    for number, author in enumerate(("grace", "sam", "tom", "ana"), start=1):
        log.add(number, author, "idea.create", f"idea-{number}")
    return log


# ---------------------------------------------------------------- a single counted step


def test_one_vote_of_three_reads_one_of_three_votes():
    """The defect as a learner met it: one vote spent on the idea board, three wanted."""
    log = room()
    log.add(10, ME, "idea.vote", "idea-1", target="grace")
    result = shipped("spend-votes", log)
    assert (result.done, result.counted, result.needed) == (False, 1, 3)
    assert result.summary() == "1 of 3 votes"
    assert result.hint == "Vote for an idea. 2 more votes to go."


def test_counted_step_before_and_after_and_done():
    log = room()
    result = shipped("spend-votes", log)
    assert (result.summary(), result.hint) == ("0 of 3 votes", "Vote for an idea. 3 votes to go.")
    log.add(10, ME, "idea.vote", "idea-1", target="grace")
    log.add(11, ME, "idea.vote", "idea-2", target="sam")
    result = shipped("spend-votes", log)
    assert (result.summary(), result.hint) == ("2 of 3 votes", "Vote for an idea. 1 more vote to go.")
    log.add(12, ME, "idea.vote", "idea-3", target="tom")
    result = shipped("spend-votes", log)
    assert (result.done, result.counted, result.needed, result.summary()) == (True, 3, 3, "Done")


def test_a_vote_taken_back_is_not_counted():
    log = room()
    log.add(10, ME, "idea.vote", "idea-1", target="grace")
    log.add(11, ME, "idea.vote", "idea-2", target="sam")
    log.add(12, ME, "idea.unvote", "idea-2", target="sam")
    assert shipped("spend-votes", log).summary() == "1 of 3 votes"


def test_the_same_object_twice_counts_once():
    log = room()
    log.add(10, ME, "bookmark.save", "b1", tags=["wifi"])
    log.add(11, ME, "bookmark.save", "b1", tags=["wifi"])
    result = shipped("bookmark-three", log)
    assert (result.summary(), result.hint) == ("1 of 3 bookmarks", "Save a bookmark. 2 more bookmarks to go.")


def test_a_counted_step_counts_only_actions_that_pass_its_filters():
    """bookmark-three wants tags someone else used: a bookmark with a new tag does not count."""
    log = room()
    log.add(10, ME, "bookmark.save", "b1", tags=["my-own-thing"])
    assert shipped("bookmark-three", log).counted == 0
    log.add(11, ME, "bookmark.save", "b2", tags=["wifi"])  # a seed tag
    assert shipped("bookmark-three", log).counted == 1


def test_a_received_counted_step_counts_distinct_colleagues():
    check = mission({"received": "poll.vote", "on_own": True, "count": 3})
    log = Logbook()
    log.add(1, ME, "poll.create", "poll-1")
    log.add(2, "dev", "poll.vote", "poll-1")
    log.add(3, "dev", "poll.vote", "poll-1")  # the same colleague again
    log.add(4, ME, "poll.vote", "poll-1")  # my own vote is not received
    result = evaluate(check, ME, log.activities)
    assert result.summary() == "1 of 3 votes"
    assert result.hint == "Wait for colleagues to respond, or mention them in a post about it. 2 more votes to go."
    log.add(5, "tom", "poll.vote", "poll-1")
    assert evaluate(check, ME, log.activities).summary() == "2 of 3 votes"


def test_a_single_step_counted_once():
    log = room()
    result = shipped("give-praise", log)
    assert (result.summary(), result.hint) == ("0 of 1 praise", "Praise a colleague for something they did.")
    log.add(10, ME, "post.praise", "p1", target="sam")
    assert shipped("give-praise", log).summary() == "Done"


def test_a_verb_without_a_unit_is_counted_in_steps():
    result = evaluate(mission({"verb": "post.answer", "count": 2}), ME, [])
    assert result.summary() == "0 of 2 steps"


# ---------------------------------------------------------------- groups


def test_all_of_counts_steps_and_the_hint_says_what_is_left_of_the_next():
    """idea-reactions: post an idea (1 step), get two colleagues' votes (1 step of 2 votes)."""
    log = room()
    log.add(10, ME, "idea.create", "idea-9")
    log.add(11, "raj", "idea.vote", "idea-9", target=ME)
    result = shipped("idea-reactions", log)
    assert (result.counted, result.needed, result.summary()) == (1, 2, "1 of 2 steps")
    assert result.hint == "Share your idea in the feed so two colleagues vote for it. 1 more vote to go."


def test_all_of_counts_a_later_part_done_first():
    log = room()
    log.add(10, ME, "schedule.vote", "sched-1")
    result = shipped("schedule-rsvp", log)
    assert (result.summary(), result.hint) == ("1 of 2 steps", "RSVP to an event.")


def test_sequence_counts_a_later_part_only_after_the_earlier_one():
    check = mission({"sequence": [{"verb": "search.run"}, {"verb": "bookmark.save", "count": 2}]})
    log = Logbook()
    log.add(1, ME, "bookmark.save", "b1")  # before the search: not part of the sequence
    result = evaluate(check, ME, log.activities)
    assert (result.summary(), result.hint) == ("0 of 2 steps", "Search before you ask.")
    log.add(2, ME, "search.run")
    log.add(3, ME, "bookmark.save", "b2")
    result = evaluate(check, ME, log.activities)
    assert (result.summary(), result.hint) == ("1 of 2 steps", "Save a bookmark. 1 more bookmark to go.")
    log.add(4, ME, "bookmark.save", "b3")
    assert evaluate(check, ME, log.activities).done


def test_any_of_names_the_alternative_the_learner_got_furthest_with():
    check = mission({"any_of": [{"verb": "post.create", "count": 3}, {"verb": "bookmark.save", "count": 2}]})
    result = evaluate(check, ME, [])
    assert (result.summary(), result.hint) == ("0 of 1 step", "Write a post in the feed. 3 posts to go.")
    log = Logbook()
    log.add(1, ME, "bookmark.save", "b1")
    result = evaluate(check, ME, log.activities)
    assert (result.summary(), result.hint) == ("0 of 1 step", "Save a bookmark. 1 more bookmark to go.")
    log.add(2, ME, "bookmark.save", "b2")
    assert evaluate(check, ME, log.activities).summary() == "Done"


def test_any_of_inside_a_sequence_is_one_step():
    log = room()
    log.add(10, ME, "search.run")
    result = shipped("search-first", log)
    assert (result.summary(), result.hint) == ("1 of 2 steps", "Bookmark or react to something you found.")


def test_a_group_hint_wins_over_its_parts():
    check = mission({"all_of": [{"verb": "post.create", "count": 2}], "hint": "Say two things."})
    assert evaluate(check, ME, []).hint == "Say two things."


def test_nested_groups_count_every_step():
    check = mission({"all_of": [
        {"verb": "wiki.create"},
        {"sequence": [{"verb": "group.create"}, {"verb": "post.create", "in_own_group": True}]},
    ]})
    log = Logbook()
    log.add(1, ME, "group.create", "g1")
    result = evaluate(check, ME, log.activities)
    assert (result.counted, result.needed, result.summary()) == (1, 3, "1 of 3 steps")
    assert result.hint == "Create a wiki page."


def test_every_shipped_mission_reads_naturally_when_nothing_is_done():
    for shipped_mission in COLLEGE.missions:
        result = evaluate(shipped_mission, ME, [])
        assert result.summary().startswith("0 of "), shipped_mission.id
        assert result.hint and result.hint.endswith("."), shipped_mission.id
