"""Turn one planned action of a simulated colleague into service calls.

A scenario names objects by its own ids (``post-which-form``, ``open-day-checklist``);
the store numbers them. :class:`ObjectRefs` keeps the link between the two as
simulation marks (``ref:<scope><kind>:<scenario id>=<row id>``), so it lives in
the same transaction as the object it points to and needs no table of its own.

Everything goes through the services, as the persona's simulated member, so
simulated activity lands in the activity log, notifications and search exactly
like a learner's. A service refusing an action (a post deleted meanwhile, an
idea voted for already) raises its usual ``InsideOutError``; the tick then skips that
action rather than stopping the room.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.errors import InsideOutError
from sandbox.metrics.records import normalise_tags
from sandbox.services import activity_log, bookmarks, events, feed, groups, ideas, wiki, workshops
from sandbox.services.errors import NotFound
from sandbox.services.text import extract_hashtags, extract_mentions
from sandbox.simulation.planning import Action
from sandbox.simulation.scenario import Scenario
from sandbox.store.models import Member, PollOption, ScheduleSlot, SimulationMark, WikiPage, Workshop

REF_PREFIX = "ref:"

# For scheduling-poll slots written like "Monday 09:30".
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class SimulationProblem(InsideOutError):
    """A planned action that cannot be carried out (unknown persona or object)."""


class ObjectRefs:
    """Scenario object ids -> store row ids, for one workshop.

    Lookups try the caller's scope first (a self-study learner's own copy of an
    inject's post), then the workshop-wide seed objects.
    """

    def __init__(self, workshop_id: int, known: Mapping[str, int]):
        self.workshop_id = workshop_id
        self._known = dict(known)

    @classmethod
    def load(cls, session: Session, workshop_id: int) -> ObjectRefs:
        keys = session.scalars(
            select(SimulationMark.key).where(
                SimulationMark.workshop_id == workshop_id, SimulationMark.key.startswith(REF_PREFIX)
            )
        )
        known: dict[str, int] = {}
        for key in keys:
            name, _, row_id = key[len(REF_PREFIX):].rpartition("=")
            if row_id.isdigit():
                known[name] = int(row_id)
        return cls(workshop_id, known)

    def get(self, kind: str, scenario_id: str, scope: str = "") -> int | None:
        return self._known.get(f"{scope}{kind}:{scenario_id}") or self._known.get(f"{kind}:{scenario_id}")

    def need(self, kind: str, scenario_id: str, scope: str = "") -> int:
        found = self.get(kind, scenario_id, scope)
        if found is None:
            raise SimulationProblem(f"the scenario's {kind} '{scenario_id}' has not been created yet")
        return found

    def remember(self, session: Session, kind: str, scenario_id: str, row_id: int, *, scope: str, now: datetime) -> None:
        name = f"{scope}{kind}:{scenario_id}"
        if name in self._known:
            return
        session.add(SimulationMark(workshop_id=self.workshop_id, key=f"{REF_PREFIX}{name}={row_id}", at=now))
        session.flush()
        self._known[name] = row_id


class Performer:
    """Carries out actions for one workshop inside the caller's transaction."""

    def __init__(self, session: Session, workshop: Workshop, scenario: Scenario, refs: ObjectRefs):
        self.session = session
        self.workshop = workshop
        self.scenario = scenario
        self.refs = refs
        self._members: dict[str, Member] = {}
        self._mention_handles: dict[str, str] | None = None

    # --- who ---------------------------------------------------------------------

    def member(self, persona: str) -> Member:
        """The simulated member playing ``persona``. Fails with SimulationProblem."""
        if persona not in self._members:
            found = self.session.scalar(
                select(Member).where(Member.workshop_id == self.workshop.id, Member.persona == persona)
            )
            if found is None:
                raise SimulationProblem(f"persona '{persona}' is not in this workshop")
            self._members[persona] = found
        return self._members[persona]

    def add_persona(self, persona: str, now: datetime) -> Member:
        """Add the persona as a simulated member (idempotent)."""
        details = self.scenario.persona(persona)
        member = workshops.add_simulated_member(
            self.session,
            self.workshop,
            persona=details.handle,
            display_name=details.name,
            department=self.department_name(details.department),
            champion=details.champion,
            threshold=details.threshold_percent,
            now=now,
        )
        self._members[persona] = member
        return member

    def department_name(self, department_id: str) -> str:
        for department in self.scenario.departments:
            if department.id == department_id:
                return department.name
        return department_id

    # --- what --------------------------------------------------------------------

    def perform(self, action: Action, *, at: datetime, scope: str = "") -> None:
        """Do ``action`` as its persona at time ``at``.

        Fails with SimulationProblem (unknown persona, object not created yet) or
        any service error (InvalidInput, NotFound, NotAllowed...).
        """
        handler = getattr(self, "_" + action.verb.replace(".", "_"), None)
        if handler is None:
            raise SimulationProblem(f"simulated colleagues cannot do '{action.verb}'")
        if action.verb == "member.join":
            handler(action, at, scope)
            return
        handler(self.member(action.persona), action, at, scope)

    def _ref(self, action: Action, field: str, kind: str, scope: str) -> int:
        """The row named by payload ``field``, or the object that triggered a reaction."""
        named = action.payload.get(field)
        if named:
            return self.refs.need(kind, str(named), scope)
        if action.object_id.isdigit():
            return int(action.object_id)
        raise SimulationProblem(f"'{action.key}' does not say which {kind} it is about")

    def _created(self, action: Action, kind: str, row_id: int, at: datetime, scope: str) -> None:
        scenario_id = action.payload.get("id")
        if scenario_id:
            self.refs.remember(self.session, kind, str(scenario_id), row_id, scope=scope, now=at)

    def _member_join(self, action: Action, at: datetime, scope: str) -> None:
        already_here = self.session.scalar(
            select(Member.id).where(Member.workshop_id == self.workshop.id, Member.persona == action.persona)
        )
        if already_here is not None:
            return  # self-study: the newcomer arrived in another learner's timeline
        member = self.add_persona(action.persona, at)
        activity_log.record(self.session, member, "member.join", now=at, object_type="member",
                            object_id=member.id)

    def _member_threshold(self, member: Member, action: Action, at: datetime, scope: str) -> None:
        threshold = action.payload["threshold"]
        percent = round(threshold * 100) if isinstance(threshold, float) and threshold <= 1 else int(threshold)
        workshops.set_threshold(self.session, member, percent, now=at)

    def _post_create(self, member: Member, action: Action, at: datetime, scope: str) -> None:
        payload = action.payload
        group = payload.get("group")
        post = feed.create_post(
            self.session,
            member,
            post_text(payload["text"], payload.get("tags"), payload.get("mentions"), self.mention_handles),
            now=at,
            group_id=self.refs.need("group", str(group), scope) if group else None,
            question=payload.get("kind") == "question",
        )
        self._created(action, "post", post.id, at, scope)

    def _post_reply(self, member: Member, action: Action, at: datetime, scope: str) -> None:
        text = post_text(action.payload["text"], (), action.payload.get("mentions"), self.mention_handles)
        feed.reply(self.session, member, self._ref(action, "to", "post", scope), text, now=at)

    def _post_react(self, member: Member, action: Action, at: datetime, scope: str) -> None:
        # The scenario's reaction names were checked against the feed's when it was loaded.
        reaction = action.payload.get("reaction") or "like"
        post_id = self._ref(action, "to", "post", scope)
        if _already_reacted(self.session, member, post_id, reaction):
            return  # react() toggles: reacting again would take it back
        feed.react(self.session, member, post_id, reaction, now=at)

    def _post_praise(self, member: Member, action: Action, at: datetime, scope: str) -> None:
        praised = action.payload.get("member")
        if not praised:
            raise SimulationProblem(f"'{action.key}' does not say whom to praise")
        handle = self.member(praised).handle
        feed.create_praise(self.session, member, handle, action.payload["text"], now=at)

    def _post_answer(self, member: Member, action: Action, at: datetime, scope: str) -> None:
        reply_id = self._ref(action, "to", "post", scope)
        reply = feed.get_post(self.session, member, reply_id)
        feed.mark_answered(self.session, member, reply.root_id or reply.id, reply.id, now=at)

    def _poll_create(self, member: Member, action: Action, at: datetime, scope: str) -> None:
        payload = action.payload
        post = feed.create_poll(self.session, member, payload["question"], list(payload["options"]), now=at)
        self._created(action, "poll", post.id, at, scope)

    def _poll_vote(self, member: Member, action: Action, at: datetime, scope: str) -> None:
        post_id = self._ref(action, "poll", "poll", scope)
        options = list(self.session.execute(
            select(PollOption.id, PollOption.label).where(PollOption.post_id == post_id).order_by(PollOption.position)
        ))
        if not options:
            raise NotFound("That poll does not exist (any more).")
        wanted = action.payload.get("option")
        chosen = next((row.id for row in options if wanted and row.label.casefold() == str(wanted).casefold()), None)
        if chosen is None:
            chosen = options[stable_index(action.key, len(options))].id
        feed.vote_poll(self.session, member, post_id, chosen, now=at)

    def _group_create(self, member: Member, action: Action, at: datetime, scope: str) -> None:
        payload = action.payload
        group = groups.create_group(self.session, member, payload["name"], payload.get("description", ""), now=at)
        self._created(action, "group", group.id, at, scope)

    def _group_join(self, member: Member, action: Action, at: datetime, scope: str) -> None:
        groups.join_group(self.session, member, self._ref(action, "group", "group", scope), now=at)

    def _wiki_create(self, member: Member, action: Action, at: datetime, scope: str) -> None:
        payload = action.payload
        page = wiki.create_page(self.session, member, payload["title"], payload["text"], now=at,
                                summary=payload.get("summary", ""))
        self._created(action, "wiki", page.id, at, scope)

    def _wiki_edit(self, member: Member, action: Action, at: datetime, scope: str) -> None:
        page_id = self._ref(action, "page", "wiki", scope)
        page = self.session.get(WikiPage, page_id)
        if page is None or page.workshop_id != self.workshop.id:
            raise NotFound("That wiki page does not exist (any more).")
        current = wiki.get_page(self.session, member, page_id)
        addition = action.payload["text"].strip()
        if action.payload.get("whole_text"):
            # A seed revision: the scenario gives the page as it read after that edit.
            body = addition
        else:
            # A colleague adds to the page; they never wipe what the learner wrote.
            body = f"{current.body.rstrip()}\n\n{addition}" if addition not in current.body else current.body
        wiki.edit_page(self.session, member, page_id, body, base_number=page.current_number, now=at,
                       summary=action.payload.get("summary", ""))

    def _bookmark_save(self, member: Member, action: Action, at: datetime, scope: str) -> None:
        payload = action.payload
        bookmarks.save_bookmark(self.session, member, payload["url"], payload["title"], now=at,
                                note=payload.get("note", ""), tags=list(normalise_tags(payload.get("tags") or ())))

    def _idea_create(self, member: Member, action: Action, at: datetime, scope: str) -> None:
        payload = action.payload
        idea = ideas.create_idea(self.session, member, payload["title"],
                                 post_text(payload["text"], payload.get("tags"), (), {}), now=at)
        self._created(action, "idea", idea.id, at, scope)

    def _idea_vote(self, member: Member, action: Action, at: datetime, scope: str) -> None:
        # Simulated colleagues have no vote budget (see ideas.votes_left), so the
        # chosen colleague can always vote; a learner's idea gets its votes.
        ideas.vote(self.session, member, self._ref(action, "idea", "idea", scope), now=at)

    def _event_create(self, member: Member, action: Action, at: datetime, scope: str) -> None:
        payload = action.payload
        # Seed events count their days from the session, not from when they were posted.
        counted_from = payload.get("days_from") or at
        starts_at = day_at(counted_from, int(payload.get("starts_in_days", 7)), str(payload.get("time", "12:00")))
        event = events.create_event(self.session, member, payload["title"], starts_at, now=at,
                                    description=payload.get("description", ""),
                                    location=payload.get("location", ""))
        self._created(action, "event", event.id, at, scope)

    def _event_rsvp(self, member: Member, action: Action, at: datetime, scope: str) -> None:
        answer = rsvp_answer(action.payload.get("answer") or "going")
        events.rsvp(self.session, member, self._ref(action, "event", "event", scope), answer, now=at)

    def _schedule_create(self, member: Member, action: Action, at: datetime, scope: str) -> None:
        payload = action.payload
        slots = [slot_time(at, str(slot)) for slot in payload["slots"]]
        poll = events.create_schedule_poll(self.session, member, payload["title"], slots, now=at)
        self._created(action, "schedule", poll.id, at, scope)

    def _schedule_vote(self, member: Member, action: Action, at: datetime, scope: str) -> None:
        poll_id = self._ref(action, "poll", "schedule", scope)
        slots = list(self.session.execute(
            select(ScheduleSlot.id, ScheduleSlot.starts_at).where(ScheduleSlot.poll_id == poll_id)
            .order_by(ScheduleSlot.starts_at)
        ))
        if not slots:
            raise NotFound("That scheduling poll does not exist (any more).")
        picks = action.payload.get("picks")
        if picks:
            wanted = {slot_label(str(pick)) for pick in picks}
            chosen = [row.id for row in slots if slot_label(row.starts_at) in wanted]
        else:
            chosen = [slots[stable_index(action.key, len(slots))].id]
        events.pick_times(self.session, member, poll_id, chosen, now=at)

    @property
    def mention_handles(self) -> Mapping[str, str]:
        """Persona handle -> member handle, so ``mentions: [sam]`` reaches Sam's member."""
        if self._mention_handles is None:
            rows = self.session.execute(
                select(Member.persona, Member.handle).where(
                    Member.workshop_id == self.workshop.id, Member.persona.is_not(None)
                )
            )
            self._mention_handles = {persona: handle for persona, handle in rows}
        return self._mention_handles


