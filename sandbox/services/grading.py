"""The sandbox's one way into the grading pipeline (``exercises.grading``).

Everything the hand-in page, the queue's graders and the gradebook need from the
pipeline goes through this module, so that the pipeline can change (several
notebooks per assignment, a library entry point for one learner) by changing only
this file:

* :func:`grade_batch` grades a few hand-ins of one assignment, each with the
  pipeline's per-submission entry point (``grade_submission``: the same sandboxed
  pipeline as ``insideout grade``, called as a library, never by running the
  command; the assignment prepared once per process), and returns, per job, what the
  autograder found as JSON;
* :func:`settled` turns that JSON and the trainer's marks into the learner's score
  and checks (the same ``settle`` as ``insideout grade --marks``);
* :func:`assignments`, :func:`identify` and :func:`written_questions` read the
  course's master notebooks, all of an assignment's (which assignments exist, which
  one a notebook belongs to, the model answers of written questions).
"""
from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
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

    Each hand-in is graded on its own by the pipeline's per-submission entry point
    (``exercises.grading.grade_submission``: the same sandboxed pipeline as ``insideout
    grade``, called as a library), ``workers`` of them at a time; the assignment is
    prepared once per process and again only when its source changes. ``on_graded``
    hears each result as soon as it is ready (so a learner need not wait for the whole
    batch). Never raises for what a notebook does (that is a score and a reason, as in
    ``insideout grade``); when the assignment itself cannot be graded (missing, broken
    master notebook) every job gets that reason instead.
    """
    from exercises.grading.handin import prepared_assignment

    course = (course or course_root()).resolve()
    try:
        prepared_assignment(course, assignment)
    except ExercisesError as error:
        graded = {job_id: Graded(job_id, False, problem=_unusable(error)) for job_id, _ in notebooks}
        for result in graded.values():
            if on_graded is not None:
                on_graded(result)
        return graded

    def one(job: tuple[int, bytes]) -> Graded:
        result = grade_one(assignment, job[0], job[1], timeout=timeout, course=course)
        if on_graded is not None:
            on_graded(result)
        return result

    if workers <= 1 or len(notebooks) <= 1:
        return {job_id: one((job_id, data)) for job_id, data in notebooks}
    with ThreadPoolExecutor(max_workers=min(workers, len(notebooks)), thread_name_prefix="grading") as pool:
        return {result.job_id: result for result in pool.map(one, notebooks)}


def grade_one(assignment: str, job_id: int, notebook: bytes, *, timeout: float = 60.0,
              course: Path | None = None) -> Graded:
    """Grade one hand-in (``notebook`` bytes) with ``grade_submission``; never raises for the notebook."""
    from exercises.grading import GradingSettings, grade_submission

    course = (course or course_root()).resolve()
    with tempfile.TemporaryDirectory(prefix="insideout-hand-in-") as scratch:
        handed_in = Path(scratch) / "handed-in"
        handed_in.mkdir()
        paths = []
        for name, data in unpack_notebooks(notebook):
            path = handed_in / (name or notebook_file_name(assignment, data, course))
            path.write_bytes(data)
            paths.append(path)
        out_dir = Path(scratch) / "out"
        limits = GradingSettings(assignment, handed_in, course, out_dir, workers=1, timeout=timeout)
        try:
            result = grade_submission(assignment, paths, f"{LEARNER_PREFIX}{job_id}", out_dir,
                                      settings=limits, course_root=course)
        except ExercisesError as error:
            return Graded(job_id, False, problem=_unusable(error))
        saved = results_path(out_dir, result.learner)
        if not saved.is_file():
            return Graded(job_id, False, problem=(
                "The grader could not find this notebook's result. Please hand it in again."))
        return Graded(job_id, True, result.score, result.max_score, saved.read_text(encoding="utf-8"))


def forget_prepared() -> None:
    """Remove the assignments this process prepared (a grader stopping; also done at exit)."""
    from exercises.grading.handin import forget_prepared as forget

    forget()


def clean_stale_prepared() -> int:
    """Remove prepared assignments left behind by graders that were killed; returns how many."""
    from exercises.grading.handin import clean_stale_prepared as clean

    return len(clean())


def _unusable(error: Exception) -> str:
    return f"This assignment could not be graded: {error} Please tell your trainer."


# --- what a hand-in keeps: one notebook, or several packed in one zip ---------------

ZIP_MAGIC = b"PK\x03\x04"


def pack_notebooks(notebooks: list[tuple[str, bytes]]) -> bytes:
    """One stored hand-in for several notebooks: a zip of ``(file name, bytes)`` (the
    names are those the pipeline matches: the assignment's notebook names)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in notebooks:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


def unpack_notebooks(stored: bytes) -> list[tuple[str, bytes]]:
    """The notebooks of a stored hand-in: ``[(name, bytes)]`` from :func:`pack_notebooks`,
    or ``[("", stored)]`` for a hand-in of one notebook (named when it is graded)."""
    if not stored.startswith(ZIP_MAGIC):
        return [("", stored)]
    with zipfile.ZipFile(io.BytesIO(stored)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def notebook_names(assignment: str, course: Path | None = None) -> list[str]:
    """The file names of the assignment's notebooks (``["problem1.ipynb", "problem2.ipynb"]``)."""
    return [path.name for path in _master_paths(assignment, course or course_root())]


def notebook_file_name(assignment: str, notebook: bytes, course: Path | None = None) -> str:
    """The name the hand-in is graded under: for an assignment of several notebooks, the
    one whose cells it carries (the pipeline matches them by name); else any name."""
    names = [path.name for path in _master_paths(assignment, course or course_root())]
    if len(names) <= 1:
        return names[0] if names else f"{assignment}.ipynb"
    try:
        cells = json.loads(notebook.decode("utf-8")).get("cells")
    except (ValueError, UnicodeDecodeError, AttributeError):
        return names[0]
    ids, texts = _cell_marks(cells)
    scores = {name: len(ids & master_ids) + len(texts & master_texts)
              for name, (master_ids, master_texts) in _notebook_marks(assignment, course or course_root()).items()}
    return max(names, key=lambda name: scores.get(name, 0))


def autograded_from_json(text: str) -> LearnerResult | None:
    """What the autograder found, from the JSON :func:`grade_batch` returned (None if unreadable)."""
    try:
        data = json.loads(text)
        if data.get("format") != RESULTS_FORMAT:
            return None
        checks = tuple(CheckResult(c["grade_id"], c["kind"], c["score"], float(c["max_score"]), c["outcome"],
                                   c.get("message", ""), c.get("answer", ""), notebook=c.get("notebook", ""))
                       for c in data["checks"])
        return LearnerResult(data["learner"], data["assignment"], float(data["score"]), float(data["max_score"]),
                             data["status"], data["reason"], 0.0, data.get("fingerprint", ""), checks)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def settled(result_json: str, marks: dict[str, dict]) -> LearnerResult | None:
    """The learner's result with ``marks`` (``{grade_id: {"mark": 1.0, "comment": ""}}``) applied."""
    autograded = autograded_from_json(result_json)
    return None if autograded is None else settle(autograded, marks)


# --- the course's master notebooks ------------------------------------------------


def _master_paths(assignment: str, course: Path) -> list[Path]:
    folder = course / "source" / assignment
    return sorted(folder.glob("*.ipynb")) if folder.is_dir() else []


def _masters(assignment: str, course: Path) -> list[tuple[str, dict]]:
    """The assignment's master notebooks, ``(file name, notebook)`` in name order."""
    found = []
    for path in _master_paths(assignment, course):
        try:
            found.append((path.name, json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError):
            continue
    return found


def _master(assignment: str, course: Path) -> dict | None:
    """The assignment's first notebook (the one that carries its title)."""
    masters = _masters(assignment, course)
    return masters[0][1] if masters else None


def _source(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def _cell_marks(cells) -> tuple[frozenset, frozenset]:
    """A notebook's cell ids and its text cells' contents (both survive release)."""
    cells = [c for c in cells if isinstance(c, dict)] if isinstance(cells, list) else []
    ids = frozenset(c.get("id") for c in cells if c.get("id"))
    texts = frozenset(_source(c).strip() for c in cells if c.get("cell_type") == "markdown" and _source(c).strip())
    return ids, texts


def _notebook_marks(assignment: str, course: Path) -> dict[str, tuple[frozenset, frozenset]]:
    return {name: _cell_marks(notebook.get("cells")) for name, notebook in _masters(assignment, course)}


@lru_cache(maxsize=8)
def _fingerprints(course: Path) -> dict[str, tuple[frozenset, frozenset]]:
    """Per assignment: the cell ids and text cells of all its notebooks."""
    found = {}
    for assignment in available_assignments(course):
        marks = _notebook_marks(assignment, course).values()
        found[assignment] = (frozenset().union(*(ids for ids, _ in marks)),
                             frozenset().union(*(texts for _, texts in marks)))
    return found


def identify(notebook: dict, course: Path | None = None) -> str | None:
    """The assignment this notebook was made from, or None when no assignment's cells are in it."""
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        return None
    ids, texts = _cell_marks(cells)
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
    found = []
    cells = [cell for _, master in _masters(assignment, course or course_root()) for cell in master.get("cells", [])]
    for cell in cells:
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
