"""A whole grading run: collect, skip what is done, grade in parallel, write results.

Outputs in ``settings.out_dir``: ``grades.csv`` and ``feedback/<learner>.html``,
each written through a temporary file and renamed, after every learner, so an
interrupted run keeps everything already graded and nothing half-written.
"""
from __future__ import annotations

import multiprocessing
import shutil
import statistics
import tempfile
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .collect import Submission, collect_submissions
from .course import find_source, prepare_assignment
from .isolation import detect_isolation
from .results import (
    GRADED,
    LearnerResult,
    read_grades,
    read_state,
    render_grades,
    write_atomically,
    write_state,
)
from .settings import GradingSettings
from .worker import grade_in_worker, start_worker

GRADES_FILE = "grades.csv"
FEEDBACK_DIR = "feedback"


@dataclass
class RunSummary:
    results: list[LearnerResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    isolation_note: str | None = None
    grades_path: Path | None = None
    feedback_dir: Path | None = None

    @property
    def graded(self) -> int:
        return sum(1 for r in self.results if r.status == GRADED)

    @property
    def failed(self) -> int:
        return len(self.results) - self.graded

    @property
    def mean_score(self) -> float | None:
        return statistics.fmean(r.score for r in self.results) if self.results else None

    @property
    def slowest(self) -> LearnerResult | None:
        return max(self.results, key=lambda r: r.seconds, default=None)


class Listener:
    """What a front end hears about a run (the CLI shows a progress bar)."""

    def started(self, total: int, skipped: int, isolation_note: str | None) -> None: ...

    def finished_one(self, result: LearnerResult) -> None: ...


def grade_assignment(settings: GradingSettings, listener: Listener | None = None) -> RunSummary:
    """Grade every submission of ``settings.assignment``.

    Fails with :class:`~exercises.errors.ExercisesError` subclasses when the assignment
    or the submissions cannot be found or read at all; a single bad submission never
    fails the run.
    """
    listener = listener or Listener()
    _, notebook_id = find_source(settings.course_root, settings.assignment)
    out_dir = settings.out_dir
    with tempfile.TemporaryDirectory(prefix="insideout-grade-") as scratch:
        scratch_dir = Path(scratch)
        submissions = collect_submissions(settings.submissions, settings.assignment,
                                          f"{notebook_id}.ipynb", scratch_dir / "unpacked")
        if (scratch_dir / "unpacked").is_dir():
            settings = _with_submissions(settings, scratch_dir / "unpacked")
        state = read_state(out_dir)
        rows = {(r["assignment"], r["learner"]): r for r in read_grades(out_dir / GRADES_FILE)}
        todo, skipped = _split_done(submissions, settings, state, rows)
        summary = RunSummary(skipped=[s.learner for s in skipped],
                             isolation_note=detect_isolation(settings.isolation).not_enforced,
                             grades_path=out_dir / GRADES_FILE, feedback_dir=out_dir / FEEDBACK_DIR)
        listener.started(len(todo), len(skipped), summary.isolation_note)
        if not todo:
            return summary
        prepared = prepare_assignment(settings.course_root, settings.assignment, scratch_dir)
        run_dir = scratch_dir / "run"
        run_dir.mkdir()

        def record(result: LearnerResult) -> None:
            summary.results.append(result)
            write_atomically(out_dir / FEEDBACK_DIR / f"{result.learner}.html", result.feedback_html)
            rows[(result.assignment, result.learner)] = result.row()
            write_atomically(out_dir / GRADES_FILE, render_grades(list(rows.values())))
            state[f"{result.assignment}/{result.learner}"] = result.fingerprint
            write_state(out_dir, state)
            listener.finished_one(result)

        workers = max(1, min(settings.workers, len(todo)))
        context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        indexes = context.Queue()
        for index in range(workers):
            indexes.put(index)
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=start_worker,
                                 initargs=(settings, prepared, run_dir, indexes)) as pool:
            futures = {pool.submit(grade_in_worker, submission): submission for submission in _largest_first(todo)}
            for future in as_completed(futures):
                try:
                    result = future.result()
                except Exception as error:  # noqa: BLE001 - a dead worker must not stop the run
                    result = _worker_lost(futures[future], settings, prepared, error)
                record(result)
        shutil.rmtree(run_dir, ignore_errors=True)
    return summary


def _worker_lost(submission: Submission, settings, prepared, error: Exception) -> LearnerResult:
    from .feedback import render_feedback
    from .results import CRASHED

    reason = ("The grading worker handling this notebook stopped, so it could not be graded and scores 0 "
              f"({type(error).__name__}). Run insideout grade again to retry it.")
    html = render_feedback(submission.learner, settings.assignment, 0.0, 0.0, reason, ())
    return LearnerResult(submission.learner, settings.assignment, 0.0, 0.0, CRASHED, reason, 0.0, "", (), html)


def _with_submissions(settings: GradingSettings, path: Path) -> GradingSettings:
    from dataclasses import replace

    return replace(settings, submissions=path)


def _split_done(submissions: list[Submission], settings: GradingSettings, state: dict, rows: dict):
    if settings.force:
        return submissions, []
    todo, skipped = [], []
    for submission in submissions:
        key = f"{settings.assignment}/{submission.learner}"
        already = (settings.assignment, submission.learner) in rows and state.get(key) == submission.fingerprint
        (skipped if already else todo).append(submission)
    return todo, skipped


def _largest_first(submissions: list[Submission]) -> list[Submission]:
    """Big notebooks tend to be slow ones: start them early so no worker idles at the end."""
    def size(submission: Submission) -> int:
        try:
            return submission.notebook.stat().st_size if submission.notebook else 0
        except OSError:
            return 0
    return sorted(submissions, key=size, reverse=True)
