"""Grade one learner's hand-in, as a library call (the sandbox's "Hand in" page's grader).

:func:`grade_submission` runs the same pipeline as ``insideout grade`` (the course's
nbgrader config, the box, the marking sheet) for one learner and returns their
:class:`~exercises.grading.results.LearnerResult`::

    result = grade_submission("m03-wiki", [Path("upload/m03-wiki.ipynb")], "amal", Path("grades/m03-wiki"))
    result.score, result.max_score, result.status, result.reason  # as in grades.csv
    result.checks       # per question: grade_id, notebook, outcome, score, message (never hidden code)
    result.to_mark      # the written answers and tasks waiting for the trainer
    result.feedback_html  # the learner's feedback page, also written to out_dir/feedback/<learner>.html

It writes what a class run writes into ``out_dir`` (grades.csv gets or replaces this
learner's row; to-mark.csv lists their answers to mark). Two processes must not grade
into the same ``out_dir`` at the same time: the last to write grades.csv would drop
the other's row.

nbgrader prepares an assignment (its gradebook of cells and hidden tests) once per
process and keeps it while the course's source folder and ``nbgrader_config.py`` stay
the same: a grader that grades a room's hand-ins one by one pays for it once, and a
changed source notebook is prepared again before the next hand-in. Calls from several
threads at once are safe (each grades in its own scratch folder).
"""
from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import tempfile
import threading
from dataclasses import replace
from pathlib import Path
from typing import Sequence

from exercises.errors import ExercisesError

from .collect import learner_id
from .course import PreparedAssignment, find_source, load_config, prepare_assignment
from .results import LearnerResult
from .settings import GradingSettings

COURSE_ROOT = Path(__file__).resolve().parents[1]  # the kit's own course: exercises/


class HandInError(ExercisesError):
    """The hand-in cannot be graded at all (no notebook given, a file that is not there)."""


def grade_submission(assignment: str, notebooks: Path | Sequence[Path], learner: str, out_dir: Path,
                     settings: GradingSettings | None = None, course_root: Path = COURSE_ROOT) -> LearnerResult:
    """Grade ``learner``'s ``notebooks`` for ``assignment`` and return the result.

    ``notebooks`` is a list of ``.ipynb`` files or a folder holding them (with any data
    files the learner handed in); for an assignment of several notebooks they are
    matched by name (``problem1.ipynb``...), for one notebook any name will do.
    ``learner`` is made safe as a file name the way ``insideout grade`` does it
    (:func:`~exercises.grading.collect.learner_id`); the result carries the safe id.
    ``settings`` gives limits (timeout, isolation, ...); its assignment, submissions,
    course and out folder are replaced by the arguments. A notebook handed in again
    is always graded again.

    A bad notebook never raises: it is a result with a status and a plain reason.
    Raises :class:`HandInError` when no notebook is given or a path does not exist,
    and :class:`~exercises.grading.course.CourseError` when the assignment does not
    exist or nbgrader cannot prepare it.
    """
    from .run import grade_assignment

    paths = [Path(notebooks)] if isinstance(notebooks, (str, Path)) else [Path(p) for p in notebooks]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise HandInError(f"There is nothing at {', '.join(missing)}.")
    safe_id = learner_id(learner)
    with tempfile.TemporaryDirectory(prefix="insideout-handin-") as scratch:
        folder = Path(scratch) / "submitted" / safe_id / assignment
        folder.mkdir(parents=True)
        for path in paths:
            if path.is_dir():
                shutil.copytree(path, folder, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
            else:
                shutil.copy2(path, folder / path.name)
        if not any(folder.rglob("*.ipynb")):
            raise HandInError("No notebook (.ipynb file) was handed in.")
        base = settings or GradingSettings(assignment, folder, course_root, out_dir, workers=1)
        run = replace(base, assignment=assignment, submissions=Path(scratch) / "submitted",
                      course_root=Path(course_root).resolve(), out_dir=Path(out_dir), workers=1, force=True)
        summary = grade_assignment(run, prepared=prepared_assignment(run.course_root, assignment))
    (result,) = [r for r in summary.results if r.learner == safe_id]
    return result


# --- the assignment, prepared once per process --------------------------------------

# A prepared assignment's scratch folder names the process that made it, so a later
# grader can tell a folder whose owner was killed (SIGKILL skips every clean-up).
PREPARED_PREFIX = "insideout-prepared-"
_OWNED = re.compile(re.escape(PREPARED_PREFIX) + r"(\d+)-")

_prepared: dict[tuple[Path, str], tuple[str, PreparedAssignment]] = {}
_stale: list[Path] = []  # replaced preparations: a run that started before may still copy from them
_preparing = threading.Lock()


def source_fingerprint(course_root: Path, assignment: str) -> str:
    """A digest of what preparing the assignment reads: every file of its source folder
    (names and contents) and the course's ``nbgrader_config.py``."""
    source_dir, _ = find_source(course_root, assignment)
    digest = hashlib.sha256()
    files = sorted(p for p in source_dir.rglob("*") if p.is_file()
                   and not {".ipynb_checkpoints", "__pycache__"} & set(p.relative_to(source_dir).parts))
    for path in [*files, course_root / "nbgrader_config.py"]:
        digest.update(str(path.relative_to(course_root)).encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"-")
        digest.update(b"\0")
    return digest.hexdigest()


def prepared_assignment(course_root: Path, assignment: str) -> PreparedAssignment:
    """``assignment`` prepared by nbgrader, from this process's cache while its source is unchanged.

    Fails as :func:`~exercises.grading.course.prepare_assignment` does; a failure is not cached.
    """
    course_root = Path(course_root).resolve()
    key = (course_root, assignment)
    with _preparing:
        fingerprint = source_fingerprint(course_root, assignment)
        cached = _prepared.get(key)
        if cached is not None and cached[0] == fingerprint and cached[1].db_path.is_file():
            return cached[1]
        work_dir = Path(tempfile.mkdtemp(prefix=f"{PREPARED_PREFIX}{os.getpid()}-"))
        try:
            prepared = prepare_assignment(course_root, assignment, work_dir, load_config(course_root))
        except BaseException:
            shutil.rmtree(work_dir, ignore_errors=True)
            raise
        if cached is not None:
            _stale.append(cached[1].db_path.parent)
        _prepared[key] = (fingerprint, prepared)
        return prepared


@atexit.register
def forget_prepared() -> None:
    """Remove the prepared assignments' scratch folders (at exit, from a grader's stop
    handler, in tests). Never waits long: a stop handler may interrupt a preparation."""
    locked = _preparing.acquire(timeout=2)
    try:
        folders = [prepared.db_path.parent for _, prepared in _prepared.values()] + _stale
        _prepared.clear()
        _stale.clear()
    finally:
        if locked:
            _preparing.release()
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def clean_stale_prepared(temp_dir: Path | None = None) -> list[Path]:
    """Remove the prepared-assignment folders left in ``temp_dir`` (the system's temporary
    folder by default) by graders that are gone (killed with SIGKILL, or a machine that
    stopped); returns them. Folders of a live process, this one included, are left alone,
    and so is anything not named ``insideout-prepared-<pid>-...``."""
    removed = []
    folder = Path(temp_dir or tempfile.gettempdir())
    for path in folder.glob(f"{PREPARED_PREFIX}*"):
        owner = _OWNED.match(path.name)
        if owner is None or not path.is_dir() or path.is_symlink():
            continue
        pid = int(owner.group(1))
        if pid == os.getpid() or _process_alive(pid):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed
