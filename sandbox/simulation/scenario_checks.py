"""Checks across a whole scenario, after each value has the right shape.

Every reference must name something that exists (a persona, a department, a
seed post, a group, an earlier inject's object), ids must be unique, injects
must not be in the past or after the session, inject dependencies and reactive
rules must not loop, and missions must use known verbs and modules 1-12.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx

from sandbox.activity import VERBS
from sandbox.activity import REACTIONS
from sandbox.simulation.actions import ACTIONS, RSVP_ANSWERS
from sandbox.simulation.missions import Mission, Step, parse_check
from sandbox.simulation.problems import ProblemList, did_you_mean
from sandbox.simulation.scenario_schema import RESPONDERS

MODULES = range(1, 13)
SEED_KINDS = {
    "posts": "post",
    "wiki_pages": "wiki",
    "share_files": "share_file",
    "bookmarks": "bookmark",
    "ideas": "idea",
    "events": "event",
    "polls": "poll",
    "schedule_polls": "schedule",
    "groups": "group",
}
# Triggers whose activity names the member(s) mentioned.
MENTIONING_VERBS = ("post.create", "post.reply", "post.mention")


def check_references(data: dict[str, Any], problems: ProblemList) -> tuple[Mission, ...]:
    """Report every broken reference; return the parsed missions."""
    departments = _unique(data["departments"], "id", ("departments",), problems)
    personas = _unique(data["personas"], "handle", ("personas",), problems)
    for index, persona in enumerate(data["personas"]):
        _known(persona["department"], departments, "department", ("personas", index, "department"), problems)
    objects = _check_seed(data["seed"], personas, problems)
    _check_injects(data, personas, objects, problems)
    _check_rules(data, personas, objects, problems)
    missions = _check_missions(data["missions"], problems)
    _check_vote_budget(data, missions, problems)
    return missions


def _unique(items: list[dict], key: str, path: tuple, problems: ProblemList) -> set[str]:
    first_index: dict[str, int] = {}
    for index, item in enumerate(items):
        value = item[key]
        if value in first_index:
            first_line = problems.located.line_of(path + (first_index[value], key))
            problems.add(path + (index, key), f"{value!r} is used twice (first on line {first_line}); each {key} must be unique")
        first_index.setdefault(value, index)
    return set(first_index)


def _known(value: str, known: Iterable[str], what: str, path: tuple, problems: ProblemList) -> bool:
    known = set(known)
    if value in known:
        return True
    problems.add(path, f"there is no {what} called {value!r}{did_you_mean(value, known)}")
    return False


def _check_seed(seed: dict[str, Any], personas: set[str], problems: ProblemList) -> dict[str, set[str]]:
    """Check seed content; return the ids of every seeded object by kind."""
    objects: dict[str, set[str]] = {}
    for section, kind in SEED_KINDS.items():
        objects[kind] = _unique(seed[section], "id", ("seed", section), problems)
    person_fields = ("author", "owner", "organiser")
    for section in SEED_KINDS:
        for index, item in enumerate(seed[section]):
            path = ("seed", section, index)
            for name in person_fields:
                if name in item:
                    _known(item[name], personas, "persona", path + (name,), problems)
            for name in ("saved_by", "votes", "members", "mentions"):
                if isinstance(item.get(name), list):
                    for position, handle in enumerate(item[name]):
                        _known(handle, personas, "persona", path + (name, position), problems)
            for name in ("rsvps", "picks"):
                for handle in item.get(name, {}):
                    _known(handle, personas, "persona", path + (name, handle), problems)
            for position, reply in enumerate(item.get("replies", ())):
                _known(reply["author"], personas, "persona", path + ("replies", position, "author"), problems)
            for position, reaction in enumerate(item.get("reactions", ())):
                _known(reaction["by"], personas, "persona", path + ("reactions", position, "by"), problems)
            if section == "posts" and item["group"]:
                _known(item["group"], objects["group"], "group", path + ("group",), problems)
            if section == "polls" and isinstance(item.get("votes"), dict):
                for handle, option in item["votes"].items():
                    if option not in item["options"]:
                        problems.add(path + ("votes", handle), f"{option!r} is not one of this poll's options")
            if section == "schedule_polls":
                for handle, picks in item["picks"].items():
                    for slot in picks:
                        if slot not in item["slots"]:
                            problems.add(path + ("picks", handle), f"{slot!r} is not one of this poll's slots")
    return objects


def _check_payload(
    action: str,
    payload: dict[str, Any],
    path: tuple,
    personas: set[str],
    objects: dict[str, set[str]],
    problems: ProblemList,
    *,
    in_rule: bool,
) -> None:
    spec = ACTIONS[action]
    for name in payload:
        if name not in spec.fields():
            problems.add(path + ("payload", name), f"is not used by {action}{did_you_mean(name, spec.fields())}")
    for name in spec.required:
        if name not in payload or payload[name] in (None, "", []):
            problems.add(path + ("payload",), f'{action} needs "{name}"')
    for name, kind in spec.refs.items():
        if name in payload:
            _known(str(payload[name]), objects.get(kind, ()), kind.replace("_", " "), path + ("payload", name), problems)
        elif not in_rule:
            problems.add(path + ("payload",), f'{action} needs "{name}" (which {kind.replace("_", " ")} it acts on)')
    for name, kind in spec.optional_refs.items():
        if name in payload:
            _known(str(payload[name]), objects.get(kind, ()), kind, path + ("payload", name), problems)
    for name in ("mentions",):
        for handle in payload.get(name) or ():
            _known(str(handle), personas, "persona", path + ("payload", name), problems)
    if "member" in payload:
        _known(str(payload["member"]), personas, "persona", path + ("payload", "member"), problems)
    if action == "post.react" and payload.get("reaction", "like") not in REACTIONS:
        reaction = payload.get("reaction")
        problems.add(path + ("payload", "reaction"),
                     f"must be one of {', '.join(REACTIONS)} (got {reaction!r}){did_you_mean(reaction, REACTIONS)}")
    if action == "event.rsvp" and payload.get("answer", "going") not in RSVP_ANSWERS:
        problems.add(path + ("payload", "answer"), f"must be one of {', '.join(RSVP_ANSWERS)}")
    if action == "member.threshold":
        value = payload.get("threshold")
        # A percentage, as the threshold game records it (the persona's own threshold is a fraction).
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            problems.add(path + ("payload", "threshold"), f"must be a whole percentage from 0 to 100 (got {value!r})")


def _check_action(action: str, path: tuple, problems: ProblemList) -> bool:
    if action in ACTIONS:
        return True
    problems.add(path, f"{action!r} is not something a simulated colleague can do{did_you_mean(action, ACTIONS)}")
    return False


def _check_injects(data: dict[str, Any], personas: set[str], objects: dict[str, set[str]], problems: ProblemList) -> None:
    injects = data["injects"]
    duration = data["settings"]["duration_minutes"]
    ids = _unique(injects, "id", ("injects",), problems)
    # Objects created by injects can be named by later injects and by rules.
    for inject in injects:
        spec = ACTIONS.get(inject["action"])
        if spec and spec.creates and isinstance(inject["payload"].get("id"), str):
            objects.setdefault(spec.creates, set()).add(inject["payload"]["id"])
    graph = nx.DiGraph()
    joins = {inject["persona"]: inject["at_minute"] for inject in injects if inject["action"] == "member.join"}
    newcomers = {persona["handle"] for persona in data["personas"] if persona["newcomer"]}
    for index, inject in enumerate(injects):
        path = ("injects", index)
        minute = inject["at_minute"]
        if minute < 0:
            problems.add(path + ("at_minute",), f"is in the past ({minute:g} minutes before the session starts); use 0 or later")
        elif minute > duration:
            problems.add(path + ("at_minute",), f"is after the session ends (minute {minute:g} of {duration}); raise settings.duration_minutes or move it")
        known_persona = _known(inject["persona"], personas, "persona", path + ("persona",), problems)
        if _check_action(inject["action"], path + ("action",), problems):
            _check_payload(inject["action"], inject["payload"], path, personas, objects, problems, in_rule=False)
        if known_persona and inject["persona"] in newcomers and inject["action"] != "member.join":
            joined = joins.get(inject["persona"])
            if joined is None or minute < joined:
                problems.add(path + ("persona",), f"{inject['persona']!r} is a newcomer and has not joined yet at minute {minute:g}")
        graph.add_node(inject["id"])
        for position, before in enumerate(inject["after"]):
            if _known(before, ids, "inject", path + ("after", position), problems):
                graph.add_edge(before, inject["id"])
    for persona in sorted(newcomers - joins.keys()):
        index = next(i for i, item in enumerate(data["personas"]) if item["handle"] == persona)
        problems.add(("personas", index, "newcomer"), f"{persona!r} is a newcomer but no member.join inject brings them in")
    _report_loop(graph, injects, "injects", "injects wait for each other in a loop", "so none of them would ever be released", problems)


def _check_rules(data: dict[str, Any], personas: set[str], objects: dict[str, set[str]], problems: ProblemList) -> None:
    rules = data["rules"]
    _unique(rules, "id", ("rules",), problems)
    graph = nx.DiGraph()
    for index, rule in enumerate(rules):
        path = ("rules", index)
        when, respond = rule["when"], rule["respond"]
        graph.add_node(rule["id"])
        if when["verb"] not in VERBS:
            problems.add(path + ("when", "verb"), f"{when['verb']!r} is not a known verb{did_you_mean(when['verb'], VERBS)}")
        responder = respond["persona"]
        if responder not in RESPONDERS and responder not in personas:
            problems.add(
                path + ("respond", "persona"),
                f"there is no persona called {responder!r}{did_you_mean(responder, list(personas) + list(RESPONDERS))} "
                f"(or use one of: {', '.join(RESPONDERS)})",
            )
        if responder == "mentioned" and when["verb"] not in MENTIONING_VERBS:
            problems.add(path + ("respond", "persona"), f"'mentioned' needs a trigger that mentions someone ({', '.join(MENTIONING_VERBS)})")
        if responder == "previous_editor" and when["verb"] != "wiki.edit":
            problems.add(path + ("respond", "persona"), "'previous_editor' needs a wiki.edit trigger")
        if responder == "expert" and not any(department["tags"] for department in data["departments"]):
            problems.add(path + ("respond", "persona"), "'expert' needs departments with tags to know who answers what")
        if _check_action(respond["action"], path + ("respond", "action"), problems):
            _check_payload(respond["action"], respond["payload"], path + ("respond",), personas, objects, problems, in_rule=True)
    # A rule's response feeds another rule if that rule listens to simulated colleagues.
    for rule in rules:
        for other in rules:
            if other["when"]["by"] != "learner" and other["when"]["verb"] == rule["respond"]["action"]:
                graph.add_edge(rule["id"], other["id"])
    _report_loop(graph, rules, "rules", "rules trigger each other in a loop", "so simulated colleagues would answer each other forever", problems)


def _report_loop(
    graph: nx.DiGraph, items: list[dict], section: str, what: str, consequence: str, problems: ProblemList
) -> None:
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return
    names = [source for source, _target in cycle] + [cycle[0][0]]
    first = next(index for index, item in enumerate(items) if item["id"] == names[0])
    problems.add((section, first, "id"), f"{what}: {' -> '.join(names)}, {consequence}")


def _check_missions(missions: list[dict[str, Any]], problems: ProblemList) -> tuple[Mission, ...]:
    _unique(missions, "id", ("missions",), problems)
    parsed = []
    for index, mission in enumerate(missions):
        path = ("missions", index)
        if mission["module"] not in MODULES:
            problems.add(path + ("module",), f"must be a course module from 1 to 12 (got {mission['module']})")
        check = parse_check(mission["check"], problems.add, path + ("check",))
        if check is not None:
            parsed.append(
                Mission(
                    id=mission["id"],
                    title=mission["title"],
                    module=mission["module"],
                    description=mission["description"],
                    hint=mission["hint"],
                    check=check,
                )
            )
    return tuple(parsed)


def _check_vote_budget(data: dict[str, Any], missions: tuple[Mission, ...], problems: ProblemList) -> None:
    """A mission must not ask for more idea votes than a person has to spend."""
    budget = data["settings"]["idea_votes"]
    for index, item in enumerate(data["missions"]):
        mission = next((parsed for parsed in missions if parsed.id == item["id"]), None)
        if mission is None:
            continue
        for step in _steps(mission.check):
            if step.verb == "idea.vote" and not step.received and step.count > budget:
                problems.add(
                    ("missions", index, "check"),
                    f"asks for {step.count} idea votes, but each person has only {budget} (settings.idea_votes)",
                )


def _steps(check):
    if isinstance(check, Step):
        yield check
    else:
        for part in check.parts:
            yield from _steps(part)
