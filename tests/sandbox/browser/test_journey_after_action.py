"""Issue 17 in a real browser: the trainer speaks as a colleague, a learner answers, an
observer (signed in with their own key, read-only) notes a scripted step, and the
after-action review holds the note beside its step and opens offline. axe on every new page."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sandbox.simulation.seed import create_workshop_from_scenario
from sandbox.store import create_schema, make_engine, write_session
from tests.conftest import guarded_page
from tests.sandbox.browser.sandbox_browser import (SandboxServer, click, go_to, join, open_options,
                                                 sign_in_as_trainer, start_server, stop_server, wait_for_app)

pytestmark = pytest.mark.browser

ROTA = "Is anyone using the new rota yet? #rota"
ANSWER = "Yes, since Monday. It saves me an hour!"
NOTE = "Anna answered Tom within a minute; nobody knew it was the trainer."


@pytest.fixture()
def server(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'sandbox.db'}")
    create_schema(engine)
    with write_session(engine) as session:
        created = create_workshop_from_scenario(session, "Northfield: after action",
                                                now=datetime.now(timezone.utc) - timedelta(minutes=1))
    process, url, log = start_server(tmp_path)
    try:
        yield SandboxServer(url=url, engine=engine, code=created.workshop.code, trainer_key=created.trainer_key,
                            log=log)
    finally:
        stop_server(process)
        engine.dispose()


def choose(page, label: str, option: str) -> None:
    open_options(page, page.get_by_role("combobox", name=label))
    page.get_by_role("option", name=re.compile(re.escape(option))).first.click()
    wait_for_app(page)


def test_trainer_speaks_as_a_colleague_observer_notes_a_step_and_the_review_holds_it(
        page, browser, server, assert_accessible, tmp_path):
    # The trainer posts as Tom, a simulated colleague.
    sign_in_as_trainer(page, server)
    go_to(page, "Speak as a colleague")
    choose(page, "Speak as", "Tom Okafor")
    page.get_by_role("textbox", name="The post").fill(ROTA)
    click(page, page.get_by_role("button", name="Post as this colleague"))
    page.get_by_text("Posted as your colleague.").wait_for()
    page.get_by_role("table").filter(has_text="posted").wait_for()
    assert_accessible(page, "Speak as a colleague")

    # A learner sees Tom's post (not the trainer) and answers it.
    learner_context, learner = guarded_page(browser)
    try:
        join(learner, server, "Anna Smith")
        article = learner.get_by_role("article", name="Post by Tom Okafor").filter(has_text="new rota")
        article.wait_for()
        assert "trainer" not in article.inner_text().lower()
        block = learner.get_by_test_id("stVerticalBlock").filter(has=article).last
        click(learner, block.get_by_role("button", name=re.compile(r"^Reply \(")))
        learner.get_by_role("textbox", name="Your reply").fill(ANSWER)
        learner.get_by_role("button", name="Post reply").click()
        learner.get_by_text("Reply posted.").wait_for()
        assert learner.external_requests == []
    finally:
        learner_context.close()

    # The trainer makes an observer key; the observer signs in with it.
    go_to(page, "Observers and notes")
    page.get_by_role("textbox", name="The observer's name").fill("Sam Observer")
    click(page, page.get_by_role("button", name="Make an observer key"))
    page.get_by_text("Copy it now").wait_for()
    key = page.locator("[data-testid=stCode] code").first.inner_text().strip()
    assert key.startswith("ioob_")
    assert_accessible(page, "Observers and notes")

    observer_context, observer = guarded_page(browser)
    try:
        observer.goto(server.url)
        observer.get_by_role("heading", name="Join your workshop").wait_for()
        go_to(observer, "Observer sign-in")
        observer.get_by_role("heading", name="Observer sign-in").wait_for()
        assert_accessible(observer, "Observer sign-in")
        observer.get_by_role("textbox", name="Join code").fill(server.code)
        observer.get_by_role("textbox", name="Observer key").fill(key)
        observer.get_by_role("button", name="Sign in").click()
        observer.get_by_role("heading", name="Observe and take notes").wait_for()
        wait_for_app(observer)
        # Read-only: the feed is there, with no way to write or steer.
        observer.get_by_role("article", name="Post by Tom Okafor").filter(has_text="new rota").wait_for()
        assert observer.get_by_role("textbox", name="Your post").count() == 0
        assert observer.get_by_role("button", name=re.compile(r"^Reply \(")).count() == 0
        assert observer.get_by_role("link", name="Run the session").count() == 0
        assert_accessible(observer, "Observe and take notes")
        choose(observer, "Scripted step", "Minute 8: Tom Okafor")
        observer.get_by_role("textbox", name="Your note").fill(NOTE)
        click(observer, observer.get_by_role("button", name="Add the note"))
        observer.get_by_text("Your note is saved, with the time.").wait_for()
        go_to(observer, "Live dashboard")
        observer.get_by_role("heading", name="Adopters over time").first.wait_for()
        assert observer.external_requests == []
    finally:
        observer_context.close()

    # The after-action review: the note beside its step, the trainer's post marked; offline.
    go_to(page, "Export and debrief")
    with page.expect_download() as download:
        click(page, page.get_by_role("button", name="Download the debrief report (HTML)"))
    report = tmp_path / "review.html"
    report.write_text(Path(download.value.path()).read_text(encoding="utf-8"), encoding="utf-8")
    assert page.external_requests == []

    review_context, review = guarded_page(browser)
    try:
        review.goto(report.as_uri())
        review.get_by_role("heading", name="After-action review: the scripted steps and what the room did").wait_for()
        step = review.locator("#step-room-booking-muddle")
        assert "Sam Observer" in step.inner_text() and NOTE in step.inner_text()
        driven = review.get_by_role("table").filter(has_text="Trainer-driven activity")
        assert "Tom Okafor" in driven.inner_text()
        assert_accessible(review, "after-action review")
        review.emulate_media(media="print")
        assert step.is_visible()
        assert review.external_requests == [], review.external_requests
    finally:
        review_context.close()
