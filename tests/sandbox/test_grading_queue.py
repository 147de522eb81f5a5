"""The grading queue's states and leases (sandbox/services/grading_jobs.py), on every database.

No notebook is graded here: these tests drive the queue the way a grader does.
Graders working the queue for real are in test_graders.py.
"""
from __future__ import annotations

import threading
import nbformat
import pytest
from sqlalchemy import select

from sandbox.services import grading_jobs, hand_ins
from sandbox.store import read_session, write_session
from sandbox.store.models import GradingJob
from tests.exercises.grading.crafting import FIXTURE_COURSE, answered

LEASE = 30


@pytest.fixture(autouse=True)
def fixture_course(monkeypatch):
    monkeypatch.setenv("INSIDEOUT_COURSE_DIR", str(FIXTURE_COURSE))


def queue(engine, member, clock, count=1):
    data = nbformat.writes(answered()).encode()
    ids = []
    for _ in range(count):
        with write_session(engine) as session:
            ids.append(hand_ins.hand_in(session, member, "fixture-basics", "me.ipynb", data, now=clock.now).id)
        clock.advance(hand_ins.LIMITS.min_seconds_between)
    return ids


def claim(engine, worker, clock, limit=1, lease=LEASE):
    with write_session(engine) as session:
        return grading_jobs.claim(session, worker, now=clock.now, limit=limit, lease_seconds=lease)


def job_rows(engine):
    with read_session(engine) as session:
        return {job.hand_in_id: job for job in session.scalars(select(GradingJob).order_by(GradingJob.id))}


def test_a_hand_in_is_queued_and_claimed_oldest_first(fresh_db, learner, colleague, clock):
    first, second = queue(fresh_db, learner, clock)[0], queue(fresh_db, colleague, clock)[0]
    assert {job.state for job in job_rows(fresh_db).values()} == {"queued"}
    taken = claim(fresh_db, "grader-a", clock)
    assert [job.id for job in taken] == [job_rows(fresh_db)[first].id]
    assert taken[0].notebook.startswith(b"{") and taken[0].attempts == 1
    rows = job_rows(fresh_db)
    assert (rows[first].state, rows[first].worker_id) == ("grading", "grader-a")
    assert rows[second].state == "queued"


def test_a_batch_takes_only_jobs_of_the_oldest_jobs_assignment(fresh_db, learner, clock):
    ids = queue(fresh_db, learner, clock, count=3)
    with write_session(fresh_db) as session:  # a job of another assignment, in the middle of the queue
        session.get(GradingJob, job_rows(fresh_db)[ids[1]].id).assignment = "another"
    taken = claim(fresh_db, "grader-a", clock, limit=10)
    assert sorted(job.id for job in taken) == sorted(job_rows(fresh_db)[i].id for i in (ids[0], ids[2]))


def test_a_result_is_kept_only_from_the_grader_holding_the_job(fresh_db, learner, clock):
    queue(fresh_db, learner, clock)
    job = claim(fresh_db, "grader-a", clock)[0]
    with write_session(fresh_db) as session:
        assert not grading_jobs.finish(session, "grader-b", job.id, now=clock.now, score=1, max_score=6,
                                       result_json="{}")
        assert grading_jobs.finish(session, "grader-a", job.id, now=clock.now, score=5, max_score=6,
                                   result_json="{}")
    row = next(iter(job_rows(fresh_db).values()))
    assert (row.state, row.score) == ("graded", 5)


def test_a_job_whose_grader_stopped_beating_is_claimed_again_and_the_old_grader_loses_it(
        fresh_db, learner, clock):
    queue(fresh_db, learner, clock)
    job = claim(fresh_db, "grader-a", clock)[0]
    clock.advance(LEASE - 1)
    assert claim(fresh_db, "grader-b", clock) == []  # the lease still holds
    with write_session(fresh_db) as session:
        assert grading_jobs.heartbeat(session, "grader-a", [job.id], now=clock.now) == {job.id}
    clock.advance(LEASE - 1)
    assert claim(fresh_db, "grader-b", clock) == []  # renewed by the heartbeat
    clock.advance(2)
    again = claim(fresh_db, "grader-b", clock)
    assert [j.id for j in again] == [job.id] and again[0].attempts == 2
    with write_session(fresh_db) as session:
        assert grading_jobs.heartbeat(session, "grader-a", [job.id], now=clock.now) == set()
        assert not grading_jobs.finish(session, "grader-a", job.id, now=clock.now, score=0, max_score=6,
                                       result_json="{}")


def test_a_job_that_keeps_stopping_its_grader_fails_with_a_reason(fresh_db, learner, clock):
    queue(fresh_db, learner, clock)
    for attempt in range(grading_jobs.MAX_ATTEMPTS):
        assert claim(fresh_db, f"grader-{attempt}", clock)
        clock.advance(LEASE + 1)
    assert claim(fresh_db, "grader-last", clock) == []
    row = next(iter(job_rows(fresh_db).values()))
    assert row.state == "failed" and "stopped 3 times" in row.problem


def test_released_jobs_go_back_to_the_queue_without_using_an_attempt(fresh_db, learner, clock):
    queue(fresh_db, learner, clock)
    job = claim(fresh_db, "grader-a", clock)[0]
    with write_session(fresh_db) as session:
        assert grading_jobs.release(session, "grader-a", [job.id]) == 1
    row = next(iter(job_rows(fresh_db).values()))
    assert (row.state, row.attempts, row.worker_id) == ("queued", 0, None)


def test_graders_claiming_at_the_same_time_never_share_a_job(fresh_db, learner, clock):
    queue(fresh_db, learner, clock, count=12)
    taken: dict[str, list[int]] = {}
    start = threading.Barrier(4)

    def grader(name):
        start.wait()
        mine = []
        while True:
            jobs = claim(fresh_db, name, clock, limit=2)
            if not jobs:
                break
            mine += [job.id for job in jobs]
        taken[name] = mine

    threads = [threading.Thread(target=grader, args=(f"grader-{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    every = [job_id for jobs in taken.values() for job_id in jobs]
    assert sorted(every) == sorted(job.id for job in job_rows(fresh_db).values())
    assert len(every) == len(set(every)) == 12
    assert all(job.attempts == 1 for job in job_rows(fresh_db).values())


def test_jobs_ahead_counts_waiting_jobs_queued_earlier(fresh_db, learner, colleague, clock):
    queue(fresh_db, learner, clock, count=2)
    mine = queue(fresh_db, colleague, clock)[0]
    with read_session(fresh_db) as session:
        assert grading_jobs.jobs_ahead(session, mine) == 2
    claim(fresh_db, "grader-a", clock)
    with read_session(fresh_db) as session:
        assert grading_jobs.jobs_ahead(session, mine) == 2  # one is being graded: still ahead
        assert grading_jobs.counts(session) == {"queued": 2, "grading": 1, "graded": 0, "failed": 0}
