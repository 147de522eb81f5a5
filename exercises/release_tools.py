"""Make learner (release) versions of the assignments with nbgrader itself.

The repository holds only the master notebooks (``exercises/source``). To get
release notebooks we copy the course into a temporary folder and run
``nbgrader generate_assignment`` there, so the repository never fills with
``release/`` folders or a gradebook.

    with course_copy() as course:
        release = generate_release(course)      # course/release/<id>/<id>.ipynb
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from exercises.errors import ExercisesError

EXERCISES = Path(__file__).resolve().parent
SOURCE = EXERCISES / "source"
CONFIG = EXERCISES / "nbgrader_config.py"

# The graded assignments, in course order (ids are shared with the course and
# the grader; see shared/DESIGN.md).
ASSIGNMENTS = (
    "m01-inside-out",
    "m02-slates",
    "m03-wiki",
    "m04-microblogging",
    "m05-bookmarking",
    "m06-ideas-events",
    "m08-usefulness",
    "m09-critical-mass",
    "m10-culture",
    "m11-measuring-adoption",
    "m12-pilot-plan",
)


class ReleaseError(ExercisesError):
    """nbgrader could not produce the learner versions."""


def available_assignments() -> list[str]:
    """Assignment ids that have a master notebook, in course order."""
    return [a for a in ASSIGNMENTS if (SOURCE / a / f"{a}.ipynb").is_file()]


def copy_course(dest: Path) -> Path:
    """Copy the nbgrader course (config and masters only) into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(CONFIG, dest / CONFIG.name)
    shutil.copytree(
        SOURCE, dest / "source",
        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
    )
    return dest


@contextlib.contextmanager
def course_copy() -> Iterator[Path]:
    """A throwaway copy of the course, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="insideout-course-") as folder:
        yield copy_course(Path(folder) / "course")


def nbgrader(course: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run one nbgrader command in ``course`` with this Python's nbgrader.

    nbgrader calls ``alembic`` from PATH, so this interpreter's script folder
    goes first on PATH. Raises ReleaseError with nbgrader's last error line
    when the command fails.
    """
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course, env=env, capture_output=True, text=True, timeout=timeout,
    )
    if result.returncode != 0:
        raise ReleaseError(f"nbgrader {args[0]} failed: {failure_reason(result.stderr + result.stdout)}")
    return result


def failure_reason(log: str) -> str:
    """The most telling line of a failed nbgrader run's log.

    nbgrader ends with generic lines ("Please see the above traceback"); the
    Python exception line above them says what actually went wrong.
    """
    exceptions = re.findall(r"^\s*((?:\w+\.)*\w*(?:Error|Exception|Invalid\w*)\b:? .*)$", log, re.M)
    if exceptions:
        return exceptions[-1].strip()
    errors = [line.strip() for line in log.splitlines()
              if "ERROR" in line and "see the the above traceback" not in line]
    return errors[0] if errors else "no reason given (run nbgrader by hand to see its log)"


def generate_release(course: Path, assignments: list[str] | None = None) -> Path:
    """Run ``nbgrader generate_assignment``; return the release folder.

    Without ``assignments``, one nbgrader call releases every assignment in
    the course (each call costs a few seconds of start-up).
    """
    for assignment in assignments or ["*"]:
        nbgrader(course, "generate_assignment", assignment, "--force")
    return course / "release"


def release_for_learners(assignments: list[str], out: Path, *, replace: bool = False) -> list[Path]:
    """Write what learners get for each assignment into ``out/<id>/``: the notebook
    without solutions or hidden tests, and the files it needs. Returns the folders.

    Failure cases, each a :class:`ReleaseError` and nothing written: an unknown
    assignment (the message lists the known ones); ``out/<id>`` already there and
    ``replace`` not given (it may hold someone's work); ``out`` not a folder we can
    write; nbgrader refusing a master notebook.
    """
    known = available_assignments()
    unknown = [a for a in assignments if a not in known]
    if unknown:
        raise ReleaseError(f"there is no assignment called {unknown[0]!r}; the assignments are: {', '.join(known)}")
    chosen = list(dict.fromkeys(assignments)) or known
    targets = [out / assignment for assignment in chosen]
    if out.exists() and not out.is_dir():
        raise ReleaseError(f"{out} is a file, not a folder")
    taken = [t for t in targets if t.exists()]
    if taken and not replace:
        raise ReleaseError(f"{taken[0]} already exists; add --replace to overwrite it with a fresh copy")
    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".release-", dir=out))
    except OSError as error:
        raise ReleaseError(f"cannot write into {out} ({error.strerror or error})") from None
    try:
        with course_copy() as course:
            release = generate_release(course, chosen if len(chosen) < len(known) else None)
            for assignment in chosen:
                shutil.copytree(release / assignment, staging / assignment,
                                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        for assignment, target in zip(chosen, targets):
            if target.exists():
                shutil.rmtree(target)
            (staging / assignment).rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return targets
