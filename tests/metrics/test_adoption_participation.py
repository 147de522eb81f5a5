from __future__ import annotations

import pytest

from sandbox.metrics.adoption import REFERENCE_LINES, adoption_curve, adoption_times
from sandbox.metrics.participation import participation
from tests.metrics.logbook import Logbook, members, minute


def room_of(count: int):
    return members(*(f"m{index:02d}" for index in range(count)))


def test_adoption_counts_only_contributing_actions():
    log = Logbook()
    log.add(1, "m00", "post.create", "p1")
    log.add(2, "m01", "post.react", "p1", target="m00")  # light, not adoption
    log.add(3, "m02", "search.run")
    log.add(4, "m01", "bookmark.save", "b1", tags=["x"])
    curve = adoption_curve(log.activities, room_of(4))
    assert [point.handle for point in curve.points] == ["m00", "m01"]
    assert [point.at for point in curve.points] == [minute(1), minute(4)]
    assert curve.adopters == 2
    assert curve.share == 0.5


def test_adoption_time_is_the_first_contribution_even_if_rows_arrive_unordered():
    log = Logbook()
    log.add(10, "m00", "post.reply", "p1", target="x")
    log.add(2, "m00", "wiki.edit", "w1")
    assert adoption_times(log.activities) == {"m00": minute(2)}


def test_adoption_ignores_people_outside_the_room():
    log = Logbook()
    log.add(1, "persona", "post.create", "p1")
    curve = adoption_curve(log.activities, room_of(3))
    assert curve.adopters == 0


FINDING = ("25% is where one experiment saw a committed minority tip a group, in an online naming game "
           "with paid strangers; other estimates run from about 10% to 40%. "
           "It is a finding to compare with, not a target.")


@pytest.mark.parametrize(
    ("population", "adopters", "expected"),
    [
        (24, 7, "7 of 24 members (29%) have contributed."),
        (24, 3, "3 of 24 members (13%) have contributed."),
        (10, 1, "1 of 10 members (10%) has contributed."),
        (10, 0, "0 of 10 members (0%) have contributed."),
    ],
)
def test_adoption_summary_counts_and_names_the_finding_not_a_target(population, adopters, expected):
    log = Logbook()
    for index in range(adopters):
        log.add(index, f"m{index:02d}", "post.create", f"p{index}")
    summary = adoption_curve(log.activities, room_of(population)).summary()
    assert summary == f"{expected} {FINDING}"
    # No line by definition, and no "N more people would reach..." as if 25% were a goal.
    assert "16%" not in summary and "would reach" not in summary


def test_adoption_summary_for_an_empty_room():
    assert adoption_curve([], []).summary() == "No one has joined yet, so there is no adoption to show."


def test_reference_lines_cross_at_the_adopter_who_reaches_them():
    log = Logbook()
    for index in range(10):
        log.add(index * 5, f"m{index:02d}", "post.create", f"p{index}")
    curve = adoption_curve(log.activities, room_of(20))
    # Only the 25% finding is drawn: Rogers' 16% is true by definition and tells a room nothing.
    (twenty_five,) = REFERENCE_LINES
    assert twenty_five.percent == 25 and "Centola" in twenty_five.source
    assert "10% to 40%" in twenty_five.range_note and "not a target" in twenty_five.sentence()
    # 25% of 20 = 5 -> the 5th adopter.
    assert curve.crossed_at(twenty_five) == minute(20)
    assert adoption_curve(log.activities[:4], room_of(20)).crossed_at(twenty_five) is None


def test_participation_split_and_90_9_1_summary():
    log = Logbook()
    log.add(1, "m00", "post.create", "p1")
    log.add(2, "m00", "post.create", "p2")
    log.add(3, "m00", "post.react", "p9")
    log.add(4, "m01", "wiki.edit", "w1")
    log.add(5, "m02", "idea.vote", "i1")
    log.add(6, "m03", "event.rsvp", "e1")
    log.add(7, "m04", "search.run")  # reading only
    log.add(8, "outsider", "post.create", "p3")
    result = participation(log.activities, room_of(8))
    assert (result.creators, result.light, result.readers) == (2, 2, 4)
    assert result.shares == {"creators": 0.25, "light": 0.25, "readers": 0.5}
    # The busiest tenth of 8 people is 1 person: m00 made 2 of the 3 contributions.
    assert result.top_tenth_share == pytest.approx(2 / 3)
    assert result.summary() == "Creators 25%, light participants 25%, readers 50% (90-9-1 would be 1%, 9%, 90%)."


def test_participation_of_an_empty_room():
    result = participation([], [])
    assert (result.creators, result.light, result.readers, result.top_tenth_share) == (0, 0, 0, 0.0)
    assert "No one has joined yet" in result.summary()
