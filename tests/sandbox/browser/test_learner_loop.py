"""The whole learner loop in one real browser, with a real kit assignment (m01).

A learner opens exercise 1 from the workbook page in JupyterLite (Pyodide, served by
the kit), answers a multiple-choice question and the written question, runs
``check()``, downloads the notebook and hands in THAT file on the sandbox, where a
grader process beside the server grades it and the page shows score and feedback
without reloading. The trainer sees it in the gradebook, marks the written answer and
exports Moodle and Canvas CSVs. A self-study learner hands in the same file alone and
marks their own written answer. Every request to another host is blocked and counted
(zero); axe-core runs on every new page and state.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest

from sandbox.services import workshops
from sandbox.store import create_schema, make_engine, write_session
from sandbox_browser import click, go_to, hand_in_file, grading_sandbox, join, choose, sign_in_as_trainer, wait_for_app
from tests.conftest import guarded_page
from tests.site.conftest import built_site, served_site  # noqa: F401 - the session-built site, reused
from tests.site.test_browser_notebooks import KERNEL_READY_SECONDS, code_cell, run_cell

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ASSIGNMENT = "m01-inside-out"
GRADED_WITHIN_MS = 300_000  # a real notebook graded on a loaded 2-core machine
WRITTEN = "Our rota is emailed as a spreadsheet every week; a wiki page would keep one version."
# m01: q1 (1 point) answered right; q2-q4 (6 points) left; q5, the written answer, is 3 points.
GRADED = "Score: 1 of 10 points. 3 point(s) wait for a mark."


@pytest.fixture(scope="module")
def kit_grading_server(tmp_path_factory):
    """The sandbox with a grader, grading against the kit's own course (no fixture course)."""
    data_dir = tmp_path_factory.mktemp("learner-loop-data")
    engine = make_engine(f"sqlite:///{data_dir / 'sandbox.db'}")
    create_schema(engine)
    with write_session(engine) as session:
        created = workshops.create_workshop(session, "Northfield College: going inside-out",
                                            now=datetime.now(timezone.utc))
    try:
        with grading_sandbox(data_dir, engine, created.workshop.code, created.trainer_key) as server:
            yield server
    finally:
        engine.dispose()


