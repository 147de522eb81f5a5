"""The "Hand in a notebook" page, one test per state a learner can see.

The graded state shows a result made by the real grading pipeline (graded once for
the module), stored the way a grader stores it.
"""
from __future__ import annotations

import nbformat
import pytest

from sandbox.services import grading as adapter
from sandbox.services import grading_jobs, workshops
from sandbox.store import read_session, write_session
from sandbox.store.models import GradingJob, HandIn
from tests.exercises.grading.crafting import FIXTURE_COURSE, answered

from ui_helpers import button, texts

ASSIGNMENT = "fixture-basics"
WRONG_Q1 = {"q1-answer": "answer_q1 = 'C'"}


@pytest.fixture(autouse=True)
def fixture_course(monkeypatch):
    monkeypatch.setenv("INSIDEOUT_COURSE_DIR", str(FIXTURE_COURSE))


@pytest.fixture(scope="module")
def real_result():
    """What the pipeline found for a notebook with question 1 wrong (about 20 s, once)."""
    notebook = nbformat.writes(answered(WRONG_Q1)).encode()
    graded = adapter.grade_batch(ASSIGNMENT, [(1, notebook)], course=FIXTURE_COURSE)[1]
    assert graded.ok, graded.problem
    return graded


def notebook_bytes(answers=None) -> bytes:
    return nbformat.writes(answered(answers)).encode()


@pytest.fixture()
def as_anna(open_app, learner_sign_in):
    def open_():
        return open_app(token=learner_sign_in.session_token, page="hand_in")
    return open_


def hand_in_through_page(at, data: bytes | None, name="fixture-basics.ipynb"):
    if data is not None:
        at.file_uploader[0].upload(name, data, "application/x-ipynb+json")
    button(at, "Hand in").click().run()
    assert not at.exception
    return at


def job(engine) -> GradingJob:
    with read_session(engine) as session:
        return session.query(GradingJob).one()


def test_before_handing_in_the_page_offers_the_assignments_and_a_file_picker(as_anna):
    at = as_anna()
    assert not at.exception
    assert at.selectbox[0].options == [f"{ASSIGNMENT}: Fixture: basics"]  # the id and the notebook's title
    assert at.file_uploader[0].label.startswith("Your notebook")
    assert "You have not handed in fixture-basics yet." in texts(at)


def test_handing_in_keeps_the_file_and_shows_it_waiting(as_anna, app_db, learner):
    at = hand_in_through_page(as_anna(), notebook_bytes())
    shown = texts(at)
    assert "your notebook is handed in and kept" in shown
    assert "waiting to be graded" in shown and "This page updates by itself" in shown
    with read_session(app_db) as session:
        row = session.query(HandIn).one()
    assert row.member_id == learner.id and row.notebook == notebook_bytes()
    assert job(app_db).state == "queued"
    # The page only queued it: nothing was graded in the page's run.
    assert job(app_db).attempts == 0


@pytest.mark.parametrize(("data", "reason"), [
    (b"%PDF-1.4 not a notebook", "is not a Jupyter notebook"),
    (None, "Choose your notebook file first."),
])
def test_a_bad_file_gets_one_reason_and_nothing_is_stored(as_anna, app_db, data, reason):
    at = hand_in_through_page(as_anna(), data, name="answers.ipynb")
    assert [e.value for e in at.error] == [next(e.value for e in at.error if reason in e.value)]
    with read_session(app_db) as session:
        assert session.query(HandIn).count() == 0


def test_a_refused_second_file_keeps_the_first_hand_in(as_anna, app_db):
    at = hand_in_through_page(as_anna(), notebook_bytes())
    at = hand_in_through_page(at, notebook_bytes())  # at once: too soon
    assert any("Please wait" in e.value for e in at.error)
    with read_session(app_db) as session:
        assert session.query(HandIn).count() == 1
    assert "waiting to be graded" in texts(at)


def test_while_a_grader_works_on_it_the_page_says_so(as_anna, app_db):
    at = hand_in_through_page(as_anna(), notebook_bytes())
    with write_session(app_db) as session:
        grading_jobs.claim(session, "grader-test", now=job(app_db).queued_at)
    at.run()
    assert "being graded now" in texts(at)


