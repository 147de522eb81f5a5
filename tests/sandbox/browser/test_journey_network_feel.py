"""The feed feels like a staff network, in Chromium at 1280x800 and on a 390x844 phone.

Reproduces issue 14's findings 4, 5, 6 and 8 where only a browser can: posts on the
first screen, another learner's post arriving without a click, "... is writing…"
before a simulated colleague's answer, the answer within a minute, reaction buttons
named by their words. Screenshots of the feed and missions at both sizes are kept in
``test-artifacts/network-feel/`` (git-ignored) to look at; axe-core checks every state.
"""
from __future__ import annotations

import re
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from sandbox import config
from sandbox.services import feed, workshops
from sandbox.simulation.seed import create_workshop_from_scenario
from sandbox.store import create_schema, make_engine, write_session
from sandbox_browser import (SandboxServer, go_to, join, open_composer, start_server, stop_server,
                             wait_for_app)

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "network-feel"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# The fragment looks every second; allow a busy CI machine several looks.
ARRIVAL_MS = 30_000


@pytest.fixture(scope="module")
def alone(tmp_path_factory):
    """A self-study workshop of the college scenario, on a server whose clock a test can move."""
    data_dir = tmp_path_factory.mktemp("feel-data")
    engine = make_engine(f"sqlite:///{data_dir / 'sandbox.db'}")
    create_schema(engine)
    with write_session(engine) as session:
        created = create_workshop_from_scenario(session, "On my own", now=datetime.now(timezone.utc),
                                                mode="self-study")
    clock_file = data_dir / "clock-ahead"
    process, url, log = start_server(data_dir, {config.TEST_CLOCK_FILE_ENV: str(clock_file)})
    try:
        yield SandboxServer(url=url, engine=engine, code=created.workshop.code, trainer_key=created.trainer_key,
                            log=log), clock_file
    finally:
        stop_server(process)
        engine.dispose()


def first_post_on_screen(page) -> None:
    """The first post's top edge is inside the window, without scrolling (finding 5)."""
    page.evaluate("window.scrollTo(0, 0)")
    box = page.get_by_role("article").first.bounding_box()
    height = page.viewport_size["height"]
    assert box is not None and box["y"] < height - 40, f"first post at y={box} in a {height}px window"


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_a_lone_learner_in_a_network_that_answers(page, alone, assert_accessible):
    server, clock_file = alone
    page.set_viewport_size(DESKTOP)
    join(page, server, "Lee Hart", "Finance")
    page.get_by_role("article").first.wait_for()
    wait_for_app(page)

    # The network's look: the organisation's bar, the next mission, posts on the first screen.
    page.get_by_text("Northfield College", exact=True).first.wait_for()
    page.get_by_text("Your next mission:").wait_for()
    page.get_by_text(re.compile(r"^Welcome, Lee Hart\.")).wait_for()
    first_post_on_screen(page)
    # Reactions are buttons named by their words; the Material icon is hidden from screen readers.
    page.get_by_role("button", name=re.compile(r"^Like( \d+)?$")).first.wait_for()
    assert_accessible(page, "feed at 1280x800")
    shoot(page, "feed-1280x800")

    # Another learner posts: it shows without a click (finding 4).
    with write_session(server.engine) as session:
        other = workshops.join(session, server.code, "Sam Reid", "Estates", accept_policy=True,
                               client_key="other-browser", now=datetime.now(timezone.utc)).member
        feed.create_post(session, other, "Anyone else studying tonight? #welcome", now=datetime.now(timezone.utc))
    page.get_by_role("article", name="Post by Sam Reid").wait_for(timeout=ARRIVAL_MS)
    assert not page.get_by_role("button", name=re.compile(r"new posts? — show them")).is_visible()

    # A question at 9 pm: someone is seen writing, then answers within the minute (finding 6).
    open_composer(page)
    page.get_by_text("Question", exact=True).first.click()
    page.get_by_role("textbox", name="Your question").fill("Where is the mileage claim form? #mileage")
    page.get_by_role("button", name="Post question").click()
    page.get_by_text("Your question is posted.").wait_for()
    posted = time.monotonic()
    wait_for_app(page)
    page.get_by_text("Start a conversation", exact=True).click()  # done writing: close the box
    wait_for_app(page)
    # The answer is due 45 s after the question: move the server's clock to about 32 s after
    # it (the "writing" line shows from 25 s), counting the seconds that really passed.
    clock_file.write_text(str(max(0.0, 32 - (time.monotonic() - posted))), encoding="utf-8")
    page.get_by_text(re.compile(r"is writing…$")).wait_for(timeout=ARRIVAL_MS)
    assert_accessible(page, "feed with a colleague writing")
    # About 50 s after asking: answered (and, by 60 s, welcomed too: a first post).
    clock_file.write_text(str(max(0.0, 50 - (time.monotonic() - posted))), encoding="utf-8")
    card = page.get_by_role("article", name="Post by Lee Hart").filter(has_text="mileage claim form")
    block = page.get_by_test_id("stVerticalBlock").filter(has=card).last
    block.get_by_role("button", name=re.compile(r"^Reply \([12] repl")).wait_for(timeout=ARRIVAL_MS)

    # The welcome and the next step stay after a reload.
    page.reload()
    page.get_by_text(re.compile(r"^Welcome, Lee Hart\.")).wait_for()
    wait_for_app(page)

    page.set_viewport_size(PHONE)
    page.get_by_role("article").first.wait_for()
    wait_for_app(page)
    page.wait_for_timeout(600)  # the sidebar slides shut when the window narrows
    shoot(page, "feed-390x844")  # before the check, so a failure leaves its picture
    first_post_on_screen(page)
    assert_accessible(page, "feed at 390x844")

    page.set_viewport_size(DESKTOP)
    go_to(page, "Missions")
    page.get_by_role("heading", name="Your missions").wait_for()
    page.get_by_text("Your next step:").wait_for()
    wait_for_app(page)
    assert_accessible(page, "missions at 1280x800")
    shoot(page, "missions-1280x800")
    page.set_viewport_size(PHONE)
    wait_for_app(page)
    shoot(page, "missions-390x844")
    assert page.external_requests == [], page.external_requests
