"""The grading queue: one job per hand-in, in the store, worked by grader processes.

States: ``queued`` -> ``grading`` -> ``graded`` (a score and feedback) or ``failed``
(a plain reason). No queue library fits here: huey stores in SQLite or Redis but not
PostgreSQL, procrastinate and pgqueuer need PostgreSQL, and the sandbox runs on
either. So the queue is rows and the store's own locking:

* claiming happens in one write transaction; on PostgreSQL the rows are taken with
  ``SELECT ... FOR UPDATE SKIP LOCKED`` so graders on several servers never take the
  same job; on SQLite ``write_session`` holds the database's write lock (``BEGIN
  IMMEDIATE``) for the whole claim, which serialises graders the same way;
* a claimed job is a lease: ``worker_id``, ``claimed_at`` and a ``heartbeat_at`` the
  grader renews while it works. A job whose heartbeat is older than the lease (its
  grader was killed, or its machine lost) can be claimed again, so nothing is lost;
* a result is accepted only from the grader that holds the job, so a job is
  recorded once even if a slow grader comes back after its lease ran out;
* a job claimed :data:`MAX_ATTEMPTS` times without a result fails with a reason
  rather than killing graders for ever.

Pages only add jobs (``enqueue``); they never grade.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session

from sandbox.store.models import GradingJob, HandIn

QUEUED, GRADING, GRADED, FAILED = "queued", "grading", "graded", "failed"
STATES = (QUEUED, GRADING, GRADED, FAILED)
WAITING = (QUEUED, GRADING)
LEASE_SECONDS = 60
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    assignment: str
    notebook: bytes
    attempts: int


def enqueue(session: Session, hand_in: HandIn, *, now: datetime) -> GradingJob:
    job = GradingJob(workshop_id=hand_in.workshop_id, hand_in_id=hand_in.id, assignment=hand_in.assignment,
                     state=QUEUED, attempts=0, queued_at=now, result="", problem="")
    session.add(job)
    session.flush()
    return job


def _claimable(now: datetime, lease_seconds: float):
    expired = now - timedelta(seconds=lease_seconds)
    return or_(GradingJob.state == QUEUED,
               and_(GradingJob.state == GRADING, GradingJob.heartbeat_at < expired))


def any_claimable(session: Session, *, now: datetime, lease_seconds: float = LEASE_SECONDS) -> bool:
    """A cheap read: is there work? (So idle graders do not take the write lock every second.)"""
    return bool(session.scalar(select(exists().where(_claimable(now, lease_seconds)))))


def claim(session: Session, worker_id: str, *, now: datetime, limit: int = 1,
          lease_seconds: float = LEASE_SECONDS) -> list[ClaimedJob]:
    """Take up to ``limit`` claimable jobs of one assignment (the oldest job's), oldest first.

    Call inside ``write_session``. Jobs already claimed :data:`MAX_ATTEMPTS` times are
    failed instead of handed out.
    """
    claimable = _claimable(now, lease_seconds)
    first = session.scalars(select(GradingJob).where(claimable).order_by(GradingJob.id).limit(1)
                            .with_for_update(skip_locked=True)).first()
    if first is None:
        return []
    jobs = [first]
    if limit > 1:
        jobs += session.scalars(select(GradingJob).where(claimable, GradingJob.assignment == first.assignment,
                                                         GradingJob.id != first.id)
                                .order_by(GradingJob.id).limit(limit - 1).with_for_update(skip_locked=True)).all()
    claimed = []
    for job in jobs:
        if job.attempts >= MAX_ATTEMPTS:
            job.state, job.finished_at, job.worker_id = FAILED, now, None
            job.problem = (f"Grading this notebook stopped {job.attempts} times before it finished, so it was "
                           "not graded. Please tell your trainer; handing it in again will not help.")
            continue
        job.state, job.worker_id = GRADING, worker_id
        job.claimed_at = job.heartbeat_at = now
        job.attempts += 1
        notebook = session.scalar(select(HandIn.notebook).where(HandIn.id == job.hand_in_id))
        claimed.append(ClaimedJob(job.id, job.assignment, notebook, job.attempts))
    session.flush()
    return claimed


def _held(session: Session, worker_id: str, job_ids) -> list[GradingJob]:
    return list(session.scalars(select(GradingJob).where(
        GradingJob.id.in_(list(job_ids)), GradingJob.state == GRADING, GradingJob.worker_id == worker_id)
        .with_for_update()))


def heartbeat(session: Session, worker_id: str, job_ids, *, now: datetime) -> set[int]:
    """Renew the lease on the jobs this grader still holds; returns their ids."""
    held = _held(session, worker_id, job_ids)
    for job in held:
        job.heartbeat_at = now
    session.flush()
    return {job.id for job in held}


def finish(session: Session, worker_id: str, job_id: int, *, now: datetime, score: float, max_score: float,
           result_json: str) -> bool:
    """Record a result; False (and nothing stored) when this grader no longer holds the job."""
    held = _held(session, worker_id, [job_id])
    if not held:
        return False
    job = held[0]
    job.state, job.finished_at = GRADED, now
    job.score, job.max_score, job.result, job.problem = score, max_score, result_json, ""
    session.flush()
    return True


def fail(session: Session, worker_id: str, job_id: int, *, now: datetime, problem: str) -> bool:
    """Record that a job cannot be graded, with the reason the learner will read."""
    held = _held(session, worker_id, [job_id])
    if not held:
        return False
    job = held[0]
    job.state, job.finished_at, job.problem = FAILED, now, problem
    session.flush()
    return True


def release(session: Session, worker_id: str, job_ids) -> int:
    """Put jobs back in the queue untouched (a grader asked to stop); their attempt does not count."""
    held = _held(session, worker_id, job_ids)
    for job in held:
        job.state, job.worker_id, job.claimed_at, job.heartbeat_at = QUEUED, None, None, None
        job.attempts = max(0, job.attempts - 1)
    session.flush()
    return len(held)


def counts(session: Session) -> dict[str, int]:
    """How many jobs are in each state (for ``insideout grader run``'s log and the tests)."""
    from sqlalchemy import func

    rows = session.execute(select(GradingJob.state, func.count()).group_by(GradingJob.state)).all()
    return {state: 0 for state in STATES} | {state: number for state, number in rows}


def jobs_ahead(session: Session, hand_in_id: int) -> int:
    """How many waiting jobs were queued before this hand-in's (what a learner waits for)."""
    from sqlalchemy import func

    job_id = session.scalar(select(GradingJob.id).where(GradingJob.hand_in_id == hand_in_id))
    if job_id is None:
        return 0
    return session.scalar(select(func.count()).select_from(GradingJob).where(
        GradingJob.id < job_id, GradingJob.state.in_(WAITING))) or 0
