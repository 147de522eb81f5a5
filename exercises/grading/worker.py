"""Grade one submission, inside a worker process that grades many.

A worker imports nbgrader once, keeps its own copy of the gradebook (so workers never
wait on each other's database locks) and reuses one set of pipeline steps. Whatever
goes wrong with one notebook becomes a status and a plain reason in its result.
"""
from __future__ import annotations

import copy
import json
import multiprocessing.util
import os
import shutil
import time
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import sqlalchemy
from nbgrader import utils
from nbgrader.api import Gradebook
from nbgrader.preprocessors import ClearHiddenTests

from .collect import MAX_NOTEBOOK_BYTES, Submission
from .course import PreparedAssignment, put_tools_on_path
from .isolation import Isolation, Limits, detect_isolation, hand_over
from .forkserver import modules_imported_by
from .kernel import KernelBox, discard_kernel, start_boxed_kernel, start_fork_server
from .results import CRASHED, GRADED, TIMED_OUT, TO_BE_MARKED, UNREADABLE, CheckResult, LearnerResult
from .settings import GradingSettings
from .steps import NOT_RUN_NAME, build_pipeline


@dataclass
class WorkerState:
    settings: GradingSettings
    prepared: PreparedAssignment
    isolation: Isolation
    work_dir: Path
    db_url: str
    steps: list
    hidden: list[Path]
    limits: Limits
    kernel_name: str = "python3"
    expected: dict = field(default_factory=dict)  # notebook id -> [Expected], from the master notebooks
    spare: tuple[Path, object] | None = None  # a booting kernel and its folder, for the next notebook
    slots: int = 0
    fork_server: object | None = None  # see forkserver.py; None means kernels are launched one by one
    warm: tuple[str, ...] = ()  # modules the fork server imports once (the assignment's imports)


_state: WorkerState | None = None


def start_worker(settings: GradingSettings, prepared: PreparedAssignment, run_dir: Path, index_queue) -> None:
    """Pool initializer: one gradebook copy and one set of steps per worker."""
    global _state
    index = index_queue.get() if index_queue is not None else 0
    _state = make_worker_state(settings, prepared, run_dir, index)


def make_worker_state(settings: GradingSettings, prepared: PreparedAssignment, run_dir: Path, index: int) -> WorkerState:
    put_tools_on_path()
    work_dir = run_dir / f"worker-{index}"
    (work_dir / "learners").mkdir(parents=True, exist_ok=True)
    # The kernel's unprivileged user must pass through (not list) these folders.
    for folder in (run_dir, work_dir, work_dir / "learners"):
        folder.chmod(0o711)
    db_path = work_dir / "gradebook.db"
    shutil.copyfile(prepared.db_path, db_path)
    isolation = detect_isolation(settings.isolation, index)
    limits = Limits(settings.memory_limit, settings.cpu_limit, settings.max_processes, settings.max_file_size)
    # The run's scratch folder holds the master notebook and the gradebook: hide it too,
    # wherever the temporary folder is.
    hidden = [settings.course_root.resolve(), settings.submissions.resolve(), settings.out_dir.resolve(),
              run_dir.parent.resolve()]
    if prepared.db_path.parent.resolve() != run_dir.parent.resolve():
        hidden.append(prepared.db_path.parent.resolve())  # prepared once for many runs (handin.py)
    steps = build_pipeline(prepared.config, None, settings)
    sources = {notebook_id: nbformat.read(prepared.source_dir / f"{notebook_id}.ipynb", as_version=4)
               for notebook_id in prepared.notebook_ids}
    kernel_name = kernel_for(prepared.config, sources[prepared.notebook_id])
    warm = sorted({module for source in sources.values() for module in modules_imported_by(source)})
    state = WorkerState(settings, prepared, isolation, work_dir, f"sqlite:///{db_path}", steps, hidden, limits,
                        kernel_name, {notebook_id: expected_checks(source) for notebook_id, source in sources.items()},
                        warm=tuple(warm))
    _reuse_gradebook_engines()
    if settings.fork_kernels and isolation.bwrap:
        _ensure_fork_server(state)
    # Stop the spare kernel and the fork server when the worker exits (pool workers skip atexit).
    multiprocessing.util.Finalize(state, _stop_kernels, args=(state,), exitpriority=10)
    return state


