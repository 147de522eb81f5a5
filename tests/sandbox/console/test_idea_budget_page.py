"""The idea board tells a learner the budget of their own workshop: the scenario's, or the default."""
from __future__ import annotations

from sandbox.config import LIMITS
from sandbox.services import ideas, workshops
from sandbox.simulation.seed import create_workshop_from_scenario
from sandbox.store import write_session
from sandbox.store.models import Member

from console_helpers import button, texts


def test_board_shows_the_scenario_budget_and_closes_voting_at_it(open_app, app_db, clock):
    with write_session(app_db) as session:
        code = create_workshop_from_scenario(session, "Northfield: ideas", now=clock.now).workshop.code
        lee = workshops.join(session, code, "Lee Hart", "Finance", accept_policy=True, client_key="lee",
                             now=clock.now)
        people = session.query(Member).filter_by(workshop_id=lee.member.workshop_id, kind="simulated").all()
        for number in range(4):
            ideas.create_idea(session, people[number], f"Four-day week idea {number}", now=clock.now)
    at = open_app(token=lee.session_token, page="ideas")
    assert not at.exception
    assert "Everyone has 3 votes to spend" in texts(at)
    assert "You have 3 of 3 votes left." in texts(at)
    for number in range(3):
        button(at, "Vote").click().run()
    assert "You have 0 of 3 votes left." in texts(at), texts(at)
    still_open = [b for b in at.button if b.label.startswith("Vote for:")]
    assert still_open and all(b.disabled for b in still_open)


def test_board_of_a_workshop_no_scenario_seeded_shows_the_default(open_app, learner_sign_in):
    at = open_app(token=learner_sign_in.session_token, page="ideas")
    assert not at.exception
    budget = LIMITS.idea_vote_budget
    assert f"You have {budget} of {budget} votes left." in texts(at)
