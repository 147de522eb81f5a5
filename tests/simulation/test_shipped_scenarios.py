"""Ship check: every scenario file we ship loads cleanly and tells a full story."""
from __future__ import annotations

import pytest

from sandbox.activity import VERBS
from sandbox.simulation.scenario import SCENARIO_DIR, available_scenarios, load_scenario

MISSION_IDS = {
    "wiki-from-share": 3,
    "wiki-edit-colleague": 3,
    "first-post": 4,
    "work-out-loud": 4,
    "answer-question": 4,
    "bookmark-three": 5,
    "idea-reactions": 6,
    "spend-votes": 6,
    "schedule-rsvp": 7,
    "search-first": 8,
    "state-threshold": 9,
    "welcome-newcomer": 10,
    "give-praise": 10,
    "run-a-poll": 11,
    "pilot-group": 12,
}


def test_college_is_shipped():
    assert "college" in available_scenarios()


@pytest.mark.parametrize("name", available_scenarios())
def test_every_shipped_scenario_loads(name):
    scenario = load_scenario(name)
    assert scenario.name == name
    assert scenario.source == SCENARIO_DIR / f"{name}.yaml"


@pytest.fixture(scope="module")
def college():
    return load_scenario("college")


def test_college_organisation(college):
    assert college.organisation["name"] == "Northfield College"
    assert "further-education" in college.organisation["kind"]
    assert len(college.departments) >= 5
    assert len(college.personas) >= 12
    assert 3 <= len(college.champions()) <= 4


def test_college_every_department_has_people_and_thresholds_are_spread(college):
    assert {persona.department for persona in college.personas} == {department.id for department in college.departments}
    thresholds = sorted(persona.threshold for persona in college.personas)
    assert thresholds[0] == 0.0, "someone must be willing to go first"
    assert thresholds[-1] >= 0.5, "someone must be hard to win over"
    assert len(set(thresholds)) >= 8


def test_college_missions_are_exactly_the_course_missions(college):
    assert {mission.id: mission.module for mission in college.missions} == MISSION_IDS
    assert [mission.id for mission in college.missions] == list(MISSION_IDS)
    for mission in college.missions:
        assert mission.verbs() <= VERBS.keys()
        assert mission.hint and mission.description and mission.title


def test_college_seed_fills_every_room(college):
    seed = college.seed
    for section in ("posts", "wiki_pages", "share_files", "bookmarks", "ideas", "events", "polls", "schedule_polls", "groups"):
        assert seed[section], section
    assert any(len(page["revisions"]) >= 2 for page in seed["wiki_pages"]), "wiki pages need history"
    assert any(post["replies"] for post in seed["posts"]), "threads need replies"
    assert "Word" in seed["share_files"][0]["story"] or ".docx" in seed["share_files"][0]["path"]
    assert college.seed_tags() >= {"question", "welcome", "referencing"}


def test_college_timeline_covers_the_session(college):
    minutes = [inject.at_minute for inject in college.injects]
    assert minutes == sorted(minutes)
    assert 0 <= minutes[0] <= 5 and 75 <= minutes[-1] <= college.settings["duration_minutes"] == 90
    newcomers = [persona.handle for persona in college.personas if persona.newcomer]
    assert newcomers == ["jordan"]
    assert any(inject.action == "member.join" and inject.persona == "jordan" for inject in college.injects)


def test_college_rules_answer_learners(college):
    triggers = {rule.when.verb for rule in college.rules}
    assert {"post.create", "post.mention", "wiki.create", "wiki.edit", "idea.create", "poll.create"} <= triggers
    assert all(rule.when.by == "learner" for rule in college.rules)
