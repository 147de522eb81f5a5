"""40 people posting at once on SQLite: nothing lost, no "database is locked".

Run with ``make bench`` (pytest -s). It prints figures instead of asserting on
time, because the machine decides the speed; it asserts only what must hold
anywhere: 0 lost posts and 0 lock errors. Latency is reported as p50/p95 and
as a ratio to one writer's median write measured in the same run, so numbers
from different machines can be compared.
"""
from __future__ import annotations

import statistics
import threading
import time
from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from sandbox.services import feed, workshops
from sandbox.store import create_schema, make_engine, read_session, write_session
from sandbox.store.models import Activity, Post

THREADS = 40
POSTS_PER_THREAD = 250
BASELINE_POSTS = 200


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


@pytest.mark.slow
def test_40_concurrent_writers_lose_nothing(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'bench.db'}")
    create_schema(engine)
    with write_session(engine) as session:
        code = workshops.create_workshop(session, "Benchmark", now=_now()).workshop.code
        members = [workshops.join(session, code, f"Writer {n:02d}", "IT", accept_policy=True,
                                  client_key="bench", now=_now()).member for n in range(THREADS + 1)]

    def write_post(member, body):
        started = time.perf_counter()
        with write_session(engine) as session:
            post_id = feed.create_post(session, member, body, now=_now()).id
        return post_id, time.perf_counter() - started

    # Baseline: one writer alone, same kind of post.
    baseline = [write_post(members[-1], f"Baseline {n} #bench")[1] for n in range(BASELINE_POSTS)]
    baseline_median = statistics.median(baseline)

    latencies: list[float] = []
    committed: list[int] = []
    locked: list[str] = []
    other_errors: list[str] = []
    lock = threading.Lock()
    start_line = threading.Barrier(THREADS)

    def writer(index: int) -> None:
        member = members[index]
        neighbour = members[(index + 1) % THREADS].handle
        start_line.wait()
        for n in range(POSTS_PER_THREAD):
            try:
                post_id, seconds = write_post(member, f"Post {n} from {index} #bench @{neighbour}")
            except OperationalError as error:
                with lock:
                    (locked if "locked" in str(error) else other_errors).append(str(error))
                continue
            except Exception as error:  # noqa: BLE001 - counted and reported, never hidden
                with lock:
                    other_errors.append(repr(error))
                continue
            with lock:
                latencies.append(seconds)
                committed.append(post_id)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(THREADS)]
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - wall

    with read_session(engine) as session:
        stored = set(session.scalars(select(Post.id).where(Post.body.like("Post %"))))
        activities = session.scalar(select(func.count(Activity.id)).where(
            Activity.verb == "post.create"))
    engine.dispose()
    expected = THREADS * POSTS_PER_THREAD
    lost = expected - len(stored)
    missing_committed = set(committed) - stored
    p50, p95 = _percentile(latencies, 0.50), _percentile(latencies, 0.95)

    print()
    print(f"SQLite writers: {THREADS} threads x {POSTS_PER_THREAD} posts = {expected} posts")
    print(f"  stored {len(stored)}, lost {lost}, committed-but-missing {len(missing_committed)}")
    print(f"  'database is locked' errors: {len(locked)}, other errors: {len(other_errors)}")
    print(f"  one writer alone: median {baseline_median * 1000:.2f} ms per post")
    print(f"  40 writers: p50 {p50 * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms per post "
          f"(p50 {p50 / baseline_median:.1f}x, p95 {p95 / baseline_median:.1f}x one writer's median)")
    print(f"  throughput: {len(committed) / wall:.0f} posts/s over {wall:.1f} s "
          f"({len(committed) / wall * baseline_median:.2f}x one writer alone)")

    assert not other_errors, other_errors[:3]
    assert len(locked) == 0
    assert lost == 0 and not missing_committed
    assert activities == expected + BASELINE_POSTS
