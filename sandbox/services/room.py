"""The room, read for the trainer console: members and the activity log as metric records.

Missions, the live dashboard and the debrief report all read the same two
things: the workshop's members and its activity log, in the record shapes of
:mod:`sandbox.metrics.records`. This module loads them from the store, the log
incrementally (only rows newer than the last one seen), plus the moderation log
and the missions a member has already been congratulated on.

Like every service it takes a Session and never commits. Three functions
write, in the caller's transaction: :func:`record_completed_missions` adds
``mission.complete`` rows; :func:`release_inject_now` and :func:`skip_inject`
are the trainer's controls over the scripted timeline (both go through the
simulation's own marks, so a step is never released twice).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from sandbox.activity import parse_detail
from sandbox.metrics import records
from sandbox.services import activity_log
from sandbox.errors import InsideOutError
from sandbox.services.workshops import require_trainer
from sandbox.store.models import Activity, Member, Post, SimulationMark, WikiPage, Workshop


@dataclass(frozen=True)
class LogFingerprint:
    """How many activity rows a workshop has, and the newest id: changes with every write.

    The count catches what the newest id alone would miss: a reset (rows gone)
    and, on PostgreSQL, a row that commits after one with a higher id.
    """

    count: int
    last_id: int


def log_fingerprint(session: Session, workshop_id: int) -> LogFingerprint:
    """One cheap query: poll it to know whether anything happened in the room."""
    count, last_id = session.execute(
        select(func.count(Activity.id), func.max(Activity.id)).where(Activity.workshop_id == workshop_id)
    ).one()
    return LogFingerprint(count=count or 0, last_id=last_id or 0)


def load_members(session: Session, workshop_id: int) -> list[records.Member]:
    """Every member of the workshop (trainer included, metrics leave them out), in joining order."""
    rows = session.scalars(select(Member).where(Member.workshop_id == workshop_id).order_by(Member.id))
    return [
        records.Member(
            handle=row.handle,
            department=row.department or "",
            kind=row.kind,
            champion=bool(row.champion),
            joined_at=row.joined_at,
            display_name=row.display_name,
        )
        for row in rows
    ]


def load_activities(session: Session, workshop_id: int, *, after_id: int = 0) -> list[records.Activity]:
    """The workshop's activity rows with an id above ``after_id``, in id order.

    Actors and targets are member handles (never pseudonyms: this is the live
    room, seen by its own trainer). A row whose ``detail`` is not a JSON object
    gets an empty detail instead of breaking the dashboard.
    """
    actor, target = aliased(Member), aliased(Member)
    # Columns, not ORM objects: a 20,000-row log loads several times faster.
    rows = session.execute(
        select(Activity.id, Activity.at, actor.handle, Activity.verb, Activity.actor_kind, Activity.department,
               Activity.object_type, Activity.object_id, target.handle, Activity.detail)
        .outerjoin(actor, actor.id == Activity.actor_id)
        .outerjoin(target, target.id == Activity.target_id)
        .where(Activity.workshop_id == workshop_id, Activity.id > after_id)
        .order_by(Activity.id)
    )
    return [
        records.Activity(
            id=activity_id,
            at=at,
            actor=actor_handle or "",
            verb=verb,
            actor_kind=actor_kind,
            department=department or "",
            object_type=object_type or "",
            object_id=object_id or "",
            target=target_handle or "",
            detail=parse_detail(detail),
        )
        for (activity_id, at, actor_handle, verb, actor_kind, department, object_type, object_id,
             target_handle, detail) in rows
    ]


@dataclass
class RoomLog:
    """One workshop's activity log kept in memory and topped up with only the new rows.

    ``refresh`` asks the store for the fingerprint and checks that the newest row
    it knows is still the same row (same id, time and verb): a reset followed by
    new activity can reuse ids on SQLite, and then only a full read is right.
    When rows were only added it loads those; otherwise (a reset, or a late
    commit with a lower id) it loads the whole log again. Not thread-safe: the
    caller holds a lock.
    """

    workshop_id: int
    activities: list[records.Activity] = field(default_factory=list)
    fingerprint: LogFingerprint = LogFingerprint(0, 0)

    @property
    def version(self) -> tuple[int, int, str]:
        """Changes whenever the log does (count, newest id, newest row's time): a cache key."""
        newest = self.activities[-1].at.isoformat() if self.activities else ""
        return (self.fingerprint.count, self.fingerprint.last_id, newest)

    def refresh(self, session: Session) -> RoomLog:
        now_known = log_fingerprint(session, self.workshop_id)
        if self._newest_row_unchanged(session):
            if now_known == self.fingerprint:
                return self
            if now_known.last_id >= self.fingerprint.last_id and now_known.count >= self.fingerprint.count:
                added = load_activities(session, self.workshop_id, after_id=self.fingerprint.last_id)
                if self.fingerprint.count + len(added) == now_known.count:
                    self.activities.extend(added)
                    self.fingerprint = now_known
                    return self
        self.activities = load_activities(session, self.workshop_id)
        self.fingerprint = LogFingerprint(count=len(self.activities),
                                          last_id=max((a.id for a in self.activities), default=0))
        return self

    def _newest_row_unchanged(self, session: Session) -> bool:
        if not self.activities:
            return True
        newest = self.activities[-1]
        row = session.execute(
            select(Activity.at, Activity.verb).where(Activity.id == newest.id,
                                                     Activity.workshop_id == self.workshop_id)
        ).one_or_none()
        return row is not None and row.at == newest.at and row.verb == newest.verb


def wiki_titles(session: Session, workshop_id: int) -> dict[str, str]:
    """Wiki page id (as the activity log writes it) -> page title, for the dashboard's table."""
    rows = session.execute(select(WikiPage.id, WikiPage.title).where(WikiPage.workshop_id == workshop_id))
    return {str(page_id): title for page_id, title in rows}


# --- moderation ---------------------------------------------------------------------


@dataclass(frozen=True)
class ModerationEntry:
    """One hide (or show again) by the trainer, with the post's current state."""

    at: datetime
    post_id: int
    hidden: bool
    reason: str
    """The post's current reason (the store keeps only the latest)."""
    author: str
    """Display name of the post's author."""
    excerpt: str
    """The start of the post's text, as the author wrote it (escape before showing)."""
    still_hidden: bool


def moderation_log(session: Session, workshop_id: int, *, excerpt_chars: int = 80) -> list[ModerationEntry]:
    """Every ``post.hide`` in the workshop, newest first."""
    hides = session.scalars(
        select(Activity)
        .where(Activity.workshop_id == workshop_id, Activity.verb == "post.hide")
        .order_by(Activity.id.desc())
    ).all()
    post_ids = {int(row.object_id) for row in hides if row.object_id.isdigit()}
    posts = {
        post.id: (post, name)
        for post, name in session.execute(
            select(Post, Member.display_name)
            .join(Member, Member.id == Post.author_id)
            .where(Post.workshop_id == workshop_id, Post.id.in_(post_ids))
        )
    }
    entries = []
    for activity in hides:
        found = posts.get(int(activity.object_id)) if activity.object_id.isdigit() else None
        if found is None:
            continue
        post, author_name = found
        excerpt = _excerpt(post.body, excerpt_chars)
        entries.append(ModerationEntry(
            at=activity.at,
            post_id=post.id,
            hidden=bool(parse_detail(activity.detail).get("hidden", True)),
            reason=post.hidden_reason or "",
            author=author_name,
            excerpt=excerpt,
            still_hidden=bool(post.hidden),
        ))
    return entries


@dataclass(frozen=True)
class PostForModeration:
    id: int
    author: str
    excerpt: str
    """The start of the text as written (escape before showing it as Markdown)."""
    is_reply: bool
    hidden: bool
    hidden_reason: str
    created_at: datetime


def recent_posts(session: Session, workshop_id: int, *, limit: int = 30,
                 excerpt_chars: int = 80) -> list[PostForModeration]:
    """The newest posts and replies of the workshop (hidden ones too, deleted ones not)."""
    rows = session.execute(
        select(Post, Member.display_name)
        .join(Member, Member.id == Post.author_id)
        .where(Post.workshop_id == workshop_id, Post.deleted.is_(False))
        .order_by(Post.id.desc())
        .limit(max(1, min(limit, 200)))
    )
    return [
        PostForModeration(
            id=post.id,
            author=name,
            excerpt=_excerpt(post.body, excerpt_chars),
            is_reply=post.parent_id is not None,
            hidden=bool(post.hidden),
            hidden_reason=post.hidden_reason or "",
            created_at=post.created_at,
        )
        for post, name in rows
    ]


def _excerpt(body: str | None, chars: int) -> str:
    text = " ".join((body or "").split())
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


# --- the simulation's timeline ------------------------------------------------------


def released_keys(session: Session, workshop_id: int) -> set[str]:
    """Keys of everything the simulation has released in the workshop (``inject:<id>``, ...)."""
    return set(session.scalars(select(SimulationMark.key).where(SimulationMark.workshop_id == workshop_id)))


def skipped_injects(keys: Iterable[str]) -> set[str]:
    """Ids of the room's scripted steps that were skipped, not released, given
    :func:`released_keys`: skipped by the trainer, or refused when they fell due."""
    from sandbox.simulation.tick import SKIPPED_PREFIX

    prefix = SKIPPED_PREFIX + "inject:"
    return {key[len(prefix):] for key in keys if key.startswith(prefix)}


class TimelineError(InsideOutError):
    """A scripted step that cannot be released or skipped now (the message says why)."""


def _pending_inject(session: Session, workshop: Workshop, inject_id: str):
    from sandbox.simulation.planning import inject_key
    from sandbox.simulation.scenario import load_scenario

    scenario = load_scenario(workshop.scenario)
    inject = next((item for item in scenario.injects if item.id == inject_id), None)
    if inject is None:
        raise TimelineError("That scripted step is not in this workshop's scenario.")
    if workshop.mode == "self-study":
        raise TimelineError("In self-study mode each learner has their own timeline; "
                            "scripted steps cannot be released or skipped for the room.")
    if inject_key(inject) in released_keys(session, workshop.id):
        raise TimelineError("That scripted step has already been released or skipped.")
    return scenario, inject


def release_inject_now(session: Session, trainer: Member, inject_id: str, *, now: datetime) -> list[str]:
    """Trainer: release one scripted step now, however far ahead it is on the timeline.

    Works through the tick itself (the step is treated as due at minute 0), so it
    is released exactly once, with its mark, like any other. Anything else due
    goes out in the same tick. Returns the keys released.

    Fails with NotAllowed (not the trainer) or TimelineError (unknown, already
    released, self-study mode, clock not started, or waiting for an earlier step).
    """
    from dataclasses import replace

    from sandbox.simulation.planning import inject_key
    from sandbox.simulation.tick import forget_quiet_state, tick

    require_trainer(trainer)
    workshop = session.get(Workshop, trainer.workshop_id)
    scenario, inject = _pending_inject(session, workshop, inject_id)
    if workshop.clock_started_at is None and session.scalar(
            select(func.min(Member.joined_at)).where(Member.workshop_id == workshop.id,
                                                     Member.kind == "learner")) is None:
        raise TimelineError("The session clock has not started yet. Start it first.")
    released = released_keys(session, workshop.id)
    waiting = [before for before in inject.after if f"inject:{before}" not in released]
    if waiting:
        steps = {item.id: item for item in scenario.injects}
        people = {persona.handle: persona.name for persona in scenario.personas}
        earlier = "; ".join(
            f"the minute-{steps[step].at_minute:g} step by {people.get(steps[step].persona, steps[step].persona)}"
            if step in steps else step
            for step in waiting)
        raise TimelineError(f"That step waits for an earlier one first ({earlier}, id {', '.join(waiting)}). "
                            "Release or skip that one first.")
    now_due = replace(scenario, injects=tuple(
        replace(item, at_minute=0) if item.id == inject.id else item for item in scenario.injects))
    result = tick(session, workshop.code, now, scenario=now_due)
    forget_quiet_state()
    if inject_key(inject) not in result.released:
        # The tick refused it (say, the colleague or post it needs is gone). Raising
        # rolls the whole tick back: the step stays on the timeline, unmarked.
        raise TimelineError("That step could not be done now (something it needs is missing from the "
                            "room). It stays on the timeline.")
    return result.released


def skip_inject(session: Session, trainer: Member, inject_id: str, *, now: datetime) -> None:
    """Trainer: never release this scripted step (steps that wait for it can then go ahead).

    Stores the step's mark, which is how the tick knows a step is done, and a
    ``skipped:`` mark so the timeline can say it was skipped, not released.
    Fails with NotAllowed (not the trainer) or TimelineError (unknown, already
    released, or self-study mode).
    """
    from sandbox.simulation.planning import inject_key
    from sandbox.simulation.tick import SKIPPED_PREFIX, forget_quiet_state

    require_trainer(trainer)
    workshop = session.get(Workshop, trainer.workshop_id)
    _scenario, inject = _pending_inject(session, workshop, inject_id)
    try:
        with session.begin_nested():
            session.add(SimulationMark(workshop_id=workshop.id, key=inject_key(inject), at=now))
            session.add(SimulationMark(workshop_id=workshop.id, key=SKIPPED_PREFIX + inject_key(inject), at=now))
            session.flush()
    except IntegrityError:
        # A tick released it between our check and now.
        raise TimelineError("That scripted step has just been released.") from None
    forget_quiet_state()


# --- missions -----------------------------------------------------------------------


def completed_missions(session: Session, member: Member) -> set[str]:
    """Ids of the missions already recorded as complete for ``member``."""
    return set(session.scalars(
        select(Activity.object_id).where(
            Activity.workshop_id == member.workshop_id,
            Activity.actor_id == member.id,
            Activity.verb == "mission.complete",
        )
    ))


def record_completed_missions(session: Session, member: Member, done: Iterable[str], *, now: datetime) -> list[str]:
    """Record ``mission.complete`` for each mission in ``done`` not recorded yet.

    Returns the ids newly recorded, in the order given: the missions to
    celebrate now. Recording twice is harmless (nothing new is written).
    """
    already = completed_missions(session, member)
    member = session.get(Member, member.id)
    fresh = []
    for mission_id in done:
        if mission_id in already or mission_id in fresh:
            continue
        activity_log.record(session, member, "mission.complete", now=now, object_type="mission",
                            object_id=mission_id)
        fresh.append(mission_id)
    return fresh
