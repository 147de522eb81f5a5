"""Fill a new workshop with the scenario's colleagues and content, so no room is empty.

``seed_workshop`` adds every persona present from the start as a simulated
member, then creates the scenario's seed content (groups, wiki pages with their
history, posts with replies and reactions, bookmarks, ideas with votes, events
with RSVPs, polls and scheduling polls) through the services, as the personas,
with timestamps in the past (``minutes_ago``) so the room looks lived-in. The
activity log therefore shows the seed like everything else.

Each seed item records a simulation mark (``seed:<section>:<id>``) in the same
transaction, so seeding twice does nothing and a half-seeded room cannot exist.
The scenario's settings that apply per workshop (the idea-vote budget) become
the workshop's own settings (columns of ``workshops``), at create and on reset.
Newcomer personas are not added here: they arrive during the session through
their ``member.join`` inject.

``create_workshop_from_scenario`` is what ``insideout workshop create`` calls:
it loads and checks the scenario first (nothing is written if it is broken),
then creates the workshop and seeds it in the caller's transaction.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.config import LIMITS
from sandbox.services import feed, ideas, workshops
from sandbox.simulation.perform import ObjectRefs, Performer
from sandbox.simulation.planning import Action
from sandbox.simulation.problems import Problem, ScenarioError
from sandbox.simulation.scenario import Scenario, load_scenario, scenario_dir
from sandbox.store.models import Member, SimulationMark, Workshop

SEED_PREFIX = "seed:"

# Seed items without ``minutes_ago`` are placed this long before the workshop
# was created; groups come first so their posts have somewhere to go.
DEFAULT_MINUTES_AGO = {
    "groups": 5 * 24 * 60,
    "bookmarks": 3 * 24 * 60,
    "events": 2 * 24 * 60,
    "schedule_polls": 24 * 60,
    "ideas": 24 * 60,
    "polls": 12 * 60,
    "posts": 12 * 60,
    # The "Word file on the share" post is recent, so learners find it near the top.
    "share_files": 90,
}

# The order sections are seeded in: things others refer to come first.
SECTIONS = ("groups", "wiki_pages", "posts", "share_files", "bookmarks", "ideas", "events", "polls",
            "schedule_polls")

IDEA_STATUSES = {"under review": "under-review", "not now": "declined"}


@dataclass(frozen=True)
class SeedResult:
    members_added: int
    items_seeded: list[str]


def create_workshop_from_scenario(
    session: Session,
    title: str,
    *,
    now: datetime,
    mode: str = "live",
    scenario: str = "college",
) -> workshops.CreatedWorkshop:
    """Create a workshop and seed it from scenario ``scenario``, in the caller's transaction.

    Fails with ScenarioError (unknown or broken scenario; checked before anything
    is written), InvalidInput (title, mode), or a service error if the seed itself
    is refused (the whole transaction is then rolled back by the caller).
    """
    loaded = load_workshop_scenario(scenario)
    created = workshops.create_workshop(session, title, now=now, mode=mode, scenario=loaded.name)
    seed_workshop(session, created.workshop, loaded, now)
    return created


def load_workshop_scenario(name: str) -> Scenario:
    """Load and check scenario ``name`` for a new workshop, which stores only the name.

    Fails with ScenarioError when the scenario is unknown or broken, or when
    ``name`` is a path to a file outside the scenarios folder: the workshop
    could not find that file again later (on reset, or when the room runs).
    """
    loaded = load_scenario(name)
    if loaded.source is not None and loaded.source.resolve().parent != scenario_dir().resolve():
        raise ScenarioError([Problem(
            loaded.source.name, 1, "",
            f"a workshop needs a scenario by name; put the file in {scenario_dir()} "
            "(or point INSIDEOUT_SCENARIO_DIR at its folder) and use its name")])
    return loaded


def reset_and_reseed(session: Session, code: str, *, now: datetime) -> dict[str, int]:
    """Reset workshop ``code`` (``workshops.reset_workshop``) and seed it again, in one transaction.

    The room starts over as it was when created: the scenario's colleagues and
    content are back, the clock and the timeline start again. Returns how many
    rows the reset removed per table. Fails with NotFound (unknown code) or
    ScenarioError (the workshop's scenario file is missing or broken; checked
    before anything is removed).
    """
    workshop = workshops.get_workshop(session, code)
    scenario = load_scenario(workshop.scenario)
    removed = workshops.reset_workshop(session, code)
    seed_workshop(session, workshop, scenario, now)
    return removed


def seed_workshop(session: Session, workshop: Workshop, scenario: Scenario, now: datetime) -> SeedResult:
    """Add the scenario's colleagues and seed content to ``workshop`` (idempotent).

    Returns what was added this time (nothing when seeded before). Fails with
    a service error or SimulationProblem when the scenario's seed cannot be
    created (an inconsistent scenario that passed validation); the caller's
    transaction should then be rolled back.
    """
    _keep_settings(session, workshop, scenario)
    performer = Performer(session, workshop, scenario, ObjectRefs.load(session, workshop.id))
    existing = {
        persona for persona in session.scalars(
            select(Member.persona).where(Member.workshop_id == workshop.id, Member.persona.is_not(None))
        )
    }
    earliest = now - timedelta(minutes=_oldest_minutes_ago(scenario) + 1)
    added = 0
    for persona in scenario.personas:
        if persona.newcomer or persona.handle in existing:
            continue
        performer.add_persona(persona.handle, earliest)
        added += 1
    done = set(session.scalars(
        select(SimulationMark.key).where(SimulationMark.workshop_id == workshop.id,
                                         SimulationMark.key.startswith(SEED_PREFIX))
    ))
    trainer = session.scalar(select(Member).where(Member.workshop_id == workshop.id, Member.kind == "trainer"))
    seeded: list[str] = []
    for section in SECTIONS:
        for index, item in enumerate(scenario.seed.get(section) or ()):
            key = f"{SEED_PREFIX}{section}:{item['id']}"
            if key in done:
                continue
            item_time = _item_time(item, section, index, now)
            for action, at in _actions(section, item, item_time, now):
                performer.perform(action, at=at)
            _after_item(session, section, item, performer, trainer, item_time)
            session.add(SimulationMark(workshop_id=workshop.id, key=key, at=now))
            session.flush()
            seeded.append(key)
    return SeedResult(members_added=added, items_seeded=seeded)


def _keep_settings(session: Session, workshop: Workshop, scenario: Scenario) -> None:
    """Give the workshop the scenario's settings (the idea-vote budget), at create and reset."""
    workshops.apply_settings(session, workshop, idea_vote_budget=scenario.settings["idea_votes"])


