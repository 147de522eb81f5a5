"""Releasing assignments with nbgrader in a throwaway copy of the course."""
from __future__ import annotations

import pytest

from exercises.errors import ExercisesError
from exercises.release_tools import (
    ASSIGNMENTS, ReleaseError, available_assignments, copy_course, failure_reason,
    generate_release,
)


def test_available_assignments_follow_course_order():
    assert available_assignments() == list(ASSIGNMENTS)


def test_course_copy_holds_config_and_masters_only(tmp_path):
    course = copy_course(tmp_path / "course")
    assert sorted(p.name for p in course.iterdir()) == ["nbgrader_config.py", "source"]
    assert sorted(p.name for p in (course / "source").iterdir()) == sorted(ASSIGNMENTS)


def test_failure_reason_prefers_the_exception_over_nbgrader_boilerplate():
    log = (
        "[GenerateAssignmentApp | ERROR] There was an error processing assignment: x\n"
        "    nbformat.reader.NotJSONError: Notebook does not appear to be JSON: '{'\n"
        "[GenerateAssignmentApp | ERROR] Please see the the above traceback for details\n"
    )
    assert failure_reason(log) == "nbformat.reader.NotJSONError: Notebook does not appear to be JSON: '{'"
    assert failure_reason("[App | ERROR] No such assignment\n") == "[App | ERROR] No such assignment"
    assert "no reason given" in failure_reason("")


@pytest.mark.slow
def test_a_broken_master_gives_one_clear_line(tmp_path):
    course = copy_course(tmp_path / "course")
    (course / "source" / "m01-inside-out" / "m01-inside-out.ipynb").write_text("{not a notebook")
    with pytest.raises(ReleaseError) as caught:
        generate_release(course, ["m01-inside-out"])
    message = str(caught.value)
    assert isinstance(caught.value, ExercisesError)
    assert "\n" not in message
    assert message.startswith("nbgrader generate_assignment failed: ") and "NotJSONError" in message
