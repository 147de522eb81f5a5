"""A grader process: claim hand-ins from the store's queue, grade them, record the results.

Several graders may work one store (on one machine or on several servers sharing a
PostgreSQL); the queue (``sandbox.services.grading_jobs``) makes sure each job is
recorded once. While it grades, a grader renews its lease from a second thread, so
its jobs are only taken over if it really stopped. Asked to stop (SIGTERM, Ctrl+C),
it puts the jobs it holds back in the queue and exits.
"""
from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import socket
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Engine

from sandbox.services import grading as adapter
from sandbox.services import grading_jobs
from sandbox.store import read_session, write_session

log = logging.getLogger("insideout.grader")


@dataclass(frozen=True)
class GraderSettings:
    workers: int = 1  # notebooks graded at the same time by this grader
    # Jobs of one assignment taken at once (the assignment is prepared once per process
    # anyway): each result is stored as soon as it is ready, so a big batch costs no
    # learner a wait. 40 = a whole room.
    batch: int = 40
    timeout: float = 60.0  # seconds each notebook may run
    lease_seconds: float = grading_jobs.LEASE_SECONDS
    poll_seconds: float = 1.0  # how often an idle grader looks for work


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Grader:
    def __init__(self, engine: Engine, settings: GraderSettings = GraderSettings(), worker_id: str | None = None):
        self.engine = engine
        self.settings = settings
        self.worker_id = worker_id or new_worker_id()
        self.holding: set[int] = set()
        self._lock = threading.RLock()  # the stop handler may run while the main thread holds it
        self._beat_engine = _engine_for_beats(engine)

    # --- one round ---------------------------------------------------------------------

    def claim(self) -> list[grading_jobs.ClaimedJob]:
        now = utc_now()
        with read_session(self.engine) as session:
            if not grading_jobs.any_claimable(session, now=now, lease_seconds=self.settings.lease_seconds):
                return []
        with write_session(self.engine) as session:
            jobs = grading_jobs.claim(session, self.worker_id, now=utc_now(), limit=self.settings.batch,
                                      lease_seconds=self.settings.lease_seconds)
        with self._lock:
            self.holding = {job.id for job in jobs}
        return jobs

    def run_once(self) -> int:
        """Claim and grade one batch; returns how many jobs it recorded."""
        jobs = self.claim()
        if not jobs:
            return 0
        log.info("grading %d hand-in(s) of %s: jobs %s", len(jobs), jobs[0].assignment, [j.id for j in jobs])
        # The pipeline forks its grading workers: they must not inherit open database
        # connections (a child closing its copy breaks the parent's). The beats and the
        # results use connections that are closed after each use (PostgreSQL); forked
        # workers leave with os._exit, so they never close what they inherited.
        self.engine.dispose()
        beating = threading.Event()
        beater = threading.Thread(target=self._beat, args=(beating,), name="grader-heartbeat", daemon=True)
        beater.start()
        recorded: set[int] = set()

        def record(graded: adapter.Graded) -> None:
            # Each result is stored as soon as it is ready (from the thread that graded
            # it), on connections that close after use (grading workers may still be
            # forked after this).
            with write_session(self._beat_engine) as session:
                if graded.ok:
                    kept = grading_jobs.finish(session, self.worker_id, graded.job_id, now=utc_now(),
                                               score=graded.score, max_score=graded.max_score,
                                               result_json=graded.result_json)
                else:
                    kept = grading_jobs.fail(session, self.worker_id, graded.job_id, now=utc_now(),
                                             problem=graded.problem)
            with self._lock:
                recorded.add(graded.job_id)
                self.holding.discard(graded.job_id)
            if not kept:
                log.warning("job %d was taken over by another grader; this result was dropped", graded.job_id)

        try:
            results = adapter.grade_batch(jobs[0].assignment, [(job.id, job.notebook) for job in jobs],
                                          workers=self.settings.workers, timeout=self.settings.timeout,
                                          on_graded=record)
            for job in jobs:
                if job.id not in recorded:
                    record(results[job.id])
        finally:
            beating.set()
            beater.join()
        with self._lock:
            self.holding = set()
        return len(recorded)

    def _beat(self, done: threading.Event) -> None:
        interval = max(0.2, self.settings.lease_seconds / 4)
        while not done.wait(interval):
            with self._lock:
                ids = set(self.holding)
            try:
                with write_session(self._beat_engine) as session:
                    grading_jobs.heartbeat(session, self.worker_id, ids, now=utc_now())
            except Exception:  # noqa: BLE001 - a missed beat only risks a second grading, never a loss
                log.exception("could not renew the lease on jobs %s", sorted(ids))

    def release_held(self) -> int:
        with self._lock:
            ids, self.holding = set(self.holding), set()
        if not ids:
            return 0
        with write_session(self.engine) as session:
            return grading_jobs.release(session, self.worker_id, ids)

    # --- the process -------------------------------------------------------------------

    def run_forever(self, stop: threading.Event | None = None) -> None:
        stop = stop or threading.Event()
        while not stop.is_set():
            try:
                worked = self.run_once()
            except Exception:  # noqa: BLE001 - a database hiccup must not end the grader
                log.exception("grading round failed; trying again shortly")
                worked = 0
            if not worked:
                stop.wait(self.settings.poll_seconds)


def _engine_for_beats(engine: Engine) -> Engine:
    """An engine whose connections close after each use (PostgreSQL; on SQLite the
    process's own write queue already serialises writers, so the same engine serves)."""
    if engine.dialect.name == "sqlite":
        return engine
    from sqlalchemy.pool import NullPool

    from sandbox.store import make_engine

    return make_engine(engine.url.render_as_string(hide_password=False), poolclass=NullPool)


def run_process(engine: Engine, settings: GraderSettings) -> None:
    """The body of ``insideout grader run``: grade until SIGTERM, SIGHUP or Ctrl+C.

    On a stop request the jobs being graded go back to the queue (another grader, or
    this one next time, grades them), the grading workers are stopped and the process
    exits at once: waiting for a notebook to finish could take a minute. The work is
    done in the signal handler itself, so it never waits for the workers' pool.
    """
    grader = Grader(engine, settings)
    main_pid = os.getpid()
    cleaned = adapter.clean_stale_prepared()  # a grader killed with SIGKILL could not clean up
    if cleaned:
        log.info("removed %d prepared assignment(s) left by graders that were killed", cleaned)

    def stop(signum, _frame):
        if os.getpid() != main_pid:
            os._exit(0)  # a grading worker forked from this process: it just goes
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)
        # Never hang on the way out (a database that stopped answering): the lease
        # then hands the jobs to another grader.
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.alarm(10)
        try:
            released = grader.release_held()
            if released:
                log.info("put %d job(s) back in the queue", released)
        finally:
            for child in multiprocessing.active_children():
                with contextlib.suppress(OSError):
                    os.kill(child.pid, signal.SIGKILL)
            adapter.forget_prepared()  # os._exit skips atexit: remove the prepared assignments now
            logging.shutdown()
            os._exit(0)

    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, stop)
    grader.run_forever()