def _reuse_gradebook_engines() -> None:
    """nbgrader opens a new database engine for every step of every notebook, and each
    new engine compiles every query again: about 0.3 s of CPU per notebook here. One
    engine per database URL per worker keeps the compiled queries."""
    import nbgrader.api

    create_engine = nbgrader.api.create_engine
    if getattr(create_engine, "reused", False):
        return
    engines: dict = {}

    def reused_engine(url, **kwargs):
        key = (str(url), tuple(sorted(kwargs.items())))
        if key not in engines:
            engine = engines[key] = create_engine(url, **kwargs)
            if str(url).startswith("sqlite"):
                # A worker's gradebook is a throw-away copy: waiting for the disk on each
                # of nbgrader's ~20 commits per notebook buys nothing.
                sqlalchemy.event.listen(engine, "connect", _fast_sqlite)
        return engines[key]

    reused_engine.reused = True
    nbgrader.api.create_engine = reused_engine


def _fast_sqlite(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA synchronous = OFF")
    cursor.execute("PRAGMA journal_mode = MEMORY")
    cursor.close()


def _new_slot(state: WorkerState) -> Path:
    state.slots += 1
    slot = state.work_dir / "learners" / f"slot-{state.slots}"
    shutil.rmtree(slot, ignore_errors=True)
    slot.mkdir(parents=True)
    return slot


def _start_spare(state: WorkerState) -> None:
    slot = _new_slot(state)
    try:
        box = KernelBox(slot, state.isolation, state.limits, state.hidden, state.fork_server)
        state.spare = (slot, start_boxed_kernel(box, state.kernel_name, state.prepared.config))
    except Exception:  # noqa: BLE001 - no spare: the next notebook starts its own kernel
        shutil.rmtree(slot, ignore_errors=True)
        state.spare = None


def _take_spare(state: WorkerState):
    spare, state.spare = state.spare, None
    return spare if spare is not None else (_new_slot(state), None)


def _ensure_fork_server(state: WorkerState) -> None:
    server = state.fork_server
    if server is not None and server.process.poll() is None:
        return
    learners = state.work_dir / "learners"
    try:
        state.fork_server = start_fork_server(learners, state.isolation, state.limits, state.hidden, state.warm)
        # Wait for its imports here, so that they never count against a learner's time.
        state.fork_server.request(op="ping")
    except (OSError, RuntimeError, ValueError):
        # No fork server: kernels are launched one by one instead, slower but the same.
        if state.fork_server is not None:
            state.fork_server.close()
        state.fork_server = None


def _stop_kernels(state: WorkerState) -> None:
    if state.fork_server is not None:
        state.fork_server.close()
        state.fork_server = None
    if state.spare is not None:
        slot, manager = state.spare
        state.spare = None
        discard_kernel(manager)
        shutil.rmtree(slot, ignore_errors=True)


def grade_in_worker(submission: Submission) -> LearnerResult:
    assert _state is not None, "start_worker() was not called in this process"
    return grade_submission(_state, submission)


@dataclass(frozen=True)
class Expected:
    """A graded cell of the master notebook: what it is worth and who marks it."""

    grade_id: str
    max_score: float
    manual: bool  # a person marks it: a written or code answer, or a task
    task: bool = False


def expected_checks(source) -> list[Expected]:
    """The master notebook's graded cells and tasks, in order (never the learner's
    copy: its metadata may have been changed)."""
    found = []
    for cell in source.cells:
        if utils.is_grade(cell) or utils.is_task(cell):
            meta = cell.metadata.nbgrader
            manual = utils.is_task(cell) or utils.is_solution(cell) or cell.cell_type != "code"
            found.append(Expected(meta["grade_id"], float(meta.get("points", 0) or 0), manual, utils.is_task(cell)))
    return found


def kernel_for(config, source) -> str:
    """The kernel nbgrader would start: ``Execute.kernel_name`` when the course sets
    it, else the source notebook's kernelspec."""
    from nbgrader.preprocessors import Execute

    return Execute(config=config).kernel_name or source.metadata.get("kernelspec", {}).get("name") or "python3"


@dataclass
class NotebookOutcome:
    """What grading one notebook of a learner's assignment found."""

    notebook_id: str
    score: float
    status: str
    notes: list[str]
    checks: list[CheckResult]


def grade_submission(state: WorkerState, submission: Submission) -> LearnerResult:
    """Grade one learner's notebooks of the assignment together; never raises for
    anything the submission does.

    Every notebook runs in its own kernel, one after the other, in one private folder
    holding the course's files (as nbgrader's autograded/<learner>/<assignment>/).
    A notebook that is missing or cannot be read scores 0 and the others are graded."""
    started = time.monotonic()
    fingerprint = submission.fingerprint
    private_dir, spare_manager = None, None
    try:
        if submission.problem:
            return _unreadable(state, submission, submission.problem, started, fingerprint)
        private_dir, spare_manager = _take_spare(state)
        _fill_private_dir(private_dir, state.prepared.source_dir, submission.files_dir, state.prepared)
        hand_over(private_dir, state.isolation)
        _register(state, submission.learner)
        outcomes = []
        for notebook_id in state.prepared.notebook_ids:
            path = submission.handed_in(notebook_id)
            if path is None:
                outcomes.append(_not_graded(state, notebook_id, UNREADABLE,
                                            f"{notebook_id}.ipynb was not handed in, so its questions score 0."))
                continue
            notebook, problem = read_notebook(path)
            if problem:
                outcomes.append(_not_graded(state, notebook_id, UNREADABLE, problem))
                continue
            before = _locked_sources(notebook, state.prepared.config)
            notebook, resources = _run_pipeline(state, submission.learner, notebook_id, notebook, private_dir,
                                                spare_manager)
            spare_manager = None  # the first notebook used it (or discarded it)
            outcomes.append(_outcome(state, submission.learner, notebook_id, notebook, resources, before))
        return _combine(state, submission, outcomes, started, fingerprint)
    except Exception as error:  # noqa: BLE001 - one learner must never stop the others
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        reason = ("Grading stopped on an unexpected problem with this notebook, so it scores 0 "
                  f"({detail[:200]}). Please tell your trainer.")
        return _unreadable(state, submission, reason, started, fingerprint, status=CRASHED)
    finally:
        if spare_manager is not None:
            discard_kernel(spare_manager)
        if private_dir is not None:
            shutil.rmtree(private_dir, ignore_errors=True)
        # The next learner's kernel boots while this result travels back and the next
        # notebook is read. Never earlier: no learner's code may run beside it.
        if state.spare is None and not submission.problem:
            _start_spare(state)


def read_notebook(path: Path | None):
    """``(notebook, None)`` or ``(None, reason in plain words)``."""
    if path is None:
        return None, "No notebook was handed in."
    try:
        size = path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            return None, f"The file is {size // 2**20} MB, far too big for a notebook; it was not graded."
        text = path.read_bytes().decode("utf-8")
        raw = json.loads(text)
    except UnicodeDecodeError:
        return None, "This file is not a notebook (it is not text). Was another file renamed to .ipynb?"
    except ValueError:
        return None, "This file cannot be opened as a notebook: its contents are damaged (not valid JSON)."
    except OSError as error:
        return None, f"The file could not be read ({error.strerror})."
    if not isinstance(raw, dict) or "cells" not in raw and "worksheets" not in raw:
        return None, "This file is not a Jupyter notebook (it has no cells). Was another file renamed to .ipynb?"
    major = raw.get("nbformat")
    if not isinstance(major, int) or major not in (3, 4):
        return None, (f"This notebook is in a format version we cannot read ({major!r}); "
                      "please save it again from Jupyter and hand it in again.")
    try:
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
    except Exception:  # nbformat raises several types for one problem: a damaged notebook
        return None, "This notebook's structure is damaged, so it cannot be graded. Please save it again from Jupyter."
    return notebook, None


def _fill_private_dir(private_dir: Path, source_dir: Path, files_dir: Path | None, prepared=None) -> None:
    """The learner's own files first, then the course's files over them, as nbgrader's
    autograde does: every file of the source folder but notebooks and what
    ``CourseDirectory.ignore`` names, except those ``Autograde.exclude_overwriting``
    keeps as the learner handed them in."""
    from nbgrader.coursedir import CourseDirectory

    config = prepared.config if prepared is not None else None
    ignored = list(CourseDirectory(config=config).ignore) if config is not None else [".ipynb_checkpoints", "__pycache__"]
    kept = set()
    if config is not None and "Autograde" in config:
        kept = {str(Path(name)) for name in dict(config.Autograde.get("exclude_overwriting", {})).get(prepared.assignment, [])}
    ignore = shutil.ignore_patterns("*.ipynb", *ignored)
    if files_dir is not None and files_dir.is_dir():
        shutil.copytree(files_dir, private_dir, dirs_exist_ok=True, ignore=ignore, symlinks=True)

    def course_ignore(folder: str, names: list[str]) -> set[str]:
        skipped = set(ignore(folder, names))
        relative = Path(folder).relative_to(source_dir)
        return skipped | {name for name in names if str(relative / name) in kept
                          and (private_dir / relative / name).exists()}

    shutil.copytree(source_dir, private_dir, dirs_exist_ok=True, ignore=course_ignore)


def _locked_sources(notebook, config) -> dict[str, str]:
    """Locked cells' sources as the learner received them (hidden tests are never released)."""
    hide = ClearHiddenTests(config=config)
    sources = {}
    for cell in notebook.cells:
        if utils.is_locked(cell) and "grade_id" in cell.metadata.get("nbgrader", {}):
            released = nbformat.from_dict(copy.deepcopy(dict(cell)))
            try:
                hide._remove_hidden_test_region(released)
            except RuntimeError:  # nested markers typed by a learner: compare as it is
                pass
            sources[cell.metadata.nbgrader["grade_id"]] = released.source.strip()
    return sources


def _register(state: WorkerState, learner: str) -> None:
    """The learner and their submission in the worker's gradebook, as nbgrader's
    autograde records them before it grades (all of the assignment's notebooks)."""
    with warnings.catch_warnings():
        # nbgrader's own autoflush notice while it creates the submission's rows.
        warnings.filterwarnings("ignore", message=".*not in session.*")
        with Gradebook(state.db_url) as gradebook:
            gradebook.update_or_create_student(learner)
            gradebook.update_or_create_submission(state.prepared.assignment, learner)


def _run_pipeline(state: WorkerState, learner: str, notebook_id: str, notebook, private_dir: Path,
                  spare_manager=None):
    prepared = state.prepared
    resources = {
        "nbgrader": {"notebook": notebook_id, "assignment": prepared.assignment,
                     "student": learner, "db_url": state.db_url},
        "metadata": {"path": str(private_dir)},
    }
    if state.fork_server is not None:
        _ensure_fork_server(state)
    box = KernelBox(private_dir, state.isolation, state.limits, state.hidden, state.fork_server)
    for step in state.steps:
        if hasattr(step, "box"):
            step.box = box
            step.spare_manager = spare_manager
        notebook, resources = step(notebook, resources)
    return notebook, resources


def _outcome(state, learner, notebook_id, notebook, resources, before) -> NotebookOutcome:
    settings = state.settings
    label = notebook_id if len(state.prepared.notebook_ids) > 1 else ""
    recorded = _recorded_grades(state, learner, notebook_id)
    checks = list(_check_results(notebook, state.expected[notebook_id], recorded, label))
    score = float(resources["nbgrader"]["score"])
    stopped = resources.get("grading", {}).get("stopped")
    notes = []
    if stopped == "timeout":
        status = TIMED_OUT
        notes.append(f"The notebook took longer than {settings.timeout:g} seconds, so it was stopped; "
                     "checks that had not run score 0.")
    elif stopped == "crashed":
        status = CRASHED
        notes.append("The notebook stopped unexpectedly (it may have used too much memory); "
                     "checks that had not run score 0.")
    else:
        status = GRADED
    if any(_has_error(cell, "MemoryError") for cell in notebook.cells):
        notes.append(f"Some code tried to use more memory than allowed ({settings.memory_limit // 2**20} MB).")
    if any(_has_error(cell, "CellTimeoutError") for cell in notebook.cells) and status == GRADED:
        status = TIMED_OUT
        limit = resources.get("grading", {}).get("cell_timeout")
        notes.append(f"Some code ran for longer than {limit or settings.timeout:g} seconds and was stopped.")
    after = _locked_sources(notebook, state.prepared.config)
    restored = sorted(grade_id for grade_id, source in before.items()
                      if grade_id in after and after[grade_id] != source)
    if restored:
        notes.append("Locked cells you changed were put back as they were: " + ", ".join(restored) + ".")
    return NotebookOutcome(notebook_id, score, status, notes, checks)


def _not_graded(state, notebook_id: str, status: str, reason: str) -> NotebookOutcome:
    """A notebook that could not run: each of its questions scores 0."""
    label = notebook_id if len(state.prepared.notebook_ids) > 1 else ""
    checks = [CheckResult(e.grade_id, "manual" if e.manual else "auto", 0.0, e.max_score, "not run",
                          "This notebook could not be graded (see above).", notebook=label)
              for e in state.expected[notebook_id]]
    return NotebookOutcome(notebook_id, 0.0, status, [reason], checks)


SEVERITY = (UNREADABLE, CRASHED, TIMED_OUT, GRADED)  # the worst status of its notebooks is a learner's


def _combine(state, submission, outcomes: list[NotebookOutcome], started, fingerprint) -> LearnerResult:
    """One learner's result from each notebook's; with one notebook, that notebook's."""
    several = len(outcomes) > 1
    status = min((outcome.status for outcome in outcomes), key=SEVERITY.index)
    notes = []
    for outcome in outcomes:
        for note in outcome.notes:
            notes.append(f"{outcome.notebook_id}.ipynb: {note}" if several else note)
    checks = tuple(check for outcome in outcomes for check in outcome.checks)
    # What the autograder found; marking.settle adds the trainer's marks, the line about
    # points still waiting, and the feedback page.
    return LearnerResult(submission.learner, state.prepared.assignment, sum(o.score for o in outcomes),
                         _max_score(state), status, " ".join(notes), time.monotonic() - started, fingerprint, checks)


def _has_error(cell, ename: str) -> bool:
    return cell.cell_type == "code" and any(
        out.get("output_type") == "error" and out.get("ename") == ename for out in cell.get("outputs", []))


def _recorded_grades(state: WorkerState, learner: str, notebook_id: str) -> dict[str, tuple[float, bool]]:
    """What nbgrader recorded for each graded cell: ``grade_id: (score, needs a person)``."""
    with Gradebook(state.db_url) as gradebook:
        submitted = gradebook.find_submission_notebook(notebook_id, state.prepared.assignment, learner)
        return {grade.name: (float(grade.score or 0), bool(grade.needs_manual_grade)) for grade in submitted.grades}


TASK_ANSWER = "(A task: the answer is spread over the learner's notebook; open it to mark this.)"


def _check_results(notebook, expected: list[Expected], recorded: dict[str, tuple[float, bool]], label: str = ""):
    """One result per graded cell or task of the master notebook, scored as nbgrader
    recorded it (a cell the learner deleted is reported as such)."""
    cells = {}
    for cell in notebook.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id is not None:
            cells.setdefault(grade_id, cell)
    for item in expected:
        score, needs_person = recorded.get(item.grade_id, (0.0, False))
        cell = cells.get(item.grade_id)
        if item.manual:
            if cell is None and not item.task:
                yield CheckResult(item.grade_id, "manual", 0.0, item.max_score, "not yet",
                                  "This answer cell was deleted from the notebook, so it scores 0.", notebook=label)
            elif needs_person:
                answer = TASK_ANSWER if item.task else written_answer(cell)
                yield CheckResult(item.grade_id, "manual", None, item.max_score, TO_BE_MARKED, answer=answer,
                                  notebook=label)
            else:
                unanswered = "" if score else "No answer was written here."
                yield CheckResult(item.grade_id, "manual", score, item.max_score,
                                  "passed" if score >= item.max_score else "not yet", unanswered, notebook=label)
            continue
        if cell is None:
            yield CheckResult(item.grade_id, "auto", 0.0, item.max_score, "not run",
                              "This check was deleted from the notebook, so it scores 0.", notebook=label)
            continue
        errors = [out for out in cell.get("outputs", []) if out.get("output_type") == "error"]
        if any(err.get("ename") == NOT_RUN_NAME for err in errors):
            yield CheckResult(item.grade_id, "auto", 0.0, item.max_score, "not run", errors[0].get("evalue", ""),
                              notebook=label)
            continue
        outcome = "passed" if score >= item.max_score and not errors else "not yet"
        yield CheckResult(item.grade_id, "auto", score, item.max_score, outcome, _message(errors), notebook=label)


def written_answer(cell) -> str:
    """The learner's answer as plain text, for the trainer's marking sheet."""
    source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
    return source.strip()


def _message(errors) -> str:
    """The message of the first error, never its traceback (that quotes hidden code)."""
    if not errors:
        return ""
    error = errors[0]
    name, value = str(error.get("ename", "")), str(error.get("evalue", "")).strip()
    if name == "AssertionError":
        return value or "A check did not pass (it gave no message)."
    if name == "CellTimeoutError":
        return "This check ran out of time."
    if name == "NameError":
        return f"Something this check needs is missing: {value}. Did you run and keep every answer cell?"
    return f"{name}: {value}"[:500] if value else name


def _unreadable(state, submission, reason, started, fingerprint, status=UNREADABLE) -> LearnerResult:
    outcomes = [_not_graded(state, notebook_id, status, reason) for notebook_id in state.prepared.notebook_ids]
    checks = tuple(check for outcome in outcomes for check in outcome.checks)
    return LearnerResult(submission.learner, state.prepared.assignment, 0.0, _max_score(state), status, reason,
                         time.monotonic() - started, fingerprint, checks)


def _max_score(state) -> float:
    with Gradebook(state.db_url) as gradebook:
        return float(gradebook.find_assignment(state.prepared.assignment).max_score)