# --- small pure helpers ---------------------------------------------------------------


def post_text(
    text: str, tags: Iterable[str] | None, mentions: Iterable[str] | None, handles: Mapping[str, str]
) -> str:
    """The text with any scenario tag or mention it does not already contain added at the end.

    Tags and mentions in the services come from the text itself, so a seed post
    tagged ``[question, wifi]`` must say ``#wifi`` to be found under it.
    """
    text = text.strip()
    present_tags = set(extract_hashtags(text))
    present_mentions = set(extract_mentions(text))
    extra = [f"@{handles.get(name, name)}" for name in (mentions or ())
             if handles.get(name, name).lower() not in present_mentions]
    extra += [f"#{tag}" for tag in normalise_tags(tags or ()) if tag not in present_tags]
    return f"{text} {' '.join(extra)}" if extra else text


def rsvp_answer(answer: str) -> str:
    """Scenario RSVP answers are written as people say them ("not going"); the service's use "_"."""
    return str(answer).strip().lower().replace(" ", "_").replace("-", "_")


def stable_index(key: str, size: int) -> int:
    """A choice among ``size`` things that depends only on ``key`` (never on the time)."""
    digest = hashlib.sha256(key.encode()).digest()
    return int.from_bytes(digest[:4], "big") % size


def parse_hhmm(value: str) -> time:
    hours, _, minutes = value.strip().partition(":")
    return time(int(hours), int(minutes or 0))


