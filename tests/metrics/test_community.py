"""Community managers' numbers on hand-built logs whose answers can be checked on paper."""
from __future__ import annotations

from datetime import timedelta

import pytest

from sandbox.metrics.community import community, persona_of
from sandbox.metrics.dashboard import compute_dashboard
from sandbox.metrics.records import Member
from tests.metrics.logbook import Logbook, members, minute


def room_of_six() -> tuple[Logbook, list[Member]]:
    """ana posts and gets much back (catalyst); ben replies and reacts (responder); cat posts,
    replies and gets answers (engager); dan only posts (broadcaster); fay only reads (observer);
    eve never looks. The trainer (tom) and a champion persona (sam) are the leaders."""
    people = (members("ana", "ben", "cat", "dan", "eve", "fay")
              + [Member("sam", kind="simulated", champion=True), Member("tom", kind="trainer")])
    log = Logbook()
    log.add(0, "tom", "post.create", "p0")                      # the trainer's welcome: not a room post
    log.add(1, "ana", "post.create", "p1")
    log.add(2, "fay", "feed.view", posts=[1, 0])
    log.add(3, "ben", "post.reply", "r1", target="ana", thread="p1")   # 2 minutes after p1
    log.add(4, "cat", "post.react", "p1", target="ana", reaction="like")
    log.add(5, "sam", "post.reply", "r2", target="ana", thread="p1")
    log.add(6, "ana", "post.create", "p2")
    log.add(7, "ben", "post.react", "p2", target="ana", reaction="thanks")  # p2: a reaction, no reply
    log.add(8, "cat", "post.create", "p3")
    log.add(9, "fay", "post.view", "p3", target="cat")
    log.add(10, "sam", "post.reply", "r3", target="cat", thread="p3")
    log.add(11, "cat", "post.reply", "r4", target="sam", thread="p3")
    log.add(12, "ben", "post.react", "p0", target="tom", reaction="like")
    log.add(12.5, "ben", "post.react", "p3", target="cat", reaction="like")
    log.add(13, "dan", "post.create", "p4")
    log.add(14, "dan", "post.delete", "p4")                      # deleted: no longer a post to answer
    return log, people


def test_personas_follow_swoops_give_and_receive_balance():
    log, people = room_of_six()
    personas = community(log.activities, people).personas
    # Made (posts, replies, reactions) / received (replies, reactions by others):
    # ana 2/4 catalyst (4 >= 2 x 2); ben 4/0 responder (no posts); cat 3/2 engager;
    # dan 1/0 broadcaster (a post, no replies); fay 0, read: observer; eve 0, never looked.
    assert personas.counts == {"engager": 1, "catalyst": 1, "responder": 1, "broadcaster": 1,
                               "observer": 1, "not seen": 1}
    assert personas.population == 6


@pytest.mark.parametrize(("made", "received", "posts", "replies", "has_read", "expected"), [
    (0, 0, 0, 0, True, "observer"),
    (0, 3, 0, 0, False, "not seen"),
    (1, 2, 1, 0, False, "catalyst"),
    (2, 1, 0, 2, False, "responder"),
    (4, 2, 3, 1, False, "broadcaster"),
    (3, 2, 1, 1, False, "engager"),
    (1, 0, 0, 0, False, "responder"),  # one reaction given, nothing back
])
def test_persona_cut_offs(made, received, posts, replies, has_read, expected):
    assert persona_of(made, received, posts, replies, has_read) == expected


def test_an_observer_reads_and_the_share_is_set_beside_swoops_benchmark():
    log = Logbook()
    log.add(0, "sam", "post.create", "p1")
    log.add(1, "ana", "feed.view", posts=["p1"])
    log.add(2, "ben", "post.view", "p1", target="sam")
    log.add(3, "cat", "post.react", "p1", target="sam")
    people = members("ana", "ben", "cat", "dan") + [Member("sam", kind="simulated")]
    result = community(log.activities, people)
    assert result.personas.counts["observer"] == 2
    assert result.personas.counts["not seen"] == 1
    assert result.personas.summary().startswith("2 of 4 people (50%) only read so far;")
    assert "SWOOP Analytics, Yammer and Viva Engage Benchmarking Report 2022/23: almost 60% of staff only read." \
        in result.personas.summary()
    assert result.reading.readers == 2
    assert result.reading.seen_by == {"p1": 2}  # ana in the feed, ben in the thread (cat reacted, never viewed)
    assert result.reading.summary() == ("2 of 4 people (50%) opened the feed or a thread; a post was seen by 2 "
                                        "people (median over 1 post), counted as Viva Engage counts 'seen by'.")


