"""The sandbox's way into the grading pipeline (``sandbox.services.grading``) with an
assignment of two notebooks: nbgrader's own example course (``ps1``: problem1, problem2)."""
from __future__ import annotations

import json

import nbformat
import pytest

from sandbox.services import grading as adapter
from tests.exercises.grading import quickstart

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return quickstart.make_course(tmp_path_factory.mktemp("quickstart"))


def test_a_hand_in_is_graded_as_the_notebook_whose_cells_it_carries(course):
    problem2 = nbformat.writes(quickstart.answered(course, "problem2")).encode()
    problem1 = nbformat.writes(quickstart.answered(course, "problem1")).encode()
    assert adapter.notebook_file_name("ps1", problem2, course) == "problem2.ipynb"
    assert adapter.notebook_file_name("ps1", problem1, course) == "problem1.ipynb"
    assert adapter.identify(json.loads(problem2), course) == "ps1"
    # Both notebooks' written answers are listed for the trainer (not only the first's).
    assert {"part-a", "part-b", "sum_of_squares_equation"} <= {q.grade_id for q in adapter.written_questions("ps1", course)}
    graded = adapter.grade_batch("ps1", [(7, problem1)], course=course)[7]
    result = json.loads(graded.result_json)
    by_id = {check["grade_id"]: check for check in result["checks"]}
    assert graded.ok and "problem2.ipynb was not handed in" in result["reason"]
    assert {"correct_squares", "part-a"} <= set(by_id)  # both notebooks' questions are in the one result