def day_at(now: datetime, days: int, hhmm: str) -> datetime:
    """``days`` days after ``now``'s date, at ``hh:mm`` UTC (never before ``now``)."""
    moment = datetime.combine(now.date() + timedelta(days=max(days, 0)), parse_hhmm(hhmm), tzinfo=now.tzinfo)
    return moment if moment > now else moment + timedelta(days=1)


def slot_time(now: datetime, label: str) -> datetime:
    """``'Monday 09:30'`` -> the next Monday 09:30 after ``now`` (at least a day ahead).

    A label that is only a time (``'09:30'``) means tomorrow at that time.
    Fails with SimulationProblem for a label it cannot read.
    """
    parts = label.strip().split()
    try:
        clock_time = parse_hhmm(parts[-1])
        if len(parts) == 1:
            return datetime.combine(now.date() + timedelta(days=1), clock_time, tzinfo=now.tzinfo)
        weekday = WEEKDAYS.index(parts[0].lower())
    except (ValueError, IndexError):
        raise SimulationProblem(f"cannot read the time '{label}' (write it like 'Monday 09:30')") from None
    days_ahead = (weekday - now.weekday()) % 7 or 7
    return datetime.combine(now.date() + timedelta(days=days_ahead), clock_time, tzinfo=now.tzinfo)


def slot_label(value: datetime | str) -> str:
    """The comparable form of a slot: ``'monday 09:30'``."""
    if isinstance(value, datetime):
        return f"{WEEKDAYS[value.weekday()]} {value:%H:%M}"
    parts = value.strip().split()
    return f"{parts[0].lower()} {parse_hhmm(parts[-1]):%H:%M}" if len(parts) > 1 else value.strip()


def _already_reacted(session: Session, member: Member, post_id: int, reaction: str) -> bool:
    from sandbox.store.models import Reaction

    return session.scalar(
        select(Reaction.id).where(Reaction.post_id == post_id, Reaction.member_id == member.id,
                                  Reaction.reaction == reaction)
    ) is not None


__all__ = [
    "ObjectRefs",
    "Performer",
    "SimulationProblem",
    "day_at",
    "post_text",
    "rsvp_answer",
    "slot_time",
]
