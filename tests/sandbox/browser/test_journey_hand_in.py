"""Hand in and get graded in a real browser, with a real grader process beside the server.

A learner hands in a notebook on the sandbox and sees the score and each question's
feedback appear without reloading; the trainer sees it in the gradebook, marks the
written answer and downloads the Moodle and Canvas files. axe-core runs on every new
page and state; nothing may be fetched from outside the machine.
"""
from __future__ import annotations

import csv
import io
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest

from sandbox.services import workshops
from sandbox.store import create_schema, make_engine, write_session
from sandbox_browser import click, go_to, hand_in_file, grading_sandbox, join, choose, sign_in_as_trainer, wait_for_app
from tests.exercises.grading.crafting import FIXTURE_COURSE, answered

pytestmark = [pytest.mark.browser, pytest.mark.slow]
GRADED_WITHIN_MS = 240_000


@pytest.fixture(scope="module")
def grading_server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("hand-in-data")
    engine = make_engine(f"sqlite:///{data_dir / 'sandbox.db'}")
    create_schema(engine)
    with write_session(engine) as session:
        created = workshops.create_workshop(session, "Northfield College: going inside-out",
                                            now=datetime.now(timezone.utc))
    try:
        with grading_sandbox(data_dir, engine, created.workshop.code, created.trainer_key,
                             extra_env={"INSIDEOUT_COURSE_DIR": str(FIXTURE_COURSE)}) as server:
            yield server
    finally:
        engine.dispose()


def test_hand_in_graded_then_marked_and_exported(page, browser, grading_server, assert_accessible, tmp_path):
    from tests.conftest import guarded_page

    notebook = tmp_path / "fixture-basics.ipynb"
    nbformat.write(answered({"q1-answer": "answer_q1 = 'C'"}), notebook)

    join(page, grading_server, "Dana Patel")
    go_to(page, "Hand in a notebook")
    assert_accessible(page, "hand-in page, nothing handed in")

    hand_in_file(page, notebook)
    wait_for_app(page)
    assert_accessible(page, "hand-in page, waiting to be graded")

    # No reload: the page polls while the grader works.
    page.get_by_text("Score: 3 of 6 points. 1 point(s) wait for a mark.").first.wait_for(timeout=GRADED_WITHIN_MS)
    page.get_by_text("Not quite: think about who benefits first.").first.wait_for()
    wait_for_app(page)
    assert "HIDDEN-TEST-MARKER" not in page.content()
    assert_accessible(page, "hand-in page, graded")

    context, trainer = guarded_page(browser)
    try:
        sign_in_as_trainer(trainer, grading_server)
        go_to(trainer, "Gradebook")
        trainer.get_by_text("3 of 6, 1 to mark, 1 hand-in").wait_for()
        assert_accessible(trainer, "gradebook")
        learner_box = trainer.get_by_role("combobox", name="Learner")
        choose(trainer, learner_box, "Dana Patel")
        wait_for_app(trainer)
        trainer.get_by_text("I would invite the facilities team first").first.wait_for()
        trainer.get_by_role("spinbutton", name="Mark for Reflection (0 to 1)").fill("1")
        trainer.get_by_role("textbox", name="Comment for the learner (optional)").fill("Good choice.")
        click(trainer, trainer.get_by_role("button", name="Save the mark for Reflection"))
        trainer.get_by_text("Mark saved: the learner sees it now.").wait_for()
        wait_for_app(trainer)
        trainer.get_by_text("4 of 6, 1 hand-in").wait_for()
        assert_accessible(trainer, "gradebook after marking")

        headers = {}
        for label in ("Download Moodle CSV", "Download Canvas CSV"):
            with trainer.expect_download() as download:
                trainer.get_by_role("button", name=label).click()
            text = Path(download.value.path()).read_text(encoding="utf-8")
            headers[label] = list(csv.reader(io.StringIO(text)))
        assert headers["Download Moodle CSV"][0][:3] == ["Full name", "ID number", "Email address"]
        assert headers["Download Moodle CSV"][1][0] == "Dana Patel" and "4" in headers["Download Moodle CSV"][1]
        assert headers["Download Canvas CSV"][0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
        assert trainer.external_requests == [], trainer.external_requests
    finally:
        context.close()

    page.reload()
    page.get_by_text("Score: 4 of 6 points.").first.wait_for()
    page.get_by_text("Good choice.").wait_for()
    assert page.external_requests == [], page.external_requests


def test_a_self_study_learner_is_graded_marks_their_own_answer_and_gets_a_certificate(
        page, grading_server, assert_accessible, tmp_path):
    from dataclasses import replace

    with write_session(grading_server.engine) as session:
        created = workshops.create_workshop(session, "Studying on my own", mode="self-study",
                                            now=datetime.now(timezone.utc))
    alone = replace(grading_server, code=created.workshop.code, trainer_key=created.trainer_key)
    notebook = tmp_path / "fixture-basics.ipynb"
    nbformat.write(answered(), notebook)

    join(page, alone, "Sam Okafor")
    go_to(page, "Hand in a notebook")
    page.get_by_text("you compare yours with a model answer and mark it yourself").wait_for()
    hand_in_file(page, notebook)
    page.get_by_text("Score: 5 of 6 points. 1 point(s) wait for a mark.").first.wait_for(timeout=GRADED_WITHIN_MS)
    page.get_by_role("heading", name="Check your written answers").wait_for()
    wait_for_app(page)
    assert_accessible(page, "self-study hand-in, written answer to mark")

    page.get_by_role("spinbutton", name="My mark for Reflection (0 to 1)").fill("1")
    click(page, page.get_by_role("button", name="Save my mark for Reflection"))
    page.get_by_text("Your mark is saved.").wait_for()
    page.get_by_text("Score: 6 of 6 points.").first.wait_for()
    with page.expect_download() as download:
        click(page, page.get_by_role("button", name="Download my certificate (PDF)"))
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    wait_for_app(page)
    assert_accessible(page, "self-study hand-in, marked, certificate offered")
    assert page.external_requests == [], page.external_requests
