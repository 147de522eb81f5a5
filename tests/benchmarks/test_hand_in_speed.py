"""Speed of grading hand-ins through the sandbox's queue, against ``insideout grade`` in the same run.

1. A room: 40 learners hand in the same assignment within 10 s; the time until every
   result is stored, against ``insideout grade --workers 2`` on the same 40 notebooks
   (target: at most 1.5x).
2. One hand-in on an idle sandbox: from hand-in to stored result, median of 3, against
   ``insideout grade`` of that one notebook (target: at most 3x).

Hand-ins go through the service the page calls (``hand_ins.hand_in``), and one grader
process started as ``insideout serve`` starts it (``--workers 2``) works the queue; the
page shows a result within its 2 s poll of it being stored. Like the other benchmarks it
prints the figures and asserts correctness; the numbers are for people (``make bench``).
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import nbformat
import pytest
from sqlalchemy import select

from sandbox.grading_queue.supervisor import grader_command, stop_graders
from sandbox.services import hand_ins, workshops
from sandbox.store import create_schema, make_engine, read_session, write_session
from sandbox.store.models import GradingJob
from tests.exercises.grading.crafting import ASSIGNMENT, FIXTURE_COURSE, answered

pytestmark = pytest.mark.slow
LEARNERS = 40
SPREAD_SECONDS = 10


def grade_with_cli(notebooks: int, tmp_path, project_root) -> float:
    folder = tmp_path / f"cli-{notebooks}"
    folder.mkdir()
    for index in range(notebooks):
        nbformat.write(answered(), folder / f"learner{index:02d}.ipynb")
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "sandbox.cli", "grade", ASSIGNMENT, "--submissions", str(folder),
                             "--course", str(FIXTURE_COURSE), "--out", str(tmp_path / f"out-{notebooks}"),
                             "--workers", "2"], cwd=project_root, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stderr[-2000:]
    return time.perf_counter() - started


@pytest.fixture()
def room(tmp_path, monkeypatch):
    """A fresh store with 40 learners, and one grader process working it."""
    monkeypatch.setenv("INSIDEOUT_COURSE_DIR", str(FIXTURE_COURSE))
    url = f"sqlite:///{tmp_path / 'sandbox.db'}"
    monkeypatch.setenv("INSIDEOUT_DATABASE_URL", url)
    engine = make_engine(url)
    create_schema(engine)
    now = datetime.now(timezone.utc)
    with write_session(engine) as session:
        code = workshops.create_workshop(session, "Speed", now=now).workshop.code
        learners = [workshops.join(session, code, f"Learner {i}", "Library", accept_policy=True, client_key="b",
                                   now=now).member for i in range(LEARNERS)]
    grader = subprocess.Popen(grader_command(workers=2), start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    yield engine, learners
    stop_graders([grader])
    engine.dispose()


def hand_in(engine, learner, data: bytes, now: datetime) -> int:
    with write_session(engine) as session:
        return hand_ins.hand_in(session, learner, ASSIGNMENT, "mine.ipynb", data, now=now).id


def wait_all_done(engine, count: int, timeout: float = 1800) -> list[GradingJob]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with read_session(engine) as session:
            jobs = list(session.scalars(select(GradingJob).where(GradingJob.state.in_(("graded", "failed")))))
        if len(jobs) >= count:
            return jobs
        time.sleep(0.2)
    raise AssertionError("the hand-ins were not all graded in time")


def test_a_room_handing_in_at_once(room, tmp_path, project_root):
    engine, learners = room
    data = nbformat.writes(answered()).encode()
    started = time.perf_counter()
    for index, learner in enumerate(learners):
        hand_in(engine, learner, data, datetime.now(timezone.utc))
        time.sleep(max(0.0, started + index * SPREAD_SECONDS / LEARNERS - time.perf_counter()))
    jobs = wait_all_done(engine, LEARNERS)
    queue_seconds = time.perf_counter() - started
    assert all(job.state == "graded" and job.score == 5.0 and job.attempts == 1 for job in jobs)
    cli_seconds = grade_with_cli(LEARNERS, tmp_path, project_root)
    print(f"\n{LEARNERS} hand-ins over {SPREAD_SECONDS} s, one grader (--workers 2): all graded after "
          f"{queue_seconds:.1f} s; insideout grade --workers 2 on the same {LEARNERS}: {cli_seconds:.1f} s; "
          f"ratio {queue_seconds / cli_seconds:.2f} (target at most 1.5)")


def test_one_hand_in_on_an_idle_sandbox(room, tmp_path, project_root):
    engine, learners = room
    data = nbformat.writes(answered()).encode()
    waits = []
    for learner in learners[:3]:
        time.sleep(2)  # idle: the grader is polling an empty queue
        started = time.perf_counter()
        hand_in(engine, learner, data, datetime.now(timezone.utc) - timedelta(seconds=1))
        wait_all_done(engine, len(waits) + 1)
        waits.append(time.perf_counter() - started)
    alone = [grade_with_cli(1, tmp_path / str(run), project_root) for run in range(3)
             if (tmp_path / str(run)).mkdir() is None]
    ratio = statistics.median(waits) / statistics.median(alone)
    print(f"\none hand-in, idle sandbox: median {statistics.median(waits):.1f} s from hand-in to result "
          f"({', '.join(f'{w:.1f}' for w in waits)}); insideout grade of that notebook alone: median "
          f"{statistics.median(alone):.1f} s; ratio {ratio:.2f} (target at most 3)")
