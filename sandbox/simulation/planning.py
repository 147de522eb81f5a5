"""What simulated colleagues should do now: the pure half of ``tick(now)``.

``plan_due`` looks at the scenario, the session clock, what was already
released and the workshop's activity log, and returns the actions that are due,
in order. It writes nothing: the tick (in the services layer) performs the
actions in one transaction and stores their keys as released, so calling it
twice, or from two servers, never does anything twice.

Deterministic by design: the same inputs give the same plan. Where a rule picks
"a champion" or "a colleague", or fires only by ``chance``, the choice comes
from a random generator seeded with the scenario's ``random_seed``, the rule
and the triggering activity, never from the time of day.
"""
from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sandbox.activity import SCRIPTED_STEP_PREFIX
from sandbox.metrics.records import Activity
from sandbox.simulation.scenario import Inject, Persona, Rule, Scenario


@dataclass(frozen=True)
class Clock:
    """The session clock: ``started_at`` already moved forward by any pauses."""

    started_at: datetime
    now: datetime

    @property
    def minutes(self) -> float:
        return (self.now - self.started_at).total_seconds() / 60


@dataclass(frozen=True)
class Action:
    """One thing a persona does. ``key`` is unique and stable: store it once released."""

    key: str
    due_at: datetime
    persona: str
    verb: str
    payload: dict[str, Any] = field(default_factory=dict)
    object_id: str = ""
    """For a reactive rule: the object of the triggering activity (the post to
    reply to, the idea to vote for, the page to edit). For an inject: empty; its
    payload names seed objects by their scenario ids."""
    trigger_id: int | None = None


def plan_due(
    scenario: Scenario,
    clock: Clock,
    already_released: Iterable[str],
    activities: Sequence[Activity],
    *,
    names: Mapping[str, str] | None = None,
) -> list[Action]:
    """Actions due at ``clock.now`` that are not in ``already_released``, in the order to perform them.

    ``activities`` is the workshop's log so far (rules need it to know, say,
    whether a post is someone's first). ``names`` maps handles to display names
    for the ``{actor}`` placeholder in reply texts (the handle is used otherwise).
    """
    released = set(already_released)
    plan = _due_injects(scenario, clock, released)
    joined = _joined_personas(scenario, released | {action.key for action in plan})
    plan += _due_reactions(scenario, clock, released, activities, joined, names or {})
    plan.sort(key=lambda action: (action.due_at, action.key))
    return plan


def inject_key(inject: Inject) -> str:
    return f"{SCRIPTED_STEP_PREFIX}{inject.id}"


def rule_key(rule: Rule, trigger: Activity) -> str:
    return f"rule:{rule.id}:{trigger.id}"


def _due_injects(scenario: Scenario, clock: Clock, released: set[str]) -> list[Action]:
    plan: list[Action] = []
    done = {key for key in released if key.startswith("inject:")}
    # In timeline order, so an inject waiting for an earlier one can go in the same tick.
    for inject in sorted(scenario.injects, key=lambda item: (item.at_minute, item.id)):
        key = inject_key(inject)
        if key in done or inject.at_minute > clock.minutes:
            continue
        if any(f"inject:{before}" not in done for before in inject.after):
            continue
        plan.append(
            Action(
                key=key,
                due_at=clock.started_at + timedelta(minutes=inject.at_minute),
                persona=inject.persona,
                verb=inject.action,
                payload=dict(inject.payload),
            )
        )
        done.add(key)
    return plan


def _joined_personas(scenario: Scenario, released: set[str]) -> list[Persona]:
    """Personas present now: everyone but newcomers whose join has not been released."""
    joined_newcomers = {
        inject.persona for inject in scenario.injects if inject.action == "member.join" and inject_key(inject) in released
    }
    return [persona for persona in scenario.personas if not persona.newcomer or persona.handle in joined_newcomers]