def _oldest_minutes_ago(scenario: Scenario) -> float:
    oldest = max(DEFAULT_MINUTES_AGO.values())
    for section in SECTIONS:
        for item in scenario.seed.get(section) or ():
            oldest = max(oldest, float(item.get("minutes_ago") or 0))
            for revision in item.get("revisions") or ():
                oldest = max(oldest, float(revision.get("minutes_ago") or 0))
    return oldest


def _item_time(item: dict[str, Any], section: str, index: int, now: datetime) -> datetime:
    if section == "wiki_pages":
        minutes = max(float(r.get("minutes_ago") or 0) for r in item["revisions"])
    elif item.get("minutes_ago") is not None:
        minutes = float(item["minutes_ago"])
    else:
        # Spread undated items an hour apart, so they do not all share one instant.
        minutes = DEFAULT_MINUTES_AGO.get(section, 600) - 60 * index
    return now - timedelta(minutes=max(minutes, 1))


def _later(start: datetime, step_minutes: float, now: datetime) -> datetime:
    """A moment ``step_minutes`` after ``start``, but still in the past."""
    return min(start + timedelta(minutes=step_minutes), now - timedelta(seconds=1))


def _actions(section: str, item: dict[str, Any], at: datetime, now: datetime) -> Iterator[tuple[Action, datetime]]:
    """The persona actions that recreate one seed item, each with its time."""
    item_id = item["id"]

    def action(persona: str, verb: str, payload: dict[str, Any], suffix: str = "") -> Action:
        return Action(key=f"{SEED_PREFIX}{section}:{item_id}{suffix}", due_at=at, persona=persona,
                      verb=verb, payload=payload)

    if section == "groups":
        yield action(item["owner"], "group.create",
                     {"id": item_id, "name": item["name"], "description": item.get("description", "")}), at
        for step, member in enumerate(m for m in item.get("members") or () if m != item["owner"]):
            yield action(member, "group.join", {"group": item_id}), _later(at, step + 1, now)
    elif section == "wiki_pages":
        revisions = sorted(item["revisions"], key=lambda r: -float(r.get("minutes_ago") or 0))
        first, rest = revisions[0], revisions[1:]
        yield action(first["author"], "wiki.create", {
            "id": item_id, "title": item["title"], "text": first["text"], "summary": first.get("summary", ""),
        }), at
        for number, revision in enumerate(rest, start=2):
            when = now - timedelta(minutes=max(float(revision.get("minutes_ago") or 0), 1))
            yield action(revision["author"], "wiki.edit", {
                "page": item_id, "text": revision["text"], "summary": revision.get("summary", ""),
                "whole_text": True,
            }, f":{number}"), when
    elif section == "posts":
        payload = {"id": item_id, "text": item["text"], "tags": item.get("tags") or [],
                   "kind": item.get("kind", "")}
        if item.get("group"):
            payload["group"] = item["group"]
        yield action(item["author"], "post.create", payload), at
        for number, reply in enumerate(item.get("replies") or ()):
            when = (now - timedelta(minutes=float(reply["minutes_ago"])) if reply.get("minutes_ago") is not None
                    else _later(at, number + 1, now))
            yield action(reply["author"], "post.reply", {"to": item_id, "text": reply["text"]}, f":r{number}"), when
        for number, reaction in enumerate(item.get("reactions") or ()):
            yield action(reaction["by"], "post.react", {"to": item_id, "reaction": reaction.get("reaction", "like")},
                         f":x{number}"), _later(at, 2 + number, now)
    elif section == "share_files":
        # The file itself lives on a shared drive the sandbox does not have; its owner
        # posts it, so learners can read it and move it into the wiki (module 3's mission).
        yield action(item["owner"], "post.create", {"id": item_id, "text": share_file_post(item)}), at
    elif section == "bookmarks":
        for number, saver in enumerate(item.get("saved_by") or ()):
            yield action(saver, "bookmark.save", {
                "url": item["url"], "title": item["title"], "tags": item.get("tags") or [],
                "note": item.get("note", "") if number == 0 else "",
            }, f":{number}"), _later(at, 30 * number, now)
    elif section == "ideas":
        yield action(item["author"], "idea.create", {
            "id": item_id, "title": item["title"], "text": item.get("text", ""), "tags": item.get("tags") or [],
        }), at
        for number, voter in enumerate(item.get("votes") or ()):
            yield action(voter, "idea.vote", {"idea": item_id}, f":{number}"), _later(at, 5 * (number + 1), now)
    elif section == "events":
        payload = {key: item[key] for key in ("title", "starts_in_days", "time", "location", "description")
                   if item.get(key) is not None}
        yield action(item["organiser"], "event.create", {"id": item_id, "days_from": now, **payload}), at
        for number, (member, answer) in enumerate((item.get("rsvps") or {}).items()):
            yield action(member, "event.rsvp", {"event": item_id, "answer": answer}, f":{number}"), \
                _later(at, 10 * (number + 1), now)
    elif section == "polls":
        yield action(item["author"], "poll.create",
                     {"id": item_id, "question": item["question"], "options": list(item["options"])}), at
        for number, (member, option) in enumerate((item.get("votes") or {}).items()):
            yield action(member, "poll.vote", {"poll": item_id, "option": option}, f":{number}"), \
                _later(at, 3 * (number + 1), now)
    elif section == "schedule_polls":
        yield action(item["author"], "schedule.create",
                     {"id": item_id, "title": item["title"], "slots": list(item["slots"])}), at
        for number, (member, picks) in enumerate((item.get("picks") or {}).items()):
            yield action(member, "schedule.vote", {"poll": item_id, "picks": list(picks)}, f":{number}"), \
                _later(at, 15 * (number + 1), now)


