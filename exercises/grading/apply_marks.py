"""``insideout grade ASSIGNMENT --marks to-mark.csv``: put the trainer's marks in the grades.

No notebook runs: everything needed was kept in ``results/<learner>.json`` by the grading
run. Every row is checked before anything is written; on any problem one
:class:`~exercises.grading.sheet.MarksError` names the row and what is wrong, and no
file changes. Marks are absolute, so applying the same sheet twice gives the same
files, and a run interrupted half-way is finished by running it again.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

from .marking import settle
from .results import (
    MARKED,
    LearnerResult,
    format_points,
    load_result,
    read_grades,
    render_grades,
    save_result,
    saved_learners,
    write_atomically,
)
from .sheet import MarksError, SheetRow, read_sheet

GRADES_FILE = "grades.csv"
FEEDBACK_DIR = "feedback"


@dataclass
class MarksApplied:
    marked: int = 0  # written answers that now have a mark
    waiting: int = 0  # written answers still waiting (blank mark)
    updated: list[str] = field(default_factory=list)  # learners whose grade or feedback changed
    grades_path: Path | None = None
    feedback_dir: Path | None = None


def apply_marks(out_dir: Path, assignment: str, sheet_path: Path) -> MarksApplied:
    """Apply the marks in ``sheet_path`` to the grades in ``out_dir``.

    Fails with :class:`MarksError`, changing nothing, when the sheet cannot be read
    (see :func:`~exercises.grading.sheet.read_sheet`), when ``out_dir`` holds no saved
    results for ``assignment``, or when a row names another assignment, a learner or a
    question that has no written answer waiting, marks the same answer twice, or has a
    mark that is not a number or is below 0 or above the question's points. A blank
    mark leaves the answer waiting (and takes back a mark applied before).
    """
    rows = read_sheet(sheet_path)
    saved = _saved_results(out_dir, assignment)
    if not saved:
        raise MarksError(f"There are no saved grading results for {assignment} in {out_dir}. Give --out the "
                         f"folder you graded into, or grade the notebooks first.")
    new_marks = {learner: dict(marks) for learner, (_, marks) in saved.items()}
    problems, seen = [], {}
    for row in rows:
        row = replace(row, learner=_known_learner(row.learner, saved))
        problem = _check_row(row, assignment, saved, seen, sheet_path.name)
        if problem:
            problems.append(problem)
            continue
        seen[(row.learner, row.question)] = row.row
        if row.mark:
            new_marks[row.learner][row.question] = {"mark": _number(row.mark), "comment": row.comment}
        else:
            new_marks[row.learner].pop(row.question, None)
    if problems:
        more = f" ({len(problems) - 1} more row(s) have problems too.)" if len(problems) > 1 else ""
        raise MarksError(f"{problems[0]} Nothing was changed.{more}")
    return _write(out_dir, saved, new_marks)


def _saved_results(out_dir: Path, assignment: str) -> dict[str, tuple[LearnerResult, dict]]:
    saved = {}
    for learner in saved_learners(out_dir):
        loaded = load_result(out_dir, learner)
        if loaded is not None and loaded[0].assignment == assignment:
            saved[learner] = loaded
    return saved


def _known_learner(typed: str, saved: dict) -> str:
    """Spreadsheets drop leading zeros from ids that look like numbers (student number
    00123 comes back as 123): match such an id when exactly one learner fits."""
    if typed in saved or not typed.isdigit():
        return typed
    fits = [learner for learner in saved if learner.isdigit() and learner.lstrip("0") == typed.lstrip("0")]
    return fits[0] if len(fits) == 1 else typed


def _check_row(row: SheetRow, assignment: str, saved: dict, seen: dict, name: str) -> str | None:
    where = f"{name} row {row.row}:"
    if row.assignment and row.assignment != assignment:
        return f"{where} it is for the assignment {row.assignment!r}, not {assignment}."
    if row.learner not in saved:
        return f"{where} there is no graded notebook from a learner called {row.learner!r} for {assignment}."
    waiting = {check.question: check for check in saved[row.learner][0].checks if check.waiting}
    if row.question not in waiting:
        known = ", ".join(sorted(waiting)) or "none"
        return (f"{where} {row.learner} has no written answer {row.question!r} waiting for a mark "
                f"(their written questions: {known}).")
    if (row.learner, row.question) in seen:
        return f"{where} it marks {row.learner}'s {row.question} again (row {seen[(row.learner, row.question)]}); keep one row."
    if not row.mark:
        return None
    mark = _number(row.mark)
    points = waiting[row.question].max_score
    if mark is None:
        return f"{where} the mark for {row.learner}'s {row.question} is {row.mark!r}, which is not a number."
    if not 0 <= mark <= points:
        return (f"{where} the mark for {row.learner}'s {row.question} is {row.mark}, but it must be "
                f"from 0 to {format_points(points)} (the points that question is worth).")
    return None


def _number(text: str) -> float | None:
    """A mark as typed: ``1``, ``0.5``, or ``0,5`` as spreadsheets write it in many countries."""
    cleaned = text.strip()
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _write(out_dir: Path, saved: dict, new_marks: dict) -> MarksApplied:
    applied = MarksApplied(grades_path=out_dir / GRADES_FILE, feedback_dir=out_dir / FEEDBACK_DIR)
    grades = {(r["assignment"], r["learner"]): r for r in read_grades(out_dir / GRADES_FILE)}
    for learner in sorted(saved):
        autograded, marks = saved[learner]
        result = settle(autograded, new_marks[learner])
        applied.marked += sum(1 for check in result.checks if check.outcome == MARKED)
        applied.waiting += sum(1 for check in result.checks if check.waiting)
        if new_marks[learner] == marks and grades.get((autograded.assignment, learner)) == result.row():
            continue
        if new_marks[learner] != marks:
            save_result(out_dir, autograded, new_marks[learner])
        write_atomically(out_dir / FEEDBACK_DIR / f"{learner}.html", result.feedback_html)
        grades[(autograded.assignment, learner)] = result.row()
        applied.updated.append(learner)
    if applied.updated:
        write_atomically(out_dir / GRADES_FILE, render_grades(list(grades.values())))
    return applied
