"""A whole grading run: collect, skip what is done, grade in parallel, write results.

An assignment may have any number of notebooks: each learner's are graded together
and make one row of ``grades.csv``. Outputs in ``settings.out_dir``: ``grades.csv``,
``feedback/<learner>.html`` and
``results/<learner>.json``, each written through a temporary file and renamed, after
every learner, so an interrupted run keeps everything already graded and nothing
half-written. At the end, ``to-mark.csv`` lists the written answers that wait for the
trainer, keeping marks already typed in it.
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
from .course import PreparedAssignment, find_source, load_config, prepare_assignment
from .isolation import detect_isolation
from .marking import settle
from .results import (
    GRADED,
    LearnerResult,
    load_result,
    read_grades,
    read_state,
    render_grades,
    save_result,
    saved_learners,
    write_atomically,
    write_state,
)
from .settings import GradingSettings, with_course_defaults
from .sheet import TO_MARK_FILE, MarksError, build_rows, read_sheet, typed_marks, write_sheet
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
    to_mark_path: Path | None = None  # set when the out folder has a marking sheet
    answers_to_mark: int = 0  # written answers in it that still wait for a mark
    marks_reset: list[str] = field(default_factory=list)  # changed notebooks: typed marks cleared
    sheet_problem: str | None = None  # why to-mark.csv could not be updated

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


def grade_assignment(settings: GradingSettings, listener: Listener | None = None,
                     prepared: PreparedAssignment | None = None) -> RunSummary:
    """Grade every submission of ``settings.assignment``.

    ``prepared`` is the assignment already prepared by nbgrader (from the same course
    source and config); without it the run prepares its own in its scratch folder.

    Fails with :class:`~exercises.errors.ExercisesError` subclasses when the assignment
    or the submissions cannot be found or read at all; a single bad submission never
    fails the run.
    """
    listener = listener or Listener()
    _, notebook_ids = find_source(settings.course_root, settings.assignment)
    config = load_config(settings.course_root) if prepared is None else prepared.config
    settings = with_course_defaults(settings, config)
    out_dir = settings.out_dir
    with tempfile.TemporaryDirectory(prefix="insideout-grade-") as scratch:
        scratch_dir = Path(scratch)
        submissions = collect_submissions(settings.submissions, settings.assignment,
                                          notebook_ids, scratch_dir / "unpacked")
        if (scratch_dir / "unpacked").is_dir():
            settings = _with_submissions(settings, scratch_dir / "unpacked")
        typed = _typed_marks(out_dir / TO_MARK_FILE)
        state = read_state(out_dir)
        rows = {(r["assignment"], r["learner"]): r for r in read_grades(out_dir / GRADES_FILE)}
        todo, skipped = _split_done(submissions, settings, state, rows)
        summary = RunSummary(skipped=[s.learner for s in skipped],
                             isolation_note=detect_isolation(settings.isolation).not_enforced,
                             grades_path=out_dir / GRADES_FILE, feedback_dir=out_dir / FEEDBACK_DIR)
        listener.started(len(todo), len(skipped), summary.isolation_note)
        changed: dict[str, bool] = {}  # learner -> had marks applied, for a changed notebook
        if not todo:
            _update_sheet(summary, out_dir, settings.assignment, typed, changed)
            return summary
        if prepared is None or prepared.assignment != settings.assignment:
            prepared = prepare_assignment(settings.course_root, settings.assignment, scratch_dir, config)
        run_dir = scratch_dir / "run"
        run_dir.mkdir()

        def record(autograded: LearnerResult) -> None:
            marks = _marks_to_keep(out_dir, autograded, changed)
            save_result(out_dir, autograded, marks)
            result = settle(autograded, marks)
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
    _update_sheet(summary, out_dir, settings.assignment, typed, changed)
    return summary


def _typed_marks(path: Path) -> dict:
    """Marks already typed in the out folder's sheet, read before anything is graded:
    if the sheet cannot be read, rewriting it would lose them."""
    if not path.exists():
        return {}
    try:
        return typed_marks(read_sheet(path))
    except MarksError as error:
        raise MarksError(f"{error} Nothing was graded, so the marks typed in it are safe; "
                         "fix it or move it away, then run insideout grade again.") from None


def _marks_to_keep(out_dir: Path, autograded: LearnerResult, changed: dict[str, bool]) -> dict[str, dict]:
    """The trainer's marks survive grading the same notebook again, never a changed one.

    A result without a fingerprint (its worker was lost) keeps them too: the notebook
    was never read, and the next run decides. Marks for questions that do not wait
    are kept but not counted (see marking.settle)."""
    previous = load_result(out_dir, autograded.learner)
    if previous is None or previous[0].assignment != autograded.assignment:
        return {}
    before, marks = previous
    if before.fingerprint and autograded.fingerprint and before.fingerprint != autograded.fingerprint:
        changed[autograded.learner] = bool(marks)
        return {}
    return marks


def _update_sheet(summary: RunSummary, out_dir: Path, assignment: str, typed: dict, changed: dict[str, bool]) -> None:
    saved = []
    for learner in saved_learners(out_dir):
        loaded = load_result(out_dir, learner)
        if loaded is not None and loaded[0].assignment == assignment:
            saved.append(loaded)
    rows = build_rows(saved, typed, set(changed))
    if not rows:
        return
    path = out_dir / TO_MARK_FILE
    summary.marks_reset = sorted(
        learner for learner, had_marks in changed.items()
        if had_marks or any(row.mark or row.comment for (who, _), row in typed.items() if who == learner))
    applied = {(result.learner, grade_id) for result, marks in saved for grade_id in marks}
    summary.answers_to_mark = sum(1 for row in rows if (row["learner"], row["question"]) not in applied)
    try:
        write_sheet(path, rows)
    except OSError as error:
        summary.sheet_problem = (f"{path} could not be updated ({error.strerror or error}); if it is open in a "
                                 "spreadsheet program, close it and run insideout grade again.")
        if not path.exists():
            return
    summary.to_mark_path = path


def _worker_lost(submission: Submission, settings, prepared, error: Exception) -> LearnerResult:
    from .results import CRASHED

    reason = ("The grading worker handling this notebook stopped, so it could not be graded and scores 0 "
              f"({type(error).__name__}). Run insideout grade again to retry it.")
    return LearnerResult(submission.learner, settings.assignment, 0.0, 0.0, CRASHED, reason, 0.0, "", ())


def _with_submissions(settings: GradingSettings, path: Path) -> GradingSettings:
    from dataclasses import replace

    return replace(settings, submissions=path)


def _split_done(submissions: list[Submission], settings: GradingSettings, state: dict, rows: dict):
    if settings.force:
        return submissions, []
    todo, skipped = [], []
    for submission in submissions:
        key = f"{settings.assignment}/{submission.learner}"
        # Learners graded before results were kept are graded again, so they can be marked.
        already = ((settings.assignment, submission.learner) in rows and state.get(key) == submission.fingerprint
                   and load_result(settings.out_dir, submission.learner) is not None)
        (skipped if already else todo).append(submission)
    return todo, skipped


def _largest_first(submissions: list[Submission]) -> list[Submission]:
    """Big notebooks tend to be slow ones: start them early so no worker idles at the end."""
    def size(submission: Submission) -> int:
        try:
            return sum(path.stat().st_size for _, path in submission.notebooks)
        except OSError:
            return 0
    return sorted(submissions, key=size, reverse=True)
