"""40 browser sessions call tick at the same moment: each thing is released exactly once.

Runs on a SQLite file always, and on PostgreSQL too when
``INSIDEOUT_TEST_DATABASE_URL`` is set (the ``db_url`` fixture is parametrised
over both). Threads start together at a barrier; "one server" shares an engine and
one ``WorkshopTick`` (the room's lock, quiet answer and log), as Streamlit's
browser sessions do; "several servers" gives each thread its own engine (its own
connection pool) and its own ``WorkshopTick``, as separate processes would have,
so only the database's lock and the marks' unique constraint keep releases single.
"""
from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from sandbox.services import feed, workshops
from sandbox.simulation.seed import create_workshop_from_scenario
from sandbox.simulation.scenario import load_scenario
from sandbox.simulation.tick import WorkshopTick
from sandbox.store import make_engine, read_session, write_session
from sandbox.store.models import Member, Post, SimulationMark
from tests.sandbox.conftest import START

SESSIONS = 40
MOMENT = START + timedelta(minutes=120)  # every inject of the session is due


def run_together(count: int, work) -> list:
    """Run ``work(index)`` in ``count`` threads released at once; return results or errors."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = work(index)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            results[index] = error

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return results


@pytest.mark.slow
@pytest.mark.parametrize("servers", ["one server", "several servers"])
def test_forty_sessions_ticking_at_once_release_each_inject_exactly_once(db_url, fresh_db, servers):
    with write_session(fresh_db) as session:
        code = create_workshop_from_scenario(session, "Busy room", now=START).workshop.code
    with write_session(fresh_db) as session:
        anna = workshops.join(session, code, "Anna Smith", "Library", accept_policy=True,
                              client_key="anna", now=START).member
        first_post = feed.create_post(session, anna, "Hello everyone #welcome", now=START + timedelta(minutes=1)).id

    if servers == "one server":
        engines = [fresh_db] * SESSIONS
        ticks = [WorkshopTick(code)] * SESSIONS
    else:
        engines = [make_engine(db_url) for _ in range(SESSIONS)]
        ticks = [WorkshopTick(code) for _ in range(SESSIONS)]
    try:
        results = run_together(SESSIONS, lambda index: ticks[index].tick(engines[index], MOMENT))
    finally:
        for engine in set(engines) - {fresh_db}:
            engine.dispose()

    errors = [result for result in results if isinstance(result, BaseException)]
    assert errors == []  # in particular, no "database is locked"
    released = Counter(key for result in results for key in result.released)
    injects = {f"inject:{inject.id}" for inject in load_scenario("college").injects}
    # Every inject was released, each by exactly one of the 40 ticks.
    assert injects <= set(released)
    assert all(times == 1 for times in released.values()), released
    with read_session(fresh_db) as session:
        keys = Counter(session.scalars(select(SimulationMark.key).where(SimulationMark.key.startswith("inject:"))))
        assert set(keys) == injects and set(keys.values()) == {1}
        # What the marks say happened, happened once in the room too.
        priya = session.scalar(select(Member.id).where(Member.persona == "priya"))
        welcomes = session.scalar(select(func.count(Post.id)).where(
            Post.author_id == priya, Post.body.startswith("Welcome, everyone joining today")))
        replies_to_anna = session.scalar(select(func.count(Post.id)).where(Post.parent_id == first_post))
        jordans = session.scalar(select(func.count(Member.id)).where(Member.persona == "jordan"))
    assert welcomes == 1
    assert replies_to_anna == 1
    assert jordans == 1


@pytest.mark.slow
def test_ticks_and_learners_writing_at_once_lose_nothing(fresh_db):
    """Half the sessions tick while the other half post their first message."""
    with write_session(fresh_db) as session:
        code = create_workshop_from_scenario(session, "Busy room", now=START).workshop.code
    learners = []
    for number in range(SESSIONS // 2):
        with write_session(fresh_db) as session:
            learners.append(workshops.join(session, code, f"Learner {number}", "Library", accept_policy=True,
                                           client_key=f"learner-{number}", now=START).member)
    posted_at = START + timedelta(minutes=5)
    room_tick = WorkshopTick(code)  # one server: its browser sessions share the room's tick

    def work(index: int):
        if index % 2:
            return room_tick.tick(fresh_db, posted_at)
        with write_session(fresh_db) as session:
            return feed.create_post(session, learners[index // 2], f"Hello from learner {index // 2} #welcome",
                                    now=posted_at).id

    results = run_together(SESSIONS, work)
    assert [result for result in results if isinstance(result, BaseException)] == []
    # A minute later every first post is due its welcome: one tick does them all, once.
    room_tick.tick(fresh_db, posted_at + timedelta(minutes=1))
    room_tick.tick(fresh_db, posted_at + timedelta(minutes=1))
    post_ids = [result for result in results if isinstance(result, int)]
    with read_session(fresh_db) as session:
        replies = Counter(session.scalars(select(Post.parent_id).where(Post.parent_id.in_(post_ids))))
    assert set(post_ids) == set(replies) and set(replies.values()) == {1}
