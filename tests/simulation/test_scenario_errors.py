"""Bad scenario files get one clear problem each: file, line, field, what to do."""
from __future__ import annotations

import pytest

from sandbox.simulation.problems import ScenarioError
from sandbox.simulation.scenario import SCENARIO_DIR, load_scenario, parse_scenario

COLLEGE = (SCENARIO_DIR / "college.yaml").read_text(encoding="utf-8")


def line_of(text: str, snippet: str, after: str = "") -> int:
    """1-based line of the first ``snippet`` that comes after the first ``after``."""
    offset = text.index(after) + 1 if after else 0
    return text[: text.index(snippet, offset)].count("\n") + 1


def mutate(old: str, new: str, after: str = "") -> str:
    offset = COLLEGE.index(after) if after else 0
    position = COLLEGE.index(old, offset)
    return COLLEGE[:position] + new + COLLEGE[position + len(old) :]


def problems_of(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, file_name="college.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_threshold_out_of_range_names_file_line_and_field():
    text = mutate("threshold: 0.15", "threshold: 1.5")
    line = line_of(text, "threshold: 1.5")
    assert problems_of(text) == [f"college.yaml, line {line}, personas[4].threshold: must be between 0 and 1 (got 1.5)"]


def test_misspelt_field_suggests_the_right_one():
    text = mutate("    threshold: 0.15", "    treshold: 0.15")
    line = line_of(text, "treshold")
    found = problems_of(text)
    assert f'college.yaml, line {line}, personas[4].treshold: is not a field here (did you mean "threshold"?)' in found
    assert any('personas[4]: is missing "threshold"' in problem for problem in found)


def test_unknown_persona_in_an_inject():
    text = mutate("persona: tom\n    action: post.create", "persona: tomm\n    action: post.create")
    line = line_of(text, "persona: tomm")
    assert problems_of(text) == [
        f"college.yaml, line {line}, injects[1].persona: there is no persona called 'tomm' (did you mean \"tom\"?)"
    ]


def test_unknown_persona_in_seed_content():
    text = mutate("saved_by: [ben, aisha]", "saved_by: [ben, aysha]")
    line = line_of(text, "aysha")
    assert problems_of(text) == [
        f"college.yaml, line {line}, seed.bookmarks[0].saved_by[1]: there is no persona called 'aysha' (did you mean \"aisha\"?)"
    ]


def test_inject_in_the_past():
    text = mutate("at_minute: 8", "at_minute: -5")
    line = line_of(text, "at_minute: -5")
    assert problems_of(text) == [
        f"college.yaml, line {line}, injects[1].at_minute: is in the past (-5 minutes before the session starts); use 0 or later"
    ]


def test_inject_after_the_session_ends():
    text = mutate("at_minute: 82", "at_minute: 95")
    assert problems_of(text) == [
        f"college.yaml, line {line_of(text, 'at_minute: 95')}, injects[12].at_minute: is after the session ends "
        "(minute 95 of 90); raise settings.duration_minutes or move it"
    ]


def test_injects_that_wait_for_each_other_in_a_loop():
    text = mutate("    at_minute: 30\n", "    at_minute: 30\n    after: [raj-backs-the-idea]\n")
    found = problems_of(text)
    assert len(found) == 1
    assert "injects wait for each other in a loop" in found[0]
    assert "ambassador-idea" in found[0] and "raj-backs-the-idea" in found[0]
    assert found[0].startswith("college.yaml, line ")


def test_inject_waiting_for_an_unknown_inject():
    text = mutate("after: [ambassador-idea]", "after: [ambassador-ideas]")
    assert problems_of(text) == [
        f"college.yaml, line {line_of(text, 'after: [ambassador-ideas]')}, injects[6].after[0]: there is no inject "
        "called 'ambassador-ideas' (did you mean \"ambassador-idea\"?)"
    ]


def test_rules_that_trigger_each_other_forever():
    loop = """
  - id: echo-a
    when: {verb: post.reply, by: anyone}
    respond: {persona: colleague, action: post.react}
  - id: echo-b
    when: {verb: post.react, by: simulated}
    respond: {persona: colleague, action: post.reply, payload: {text: Me too!}}
"""
    text = mutate("\n# Missions:", loop + "\n# Missions:")
    found = problems_of(text)
    assert len(found) == 1
    assert "rules trigger each other in a loop: echo-a -> echo-b -> echo-a" in found[0]
    assert "answer each other forever" in found[0]


def test_rule_with_an_unknown_responder_and_action():
    text = mutate("persona: carla\n      action: wiki.edit", "persona: carl\n      action: wiki.edits")
    found = problems_of(text)
    assert any("rules[4].respond.persona: there is no persona called 'carl' (did you mean \"carla\"?)" in p for p in found)
    assert any("rules[4].respond.action: 'wiki.edits' is not something a simulated colleague can do (did you mean \"wiki.edit\"?)" in p for p in found)


def test_duplicate_ids():
    text = mutate("- id: give-praise", "- id: run-a-poll")
    assert problems_of(text) == [
        f"college.yaml, line {line_of(text, '- id: run-a-poll', after='- id: run-a-poll')}, missions[13].id: "
        f"'run-a-poll' is used twice (first on line {line_of(text, '- id: run-a-poll')}); each id must be unique"
    ]


def test_mission_with_an_unknown_verb():
    text = mutate("verb: post.praise", "verb: post.prase", after="- id: give-praise")
    assert problems_of(text) == [
        f"college.yaml, line {line_of(text, 'post.prase')}, missions[12].check.verb: is not a known verb "
        "(got 'post.prase') (did you mean \"post.praise\"?)"
    ]


def test_mission_with_an_unknown_module():
    text = mutate("module: 12", "module: 13")
    assert problems_of(text) == [
        f"college.yaml, line {line_of(text, 'module: 13')}, missions[14].module: must be a course module from 1 to 12 (got 13)"
    ]


def test_mission_step_typo_suggests_the_flag():
    text = mutate("reusing_tags: true", "reusing_tag: true")
    found = problems_of(text)
    assert found == [
        f"college.yaml, line {line_of(text, 'reusing_tag:')}, missions[5].check.reusing_tag: is not part of a step "
        "(did you mean \"reusing_tags\"?)"
    ]


def test_unknown_department():
    text = mutate("department: estates", "department: estate")
    assert problems_of(text) == [
        f"college.yaml, line {line_of(text, 'department: estate')}, personas[2].department: there is no department "
        "called 'estate' (did you mean \"estates\"?)"
    ]


def test_invalid_yaml_names_the_line():
    text = mutate("title: Booking a teaching room", "title: Booking: a teaching room")
    found = problems_of(text)
    assert len(found) == 1
    assert found[0].startswith(f"college.yaml, line {line_of(text, 'Booking: a')}: this is not valid YAML")


def test_duplicate_key_is_reported():
    text = mutate("    threshold: 0.15\n", "    threshold: 0.15\n    threshold: 0.2\n")
    assert problems_of(text) == [
        f"college.yaml, line {line_of(text, 'threshold: 0.2')}, personas[4].threshold: appears twice in the same place; keep one"
    ]


@pytest.mark.parametrize("text", ["", "- just\n- a list\n"])
def test_empty_or_list_file(text):
    found = problems_of(text)
    assert found[0].startswith("college.yaml, line 1: must be a mapping with title")


def test_missing_section_and_several_problems_at_once():
    text = mutate("threshold: 0.15", "threshold: 1.5").replace("\nrules:\n", "\nrulez:\n")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, file_name="college.yaml")
    error = caught.value
    assert len(error.problems) == 3  # the threshold, the unknown "rulez", the missing "rules"
    assert str(error).endswith("(and 2 more problems)")
    assert "\n" not in str(error)  # one line for the CLI
    assert len(error.report().splitlines()) == 3
    assert any('rulez: is not a field here (did you mean "rules"?)' in line for line in error.report().splitlines())
    first_key = line_of(text, "\ntitle:") + 1
    assert f'college.yaml, line {first_key}: the file is missing "rules"' in error.report().splitlines()


