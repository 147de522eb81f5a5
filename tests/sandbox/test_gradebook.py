"""The gradebook service: learner by assignment, marks, deadlines, LMS exports, certificates."""
from __future__ import annotations

import csv
import io
import zipfile

import pytest
from pypdf import PdfReader

from sandbox.services import gradebook, hand_ins, workshops
from sandbox.services.errors import InvalidInput, NotAllowed
from sandbox.store import read_session, write_session
from tests.exercises.grading.crafting import FIXTURE_COURSE
from tests.sandbox.hand_in_support import ASSIGNMENT, WRONG_Q1, graded_hand_in

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def fixture_course(monkeypatch):
    monkeypatch.setenv("INSIDEOUT_COURSE_DIR", str(FIXTURE_COURSE))


def book(engine, trainer):
    with read_session(engine) as session:
        return gradebook.gradebook(session, trainer)


def rows(text):
    return list(csv.reader(io.StringIO(text)))


def test_the_gradebook_shows_each_learners_latest_hand_in(fresh_db, trainer, learner, colleague, clock):
    graded_hand_in(fresh_db, learner, clock.now, WRONG_Q1)
    clock.advance(60)
    graded_hand_in(fresh_db, learner, clock.now)
    current = book(fresh_db, trainer)
    assert [m.display_name for m in current.learners] == ["Anna Smith", "Ben Jones"]
    cell = current.cell(learner, ASSIGNMENT)
    assert (cell.latest.score, cell.hand_ins, cell.status) == (5.0, 2, "to mark")
    assert cell.text == "5 of 6, 1 to mark, 2 hand-ins"
    assert current.cell(colleague, ASSIGNMENT).text == "-"


def test_a_trainers_mark_counts_and_is_bounded(fresh_db, trainer, learner, clock):
    hand_in_id = graded_hand_in(fresh_db, learner, clock.now)
    with write_session(fresh_db) as session:
        with pytest.raises(InvalidInput, match="between 0 and 1"):
            gradebook.mark_written_answer(session, trainer, hand_in_id, "reflection", 2, now=clock.now)
        with pytest.raises(InvalidInput, match="not a written answer"):
            gradebook.mark_written_answer(session, trainer, hand_in_id, "q1-check", 1, now=clock.now)
    with write_session(fresh_db) as session:
        gradebook.mark_written_answer(session, trainer, hand_in_id, "reflection", 1, "Good choice.", now=clock.now)
    with read_session(fresh_db) as session:
        view = hand_ins.get_hand_in(session, learner, hand_in_id)
    assert (view.score, view.points_to_mark) == (6.0, 0)
    reflection = next(c for c in view.checks if c.grade_id == "reflection")
    assert (reflection.outcome, reflection.comment, reflection.self_assessed) == ("marked", "Good choice.", False)
    assert book(fresh_db, trainer).cell(learner, ASSIGNMENT).status == "graded"


def test_in_a_live_workshop_learners_cannot_mark_their_own_or_make_a_certificate(fresh_db, learner, clock):
    hand_in_id = graded_hand_in(fresh_db, learner, clock.now)
    with write_session(fresh_db) as session, pytest.raises(NotAllowed):
        gradebook.mark_written_answer(session, learner, hand_in_id, "reflection", 1, now=clock.now)
    with read_session(fresh_db) as session, pytest.raises(NotAllowed):
        gradebook.my_certificate(session, learner)


def test_exports_have_the_documented_headers_and_scores(fresh_db, trainer, learner, colleague, clock):
    graded_hand_in(fresh_db, learner, clock.now, WRONG_Q1)
    current = book(fresh_db, trainer)
    grades = rows(gradebook.grades_csv(current))
    assert grades[0] == ["learner", "assignment", "score", "max_score", "status", "reason", "points_to_mark"]
    assert grades[1][:5] == [learner.handle, ASSIGNMENT, "3", "6", "graded"] and grades[1][6] == "1"
    moodle = rows(gradebook.moodle_csv(current))
    assert moodle[0] == ["Full name", "ID number", "Email address", ASSIGNMENT]
    assert moodle[1] == ["Anna Smith", learner.handle, "", "3"]
    assert moodle[2] == ["Ben Jones", colleague.handle, "", ""]  # blank: nothing to import
    canvas = rows(gradebook.canvas_csv(current))
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", ASSIGNMENT]
    assert canvas[1] == ["Anna Smith", "", learner.handle, learner.handle, "", "3"]


def test_deadlines_are_set_and_removed_by_the_trainer_only(fresh_db, trainer, learner, clock):
    with write_session(fresh_db) as session:
        gradebook.set_deadline(session, trainer, ASSIGNMENT, clock.now, now=clock.now)
        with pytest.raises(NotAllowed):
            gradebook.set_deadline(session, learner, ASSIGNMENT, None, now=clock.now)
    assert book(fresh_db, trainer).deadlines == {ASSIGNMENT: clock.now}
    with write_session(fresh_db) as session:
        gradebook.set_deadline(session, trainer, ASSIGNMENT, None, now=clock.now)
    assert book(fresh_db, trainer).deadlines == {ASSIGNMENT: None}


def test_certificates_come_from_the_gradebook(fresh_db, trainer, learner, colleague, clock):
    hand_in_id = graded_hand_in(fresh_db, learner, clock.now)
    made = gradebook.certificates(book(fresh_db, trainer))
    assert made.made == [] and "still to mark" in made.not_earned[learner.handle]
    with write_session(fresh_db) as session:
        gradebook.mark_written_answer(session, trainer, hand_in_id, "reflection", 1, now=clock.now)
    made = gradebook.certificates(book(fresh_db, trainer))
    assert made.made == [learner.handle] and colleague.handle in made.not_earned
    with zipfile.ZipFile(io.BytesIO(made.zip_bytes)) as bundle:
        (name,) = bundle.namelist()
        text = PdfReader(io.BytesIO(bundle.read(name))).pages[0].extract_text()
    assert "Anna Smith" in text and "Self-assessed" not in text


def test_a_self_study_learner_marks_their_own_answer_and_the_certificate_says_so(fresh_db, clock):
    with write_session(fresh_db) as session:
        created = workshops.create_workshop(session, "On my own", mode="self-study", now=clock.now)
        me = workshops.join(session, created.workshop.code, "Dana Cole", "Estates", accept_policy=True,
                            client_key="t", now=clock.now).member
    hand_in_id = graded_hand_in(fresh_db, me, clock.now)
    with write_session(fresh_db) as session:
        gradebook.mark_written_answer(session, me, hand_in_id, "reflection", 1, now=clock.now)
    with read_session(fresh_db) as session:
        view = hand_ins.get_hand_in(session, me, hand_in_id)
        parts = gradebook.self_assessed_parts(session, me, me.id)
    assert view.score == 6.0 and next(c for c in view.checks if c.grade_id == "reflection").self_assessed
    assert parts == [f"{ASSIGNMENT} Reflection"]
    with read_session(fresh_db) as session:
        made = gradebook.my_certificate(session, me)
    text = PdfReader(io.BytesIO(made.pdfs[me.handle])).pages[0].extract_text()
    assert "self-study" in text and "Self-assessed: fixture-basics Reflection" in text
