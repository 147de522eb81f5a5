"""The idea-vote budget: the scenario's ``settings.idea_votes`` rules a workshop made from it;
``LIMITS.idea_vote_budget`` is the default for a workshop that no scenario seeded."""
from __future__ import annotations

import pytest

from sandbox.config import LIMITS
from sandbox.services import ideas, room_log, workshops
from sandbox.services.errors import NotAllowed
from sandbox.simulation.scenario import load_scenario, scenario_dir
from sandbox.simulation.missions import evaluate
from sandbox.simulation.seed import create_workshop_from_scenario, reset_and_reseed
from sandbox.store import read_session, write_session
from sandbox.store.models import Member


def made_from(engine, clock, scenario: str = "college") -> str:
    with write_session(engine) as session:
        return create_workshop_from_scenario(session, "Northfield: ideas", scenario=scenario,
                                             now=clock.now).workshop.code


def joined(engine, code: str, clock, name: str = "Lee Hart") -> Member:
    with write_session(engine) as session:
        return workshops.join(session, code, name, "Finance", accept_policy=True, client_key=name,
                              now=clock.now).member


def colleagues_ideas(engine, code: str, count: int, clock) -> list[int]:
    """Ideas on the board by simulated colleagues (the seed's, topped up if needed)."""
    with write_session(engine) as session:
        workshop = workshops.get_workshop(session, code)
        people = session.query(Member).filter_by(workshop_id=workshop.id, kind="simulated").all()
        ids = [idea.id for idea in ideas.list_ideas(session, people[0], order="new")]
        for number in range(count - len(ids)):
            ids.append(ideas.create_idea(session, people[number % len(people)], f"Idea {number}",
                                         now=clock.now).id)
    return ids[:count]


def spend(engine, lee: Member, idea_ids, clock) -> list[int]:
    lefts = []
    for idea_id in idea_ids:
        with write_session(engine) as session:
            lefts.append(ideas.vote(session, lee, idea_id, now=clock.advance()))
    return lefts


def test_scenario_budget_rules_a_workshop_made_from_it(fresh_db, clock):
    budget = load_scenario("college").settings["idea_votes"]
    assert budget == 3 != LIMITS.idea_vote_budget  # otherwise this test proves nothing
    code = made_from(fresh_db, clock)
    lee = joined(fresh_db, code, clock)
    with read_session(fresh_db) as session:
        assert ideas.vote_budget(session, lee.workshop_id) == 3
        assert ideas.votes_left(session, lee) == 3
    targets = colleagues_ideas(fresh_db, code, 4, clock)
    assert spend(fresh_db, lee, targets[:3], clock) == [2, 1, 0]
    with pytest.raises(NotAllowed, match="You have used all 3 of your votes"), write_session(fresh_db) as session:
        ideas.vote(session, lee, targets[3], now=clock.advance())


def test_spend_votes_mission_is_done_with_the_scenario_budget(fresh_db, clock):
    code = made_from(fresh_db, clock)
    lee = joined(fresh_db, code, clock)
    spend(fresh_db, lee, colleagues_ideas(fresh_db, code, 3, clock), clock)
    with read_session(fresh_db) as session:
        log = room_log.load_activities(session, lee.workshop_id)
    college = load_scenario("college")
    assert evaluate(college.mission("spend-votes"), lee.handle, log, seed_tags=college.seed_tags()).done


def test_a_workshop_no_scenario_seeded_has_the_default_budget(fresh_db, workshop, learner):
    with read_session(fresh_db) as session:
        assert ideas.vote_budget(session, workshop.workshop.id) == LIMITS.idea_vote_budget
        assert ideas.votes_left(session, learner) == LIMITS.idea_vote_budget


def test_another_scenario_value_rules_and_survives_a_reset(fresh_db, clock, tmp_path, monkeypatch):
    text = (scenario_dir() / "college.yaml").read_text(encoding="utf-8")
    assert "  idea_votes: 3\n" in text
    (tmp_path / "roomy.yaml").write_text(text.replace("  idea_votes: 3\n", "  idea_votes: 7\n"), encoding="utf-8")
    monkeypatch.setenv("INSIDEOUT_SCENARIO_DIR", str(tmp_path))
    code = made_from(fresh_db, clock, scenario="roomy")
    with write_session(fresh_db) as session:
        reset_and_reseed(session, code, now=clock.advance())
    lee = joined(fresh_db, code, clock)
    with read_session(fresh_db) as session:
        assert ideas.votes_left(session, lee) == 7


def test_simulated_colleagues_still_vote_without_a_budget(fresh_db, clock):
    code = made_from(fresh_db, clock)
    with read_session(fresh_db) as session:
        workshop = workshops.get_workshop(session, code)
        priya = session.query(Member).filter_by(workshop_id=workshop.id, persona="priya").one()
        assert ideas.votes_left(session, priya) == ideas.vote_budget(session, workshop.id)

