"""Build learners' notebooks from the fixture assignment, as a learner would hand them in."""
from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat

FIXTURE_COURSE = Path(__file__).parent / "fixtures" / "course"
ASSIGNMENT = "fixture-basics"
SOURCE = FIXTURE_COURSE / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
HIDDEN_MARKER = "HIDDEN-TEST-MARKER"

CORRECT = {
    "q1-answer": "answer_q1 = 'B'",
    "q2-answer": "def count_replies(posts):\n    return sum(1 for post in posts if post.get('reply_to'))",
    "reflection": "I would invite the facilities team first: they answer most questions.",
}
HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", re.DOTALL)
SOLUTION = re.compile(r"### BEGIN SOLUTION.*?### END SOLUTION", re.DOTALL)


def released_notebook():
    """What a learner receives: solutions replaced, hidden tests removed."""
    notebook = nbformat.read(SOURCE, as_version=4)
    for cell in notebook.cells:
        cell.source = HIDDEN.sub("", cell.source)
        cell.source = SOLUTION.sub("# YOUR CODE HERE\nraise NotImplementedError()", cell.source)
    return notebook


def cell(notebook, grade_id):
    return next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def answered(answers: dict[str, str] | None = None, before_answers: str | None = None):
    """A released notebook with ``answers`` (grade_id: source) filled in."""
    notebook = released_notebook()
    for grade_id, source in {**CORRECT, **(answers or {})}.items():
        cell(notebook, grade_id).source = source
    if before_answers is not None:
        index = notebook.cells.index(cell(notebook, "q1-answer"))
        notebook.cells.insert(index, nbformat.v4.new_code_cell(before_answers))
    return copy.deepcopy(notebook)


def write(notebook, path: Path) -> Path:
    nbformat.write(notebook, path)
    return path
