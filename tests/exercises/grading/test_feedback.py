"""Feedback shows each check's outcome and message, and never a hidden test's code."""
from __future__ import annotations

import nbformat
import pytest

from exercises.grading.feedback import check_title, render_feedback
from exercises.grading.results import CheckResult
from exercises.grading.worker import _check_results, _message

MARKER = "HIDDEN-TEST-MARKER-unit"


def failed_check():
    cell = nbformat.v4.new_code_cell(f"# {MARKER}\nassert answer == 'B', 'Think about who benefits first.'")
    cell.metadata.nbgrader = {"grade": True, "solution": False, "locked": True, "grade_id": "q1-check",
                              "points": 2, "score": 0, "schema_version": 3}
    cell.execution_count = 4
    cell.outputs = [nbformat.v4.new_output(
        "error", ename="AssertionError", evalue="Think about who benefits first.",
        traceback=[f"----> 1 # {MARKER}", "      2 assert answer == 'B'", "AssertionError: Think about..."])]
    notebook = nbformat.v4.new_notebook(cells=[cell])
    return notebook


def test_check_results_keep_the_message_and_drop_the_traceback():
    (check,) = _check_results(failed_check(), set())
    assert (check.outcome, check.score, check.max_score) == ("not yet", 0.0, 2.0)
    assert check.message == "Think about who benefits first."
    assert MARKER not in repr(check)


def test_feedback_page_never_contains_hidden_test_code():
    checks = tuple(_check_results(failed_check(), set()))
    html = render_feedback("amal", "m03-wiki", 0, 2, "", checks)
    assert "Think about who benefits first." in html
    assert MARKER not in html and "assert answer" not in html


@pytest.mark.parametrize(("ename", "evalue", "expected"), [
    ("AssertionError", "", "A check did not pass (it gave no message)."),
    ("NameError", "name 'answer_q1' is not defined", "Something this check needs is missing"),
    ("CellTimeoutError", "", "This check ran out of time."),
    ("ValueError", "bad", "ValueError: bad"),
])
def test_message_is_plain(ename, evalue, expected):
    assert _message([{"ename": ename, "evalue": evalue, "traceback": ["secret"]}]).startswith(expected)


def test_feedback_escapes_learner_text():
    check = CheckResult("q1-check", "auto", 0, 1, "not yet", "<script>alert(1)</script>")
    html = render_feedback("amal", "m03-wiki", 0, 1, "", (check,))
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_check_title_reads_plainly():
    assert check_title("q1-check") == "Q1 check"


@pytest.mark.browser
def test_feedback_page_is_accessible(page, assert_accessible, tmp_path):
    checks = (
        CheckResult("q1-check", "auto", 2, 2, "passed"),
        CheckResult("q2-check", "auto", 0, 3, "not yet", "Count only the posts that reply to another post."),
        CheckResult("q3-check", "auto", 0, 1, "not run", "This check did not run because the notebook stopped."),
        CheckResult("reflection", "manual", None, 1, "to be marked"),
        CheckResult("pilot", "manual", 1, 2, "marked", comment="A clear plan; name who runs it."),
    )
    path = tmp_path / "amal.html"
    path.write_text(render_feedback("amal", "m03-wiki", 2, 7, "1 point(s) wait for your trainer.", checks),
                    encoding="utf-8")
    page.goto(path.as_uri())
    assert page.get_by_role("heading", level=1).inner_text() == "Feedback on m03-wiki"
    assert page.get_by_role("heading", name="Q2 check").is_visible()
    assert_accessible(page, "feedback page")
    assert page.external_requests == []
