"""The trainer console in a real browser: every console page passes axe, nothing is
fetched from elsewhere, and a learner who guesses a console URL sees no console."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sandbox.activity import EXPORT_COLUMNS
from sandbox.services import feed, wiki, workshops
from sandbox.store import create_schema, make_engine, write_session
from tests.sandbox.browser.sandbox_browser import (SandboxServer, go_to, open_signed_in, sign_in_as_trainer,
                                                 start_server, stop_server, wait_for_app)

pytestmark = pytest.mark.browser

CONSOLE = [
    ("Run the session", "Run the session"),
    ("Live dashboard", "Adopters over time"),
    ("Learners and missions", "Learner by mission"),
    ("Threshold game", "Change one threshold"),
    ("Moderation", "Moderation log"),
    ("Export and debrief", "Activity export"),
    ("Replay the session", "The feed then"),
]


@pytest.fixture(scope="module")
def busy_server(tmp_path_factory):
    """A running sandbox whose workshop has three learners who posted, replied, edited
    the wiki and stated thresholds. ``learner_token`` signs in as the first learner."""
    data_dir = tmp_path_factory.mktemp("console-data")
    engine = make_engine(f"sqlite:///{data_dir / 'sandbox.db'}")
    create_schema(engine)
    now = datetime.now(timezone.utc) - timedelta(minutes=30)
    with write_session(engine) as session:
        created = workshops.create_workshop(session, "Northfield College: console check", now=now)
    code = created.workshop.code
    people = []
    for index, (name, department, threshold) in enumerate(
            [("Ada Lane", "Library", 0), ("Bo Reed", "Finance", 30), ("Cy Moss", "Estates", 60)]):
        with write_session(engine) as session:
            signed = workshops.join(session, code, name, department, accept_policy=True,
                                    client_key=f"c{index}", now=now)
            workshops.set_threshold(session, signed.member, threshold, now=now)
        people.append(signed)
    ada, bo, cy = (signed.member for signed in people)
    with write_session(engine) as session:
        post = feed.create_post(session, ada, "Where is the room booking form? #rooms @bo-reed",
                                now=now + timedelta(minutes=1))
        feed.reply(session, bo, post.id, "On the wiki soon! #rooms", now=now + timedelta(minutes=3))
        page = wiki.create_page(session, bo, "Booking a teaching room", "Step 1", now=now + timedelta(minutes=4))
        wiki.edit_page(session, cy, page.id, "Step 1\nStep 2", base_number=1, now=now + timedelta(minutes=6))
    process, url, log = start_server(data_dir)
    try:
        yield SandboxServer(url=url, engine=engine, code=code, trainer_key=created.trainer_key, log=log), \
            people[0].session_token
    finally:
        stop_server(process)
        engine.dispose()


def test_every_console_page_is_accessible_and_offline(page, busy_server, assert_accessible):
    server, _ = busy_server
    sign_in_as_trainer(page, server)
    for link, landmark in CONSOLE:
        go_to(page, link)
        page.get_by_role("heading", name=landmark).first.wait_for()
        wait_for_app(page)
        assert_accessible(page, f"console page {link}")
    go_to(page, "Live dashboard")
    # Said twice: under "In short" and above its chart.
    page.get_by_text("3 of 3 members (100%) have contributed").first.wait_for()
    page.get_by_role("table").first.wait_for()
    assert page.external_requests == [], page.external_requests


def test_downloads_are_made_on_click(page, busy_server):
    server, _ = busy_server
    sign_in_as_trainer(page, server)
    go_to(page, "Export and debrief")
    with page.expect_download() as report:
        page.get_by_role("button", name="Download the debrief report (HTML)").click()
    html = Path(report.value.path()).read_text(encoding="utf-8")
    assert "<h1>Debrief: Northfield College: console check</h1>" in html
    assert "3 of 3 members (100%) have contributed" in html
    with page.expect_download() as csv_file:
        page.get_by_role("button", name="Download CSV").click()
    assert report.value.suggested_filename.endswith(".html")
    assert csv_file.value.suggested_filename.endswith(".csv")
    lines = Path(csv_file.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == ",".join(EXPORT_COLUMNS)
    # Pseudonymised unless the trainer unticks the box (the checkbox starts ticked).
    assert any(re.search(r",learner-[0-9a-f]{8},learner,", line) for line in lines)
    assert not any("ada-lane" in line for line in lines)


def test_learner_guessing_a_console_url_sees_no_console(page, busy_server):
    server, learner_token = busy_server
    for path in ("console_dashboard", "console_room", "console_debrief"):
        open_signed_in(page, f"{server.url}/{path}", learner_token)
        page.get_by_test_id("stApp").wait_for()
        wait_for_app(page)
        page.get_by_role("link", name="Missions", exact=True).wait_for()  # signed in as the learner
        assert page.get_by_role("link", name="Live dashboard").count() == 0
        assert page.get_by_text("Adopters over time").count() == 0
        assert page.get_by_role("heading", name="Run the session").count() == 0
        assert page.get_by_role("button", name="Download the debrief report (HTML)").count() == 0


def test_learner_missions_page_is_accessible(page, busy_server, assert_accessible):
    server, learner_token = busy_server
    open_signed_in(page, f"{server.url}/missions", learner_token)
    page.get_by_role("heading", name="Your missions").wait_for()
    page.get_by_text("Mission complete: Name your threshold").wait_for()  # Ada stated hers
    wait_for_app(page)
    assert_accessible(page, "missions page")
    assert page.external_requests == [], page.external_requests


def test_mission_ticks_off_without_a_reload(page, busy_server):
    """The progress part of the page re-reads the log by itself every few seconds."""
    server, learner_token = busy_server
    open_signed_in(page, f"{server.url}/missions", learner_token)
    page.get_by_role("heading", name="Your missions").wait_for()
    wait_for_app(page)
    with write_session(server.engine) as session:
        ada = workshops.member_for_token(session, learner_token)
        feed.create_praise(session, ada, "bo-reed", "Thanks for the wiki page!", now=datetime.now(timezone.utc))
    page.get_by_text("Mission complete: Give praise").wait_for(timeout=30_000)
