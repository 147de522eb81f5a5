"""Events with RSVPs, and scheduling polls ("which of these times work for you?")."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from sandbox.config import LIMITS
from sandbox.services import activity_log
from sandbox.services.errors import InvalidInput, NotFound
from sandbox.services.text import clean_choice, clean_text, render_markdown
from sandbox.store.models import (
    Event,
    Member,
    Rsvp,
    SchedulePick,
    SchedulePoll,
    ScheduleSlot,
)

RSVP_ANSWERS = {"going": "Going", "maybe": "Maybe", "not_going": "Not going"}


@dataclass(frozen=True)
class EventView:
    id: int
    title: str
    description_html: str
    location: str
    starts_at: datetime
    creator_name: str
    going: int
    maybe: int
    not_going: int
    my_answer: str | None
    attendees: list[str]  # display names of those going


@dataclass(frozen=True)
class SlotView:
    id: int
    starts_at: datetime
    picks: int
    picked_by_me: bool
    names: list[str]


@dataclass(frozen=True)
class SchedulePollView:
    id: int
    title: str
    creator_name: str
    slots: list[SlotView]  # in time order
    best_slot_ids: list[int]  # the slot(s) most people can make; empty if no picks yet
    voters: int
    created_at: datetime


def _aware(moment, field: str) -> datetime:
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise InvalidInput(f"{field} needs a date and a time.")
    return moment


# --- events -------------------------------------------------------------------


def create_event(
    session: Session,
    creator: Member,
    title: str,
    starts_at: datetime,
    *,
    now: datetime,
    description: str = "",
    location: str = "",
) -> Event:
    """Create an event. Records ``event.create``.

    Fails with InvalidInput: title empty/too long, description or location too
    long, no time given, or a start in the past.
    """
    title = clean_text(title, "The event title", LIMITS.event_title, multiline=False)
    description = clean_text(description, "The description", LIMITS.event_description, required=False)
    location = clean_text(location, "The place", LIMITS.event_location, multiline=False, required=False)
    starts_at = _aware(starts_at, "The event")
    if starts_at <= now:
        raise InvalidInput("The event must start in the future.")
    event = Event(workshop_id=creator.workshop_id, created_by_id=creator.id, title=title,
                  description=description, location=location, starts_at=starts_at, created_at=now)
    session.add(event)
    session.flush()
    activity_log.record(session, creator, "event.create", now=now, object_type="event",
                        object_id=event.id)
    return event


def rsvp(session: Session, member: Member, event_id: int, answer: str, *, now: datetime) -> Rsvp:
    """Answer an invitation (``going``, ``maybe``, ``not_going``); answering again changes it.

    Records ``event.rsvp`` (detail: answer). Fails with InvalidInput (unknown
    answer), NotFound (no such event in the workshop).
    """
    clean_choice(answer, "The answer", RSVP_ANSWERS)
    event = _event(session, member, event_id)
    row = session.scalar(select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.member_id == member.id))
    if row is None:
        row = Rsvp(workshop_id=member.workshop_id, event_id=event.id, member_id=member.id,
                   answer=answer, answered_at=now)
        session.add(row)
    else:
        row.answer, row.answered_at = answer, now
    session.flush()
    activity_log.record(session, member, "event.rsvp", now=now, object_type="event",
                        object_id=event.id, target=session.get(Member, event.created_by_id),
                        detail={"answer": answer})
    return row


def list_upcoming(session: Session, viewer: Member, *, now: datetime, limit: int = 20) -> list[EventView]:
    """Events that have not started yet, soonest first."""
    ids = list(session.scalars(
        select(Event.id).where(Event.workshop_id == viewer.workshop_id, Event.starts_at > now)
        .order_by(Event.starts_at, Event.id).limit(max(1, min(limit, LIMITS.page_size_max)))))
    return _event_views(session, viewer, ids)


def get_event(session: Session, viewer: Member, event_id: int) -> EventView:
    """One event with its answers. Fails with NotFound."""
    return _event_views(session, viewer, [_event(session, viewer, event_id).id])[0]


def _event(session: Session, member: Member, event_id: int) -> Event:
    event = session.get(Event, event_id) if isinstance(event_id, int) else None
    if event is None or event.workshop_id != member.workshop_id:
        raise NotFound("That event does not exist.")
    return event


def _event_views(session: Session, viewer: Member, ids: list[int]) -> list[EventView]:
    if not ids:
        return []
    events = {e.id: e for e in session.scalars(select(Event).where(Event.id.in_(ids)))}
    creators = {m.id: m for m in session.scalars(
        select(Member).where(Member.id.in_({e.created_by_id for e in events.values()})))}
    answers = session.execute(
        select(Rsvp.event_id, Rsvp.answer, Rsvp.member_id, Member.display_name)
        .join(Member, Member.id == Rsvp.member_id).where(Rsvp.event_id.in_(ids))
        .order_by(Rsvp.id)).all()
    views = []
    for event_id in ids:
        e = events[event_id]
        mine = [a for a in answers if a[0] == e.id]
        views.append(EventView(
            id=e.id, title=e.title,
            description_html=render_markdown(e.description) if e.description else "",
            location=e.location, starts_at=e.starts_at,
            creator_name=creators[e.created_by_id].display_name,
            going=sum(1 for a in mine if a[1] == "going"),
            maybe=sum(1 for a in mine if a[1] == "maybe"),
            not_going=sum(1 for a in mine if a[1] == "not_going"),
            my_answer=next((a[1] for a in mine if a[2] == viewer.id), None),
            attendees=[a[3] for a in mine if a[1] == "going"]))
    return views


# --- scheduling polls -----------------------------------------------------------


def create_schedule_poll(
    session: Session, creator: Member, title: str, slots: list[datetime], *, now: datetime
) -> SchedulePoll:
    """Offer times to choose from. Records ``schedule.create``.

    Fails with InvalidInput: title empty/too long; fewer than 2 or more than 20
    times; a time without a date, in the past, or given twice.
    """
    title = clean_text(title, "The title", LIMITS.schedule_title, multiline=False)
    slots = [_aware(slot, "Each time") for slot in (slots or [])]
    if not 2 <= len(slots) <= LIMITS.schedule_slots_max:
        raise InvalidInput(f"Offer between 2 and {LIMITS.schedule_slots_max} times; you gave {len(slots)}.")
    if len(set(slots)) != len(slots):
        raise InvalidInput("The same time is offered twice. Please remove the repeat.")
    if any(slot <= now for slot in slots):
        raise InvalidInput("Every time you offer must be in the future.")
    poll = SchedulePoll(workshop_id=creator.workshop_id, created_by_id=creator.id, title=title,
                        created_at=now)
    session.add(poll)
    session.flush()
    for slot in sorted(slots):
        session.add(ScheduleSlot(workshop_id=creator.workshop_id, poll_id=poll.id, starts_at=slot))
    session.flush()
    activity_log.record(session, creator, "schedule.create", now=now, object_type="poll",
                        object_id=poll.id, detail={"slots": len(slots), "scheduling": True})
    return poll


def pick_times(session: Session, member: Member, poll_id: int, slot_ids: list[int], *, now: datetime) -> None:
    """Say which times work for you (replaces your earlier picks; none is allowed).

    Records ``schedule.vote`` (detail: how many times picked). Fails with
    NotFound (no such poll, or a time from another poll).
    """
    poll = _schedule_poll(session, member, poll_id)
    valid = set(session.scalars(select(ScheduleSlot.id).where(ScheduleSlot.poll_id == poll.id)))
    wanted = set(slot_ids or [])
    if not wanted <= valid:
        raise NotFound("One of those times is not part of this poll.")
    session.execute(delete(SchedulePick).where(SchedulePick.poll_id == poll.id,
                                               SchedulePick.member_id == member.id))
    for slot_id in sorted(wanted):
        session.add(SchedulePick(workshop_id=member.workshop_id, poll_id=poll.id, slot_id=slot_id,
                                 member_id=member.id))
    session.flush()
    activity_log.record(session, member, "schedule.vote", now=now, object_type="poll",
                        object_id=poll.id, target=session.get(Member, poll.created_by_id),
                        detail={"picked": len(wanted), "scheduling": True})


def get_schedule_poll(session: Session, viewer: Member, poll_id: int) -> SchedulePollView:
    """A scheduling poll with who can make each time and the best slot(s). Fails with NotFound."""
    poll = _schedule_poll(session, viewer, poll_id)
    slots = session.scalars(select(ScheduleSlot).where(ScheduleSlot.poll_id == poll.id)
                            .order_by(ScheduleSlot.starts_at)).all()
    picks = session.execute(
        select(SchedulePick.slot_id, SchedulePick.member_id, Member.display_name)
        .join(Member, Member.id == SchedulePick.member_id)
        .where(SchedulePick.poll_id == poll.id).order_by(SchedulePick.id)).all()
    views = [SlotView(id=s.id, starts_at=s.starts_at,
                      picks=sum(1 for p in picks if p[0] == s.id),
                      picked_by_me=any(p[0] == s.id and p[1] == viewer.id for p in picks),
                      names=[p[2] for p in picks if p[0] == s.id]) for s in slots]
    top = max((v.picks for v in views), default=0)
    return SchedulePollView(
        id=poll.id, title=poll.title,
        creator_name=session.get(Member, poll.created_by_id).display_name,
        slots=views, best_slot_ids=[v.id for v in views if top and v.picks == top],
        voters=len({p[1] for p in picks}), created_at=poll.created_at)


def list_schedule_polls(session: Session, viewer: Member, *, limit: int = 20) -> list[SchedulePollView]:
    """The workshop's scheduling polls, newest first."""
    ids = session.scalars(select(SchedulePoll.id).where(SchedulePoll.workshop_id == viewer.workshop_id)
                          .order_by(SchedulePoll.id.desc()).limit(max(1, min(limit, 50)))).all()
    return [get_schedule_poll(session, viewer, poll_id) for poll_id in ids]


def _schedule_poll(session: Session, member: Member, poll_id: int) -> SchedulePoll:
    poll = session.get(SchedulePoll, poll_id) if isinstance(poll_id, int) else None
    if poll is None or poll.workshop_id != member.workshop_id:
        raise NotFound("That scheduling poll does not exist.")
    return poll
