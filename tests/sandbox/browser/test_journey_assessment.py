"""The before-and-after self-assessment in a real browser: a learner answers "before",
the trainer opens "after" from the console, the learner answers again, and the live
dashboard shows the change in words and as a chart. axe-core checks every new state."""
from __future__ import annotations

import pytest

from sandbox.assessment import load_questions
from sandbox_browser import click, go_to, join, sign_in_as_trainer, wait_for_app
from tests.conftest import guarded_page

pytestmark = pytest.mark.browser

QUESTIONS = load_questions()


def answer_every_question(page, confidence: str, right: bool) -> None:
    """Tick one option in each of the eleven groups, in the order the page shows them."""
    groups = page.get_by_role("radiogroup")
    groups.nth(len(QUESTIONS.item_ids()) - 1).wait_for()
    assert groups.count() == len(QUESTIONS.item_ids())
    for index in range(len(QUESTIONS.confidence)):
        groups.nth(index).get_by_text(confidence, exact=True).click()
    for offset, question in enumerate(QUESTIONS.knowledge):
        option = next(o for o in question.options if o.right == right)
        groups.nth(len(QUESTIONS.confidence) + offset).get_by_text(f"{option.key}. {option.text}",
                                                                  exact=True).click()


def test_before_and_after_reach_the_dashboard(page, browser, sandbox_server, assert_accessible):
    server = sandbox_server
    join(page, server, "Ada Lane")
    # Offered right after joining, on the page the learner lands on.
    page.get_by_text("Before you start:").wait_for()
    assert_accessible(page, "feed with the self-assessment offer")
    click(page, page.get_by_role("link", name="Open the self-assessment"))
    page.get_by_role("heading", name="Part 1: confidence").wait_for()
    wait_for_app(page)
    assert_accessible(page, "self-assessment, before round")

    # Saving with nothing ticked: one clear message, nothing lost.
    click(page, page.get_by_role("button", name="Save my answers"))
    page.get_by_text("Please answer every question").wait_for()
    wait_for_app(page)
    assert_accessible(page, "self-assessment with the 'answer every question' message")
    answer_every_question(page, "Slightly confident", right=False)
    click(page, page.get_by_role("button", name="Save my answers"))
    page.get_by_text("Thank you! Your answers are saved.").wait_for()
    wait_for_app(page)
    assert_accessible(page, "self-assessment, before round saved")

    context, trainer = guarded_page(browser)
    try:
        sign_in_as_trainer(trainer, server)
        go_to(trainer, "Self-assessment rounds")
        trainer.get_by_role("button", name="Open the 'after' round").wait_for()
        assert_accessible(trainer, "console: self-assessment rounds")
        click(trainer, trainer.get_by_role("button", name="Open the 'after' round"))
        trainer.get_by_text("The 'after' round is open.").wait_for()
        wait_for_app(trainer)
        assert_accessible(trainer, "console: after round open")

        go_to(page, "Feed")  # the offer shows on every page but the self-assessment itself
        page.get_by_text("The 'after' round of the self-assessment is open").wait_for()
        go_to(page, "Self-assessment")
        page.get_by_text("The same questions as at the start").wait_for()
        wait_for_app(page)
        assert_accessible(page, "self-assessment, after round")
        answer_every_question(page, "Very confident", right=True)
        click(page, page.get_by_role("button", name="Save my answers"))
        page.get_by_text("you have finished both rounds").wait_for()
        wait_for_app(page)

        go_to(trainer, "Live dashboard")
        heading = trainer.get_by_role("heading", name="Before and after: the self-assessment")
        heading.wait_for(timeout=30_000)
        # 5 statements x 2 ("slightly") = 10 before, x 4 = 20 after; 0 of 6 right, then 6.
        trainer.get_by_text("Among the 1 learner who answered both: confidence, out of 20: 10.0 before, "
                            "20.0 after (1 went up, 0 stayed the same, 0 went down). Right answers, "
                            "out of 6: 0.0 before, 6.0 after").first.wait_for()  # also under "In short"
        # The chart, drawn after its sentence, and the table of the same numbers.
        label = trainer.get_by_text("Right answers to each question, before and after")
        label.wait_for()
        chart = trainer.get_by_test_id("stVegaLiteChart").last
        chart.wait_for()
        assert chart.bounding_box()["y"] > label.bounding_box()["y"]
        cell = trainer.get_by_text(f"Q6: {QUESTIONS.knowledge[0].question}", exact=True)
        cell.wait_for()
        wait_for_app(trainer)
        assert_accessible(trainer, "live dashboard with the before-and-after")
        assert trainer.external_requests == [] and page.external_requests == []
    finally:
        context.close()