def _due_reactions(
    scenario: Scenario,
    clock: Clock,
    released: set[str],
    activities: Sequence[Activity],
    present: list[Persona],
    names: Mapping[str, str],
) -> list[Action]:
    handles = {persona.handle for persona in present}
    everyone = {persona.handle for persona in scenario.personas}
    seed = scenario.settings.get("random_seed", 1)
    first_posts = _first_posts(activities)
    # Who already did what to which object, so "a colleague" is someone new each time.
    done_to: dict[tuple[str, str], set[str]] = {}
    for activity in activities:
        done_to.setdefault((activity.verb, activity.object_id), set()).add(activity.actor)
    # Most rules cannot match most rows; looking them up by verb skips building their
    # keys (this halved the planning work on a 6,000-row log).
    rules_by_verb: dict[str, list[Rule]] = {}
    for rule in scenario.rules:
        rules_by_verb.setdefault(rule.when.verb, []).append(rule)
    plan: list[Action] = []
    for trigger in activities:
        for rule in rules_by_verb.get(trigger.verb, ()):
            key = rule_key(rule, trigger)
            if key in released or not _triggers(rule, trigger, everyone, first_posts):
                continue
            due_at = trigger.at + timedelta(minutes=rule.delay_minutes)
            if due_at > clock.now:
                continue
            rng = random.Random(f"{seed}:{rule.id}:{trigger.id}")
            if rng.random() >= rule.chance:
                continue
            already = done_to.setdefault((rule.action, trigger.object_id), set())
            persona = _responder(rule, trigger, scenario, present, handles, already, rng)
            if persona is None:
                continue
            already.add(persona)
            plan.append(
                Action(
                    key=key,
                    due_at=due_at,
                    persona=persona,
                    verb=rule.action,
                    payload=_fill(rule.payload, names.get(trigger.actor, trigger.actor)),
                    object_id=trigger.object_id,
                    trigger_id=trigger.id,
                )
            )
    return plan


def _first_posts(activities: Sequence[Activity]) -> set[int]:
    """Ids of the activities that were each author's first post."""
    seen: set[str] = set()
    first: set[int] = set()
    for activity in sorted(activities, key=lambda item: (item.at, item.id)):
        if activity.verb == "post.create" and activity.actor not in seen:
            seen.add(activity.actor)
            first.add(activity.id)
    return first


def _triggers(rule: Rule, trigger: Activity, personas: set[str], first_posts: set[int]) -> bool:
    when = rule.when
    if trigger.verb != when.verb or trigger.actor_kind == "trainer":
        return False
    is_persona = trigger.actor in personas or trigger.actor_kind == "simulated"
    if when.by == "learner" and is_persona:
        return False
    if when.by == "simulated" and not is_persona:
        return False
    if when.first_post and trigger.id not in first_posts:
        return False
    if when.tag:
        kind = str(trigger.detail.get("kind") or "") if trigger.detail else ""
        if not set(when.tag.split(",")) & (set(trigger.tags()) | {kind}):
            return False
    if when.mentions_persona and trigger.target not in personas:
        return False
    return True


def _responder(
    rule: Rule,
    trigger: Activity,
    scenario: Scenario,
    present: list[Persona],
    handles: set[str],
    already: set[str],
    rng: random.Random,
) -> str | None:
    """The persona who answers, or None when nobody suitable is present."""
    choice = rule.responder
    if choice in ("mentioned", "previous_editor"):
        return trigger.target if trigger.target in handles and trigger.target != trigger.actor else None
    if choice not in ("champion", "expert", "colleague"):
        return choice if choice in handles and choice != trigger.actor else None
    candidates = [persona for persona in present if persona.handle != trigger.actor and persona.handle not in already]
    if choice == "expert":
        tags = set(trigger.tags())
        departments = {department.id for department in scenario.departments if tags & set(department.tags)}
        experts = [persona for persona in candidates if persona.department in departments]
        # No department owns the topic: a champion steps in rather than silence.
        candidates = experts or [persona for persona in candidates if persona.champion]
    elif choice == "champion":
        candidates = [persona for persona in candidates if persona.champion]
    if not candidates:
        return None
    return rng.choice(sorted(persona.handle for persona in candidates))


def _fill(payload: Mapping[str, Any], actor_name: str) -> dict[str, Any]:
    # Plain replace, not str.format: a learner's name may contain braces.
    return {
        key: value.replace("{actor}", actor_name) if isinstance(value, str) else value
        for key, value in payload.items()
    }


__all__ = ["Action", "Clock", "inject_key", "plan_due", "rule_key"]
