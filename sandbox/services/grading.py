"""The sandbox's one way into the grading pipeline (``exercises.grading``).

Everything the hand-in page, the queue's graders and the gradebook need from the
pipeline goes through this module, so that the pipeline can change (several
notebooks per assignment, a library entry point for one learner) by changing only
this file:

* :func:`grade_batch` grades a few hand-ins of one assignment with the same
  sandboxed pipeline as ``insideout grade`` (called as a library, never by running
  the command), and returns, per job, what the autograder found as JSON;
* :func:`settled` turns that JSON and the trainer's marks into the learner's score
  and checks (the same ``settle`` as ``insideout grade --marks``);
* :func:`assignments`, :func:`identify` and :func:`written_questions` read the
  course's master notebooks (which assignments exist, which one a notebook belongs
  to, the model answers of written questions).
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from exercises.errors import ExercisesError
from exercises.grading.course import available_assignments
from exercises.grading.feedback import OUTCOME_TEXT, check_title
from exercises.grading.marking import settle
from exercises.grading.results import (
    RESULTS_FORMAT,
    TO_BE_MARKED,
    CheckResult,
    LearnerResult,
    format_points,
    results_path,
)

COURSE_DIR_ENV = "INSIDEOUT_COURSE_DIR"
DEFAULT_COURSE = Path(__file__).resolve().parents[2] / "exercises"
LEARNER_PREFIX = "hand-in-"

__all__ = ["OUTCOME_TEXT", "TO_BE_MARKED", "check_title", "format_points"]


def course_root() -> Path:
    """The nbgrader course the sandbox grades against (``INSIDEOUT_COURSE_DIR`` or the kit's own)."""
    return Path(os.environ.get(COURSE_DIR_ENV) or DEFAULT_COURSE).resolve()


def assignments(course: Path | None = None) -> list[str]:
    return available_assignments(course or course_root())


@dataclass(frozen=True)
class Graded:
    """What grading one job gave: a result (``ok``) or a plain reason it could not be graded."""

    job_id: int
    ok: bool
    score: float = 0.0
    max_score: float = 0.0
    result_json: str = ""
    problem: str = ""


def grade_batch(assignment: str, notebooks: list[tuple[int, bytes]], *, workers: int = 1,
                timeout: float = 60.0, course: Path | None = None,
                on_graded: Callable[[Graded], None] | None = None) -> dict[int, Graded]:
    """Grade ``(job_id, notebook bytes)`` pairs of ``assignment``; one result per job id.

    ``on_graded`` hears each result as soon as it is ready (so a learner need not wait
    for the whole batch). Never raises for what a notebook does (that is a score and a
    reason, as in ``insideout grade``); when the assignment itself cannot be graded
    (missing, broken master notebook) every job gets that reason instead.
    """
    from exercises.grading import GradingSettings, Listener, grade_assignment

    with tempfile.TemporaryDirectory(prefix="insideout-hand-in-") as scratch:
        submissions = Path(scratch) / "submissions"
        submissions.mkdir()
        for job_id, data in notebooks:
            (submissions / f"{LEARNER_PREFIX}{job_id}.ipynb").write_bytes(data)
        out_dir = Path(scratch) / "out"
        settings = GradingSettings(assignment=assignment, submissions=submissions,
                                   course_root=(course or course_root()), out_dir=out_dir,
                                   workers=max(1, min(workers, len(notebooks))), timeout=timeout, force=True)
        graded: dict[int, Graded] = {}

        def keep(result: LearnerResult) -> None:
            job_id = int(result.learner.removeprefix(LEARNER_PREFIX))
            path = results_path(out_dir, result.learner)
            text = path.read_text(encoding="utf-8") if path.exists() else ""
            graded[job_id] = Graded(job_id, True, result.score, result.max_score, text)
            if on_graded is not None:
                on_graded(graded[job_id])

        class Hear(Listener):
            def finished_one(self, result: LearnerResult) -> None:
                keep(result)

        try:
            grade_assignment(settings, Hear())
        except ExercisesError as error:
            problem = f"This assignment could not be graded: {error} Please tell your trainer."
            return {job_id: Graded(job_id, False, problem=problem) for job_id, _ in notebooks}
    for job_id, _ in notebooks:
        graded.setdefault(job_id, Graded(job_id, False, problem=(
            "The grader could not find this notebook's result. Please hand it in again.")))
    return graded


def autograded_from_json(text: str) -> LearnerResult | None:
    """What the autograder found, from the JSON :func:`grade_batch` returned (None if unreadable)."""
    try:
        data = json.loads(text)
        if data.get("format") != RESULTS_FORMAT:
            return None
        checks = tuple(CheckResult(c["grade_id"], c["kind"], c["score"], float(c["max_score"]), c["outcome"],
                                   c.get("message", ""), c.get("answer", "")) for c in data["checks"])
        return LearnerResult(data["learner"], data["assignment"], float(data["score"]), float(data["max_score"]),
                             data["status"], data["reason"], 0.0, data.get("fingerprint", ""), checks)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def settled(result_json: str, marks: dict[str, dict]) -> LearnerResult | None:
    """The learner's result with ``marks`` (``{grade_id: {"mark": 1.0, "comment": ""}}``) applied."""
    autograded = autograded_from_json(result_json)
    return None if autograded is None else settle(autograded, marks)


# --- the course's master notebooks ------------------------------------------------


def _master(assignment: str, course: Path) -> dict | None:
    folder = course / "source" / assignment
    notebooks = sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    if not notebooks:
        return None
    try:
        return json.loads(notebooks[0].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


@lru_cache(maxsize=8)
def _fingerprints(course: Path) -> dict[str, tuple[frozenset, frozenset]]:
    """Per assignment: its cells' ids and its text cells' contents (both survive release)."""
    found = {}
    for assignment in available_assignments(course):
        master = _master(assignment, course) or {"cells": []}
        ids = frozenset(c.get("id") for c in master["cells"] if c.get("id"))
        texts = frozenset(_source(c).strip() for c in master["cells"]
                          if c.get("cell_type") == "markdown" and _source(c).strip())
        found[assignment] = (ids, texts)
    return found


def identify(notebook: dict, course: Path | None = None) -> str | None:
    """The assignment this notebook was made from, or None when no assignment's cells are in it."""
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        return None
    ids = {c.get("id") for c in cells if isinstance(c, dict) and c.get("id")}
    texts = {_source(c).strip() for c in cells if isinstance(c, dict) and c.get("cell_type") == "markdown"}
    best, best_score = None, 0
    for assignment, (master_ids, master_texts) in sorted(_fingerprints(course or course_root()).items()):
        score = len(ids & master_ids) + len(texts & master_texts)
        if score > best_score:
            best, best_score = assignment, score
    return best


@dataclass(frozen=True)
class WrittenQuestion:
    grade_id: str
    points: float
    model_answer: str  # the master notebook's solution: shown after hand-in in self-study


def written_questions(assignment: str, course: Path | None = None) -> list[WrittenQuestion]:
    """The questions a person marks (nbgrader "manual" answers), with their model answers."""
    master = _master(assignment, course or course_root()) or {"cells": []}
    found = []
    for cell in master["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and meta.get("solution") and meta.get("grade_id"):
            answer = _source(cell).replace("### BEGIN SOLUTION", "").replace("### END SOLUTION", "").strip()
            found.append(WrittenQuestion(meta["grade_id"], float(meta.get("points", 0)), answer))
    return found


@lru_cache(maxsize=64)
def _title(assignment: str, course: Path) -> str:
    master = _master(assignment, course) or {"cells": []}
    for cell in master["cells"]:
        if cell.get("cell_type") == "markdown":
            first = _source(cell).strip().splitlines()[0] if _source(cell).strip() else ""
            if first.startswith("#"):
                return first.lstrip("#").strip()
    return ""


def assignment_label(assignment: str, course: Path | None = None) -> str:
    """``m03-wiki: Exercise 3: reading a wiki's revision history`` (the id alone if the notebook has no title)."""
    title = _title(assignment, course or course_root())
    return f"{assignment}: {title}" if title else assignment
