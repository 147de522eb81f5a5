"""Benchmark: what a page pays for calling tick when nothing is due.

Every rerun and every live poll of every browser calls ``tick``, so "nothing to
do" must cost about as much as the feed's own poll, ``feed.latest_post_id``.
Target: at most 2x. We print both medians and the ratio, and assert nothing
about time (machines differ, ratios travel); we do check that the quiet ticks
really released nothing. Run with ``make bench`` (it passes ``-s``).

The room: the seeded college scenario, 40 learners who each posted, got their
welcome, and every inject of the session released, on a SQLite file.
"""
from __future__ import annotations

import statistics
import time
from datetime import timedelta

import pytest

from sandbox.room import Rooms
from sandbox.services import feed, workshops
from sandbox.simulation.seed import create_workshop_from_scenario
from sandbox.store import make_engine, read_session, write_session
from tests.sandbox.conftest import START

LEARNERS = 40
CALLS = 2000
ROUNDS = 5
MOMENT = START + timedelta(minutes=120)


def median_seconds_per_call(work, calls: int = CALLS, rounds: int = ROUNDS) -> float:
    """The median over ``rounds`` of the mean time of one call."""
    per_round = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(calls):
            work()
        per_round.append((time.perf_counter() - started) / calls)
    return statistics.median(per_round)


@pytest.mark.slow
def test_tick_with_nothing_due_costs_about_a_latest_id_query(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'bench.db'}")
    from sandbox.store import create_schema

    create_schema(engine)
    with write_session(engine) as session:
        created = create_workshop_from_scenario(session, "Benchmark room", now=START)
    code, workshop_id = created.workshop.code, created.workshop.id
    for number in range(LEARNERS):
        with write_session(engine) as session:
            member = workshops.join(session, code, f"Learner {number}", "Library", accept_policy=True,
                                    client_key=f"bench-{number}", now=START).member
            feed.create_post(session, member, f"Hello from learner {number} #welcome",
                             now=START + timedelta(minutes=1, seconds=number))
    rooms = Rooms(engine)  # what the app holds once per server
    room = rooms.room(created.workshop)
    first = room.keep_alive(MOMENT)
    assert len(first.released) > LEARNERS  # the welcomes and every inject
    room.keep_alive(MOMENT)  # settle: the room is quiet from here on

    quiet_results = []

    def quiet_tick():
        quiet_results.append(room.keep_alive(MOMENT).released)

    def latest_id():
        with read_session(engine) as session:
            feed.latest_post_id(session, workshop_id)

    latest_id()
    quiet_tick()
    baseline = median_seconds_per_call(latest_id)
    quiet = median_seconds_per_call(quiet_tick)
    ratio = quiet / baseline
    print(
        f"\ntick with nothing due: {quiet * 1e6:.0f} us per call; "
        f"feed.latest_post_id in a read session: {baseline * 1e6:.0f} us per call; "
        f"ratio {ratio:.2f} (target at most 2.00)"
    )
    assert all(released == [] for released in quiet_results)

    # For the record (not part of the 2x target): the full look a tick takes
    # after a learner acts and nothing follows from it (no write lock taken).
    learner = None
    with read_session(engine) as session:
        learner = workshops.get_member(session, workshop_id, "learner-0")
    full_looks = []
    for number in range(ROUNDS):
        with write_session(engine) as session:
            feed.create_post(session, learner, f"One more thought, number {number} #welcome", now=MOMENT)
        started = time.perf_counter()
        result = room.keep_alive(MOMENT)
        full_looks.append(time.perf_counter() - started)
        assert result.released == []
    with read_session(engine) as session:
        from sqlalchemy import func, select

        from sandbox.store.models import Activity

        rows = session.scalar(select(func.count(Activity.id)).where(Activity.workshop_id == workshop_id))
    print(f"full look after a learner posts (nothing to release), log of {rows} rows: "
          f"{statistics.median(full_looks) * 1e3:.1f} ms median of {ROUNDS}")

    # For the record too: what recording missions adds to a learner's command. The room's
    # write path checks every learner's missions against the log in the command's transaction.
    plain, through_room = [], []
    for number in range(ROUNDS):
        started = time.perf_counter()
        with write_session(engine) as session:
            feed.create_post(session, learner, f"Plain write {number}", now=MOMENT)
        plain.append(time.perf_counter() - started)
        started = time.perf_counter()
        with rooms.writing(MOMENT) as write:
            feed.create_post(write.session, learner, f"Through the room {number}", now=MOMENT)
        through_room.append(time.perf_counter() - started)
    print(f"a learner's post: {statistics.median(plain) * 1e3:.1f} ms as a bare write, "
          f"{statistics.median(through_room) * 1e3:.1f} ms through the room's write path "
          f"(the missions its rows could finish checked), median of {ROUNDS}")
    engine.dispose()
