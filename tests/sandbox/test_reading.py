"""Reading recorded in the store (throttled), and the community numbers computed from it.

Runs on SQLite and, with INSIDEOUT_TEST_DATABASE_URL set, on PostgreSQL too.
"""
from __future__ import annotations

from sqlalchemy import func, select

from sandbox.metrics.community import community
from sandbox.services import feed, reading, room_log
from sandbox.store import read_session, write_session
from sandbox.store.models import Activity


def _count(engine, verb: str, actor_id: int) -> int:
    with read_session(engine) as session:
        return session.scalar(select(func.count(Activity.id)).where(Activity.verb == verb,
                                                                      Activity.actor_id == actor_id))


def test_a_feed_view_is_recorded_once_per_five_minutes_unless_new_posts_show(fresh_db, learner, colleague, clock):
    with write_session(fresh_db) as session:
        post = feed.create_post(session, learner, "Who knows the room booking system? #rooms", now=clock.now)
    with write_session(fresh_db) as session:
        assert reading.record_feed_view(session, colleague, [post.id], now=clock.advance(10)) is True
    with write_session(fresh_db) as session:
        assert reading.record_feed_view(session, colleague, [post.id], now=clock.advance(10)) is False  # a rerun
    with write_session(fresh_db) as session:
        newer = feed.create_post(session, learner, "And the projector in B12?", now=clock.advance(5))
    with write_session(fresh_db) as session:
        assert reading.record_feed_view(session, colleague, [post.id, newer.id], now=clock.advance(5)) is True
    with write_session(fresh_db) as session:
        assert reading.record_feed_view(session, colleague, [post.id], now=clock.advance(30)) is False
    with write_session(fresh_db) as session:
        assert reading.record_feed_view(session, colleague, [post.id], now=clock.advance(301)) is True
    assert _count(fresh_db, "feed.view", colleague.id) == 3


def test_a_thread_view_is_recorded_once_per_five_minutes(fresh_db, learner, colleague, other_workshop_learner, clock):
    with write_session(fresh_db) as session:
        post = feed.create_post(session, learner, "Lunch and learn on Friday?", now=clock.now)
        reply = feed.reply(session, learner, post.id, "In the library.", now=clock.advance(1))
    with write_session(fresh_db) as session:
        assert reading.record_thread_view(session, colleague, reply.id, now=clock.advance(10)) is True  # its thread
        assert reading.record_thread_view(session, colleague, post.id, now=clock.advance(10)) is False
        assert reading.record_thread_view(session, other_workshop_learner, post.id, now=clock.now) is False
        assert reading.record_thread_view(session, colleague, 999_999, now=clock.now) is False
    with read_session(fresh_db) as session:
        row = session.scalars(select(Activity).where(Activity.verb == "post.view")).one()
    assert (row.object_id, row.target_id) == (str(post.id), learner.id)


def test_community_numbers_from_a_stored_log(fresh_db, workshop, learner, colleague, join_as, clock):
    quiet = join_as("Cara Lee", "Estates")
    with write_session(fresh_db) as session:
        post = feed.create_post(session, learner, "Where do I find the fire drill dates?", now=clock.advance(60))
    with write_session(fresh_db) as session:
        reading.record_feed_view(session, colleague, [post.id], now=clock.advance(10))
        reading.record_thread_view(session, colleague, post.id, now=clock.advance(10))
        feed.reply(session, colleague, post.id, "On the estates wiki page.", now=clock.advance(40))
    with read_session(fresh_db) as session:
        activities = room_log.load_activities(session, workshop.workshop.id)
        members = room_log.load_members(session, workshop.workshop.id)
    result = community(activities, members)
    handles = {learner.handle, colleague.handle, quiet.handle}
    assert {member.handle for member in members if member.kind == "learner"} == handles
    # Anna made 1 post and got 1 reply (engager); Ben made 1 reply, got nothing (responder); Cara never looked.
    assert result.personas.counts["engager"] == 1
    assert result.personas.counts["responder"] == 1
    assert result.personas.counts["not seen"] == 1
    assert result.reading.readers == 1
    assert result.reading.seen_by[str(post.id)] == 1  # Ben, in the feed and in the thread: one person
    assert str(post.id) not in result.responses.unanswered
    assert result.health.ever_active == 2