def share_file_post(item: dict[str, Any]) -> str:
    """The owner's post about a Word file on the share: where it is, the story, its text.

    Cut to fit a post when the file is long (the mission only needs its steps).
    """
    head = f"**{item['title']}**: the procedure from the Word file on the share (`{item['path']}`).\n\n"
    story = f"\n\n{' '.join(str(item['story']).split())}"
    room = LIMITS.post_body - len(head) - len(story)
    text = str(item["text"]).strip()
    if len(text) > room:
        text = text[: max(room - 40, 0)].rstrip() + "\n\n(The rest is in the Word file.)"
    return head + text + story


def _after_item(session: Session, section: str, item: dict[str, Any], performer: Performer,
                trainer: Member | None, at: datetime) -> None:
    """What the trainer set before the session: pinned posts, idea statuses."""
    if trainer is None:
        return
    if section == "posts" and item.get("pinned"):
        feed.pin_post(session, trainer, performer.refs.need("post", item["id"]), True, now=at)
    elif section == "ideas" and item.get("status"):
        status = str(item["status"]).strip().lower()
        status = IDEA_STATUSES.get(status, status.replace(" ", "-"))
        if status in ideas.STATUSES and status != "new":
            ideas.set_status(session, trainer, performer.refs.need("idea", item["id"]), status, now=at)


__all__ = ["SeedResult", "create_workshop_from_scenario", "reset_and_reseed", "seed_workshop"]