def test_newcomer_without_a_join_inject():
    text = mutate("    action: member.join\n", "    action: post.react\n    payload: {to: post-parking}\n")
    found = problems_of(text)
    assert any("personas[13].newcomer: 'jordan' is a newcomer but no member.join inject brings them in" in p for p in found)


def test_unknown_scenario_name_lists_the_ones_there_are():
    with pytest.raises(ScenarioError, match=r"there is no scenario called 'collage' \(there are: .*college"):
        load_scenario("collage")


def test_an_author_adds_a_scenario_by_adding_a_file(tmp_path):
    (tmp_path / "council.yaml").write_text(COLLEGE.replace("title: Northfield College", "title: Eastbrook Council", 1))
    from sandbox.simulation.scenario import available_scenarios

    assert available_scenarios(tmp_path) == ["council"]
    assert load_scenario("council", tmp_path).title == "Eastbrook Council"


def test_mission_asking_for_more_votes_than_the_budget():
    text = mutate("  idea_votes: 3", "  idea_votes: 2")
    assert problems_of(text) == [
        f"college.yaml, line {line_of(text, 'check:', after='- id: spend-votes')}, missions[7].check: asks for 3 idea "
        "votes, but each person has only 2 (settings.idea_votes)"
    ]


def test_unknown_reaction_in_seed_content_names_the_real_ones():
    text = mutate("{by: dev, reaction: celebrate}", "{by: dev, reaction: party}")
    line = line_of(text, "reaction: party")
    assert problems_of(text) == [
        f"college.yaml, line {line}, seed.posts[0].reactions[0].reaction: must be one of "
        "like, thanks, celebrate, insightful (got 'party')"
    ]


def test_unknown_reaction_in_a_rule_suggests_the_nearest():
    text = mutate("reaction: thanks", "reaction: thank", after="id: thanks-for-praise")
    line = line_of(text, "reaction: thank\n")
    [problem] = problems_of(text)
    assert problem.startswith(f"college.yaml, line {line}, rules[")
    assert problem.endswith(".respond.payload.reaction: must be one of like, thanks, celebrate, insightful "
                            "(got 'thank') (did you mean \"thanks\"?)")


def test_scenario_reactions_are_the_feeds():
    """One list of reaction names: what scenarios may use is exactly what the feed offers."""
    from sandbox.activity import REACTIONS
    from sandbox.services import feed

    assert tuple(feed.REACTIONS) == REACTIONS