def answer_in_the_browser(page, site: str, assert_accessible, saved: Path) -> None:
    """Open m01 from its workbook page, answer q1 and the written q5, check(), download."""
    page.goto(f"{site}/workbook/{ASSIGNMENT}/{ASSIGNMENT}.html")
    assert_accessible(page, "workbook page")
    page.get_by_role("link", name="Open in your browser").click()
    page.wait_for_url(re.compile(rf"/workbook/lite/notebooks/.*{ASSIGNMENT}\.ipynb"))
    setup = page.locator(".jp-CodeCell").first
    setup.wait_for(timeout=60_000)
    run_cell(page, setup, 1, KERNEL_READY_SECONDS)

    answer = code_cell(page, "answer_q1 = ...")
    answer.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.type('answer_q1 = "B"')
    page.keyboard.press("Shift+Enter")  # runs the answer and moves to its check() cell
    check_cell = code_cell(page, "check(answer_q1")
    page.keyboard.press("Shift+Enter")
    check_cell.locator(".jp-InputPrompt", has_text="[3]").wait_for(timeout=60_000)
    assert "Right!" in check_cell.locator(".jp-OutputArea-output").first.inner_text()  # self-study feedback is on

    written = page.locator(".jp-MarkdownCell", has_text="Write your answer here.").first
    written.dblclick()  # a rendered Markdown cell opens its editor on a double click
    written.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.type(WRITTEN)
    page.keyboard.press("Shift+Enter")
    page.locator(".jp-MarkdownCell", has_text=WRITTEN).first.wait_for()

    with page.expect_download() as download:
        page.get_by_role("menuitem", name="File").click()
        page.get_by_role("menuitem", name="Download").click()
    download.value.save_as(saved)
    notebook = nbformat.read(saved, as_version=4)
    assert 'answer_q1 = "B"' in [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    assert any(WRITTEN in cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    assert page.external_requests == [], f"requests to other hosts: {page.external_requests[:10]}"


def hand_in(page, notebook: Path) -> None:
    go_to(page, "Hand in a notebook")
    assignment = page.get_by_role("combobox", name="Assignment")
    choose(page, assignment, re.compile(f"^{ASSIGNMENT}"))
    wait_for_app(page)
    hand_in_file(page, notebook)


def test_learner_answers_in_the_browser_hands_in_and_is_marked_and_exported(
        page, browser, served_site, kit_grading_server, assert_accessible, tmp_path):  # noqa: F811
    server = kit_grading_server
    notebook = tmp_path / f"{ASSIGNMENT}.ipynb"
    answer_in_the_browser(page, served_site, assert_accessible, notebook)

    join(page, server, "Dana Patel")
    hand_in(page, notebook)
    wait_for_app(page)
    assert_accessible(page, "hand-in page, waiting to be graded")
    page.get_by_text(GRADED).first.wait_for(timeout=GRADED_WITHIN_MS)  # no reload: the page polls
    page.get_by_text("You have not answered yet").first.wait_for()  # q2's feedback, from its hidden check
    wait_for_app(page)
    assert "BEGIN HIDDEN TESTS" not in page.content()
    assert_accessible(page, "hand-in page, graded")

    context, trainer = guarded_page(browser)
    try:
        sign_in_as_trainer(trainer, server)
        go_to(trainer, "Gradebook")
        trainer.get_by_text("1 of 10, 3 to mark, 1 hand-in").wait_for()
        assert_accessible(trainer, "gradebook")
        choose(trainer, trainer.get_by_role("combobox", name="Learner"), "Dana Patel")
        wait_for_app(trainer)
        trainer.get_by_text(WRITTEN).first.wait_for()
        trainer.get_by_role("spinbutton", name=re.compile(r"^Mark for .* \(0 to 3\)")).fill("2")
        trainer.get_by_role("textbox", name="Comment for the learner (optional)").fill("A good, concrete task.")
        click(trainer, trainer.get_by_role("button", name=re.compile("^Save the mark for")))
        trainer.get_by_text("Mark saved: the learner sees it now.").wait_for()
        wait_for_app(trainer)
        trainer.get_by_text("3 of 10, 1 hand-in").wait_for()
        assert_accessible(trainer, "gradebook after marking")

        rows = {}
        for label in ("Download Moodle CSV", "Download Canvas CSV"):
            with trainer.expect_download() as download:
                trainer.get_by_role("button", name=label).click()
            rows[label] = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
        moodle, canvas = rows["Download Moodle CSV"], rows["Download Canvas CSV"]
        # Moodle's grade import: an identifier column, then one column per grade item.
        assert moodle[0][:3] == ["Full name", "ID number", "Email address"]
        assert any(ASSIGNMENT in column for column in moodle[0][3:]), moodle[0]
        assert moodle[1][0] == "Dana Patel" and "3" in moodle[1]
        # Canvas's gradebook: Student, ID, SIS User ID, SIS Login ID, Section, then the assignments.
        assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
        assert any(ASSIGNMENT in column for column in canvas[0][5:]), canvas[0]
        assert any(row and row[0] == "Dana Patel" and "3" in row for row in canvas[1:]), canvas
        assert trainer.external_requests == [], trainer.external_requests
    finally:
        context.close()

    page.reload()
    page.get_by_text("Score: 3 of 10 points.").first.wait_for()
    page.get_by_text("A good, concrete task.").first.wait_for()
    assert page.external_requests == [], page.external_requests

    # A self-study learner hands in the same downloaded notebook alone and marks it herself.
    with write_session(server.engine) as session:
        created = workshops.create_workshop(session, "Studying on my own", mode="self-study",
                                            now=datetime.now(timezone.utc))
    alone = replace(server, code=created.workshop.code, trainer_key=created.trainer_key)
    context, learner = guarded_page(browser)
    try:
        join(learner, alone, "Sam Okafor")
        hand_in(learner, notebook)
        learner.get_by_text(GRADED).first.wait_for(timeout=GRADED_WITHIN_MS)
        learner.get_by_role("heading", name="Check your written answers").wait_for()
        learner.get_by_text(WRITTEN).first.wait_for()
        wait_for_app(learner)
        assert_accessible(learner, "self-study hand-in, written answer to mark")
        learner.get_by_role("spinbutton", name=re.compile(r"^My mark for .* \(0 to 3\)")).fill("3")
        click(learner, learner.get_by_role("button", name=re.compile("^Save my mark for")))
        learner.get_by_text("Your mark is saved.").wait_for()
        learner.get_by_text("Score: 4 of 10 points.").first.wait_for()
        wait_for_app(learner)
        assert_accessible(learner, "self-study hand-in, marked")
        assert learner.external_requests == [], learner.external_requests
    finally:
        context.close()
