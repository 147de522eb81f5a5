"""The nbgrader course: its config, its assignments, and the gradebook to grade against.

The gradebook is made by nbgrader itself (``generate_assignment``) in a temporary copy
of the assignment's source folder, so the course's own ``gradebook.db`` and
``release/`` folder are never touched by a grading run.
"""
from __future__ import annotations

import copy
import os
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
    notebook_id: str  # the notebook's name without .ipynb
    source_dir: Path
    db_path: Path  # a gradebook holding the assignment's cells, hidden tests included
    config: Config


def load_config(course_root: Path) -> Config:
    config = Config()
    config_file = course_root / "nbgrader_config.py"
    if config_file.is_file():
        config.merge(PyFileConfigLoader(config_file.name, path=str(course_root)).load_config())
    # Restore deleted checks from the source, as the course promises learners.
    if "add_missing_cells" not in config.OverwriteCells:
        config.OverwriteCells.add_missing_cells = True
    return config


def available_assignments(course_root: Path) -> list[str]:
    source = course_root / "source"
    if not source.is_dir():
        return []
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def find_source(course_root: Path, assignment: str) -> tuple[Path, str]:
    """The assignment's source folder and notebook id.

    Fails with :class:`CourseError` when the assignment does not exist (the message
    lists those that do) or has more than one notebook.
    """
    source_dir = course_root / "source" / assignment
    notebooks = sorted(source_dir.glob("*.ipynb")) if source_dir.is_dir() else []
    if not notebooks:
        known = available_assignments(course_root)
        listed = ", ".join(known) if known else "none"
        raise CourseError(
            f"There is no assignment called {assignment!r} in {course_root / 'source'}. "
            f"Assignments there: {listed}.")
    if len(notebooks) > 1:
        raise CourseError(
            f"Assignment {assignment!r} has {len(notebooks)} notebooks; insideout grade handles "
            "one notebook per assignment.")
    return source_dir, notebooks[0].stem


def put_tools_on_path() -> None:
    """nbgrader runs ``alembic`` from PATH; make ours findable without an activated venv."""
    bin_dir = str(Path(sys.executable).parent)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if bin_dir not in parts:
        os.environ["PATH"] = os.pathsep.join([bin_dir, *[p for p in parts if p]])


def prepare_assignment(course_root: Path, assignment: str, work_dir: Path) -> PreparedAssignment:
    """Run nbgrader's ``generate_assignment`` into a throw-away course under ``work_dir``.

    Fails with :class:`CourseError` when nbgrader rejects the source notebook.
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    source_dir, notebook_id = find_source(course_root, assignment)
    put_tools_on_path()
    config = load_config(course_root)
    scratch = work_dir / "course"
    shutil.copytree(source_dir, scratch / "source" / assignment,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    db_path = work_dir / "gradebook-template.db"
    scratch_config = copy.deepcopy(config)
    scratch_config.CourseDirectory.root = str(scratch)
    scratch_config.CourseDirectory.db_url = f"sqlite:///{db_path}"
    coursedir = CourseDirectory(config=scratch_config)
    api = NbGraderAPI(coursedir=coursedir, config=scratch_config)
    result = api.generate_assignment(assignment, force=True, create=True)
    if not result.get("success"):
        detail = (result.get("error") or result.get("log") or "").strip().splitlines()
        raise CourseError(
            f"nbgrader could not prepare {assignment!r} from its source notebook: "
            f"{detail[-1] if detail else 'no details'}")
    return PreparedAssignment(assignment, notebook_id, source_dir, db_path, config)
