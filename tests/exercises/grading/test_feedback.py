"""Feedback shows each check's outcome and message, and never a hidden test's code."""
from __future__ import annotations

import nbformat
import pytest

from exercises.grading.feedback import check_title, render_feedback
from exercises.grading.results import CheckResult
from exercises.grading.worker import Expected, _check_results, _message

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


def check_results(notebook, expected=(Expected("q1-check", 2.0, manual=False),), recorded=None, label=""):
    return tuple(_check_results(notebook, list(expected), recorded or {"q1-check": (0.0, False)}, label))


def test_check_results_keep_the_message_and_drop_the_traceback():
    (check,) = check_results(failed_check())
    assert (check.outcome, check.score, check.max_score) == ("not yet", 0.0, 2.0)
    assert check.message == "Think about who benefits first."
    assert MARKER not in repr(check)


def test_feedback_page_never_contains_hidden_test_code():
    checks = check_results(failed_check())
    html = render_feedback("amal", "m03-wiki", 0, 2, "", checks)
    assert "Think about who benefits first." in html
    assert MARKER not in html and "assert answer" not in html


def test_check_results_follow_the_master_notebook_and_nbgraders_record():
    """A deleted check scores 0 and says so; a task always waits for the trainer; an
    answer nbgrader found unchanged scores 0 and says it was not answered."""
    expected = [Expected("q1-check", 2.0, manual=False), Expected("gone-check", 1.0, manual=False),
                Expected("essay", 2.0, manual=True), Expected("task-1", 4.0, manual=True, task=True)]
    notebook = failed_check()
    essay = nbformat.v4.new_markdown_cell("YOUR ANSWER HERE")
    essay.metadata.nbgrader = {"grade": True, "solution": True, "locked": False, "grade_id": "essay", "points": 2}
    task = nbformat.v4.new_markdown_cell("Part E")
    task.metadata.nbgrader = {"task": True, "grade": False, "solution": False, "locked": True, "grade_id": "task-1",
                              "points": 4}
    notebook.cells += [essay, task]
    recorded = {"q1-check": (0.0, False), "gone-check": (0.0, True), "essay": (0.0, False), "task-1": (0.0, True)}
    checks = check_results(notebook, expected, recorded, label="problem1")
    assert [(c.question, c.score, c.outcome) for c in checks] == [
        ("problem1/q1-check", 0.0, "not yet"), ("problem1/gone-check", 0.0, "not run"),
        ("problem1/essay", 0.0, "not yet"), ("problem1/task-1", None, "to be marked")]
    assert "deleted" in checks[1].message and "No answer" in checks[2].message
    assert checks[3].waiting and "task" in checks[3].answer.lower()


def test_feedback_of_several_notebooks_has_a_section_for_each():
    checks = (CheckResult("q1", "auto", 1, 1, "passed", notebook="problem1"),
              CheckResult("q2", "auto", 0, 2, "not yet", notebook="problem1"),
              CheckResult("part-a", "manual", None, 1, "to be marked", notebook="problem2"))
    html = render_feedback("amal", "ps1", 1, 4, "", checks)
    assert "problem1.ipynb: 1 of 3 points" in html and "problem2.ipynb: 0 of 1 points" in html
    assert html.index("problem1.ipynb") < html.index("Q2") < html.index("problem2.ipynb") < html.index("Part a")


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
        CheckResult("part-a", "manual", None, 1, "to be marked", notebook="problem2"),
    )
    path = tmp_path / "amal.html"
    path.write_text(render_feedback("amal", "m03-wiki", 2, 7, "1 point(s) wait for your trainer.", checks),
                    encoding="utf-8")
    page.goto(path.as_uri())
    assert page.get_by_role("heading", level=1).inner_text() == "Feedback on m03-wiki"
    assert page.get_by_role("heading", name="Q2 check").is_visible()
    assert_accessible(page, "feedback page")
    assert page.external_requests == []
