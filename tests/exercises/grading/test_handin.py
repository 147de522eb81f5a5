"""``grade_submission``: one learner's hand-in graded by the class pipeline, as a library call."""
from __future__ import annotations

import shutil

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


def test_the_assignment_is_prepared_once_and_again_when_its_source_changes(tmp_path):
    from exercises.grading.handin import forget_prepared, prepared_assignment

    course = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, course, ignore=shutil.ignore_patterns("gradebook.db", "release"))
    notebook = write(answered(), tmp_path / "mine.ipynb")
    try:
        first = grade_submission(ASSIGNMENT, [notebook], "amal", tmp_path / "out1", course_root=course)
        prepared = prepared_assignment(course, ASSIGNMENT)
        assert prepared_assignment(course, ASSIGNMENT) is prepared  # kept: nothing changed
        source = course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        # The trainer changes the hidden test: 'A' is now the right answer to question 1.
        source.write_text(source.read_text(encoding="utf-8").replace("answer_q1 == 'B'", "answer_q1 == 'A'"),
                          encoding="utf-8")
        second = grade_submission(ASSIGNMENT, [notebook], "amal", tmp_path / "out2", course_root=course)
        assert prepared_assignment(course, ASSIGNMENT) is not prepared
    finally:
        forget_prepared()
    assert (first.score, second.score) == (5.0, 3.0)
    assert not prepared.db_path.parent.exists()  # forgotten: its scratch folder is gone


def test_prepared_folders_of_killed_graders_are_removed_and_no_others(tmp_path):
    import os
    import subprocess
    import sys

    from exercises.grading.handin import PREPARED_PREFIX, clean_stale_prepared

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(gone.stdout)  # it has exited: its folder is stale
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        stale = tmp_path / f"{PREPARED_PREFIX}{dead_pid}-abc"
        kept = [tmp_path / f"{PREPARED_PREFIX}{live.pid}-def", tmp_path / f"{PREPARED_PREFIX}{os.getpid()}-ghi",
                tmp_path / f"{PREPARED_PREFIX}jkl", tmp_path / "someone-elses-folder"]
        for folder in [stale, *kept]:
            (folder / "gradebook").mkdir(parents=True)
            (folder / "gradebook" / "gradebook.db").write_text("prepared")
        assert clean_stale_prepared(tmp_path) == [stale]
        assert not stale.exists()
        assert all(folder.is_dir() for folder in kept)
    finally:
        live.kill()
        live.wait()
