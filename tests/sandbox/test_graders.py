"""Grader processes working the queue for real: `insideout grader run` as a subprocess.

A grader killed with SIGKILL mid-job loses nothing (another grades the job once its
lease runs out); two graders on one store grade each job exactly once; `insideout
sandbox run` starts a grader and stops it with the server. Runs on SQLite and, when
configured, PostgreSQL (the ``db_url`` fixture).
"""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from sqlalchemy import select

from sandbox.services import hand_ins, workshops
from sandbox.store import read_session, write_session
from sandbox.store.models import GradingJob
from tests.exercises.grading.crafting import FIXTURE_COURSE, answered

pytestmark = pytest.mark.slow
INSIDEOUT = Path(sys.executable).parent / "insideout"


def start_grader(db_url: str, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "INSIDEOUT_DATABASE_URL": db_url, "INSIDEOUT_COURSE_DIR": str(FIXTURE_COURSE)}
    return subprocess.Popen([str(INSIDEOUT), "grader", "run", "--workers", "1", *extra], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def kill_group(process: subprocess.Popen, sig=signal.SIGKILL) -> str:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
    return process.communicate(timeout=60)[0]


def queue_hand_ins(engine, workshop, clock, count: int, answers: dict | None = None) -> list[int]:
    data = nbformat.writes(answered(answers)).encode()
    ids = []
    for number in range(count):
        with write_session(engine) as session:
            member = workshops.join(session, workshop.workshop.code, f"Learner {number}", "Library",
                                    accept_policy=True, client_key="test", now=clock.now).member
            ids.append(hand_ins.hand_in(session, member, "fixture-basics", "mine.ipynb", data, now=clock.now).id)
    return ids


def jobs(engine) -> list[GradingJob]:
    with read_session(engine) as session:
        return list(session.scalars(select(GradingJob).order_by(GradingJob.id)))


def wait_for(engine, done, what: str, timeout: float = 300) -> list[GradingJob]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = jobs(engine)
        if done(current):
            return current
        time.sleep(0.3)
    raise AssertionError(f"{what} did not happen within {timeout} s: {[(j.id, j.state) for j in jobs(engine)]}")


@pytest.fixture(autouse=True)
def fixture_course(monkeypatch):
    monkeypatch.setenv("INSIDEOUT_COURSE_DIR", str(FIXTURE_COURSE))


def test_a_grader_killed_mid_job_loses_nothing(db_url, fresh_db, workshop, clock):
    # The answer takes a few seconds to run, so the grader is surely mid-job when killed.
    queue_hand_ins(fresh_db, workshop, clock, 1, {"q1-answer": "import time\ntime.sleep(4)\nanswer_q1 = 'B'"})
    first = start_grader(db_url, "--lease", "3")
    try:
        grading = wait_for(fresh_db, lambda js: js[0].state == "grading", "the first grader's claim", 120)
    finally:
        first_output = kill_group(first)
    assert grading[0].attempts == 1, first_output
    time.sleep(1)
    assert jobs(fresh_db)[0].state == "grading"  # nobody finished it: its grader is gone
    left_behind = list(Path(tempfile.gettempdir()).glob(f"insideout-prepared-{first.pid}-*"))
    assert left_behind, "SIGKILL skips the killed grader's clean-up"
    second = start_grader(db_url, "--lease", "3")
    try:
        done = wait_for(fresh_db, lambda js: js[0].state in ("graded", "failed"), "grading by the second grader")
    finally:
        second_output = kill_group(second, signal.SIGTERM)
    job = done[0]
    assert job.state == "graded", (job.problem, second_output)
    assert job.attempts == 2 and job.worker_id != grading[0].worker_id
    assert (job.score, job.max_score) == (5.0, 6.0)  # every check passed; the reflection waits for a mark
    assert not any(folder.exists() for folder in left_behind), "the next grader removed them at start"


def test_two_graders_on_one_store_grade_each_job_exactly_once(db_url, fresh_db, workshop, clock):
    queue_hand_ins(fresh_db, workshop, clock, 4)
    graders = [start_grader(db_url, "--batch", "1") for _ in range(2)]
    try:
        done = wait_for(fresh_db, lambda js: all(j.state in ("graded", "failed") for j in js), "grading all four")
    finally:
        outputs = [kill_group(grader, signal.SIGTERM) for grader in graders]
    assert [job.state for job in done] == ["graded"] * 4, outputs
    assert [job.attempts for job in done] == [1] * 4
    assert all(job.score == 5.0 for job in done)


def test_a_grader_asked_to_stop_puts_its_job_back_in_the_queue(db_url, fresh_db, workshop, clock):
    queue_hand_ins(fresh_db, workshop, clock, 1, {"q1-answer": "import time\ntime.sleep(30)\nanswer_q1 = 'B'"})
    grader = start_grader(db_url)
    try:
        wait_for(fresh_db, lambda js: js[0].state == "grading", "the grader's claim", 120)
        time.sleep(10)  # usually past preparing the assignment: the notebook's kernel is running
        grader.send_signal(signal.SIGTERM)
        output = grader.communicate(timeout=30)[0]
    finally:
        kill_group(grader)
    job = jobs(fresh_db)[0]
    assert (job.state, job.attempts, job.worker_id) == ("queued", 0, None), output
    assert grader.returncode == 0


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(entry.name))
    return found


def _cmdline(pid: int) -> str:
    with contextlib.suppress(OSError):
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    return ""


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_sandbox_run_starts_a_grader_and_stops_it_with_the_server(tmp_path):
    from tests.sandbox.ui.test_cli_sandbox_run import free_port, start_sandbox

    process = start_sandbox(tmp_path, free_port())
    try:
        graders = [pid for pid in _children(process.pid) if "grader run" in _cmdline(pid)]
        assert len(graders) == 1
        process.send_signal(signal.SIGTERM)  # insideout alone, as a service manager would
        process.communicate(timeout=60)
        deadline = time.monotonic() + 15
        while any(_alive(pid) for pid in graders) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(pid) for pid in graders), "the grader outlived the sandbox"
    finally:
        kill_group(process)