def test_a_graded_hand_in_shows_the_score_and_each_questions_feedback(as_anna, app_db, real_result):
    at = hand_in_through_page(as_anna(), notebook_bytes(WRONG_Q1))
    with write_session(app_db) as session:
        claimed = grading_jobs.claim(session, "grader-test", now=job(app_db).queued_at)[0]
        grading_jobs.finish(session, "grader-test", claimed.id, now=job(app_db).queued_at,
                            score=real_result.score, max_score=real_result.max_score,
                            result_json=real_result.result_json)
    at.run()
    assert not at.exception
    shown = texts(at)
    assert "Score: 3 of 6 points. 1 point(s) wait for a mark." in shown
    assert "**Q1 check** · Not yet · 0 of 2 points" in shown
    assert "Not quite: think about who benefits first." in shown  # a hidden test's message...
    assert "HIDDEN-TEST-MARKER" not in shown and "assert answer_q1" not in shown  # ...never its code
    assert "**Q2 check** · Passed · 3 of 3 points" in shown
    assert "**Reflection** · Waiting for your trainer to mark it · 1 point" in shown


def test_a_hand_in_that_could_not_be_graded_says_why(as_anna, app_db):
    at = hand_in_through_page(as_anna(), notebook_bytes())
    with write_session(app_db) as session:
        claimed = grading_jobs.claim(session, "grader-test", now=job(app_db).queued_at)[0]
        grading_jobs.fail(session, "grader-test", claimed.id, now=job(app_db).queued_at,
                          problem="This assignment could not be graded: the master is missing.")
    at.run()
    assert any("could not be graded: the master is missing" in e.value for e in at.error)


def test_the_trainer_is_sent_to_the_gradebook(open_app, app_db, workshop, clock):
    with write_session(app_db) as session:
        token = workshops.trainer_sign_in(session, workshop.workshop.code, workshop.trainer_key,
                                          now=clock.now).session_token
    at = open_app(token=token, page="hand_in")
    assert not at.exception
    assert "Gradebook" in texts(at) and not at.file_uploader


def test_a_self_study_learner_marks_their_written_answer_and_gets_a_certificate(open_app, app_db, clock):
    from sandbox.services import workshops as workshop_service
    from tests.sandbox.hand_in_support import graded_hand_in

    with write_session(app_db) as session:
        created = workshop_service.create_workshop(session, "On my own", mode="self-study", now=clock.now)
        joined = workshop_service.join(session, created.workshop.code, "Dana Cole", "Estates",
                                       accept_policy=True, client_key="t", now=clock.now)
    hand_in_id = graded_hand_in(app_db, joined.member, clock.now)
    at = open_app(token=joined.session_token, page="hand_in")
    assert not at.exception
    shown = texts(at)
    assert "**Reflection** · Waiting for you to mark it · 1 point" in shown
    assert "Check your written answers" in shown and "Not yet: not finished yet" in shown
    at.number_input(key=f"w_self_mark_{hand_in_id}_reflection").set_value(1.0)
    button(at, "Save my mark for Reflection").click().run()
    assert not at.exception
    shown = texts(at)
    assert "Your mark is saved." in shown and "**Reflection** · Marked by yourself · 1 of 1 point" in shown
    assert "Score: 6 of 6 points." in shown
    assert [b.proto.label for b in at.get("download_button")] == ["Download my certificate (PDF)"]


def test_an_assignment_of_several_notebooks_is_handed_in_at_once_and_shown_per_notebook(
        as_anna, app_db, monkeypatch, tmp_path_factory):
    from tests.exercises.grading import quickstart

    course = quickstart.make_course(tmp_path_factory.mktemp("quickstart"))
    monkeypatch.setenv(adapter.COURSE_DIR_ENV, str(course))
    notebooks = {name: nbformat.writes(quickstart.answered(course, name)).encode() for name in quickstart.NOTEBOOKS}
    at = as_anna()
    assert at.file_uploader[0].label.startswith("Your notebooks")  # ps1 has two: the picker says so
    for name, data in notebooks.items():
        at.file_uploader[0].upload(f"{name}.ipynb", data, "application/x-ipynb+json")
    button(at, "Hand in").click().run()
    assert not at.exception
    assert "your notebooks are handed in and kept" in texts(at)
    with read_session(app_db) as session:
        row = session.query(HandIn).one()
    assert [name for name, _ in adapter.unpack_notebooks(row.notebook)] == ["problem1.ipynb", "problem2.ipynb"]
    graded = adapter.grade_batch("ps1", [(row.id, row.notebook)], course=course)[row.id]
    with write_session(app_db) as session:
        (claimed,) = grading_jobs.claim(session, "grader-test", now=job(app_db).queued_at, limit=5)
        grading_jobs.finish(session, "grader-test", claimed.id, now=job(app_db).queued_at, score=graded.score,
                            max_score=graded.max_score, result_json=graded.result_json)
    shown = texts(as_anna())
    assert "problem1.ipynb:" in shown and "problem2.ipynb:" in shown, shown
    assert "was not handed in" not in shown
