"""Replay on a hand-built log: the feed at a minute, the key moments, the same log the same picture."""
from __future__ import annotations

from sandbox.metrics.dashboard import compute_dashboard
from sandbox.metrics.records import Member
from sandbox.metrics.replay import at_minute, feed_at, key_moments, log_at, minute_of
from tests.metrics.logbook import T0, Logbook, minute


def session_log() -> tuple[Logbook, list[Member]]:
    people = [Member("ana", "Finance", display_name="Ana"), Member("ben", "Library", display_name="Ben"),
              Member("cat", "Finance"), Member("dan", "Finance"),
              Member("sam", "Estates", kind="simulated", display_name="Sam Patel")]
    log = Logbook()
    log.add(-5, "sam", "post.create", "p0", driven_by="seed:posts:p0")   # seed content, before the session
    log.add(1, "sam", "post.create", "p1", driven_by="inject:hello")     # a scripted post
    log.add(2, "ana", "post.create", "p2", tags=["rooms"])  # ana adopts: 1 of 4 = 25%
    log.add(3, "cat", "post.reply", "r1", target="ana", thread="p2")   # same department
    log.add(4, "ben", "post.react", "p2", target="ana")
    log.add(6, "ben", "post.reply", "r2", target="ana", thread="p2")   # Library to Finance
    log.add(7, "ana", "post.delete", "p2")
    log.add(8, "dan", "post.create", "p3")
    return log, people


def test_the_feed_at_minute_5_holds_only_what_existed_then():
    log, _ = session_log()
    feed = feed_at(log.activities, at_minute(T0, 5))
    assert [item.post_id for item in feed] == ["p2", "p1", "p0"]  # newest first; p3 came at minute 8
    assert (feed[0].replies, feed[0].reactions, feed[0].tags) == (1, 1, ("rooms",))
    later = feed_at(log.activities, at_minute(T0, 8))
    assert [item.post_id for item in later] == ["p3", "p1", "p0"]  # p2 deleted at minute 7


def test_the_same_log_gives_the_same_picture():
    log, people = session_log()
    moment = at_minute(T0, 5)
    first = (feed_at(log.activities, moment), compute_dashboard(log_at(log.activities, moment), people).summaries())
    again = (feed_at(list(log.activities), moment),
             compute_dashboard(log_at(list(log.activities), moment), list(people)).summaries())
    assert first == again
    whole = compute_dashboard(log.activities, people).summaries()
    assert first[1] != whole  # and the picture did change after minute 5
    assert first[1]["adoption"].startswith("2 of 4 members (50%)")  # ana posted, cat replied; dan later


def test_key_moments_are_scripted_posts_the_25_percent_crossing_and_the_first_cross_department_reply():
    log, people = session_log()
    moments = key_moments(log.activities, people)
    assert [(minute_of(m.at, T0), m.label) for m in moments] == [
        (1, "Scripted post by Sam Patel"),
        (2, "The room passed 25% adopters (Ana made it 1 of 4)"),
        (6, "First reply across departments (Library to Finance)"),
    ]


def test_key_moments_come_from_driven_by_not_from_who_posted_when():
    """A simulated colleague's post is a scripted step only when a step wrote it; the trainer's
    words as a colleague are their own kind of moment; rules, seed content and a self-study
    learner's own copy of a step are not moments of the room."""
    people = [Member("ana", "Finance", display_name="Ana"),
              Member("sam", "Estates", kind="simulated", display_name="Sam Patel"),
              Member("tom", "Estates", kind="simulated", display_name="Tom Okafor")]
    log = Logbook()
    log.add(-3, "sam", "post.create", "p0", driven_by="seed:posts:p0")
    log.add(1, "tom", "post.create", "p1", driven_by="trainer")
    log.add(2, "sam", "post.create", "p2", driven_by="rule:welcome-back:7")   # a colleague answering the room
    log.add(3, "sam", "poll.create", "p3", driven_by="inject:lunch-poll")
    log.add(4, "tom", "post.reply", "r1", target="sam", thread="p3", driven_by="trainer")
    log.add(5, "sam", "post.create", "p4", driven_by="learner:ana:inject:hello")  # ana's self-study copy
    log.add(6, "sam", "post.create", "p5")                                    # no mark: not a step
    log.add(7, "sam", "post.react", "p1", target="tom", driven_by="inject:like-it")  # a step, but no post
    log.add(9, "tom", "post.create", "p6", driven_by="inject:room-booking")
    moments = key_moments(log.activities, people)
    assert [(minute_of(m.at, T0), m.label) for m in moments] == [
        (1, "The trainer, as Tom Okafor, posted"),
        (3, "Scripted poll by Sam Patel"),
        (4, "The trainer, as Tom Okafor, replied"),
        (9, "Scripted post by Tom Okafor"),
    ]


def test_the_feed_then_marks_the_posts_the_trainer_wrote_as_a_colleague():
    log = Logbook()
    log.add(1, "sam", "post.create", "p1", driven_by="inject:hello")
    log.add(2, "sam", "post.create", "p2", driven_by="trainer")
    assert [(item.post_id, item.by_trainer) for item in feed_at(log.activities, at_minute(T0, 5))] == [
        ("p2", True), ("p1", False)]


def test_log_at_cuts_at_the_moment_itself():
    log, _ = session_log()
    assert [a.object_id for a in log_at(log.activities, minute(2))][-1] == "p2"
    assert log_at(log.activities, minute(-10)) == []
