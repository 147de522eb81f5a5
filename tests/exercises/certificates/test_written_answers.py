"""Certificates wait while written answers wait for the trainer's mark, whatever the score."""
from __future__ import annotations

from fractions import Fraction

import pytest

from exercises.certificates.eligibility import decide
from exercises.certificates.gradebook import read_gradebook
from exercises.grading.marking import settle
from exercises.grading.results import GRADED, CheckResult, LearnerResult, render_grades, write_atomically
from tests.exercises.certificates.conftest import run_certificates


def autograded(learner: str, auto_score: float) -> LearnerResult:
    """m12 as the autograder leaves it: 8 points of checks, a 2-point reflection to mark."""
    checks = (CheckResult("q1-check", "auto", auto_score, 8.0, "passed" if auto_score == 8 else "not yet"),
              CheckResult("q3", "manual", None, 2.0, "to be marked", answer="A pilot in the library."))
    return LearnerResult(learner, "m12-pilot-plan", auto_score, 10.0, GRADED, "", checks=checks)


def write_grades(path, results: list[LearnerResult]):
    write_atomically(path, render_grades([result.row() for result in results]))
    return path


@pytest.mark.parametrize(("learner", "auto_score"), [("high", 8.0), ("low", 4.0)])
def test_waiting_marks_mean_not_finished_yet_for_high_and_low_scores(tmp_path, learner, auto_score):
    grades = read_gradebook([write_grades(tmp_path / "grades.csv", [settle(autograded(learner, auto_score), {})])])
    [result] = decide(grades, Fraction(3, 5))
    assert not result.earned
    assert result.reason == "not finished yet: m12-pilot-plan has written answers still to mark (2 point(s))."


def test_once_marked_the_score_counts_as_usual(tmp_path):
    marked = settle(autograded("ana", 4.0), {"q3": {"mark": 2.0, "comment": "Clear plan."}})
    grades = read_gradebook([write_grades(tmp_path / "grades.csv", [marked])])
    [result] = decide(grades, Fraction(3, 5))
    assert result.earned and result.score == 6


def test_grades_files_without_the_column_are_read_as_before(tmp_path):
    path = tmp_path / "grades.csv"
    path.write_text("learner,assignment,score,max_score,status,reason\nana,m01,8,10,graded,\n", encoding="utf-8")
    [grade] = read_gradebook([path])
    assert grade.points_to_mark is None and not grade.waits_for_marking
    assert decide([grade], Fraction(3, 5))[0].earned


def test_the_command_says_which_notebook_waits_for_marking(tmp_path):
    grades = write_grades(tmp_path / "grades.csv", [
        settle(autograded("ana", 8.0), {"q3": {"mark": 1.0, "comment": ""}}),
        settle(autograded("ben", 8.0), {}),
    ])
    result = run_certificates("--grades", grades, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "Certificate made for ana: 90% overall" in result.stdout
    assert ("No certificate for ben: not finished yet: m12-pilot-plan has written answers still to mark "
            "(2 point(s)).") in result.stdout
    assert not (tmp_path / "out" / "ben.pdf").exists()
