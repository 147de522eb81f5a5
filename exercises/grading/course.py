"""The nbgrader course: its config, its assignments, and the gradebook to grade against.

The gradebook is made by nbgrader itself (``generate_assignment``) in a temporary copy
of the assignment's source folder, so the course's own ``gradebook.db`` and
``release/`` folder are never touched by a grading run. The course's
``nbgrader_config.py`` is read as nbgrader reads it, with nothing forced on top (see
``settings.py`` for what the kit adds and how a course changes it).
"""
from __future__ import annotations

import copy
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from exercises.errors import ExercisesError


class CourseError(ExercisesError):
    """The course or assignment cannot be used for grading."""


@dataclass(frozen=True)
class PreparedAssignment:
    assignment: str
    notebook_ids: tuple[str, ...]  # the notebooks' names without .ipynb, in name order
    source_dir: Path
    db_path: Path  # a gradebook holding the assignment's cells, hidden tests included
    config: Config

    @property
    def notebook_id(self) -> str:
        """The first notebook (the only one of a one-notebook assignment)."""
        return self.notebook_ids[0]


def load_config(course_root: Path) -> Config:
    """The course's ``nbgrader_config.py`` as nbgrader would read it (an empty config
    when there is none). Paths nbgrader reads relative to the course root (the header
    and footer notebooks) are made absolute, because grading prepares the assignment
    in a scratch copy of the course.

    Fails with :class:`CourseError` when the file cannot be run.
    """
    config = Config()
    config_file = course_root / "nbgrader_config.py"
    if config_file.is_file():
        try:
            config.merge(PyFileConfigLoader(config_file.name, path=str(course_root)).load_config())
        except Exception as error:  # noqa: BLE001 - the file is the course's Python: anything can fail
            detail = f"{type(error).__name__}: {error}".strip()
            raise CourseError(f"{config_file} could not be read ({detail[:300]}).") from None
    for option in ("header", "footer"):
        value = config.IncludeHeaderFooter.get(option) if "IncludeHeaderFooter" in config else None
        if value and not Path(value).is_absolute():
            config.IncludeHeaderFooter[option] = str((course_root / value).resolve())
    return config


def available_assignments(course_root: Path) -> list[str]:
    source = course_root / "source"
    if not source.is_dir():
        return []
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def find_source(course_root: Path, assignment: str) -> tuple[Path, tuple[str, ...]]:
    """The assignment's source folder and its notebooks' ids (names without .ipynb).

    Fails with :class:`CourseError` when the assignment does not exist (the message
    lists those that do).
    """
    source_dir = course_root / "source" / assignment
    notebooks = sorted(source_dir.glob("*.ipynb")) if source_dir.is_dir() else []
    if not notebooks:
        known = available_assignments(course_root)
        listed = ", ".join(known) if known else "none"
        raise CourseError(
            f"There is no assignment called {assignment!r} in {course_root / 'source'}. "
            f"Assignments there: {listed}.")
    return source_dir, tuple(notebook.stem for notebook in notebooks)


def put_tools_on_path() -> None:
    """nbgrader runs ``alembic`` from PATH; make ours findable without an activated venv."""
    bin_dir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bin_dir not in parts:
        os.environ["PATH"] = os.pathsep.join([bin_dir, *[p for p in parts if p]])


def prepare_assignment(course_root: Path, assignment: str, work_dir: Path,
                       config: Config | None = None) -> PreparedAssignment:
    """Run nbgrader's ``generate_assignment`` into a throw-away course under ``work_dir``.

    Fails with :class:`CourseError` when nbgrader rejects a source notebook; the
    message names the notebook, the cell when nbgrader names one, and nbgrader's own
    words.
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    source_dir, notebook_ids = find_source(course_root, assignment)
    put_tools_on_path()
    config = load_config(course_root) if config is None else config
    scratch = work_dir / "course"
    shutil.copytree(source_dir, scratch / "source" / assignment,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    db_path = work_dir / "gradebook-template.db"
    scratch_config = copy.deepcopy(config)
    scratch_config.CourseDirectory.root = str(scratch)
    scratch_config.CourseDirectory.db_url = f"sqlite:///{db_path}"
    # Students and assignments listed in the config belong to the course's own gradebook.
    scratch_config.CourseDirectory.db_assignments = []
    scratch_config.CourseDirectory.db_students = []
    coursedir = CourseDirectory(config=scratch_config)
    api = NbGraderAPI(coursedir=coursedir, config=scratch_config)
    result = api.generate_assignment(assignment, force=True, create=True)
    if not result.get("success"):
        raise CourseError(preparation_problem(assignment, result.get("log") or "", result.get("error") or ""))
    return PreparedAssignment(assignment, notebook_ids, source_dir, db_path, config)


_CONVERTING = re.compile(r"Converting notebook (\S+\.ipynb)")
_EXCEPTION = re.compile(r"^\s*([\w.]*(?:Error|Exception|Exit))(?::\s*(.*))?$")
_CELL = re.compile(r"(?:grade[ _]id|cell)\s*[:=]?\s*['\"]?([\w.-]+)['\"]?", re.IGNORECASE)
_GENERIC = "Please see the the above traceback"  # nbgrader's wrapper around the real error


def preparation_problem(assignment: str, log: str, error: str) -> str:
    """One or two lines from nbgrader's log: the notebook it was converting, the cell
    its message names (if any), and its own words (the first error it logged, which is
    the cause; nbgrader's later ones only wrap it)."""
    notebooks = _CONVERTING.findall(log)
    notebook = Path(notebooks[-1]).name if notebooks else None
    messages = []
    for line in (log + "\n" + error).splitlines():
        match = _EXCEPTION.match(line)
        if match and _GENERIC not in line:
            name = match.group(1).rsplit(".", 1)[-1]
            text = (match.group(2) or "").strip()
            message = f"{name}: {text}" if text else name
            if message not in messages:
                messages.append(message)
    if not messages:
        lines = [line.strip() for line in log.splitlines() if line.strip() and _GENERIC not in line]
        messages = [lines[-1] if lines else "no details"]
    cause = messages[0]
    cell = _CELL.search(cause.partition(": ")[2])
    where = f"in {notebook}" if notebook else "in its source notebooks"
    if cell and notebook:
        where += f", cell {cell.group(1)!r}"
    more = f" ({messages[1].partition(': ')[2] or messages[1]})" if len(messages) > 1 else ""
    return (f"nbgrader could not prepare {assignment!r} {where}: {cause[:300]}{more[:200]} "
            "Fix the source notebook (or the course's nbgrader_config.py) and try again.")
