"""Mission progress counts what the check counts, seen in Chromium as a new learner would.

The defect it pins down: join a college workshop, vote once on the Idea board ("2 of
3 votes left"), open Missions: "Spend your votes" read "0 of 1 steps, Next: Vote for
an idea", although the learner had voted and the mission wants all three votes.
axe-core runs on the Missions page; nothing may be fetched from outside the machine.
"""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from sandbox.simulation.seed import create_workshop_from_scenario
from sandbox.store import create_schema, make_engine, write_session
from sandbox_browser import SandboxServer, click, go_to, join, start_server, stop_server, wait_for_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def college_server(tmp_path_factory):
    """A sandbox server with one workshop made from the college scenario (3 idea votes)."""
    data_dir = tmp_path_factory.mktemp("missions-data")
    engine = make_engine(f"sqlite:///{data_dir / 'sandbox.db'}")
    create_schema(engine)
    with write_session(engine) as session:
        created = create_workshop_from_scenario(session, "Northfield College: missions",
                                                now=datetime.now(timezone.utc))
    code, key = created.workshop.code, created.trainer_key
    engine.dispose()
    process, url, log = start_server(data_dir)
    try:
        yield SandboxServer(url=url, engine=None, code=code, trainer_key=key, log=log)
    finally:
        stop_server(process)


def test_one_vote_of_three_shows_one_of_three_votes(page, college_server, assert_accessible):
    join(page, college_server, "Noor Hussain", "Admissions")
    go_to(page, "Idea board")
    page.get_by_text("You have 3 of 3 votes left.").wait_for()
    click(page, page.get_by_role("button", name=re.compile(r"^Vote for: ")).first)
    page.get_by_text("You have 2 of 3 votes left.").wait_for()
    wait_for_app(page)

    go_to(page, "Missions")
    # The mission's line as a learner reads it, then its next step.
    page.get_by_text("Spend your votes · Module 6: Idea sharing and brainstorming · 1 of 3 votes").wait_for()
    page.get_by_text("Next: Vote for an idea. 2 more votes to go.").wait_for()
    assert_accessible(page, "missions page after one idea vote")
    assert page.external_requests == [], page.external_requests
