"""nbgrader's own example course (``nbgrader quickstart``, assignment ps1 of two
notebooks) and learners' submissions to it, made in a temporary folder: nbgrader ships
the course, so nothing is downloaded.
"""
from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat

BIN = Path(sys.executable).parent
ASSIGNMENT = "ps1"
NOTEBOOKS = ("problem1", "problem2")
CELL_TIMEOUT = 5  # Execute.timeout for both graders: the infinite loop costs this much
SOLUTION_MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)


FAILED_STUDENT = re.compile(r"There was an error processing assignment '[^']*' for student '([^']*)'")


def nbgrader(*arguments: str, cwd: Path, timeout: float = 1800,
             failing_learners: frozenset[str] = frozenset()) -> subprocess.CompletedProcess:
    """Run nbgrader's own command line, with this environment's tools on PATH.

    ``nbgrader autograde`` exits with an error when it could not grade a learner; the
    run counts as a success when exactly ``failing_learners`` failed."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run([str(BIN / "nbgrader"), *arguments], cwd=cwd, capture_output=True, text=True,
                            timeout=timeout, env=env)
    failed = set(FAILED_STUDENT.findall(result.stderr + result.stdout))
    ok = result.returncode == 0 if not failing_learners else failed == set(failing_learners)
    assert ok, f"nbgrader {arguments[0]} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result


def make_course(folder: Path, cell_timeout: int = CELL_TIMEOUT) -> Path:
    """``nbgrader quickstart course101`` in ``folder``, its per-cell timeout set to
    ``cell_timeout``, and ps1 released (``generate_assignment``). Returns the course root."""
    nbgrader("quickstart", "course101", cwd=folder)
    root = folder / "course101"
    with (root / "nbgrader_config.py").open("a", encoding="utf-8") as config:
        config.write(f"\nc.Execute.timeout = {cell_timeout}\n")
    nbgrader("generate_assignment", ASSIGNMENT, "--force", cwd=root)
    return root


def released(root: Path, notebook: str):
    return nbformat.read(root / "release" / ASSIGNMENT / f"{notebook}.ipynb", as_version=4)


def master(root: Path, notebook: str):
    return nbformat.read(root / "source" / ASSIGNMENT / f"{notebook}.ipynb", as_version=4)


def cell(notebook, grade_id: str):
    return next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def answered(root: Path, notebook: str, answers: dict[str, str] | None = None):
    """The released notebook with the master's answers (markers removed), then ``answers``."""
    learner = released(root, notebook)
    solutions = master(root, notebook)
    for source_cell in solutions.cells:
        meta = source_cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell(learner, meta["grade_id"]).source = SOLUTION_MARKERS.sub("", source_cell.source)
    for grade_id, source in (answers or {}).items():
        cell(learner, grade_id).source = source
    return copy.deepcopy(learner)


def insert_before(notebook, grade_id: str, source: str):
    """A new code cell before the cell ``grade_id``, as a learner would add it."""
    new = nbformat.v4.new_code_cell(source)
    if notebook.nbformat_minor < 5:
        del new["id"]  # cell ids arrived in nbformat 4.5; the course's notebooks are older
    notebook.cells.insert(notebook.cells.index(cell(notebook, grade_id)), new)
    return notebook


def submissions(root: Path) -> dict[str, dict[str, object]]:
    """``learner: {notebook: notebook node, or str for raw file text, or None for not handed in}``:
    one learner for each thing that goes wrong in real classes."""
    def both(problem1=None, problem2=None):
        return {"problem1": problem1 if problem1 is not None else answered(root, "problem1"),
                "problem2": problem2 if problem2 is not None else answered(root, "problem2")}

    wrong_sum = "def sum_of_squares(n):\n    return 0"
    tampered = answered(root, "problem1", {"squares": "def squares(n):\n    return []"})
    cell(tampered, "correct_squares").source = "pass"
    deleted = answered(root, "problem1")
    deleted.cells.remove(cell(deleted, "squares_invalid_input"))
    reordered = answered(root, "problem1")
    first, second = cell(reordered, "correct_sum_of_squares"), cell(reordered, "sum_of_squares_uses_squares")
    i, j = reordered.cells.index(first), reordered.cells.index(second)
    reordered.cells[i], reordered.cells[j] = second, first
    return {
        "correct": both(),
        "blank": {"problem1": released(root, "problem1"), "problem2": released(root, "problem2")},
        "partial": both(answered(root, "problem1", {"sum_of_squares": wrong_sum})),
        "raises": both(answered(root, "problem1", {"squares": "raise RuntimeError('not today')"})),
        "syntax-error": both(answered(root, "problem1", {"squares": "def squares(n)\n    return [n]"})),
        "infinite-loop": both(insert_before(answered(root, "problem1"), "correct_squares", "while True:\n    pass")),
        "tampered-tests": both(tampered),
        "deleted-cells": both(deleted),
        "reordered-cells": both(reordered),
        "unicode": both(
            answered(root, "problem1", {"sum_of_squares_equation": "$\\sum_{i=1}^n i^2$ — ça marche ✓ 平方和"}),
            answered(root, "problem2", {"part-a": "Fibonacci, récursivement 🐇: f(x) = f(x−1) + f(x−2)."})),
        "huge-output": both(insert_before(answered(root, "problem1"), "correct_squares", "print('x' * 3_000_000)")),
        "invalid-json": both(problem2='{"cells": ['),
        "one-notebook-missing": {"problem1": answered(root, "problem1"), "problem2": None},
    }


def write_submissions(root: Path, learners: dict[str, dict[str, object]]) -> Path:
    """nbgrader's layout: ``submitted/<learner>/ps1/<notebook>.ipynb``."""
    submitted = root / "submitted"
    for learner, notebooks in learners.items():
        folder = submitted / learner / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        for name, notebook in notebooks.items():
            if notebook is None:
                continue
            path = folder / f"{name}.ipynb"
            if isinstance(notebook, str):
                path.write_text(notebook, encoding="utf-8")
            else:
                nbformat.write(notebook, path)
    return submitted


def nbgrader_scores(root: Path) -> dict[str, dict[str, float]]:
    """What ``nbgrader autograde`` recorded: ``learner: {"total", "max", <notebook>: score}``."""
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        assignment = gradebook.find_assignment(ASSIGNMENT)
        for submission in assignment.submissions:
            row = {"total": submission.score, "max": submission.max_score}
            for notebook in submission.notebooks:
                row[notebook.name] = notebook.score
            scores[submission.student.id] = row
    return scores
