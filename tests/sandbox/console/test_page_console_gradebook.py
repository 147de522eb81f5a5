"""The trainer's Gradebook page: the table, a learner's feedback, marking, deadlines, downloads."""
from __future__ import annotations

import pytest

from sandbox.services import hand_ins
from sandbox.store import read_session
from tests.exercises.grading.crafting import FIXTURE_COURSE
from tests.sandbox.hand_in_support import ASSIGNMENT, WRONG_Q1, graded_hand_in

from console_helpers import button
from console_helpers import texts as page_texts


def texts(at) -> str:
    """The page's text and its HTML (the learner-by-assignment table is drawn as HTML)."""
    return "\n".join([page_texts(at), *(str(element.proto.body) for element in at.get("html"))])

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def fixture_course(monkeypatch):
    monkeypatch.setenv("INSIDEOUT_COURSE_DIR", str(FIXTURE_COURSE))


def test_an_empty_gradebook_says_so(as_trainer, learner):
    at = as_trainer("console_gradebook")
    assert not at.exception
    assert "Nobody has handed in a notebook yet." in texts(at)


def test_the_trainer_sees_the_table_and_marks_a_written_answer(as_trainer, app_db, learner, colleague, clock):
    hand_in_id = graded_hand_in(app_db, learner, clock.now, WRONG_Q1)
    at = as_trainer("console_gradebook")
    assert not at.exception
    shown = texts(at)
    assert "2 learners; 1 assignment hand-ins counted; 1 wait for your mark." in shown
    assert "3 of 6, 1 to mark, 1 hand-in" in shown
    at.selectbox(key="w_gb_learner").set_value(learner.id).run()
    shown = texts(at)
    assert "Not quite: think about who benefits first." in shown
    assert "I would invite the facilities team first" in shown  # the written answer, to mark
    at.number_input(key=f"w_gb_mark_{hand_in_id}_reflection").set_value(1.0)
    at.text_area(key=f"w_gb_comment_{hand_in_id}_reflection").input("A good first choice.")
    button(at, "Save the mark for Reflection").click().run()
    assert not at.exception
    assert "Mark saved" in texts(at)
    with read_session(app_db) as session:
        view = hand_ins.get_hand_in(session, learner, hand_in_id)
    assert view.score == 4.0 and view.points_to_mark == 0
    assert "4 of 6, 1 hand-in" in texts(at)


def test_the_trainer_sets_a_deadline(as_trainer, app_db, learner, clock):
    at = as_trainer("console_gradebook")
    at.selectbox(key="w_gb_deadline_assignment").set_value(ASSIGNMENT)
    button(at, "Save the deadline").click().run()
    assert not at.exception
    assert "Deadline saved." in texts(at) and f"{ASSIGNMENT}: " in texts(at)


def test_the_downloads_are_offered_and_certificates_follow_the_marks(as_trainer, app_db, learner, clock):
    hand_in_id = graded_hand_in(app_db, learner, clock.now)
    at = as_trainer("console_gradebook")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download grades.csv", "Download Moodle CSV", "Download Canvas CSV"]
    button(at, "Make the certificates").click().run()
    assert "No certificates yet." in texts(at) and "Anna Smith: not finished yet" in texts(at)
    at.selectbox(key="w_gb_learner").set_value(learner.id).run()
    at.number_input(key=f"w_gb_mark_{hand_in_id}_reflection").set_value(1.0)
    button(at, "Save the mark for Reflection").click().run()
    button(at, "Make the certificates").click().run()
    assert not at.exception
    assert "1 certificate(s) made: Anna Smith." in texts(at)
    assert "Download the certificates (a ZIP of PDFs)" in [b.proto.label for b in at.get("download_button")]
