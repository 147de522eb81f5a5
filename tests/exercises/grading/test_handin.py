"""``grade_submission``: one learner's hand-in graded by the class pipeline, as a library call."""
from __future__ import annotations

import pytest

from exercises.grading import grade_submission
from exercises.grading.handin import HandInError
from tests.exercises.grading.crafting import ASSIGNMENT, FIXTURE_COURSE, answered, write

pytestmark = pytest.mark.slow


def test_one_hand_in_gives_score_feedback_and_answers_to_mark(tmp_path):
    notebook = write(answered({"q1-answer": "answer_q1 = 'A'"}), tmp_path / "My work (final).ipynb")
    result = grade_submission(ASSIGNMENT, [notebook], "Amal Haddad", tmp_path / "out", course_root=FIXTURE_COURSE)
    assert (result.learner, result.score, result.max_score, result.status) == ("Amal-Haddad", 3.0, 6.0, "graded")
    assert [c.grade_id for c in result.to_mark] == ["reflection"]
    assert "Not quite: think about who benefits first." in result.feedback_html
    assert (tmp_path / "out" / "feedback" / "Amal-Haddad.html").is_file()
    assert "Amal-Haddad,fixture-basics,3,6" in (tmp_path / "out" / "grades.csv").read_text(encoding="utf-8")


def test_nothing_to_grade_is_a_clear_error(tmp_path):
    with pytest.raises(HandInError, match="There is nothing at"):
        grade_submission(ASSIGNMENT, [tmp_path / "gone.ipynb"], "amal", tmp_path / "out", course_root=FIXTURE_COURSE)
    (tmp_path / "empty").mkdir()
    with pytest.raises(HandInError, match="No notebook"):
        grade_submission(ASSIGNMENT, tmp_path / "empty", "amal", tmp_path / "out", course_root=FIXTURE_COURSE)