def test_views_of_things_that_are_not_posts_count_for_nothing():
    log = Logbook()
    log.add(0, "sam", "post.create", "p1")
    log.add(1, "ana", "feed.view", posts=["p1", "p404"])
    log.add(2, "sam", "feed.view", posts=["p1"])  # authors do not count among those who saw their post
    result = community(log.activities, members("ana") + [Member("sam", kind="simulated")])
    assert result.reading.seen_by == {"p1": 1}


def test_responses_unanswered_posts_and_time_to_first_response():
    log, people = room_of_six()
    responses = community(log.activities, people).responses
    # Posts: p1, p2, p3 (p0 is the trainer's, p4 was deleted). Responded: all three.
    # First responses: p1 after 2 min (ben's reply), p2 after 1 min (a reaction), p3 after 2 min (sam).
    assert responses.posts == 3
    assert responses.responded == 3
    assert responses.unanswered == ("p2",)  # only a reaction
    assert responses.median_seconds == 120
    assert responses.summary() == ("3 of 3 posts (100%) got a reply or reaction; 1 post still has no reply; "
                                   "the median time to the first response was 2 minutes.")


def test_own_replies_are_not_responses():
    log = Logbook()
    log.add(0, "ana", "post.create", "p1")
    log.add(1, "ana", "post.reply", "r1", thread="p1")
    responses = community(log.activities, members("ana")).responses
    assert (responses.responded, responses.unanswered, responses.median_seconds) == (0, ("p1",), None)


def test_community_health_is_active_this_session_over_ever_active():
    log = Logbook()
    log.add(0, "ana", "post.create", "p1")        # before the session
    log.add(1, "ben", "idea.vote", "i1")
    log.add(2, "dan", "feed.view")                # reading is not activity
    log.add(30, "ana", "post.react", "p9")        # this session
    log.add(31, "cat", "post.create", "p2")
    health = community(log.activities, members("ana", "ben", "cat", "dan"), session_start=minute(20)).health
    assert (health.active_now, health.ever_active) == (2, 3)
    assert health.summary().startswith("Community health 67%: 2 of the 3 people who ever took part did so this session")
    assert "after SWOOP's Community Health Index" in health.summary()
    no_clock = community(log.activities, members("ana", "ben", "cat", "dan")).health
    assert no_clock.summary().startswith("3 people have taken part so far;")


def test_leader_participation():
    log, people = room_of_six()
    leaders = community(log.activities, people).leaders
    assert (leaders.leaders, leaders.active) == (2, 2)  # tom posted, sam replied
    # Posts, replies, reactions: tom p0; ana p1, p2; ben r1 and 3 reactions; cat react, p3, r4; sam r2, r3;
    # dan p4 = 13, of which the leaders made 3.
    assert leaders.share_of_contributions == pytest.approx(3 / 13)
    assert (leaders.room_posts, leaders.room_posts_answered_by_leaders) == (3, 2)  # sam in p1 and p3
    assert leaders.summary() == ("2 of 2 leaders (the trainer and the champions) took part; they made 23% of posts, "
                                 "replies and reactions and responded to 2 of 3 posts by the room.")


def test_the_dashboard_carries_the_community_numbers_and_ignores_reading_elsewhere():
    log, people = room_of_six()
    with_views = compute_dashboard(log.activities, people, session_start=minute(0) - timedelta(minutes=1))
    without = compute_dashboard([a for a in log.activities if not a.verb.endswith(".view")], people)
    assert with_views.community.personas.counts["observer"] == 1
    assert with_views.community.health.active_now == 4  # ana, ben, cat, dan; fay only read
    # Reading rows change no other figure.
    assert with_views.summaries() == without.summaries()


def test_an_empty_room_has_a_sentence_for_every_number():
    summaries = community([], []).summaries()
    assert list(summaries) == ["personas", "reading", "responses", "health", "leaders"]
    assert all(text.endswith(".") for text in summaries.values())
