"""People's data: a copy of one person's data, erasing it, and the retention period.

UK and EU data protection law (UK GDPR / GDPR, articles 15 and 17) gives each
person the right to a copy of their data and the right to have it erased. Here:

- :func:`person_export` gathers everything one learner wrote or did in a workshop
  (their profile, posts and replies, reactions, wiki text, bookmarks, ideas, votes,
  events, hand-ins with their notebooks and marks, notifications, log rows).
- :func:`erase_person` removes it. Text they wrote is blanked, their hand-ins'
  notebooks and feedback are emptied, their notifications and sign-ins deleted;
  their name and handle become a pseudonym everywhere, in other people's text too
  (an @mention of them, their name in a reply). What stays is what makes the
  workshop's figures add up: the activity log's rows (who did what, when, now
  under the pseudonym), reactions and votes (no text), their department, scores.
- :func:`apply_retention` erases, in every workshop with a retention period,
  each learner whose last activity is older than that many days.

Only learners are people here: the simulated colleagues are fictional and the
trainer's member is a role, so neither can be exported or erased as a person.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import String, Text, delete, func, or_, select, update
from sqlalchemy.orm import Session

from sandbox.services import grading as adapter
from sandbox.services.errors import InvalidInput, NotFound
from sandbox.services.export import iso, pseudonym
from sandbox.services.workshops import get_workshop
from sandbox.store.models import (
    Activity,
    Base,
    Bookmark,
    BookmarkSave,
    BookmarkTag,
    Event,
    GradingJob,
    Group,
    GroupMembership,
    HandIn,
    Idea,
    IdeaVote,
    Member,
    Notification,
    PollOption,
    PollVote,
    Post,
    Reaction,
    Rsvp,
    SchedulePick,
    SchedulePoll,
    ScheduleSlot,
    SessionToken,
    Tag,
    WikiPage,
    WikiRevision,
    Workshop,
    WrittenMark,
)

# What a reader sees where erased text was.
REMOVED = "(removed at the writer's request)"
# Longest retention period accepted: ten years.
MAX_RETENTION_DAYS = 3650

# Columns that hold keys, hashes or fixed vocabularies, never a person's words: the
# scrub of names in other people's text leaves them alone.
_NOT_TEXT = {
    ("members", "handle"), ("members", "display_name"), ("members", "display_name_key"),
    ("members", "kind"), ("members", "persona"), ("members", "identity_subject"), ("session_tokens", "token_hash"),
    ("hand_ins", "sha256"), ("grading_jobs", "state"), ("grading_jobs", "worker_id"),
    ("activities", "verb"), ("activities", "actor_kind"), ("activities", "object_type"),
    ("notifications", "kind"), ("notifications", "object_type"), ("posts", "kind"),
}


@dataclass
class Erasure:
    """What :func:`erase_person` did: the pseudonym and how many rows of each kind it changed."""

    pseudonym: str
    changed: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, number: int) -> None:
        if number:
            self.changed[what] = self.changed.get(what, 0) + number


def find_person(session: Session, code: str, who: str) -> tuple:
    """(workshop, member) for a learner named by handle or display name (any case).

    Fails with NotFound for an unknown code or person, InvalidInput for a
    simulated colleague or the trainer, or for someone already erased.
    """
    workshop = get_workshop(session, code)
    wanted = who.strip()
    member = session.scalar(select(Member).where(Member.workshop_id == workshop.id, Member.handle == wanted))
    if member is None:
        member = session.scalar(select(Member).where(Member.workshop_id == workshop.id,
                                                     Member.display_name_key == wanted.casefold()))
    if member is None:
        raise NotFound(f"Nobody called '{wanted}' is in workshop {workshop.code}. "
                       "Give their handle or their name as it shows in the sandbox.")
    if member.kind != "learner":
        what = "a simulated colleague" if member.kind == "simulated" else "the trainer's role"
        raise InvalidInput(f"'{member.display_name}' is {what}, not a person: there is no personal data to "
                           "export or erase.")
    if member.erased_at is not None:
        raise InvalidInput(f"The data of '{member.handle}' was already erased on {iso(member.erased_at)}.")
    return workshop, member


# --- a copy of one person's data (right of access) ---------------------------


def person_export(session: Session, code: str, who: str, *, now: datetime) -> dict:
    """Everything stored about one learner of workshop ``code``, as plain data.

    Fails like :func:`find_person`.
    """
    workshop, member = find_person(session, code, who)
    mid = member.id
    handles = dict(session.execute(select(Member.id, Member.handle).where(Member.workshop_id == workshop.id)).all())
    posts = session.scalars(select(Post).where(Post.author_id == mid).order_by(Post.id)).all()
    page_titles = dict(session.execute(select(WikiPage.id, WikiPage.title)
                                       .where(WikiPage.workshop_id == workshop.id)).all())
    saves = session.scalars(select(BookmarkSave).where(BookmarkSave.member_id == mid).order_by(BookmarkSave.id)).all()
    save_tags: dict[int, list[str]] = {}
    for save_id, name in session.execute(select(BookmarkTag.save_id, Tag.name).join(Tag, Tag.id == BookmarkTag.tag_id)
                                         .where(BookmarkTag.save_id.in_([s.id for s in saves]))):
        save_tags.setdefault(save_id, []).append(name)
    bookmarks = {b.id: b for b in session.scalars(select(Bookmark).where(
        Bookmark.id.in_([s.bookmark_id for s in saves])))}
    hand_ins = session.scalars(select(HandIn).where(HandIn.member_id == mid).order_by(HandIn.id)).all()
    jobs = {j.hand_in_id: j for j in session.scalars(select(GradingJob).where(
        GradingJob.hand_in_id.in_([h.id for h in hand_ins])))}
    marks = session.scalars(select(WrittenMark).where(
        WrittenMark.hand_in_id.in_([h.id for h in hand_ins])).order_by(WrittenMark.id)).all()
    activities = session.scalars(select(Activity).where(
        Activity.workshop_id == workshop.id, or_(Activity.actor_id == mid, Activity.target_id == mid))
        .order_by(Activity.id)).all()
    return {
        "schema": "insideout.person/1",
        "about": ("Everything the Inside-Out sandbox stores about one person in one workshop, "
                  "exported on request (right of access, UK GDPR / GDPR article 15)."),
        "workshop": {"code": workshop.code, "title": workshop.title, "exported_at": iso(now),
                     "retention_days": workshop.retention_days},
        "person": {"handle": member.handle, "display_name": member.display_name,
                   "department": member.department, "joined_at": iso(member.joined_at),
                   "policy_accepted_at": iso(member.policy_accepted_at), "threshold": member.threshold,
                   "organisation_account": member.identity_subject or ""},
        "posts": [{"id": p.id, "at": iso(p.created_at), "kind": p.kind, "reply_to": p.parent_id,
                   "text": p.body, "edited_at": iso(p.edited_at), "deleted": p.deleted, "hidden": p.hidden,
                   "hidden_reason": p.hidden_reason} for p in posts],
        "reactions": [{"post": r.post_id, "reaction": r.reaction, "at": iso(r.created_at)}
                      for r in session.scalars(select(Reaction).where(Reaction.member_id == mid).order_by(Reaction.id))],
        "poll_votes": [{"poll": v.post_id, "option": v.option_id, "at": iso(v.created_at)}
                       for v in session.scalars(select(PollVote).where(PollVote.member_id == mid))],
        "groups": [{"name": name, "joined_at": iso(at)} for name, at in session.execute(
            select(Group.name, GroupMembership.joined_at).join(Group, Group.id == GroupMembership.group_id)
            .where(GroupMembership.member_id == mid))],
        "wiki_revisions": [{"page": page_titles.get(r.page_id, ""), "number": r.number, "at": iso(r.created_at),
                            "summary": r.summary, "text": r.body}
                           for r in session.scalars(select(WikiRevision).where(WikiRevision.author_id == mid)
                                                    .order_by(WikiRevision.id))],
        "bookmarks": [{"url": bookmarks[s.bookmark_id].url, "title": bookmarks[s.bookmark_id].title,
                       "note": s.note, "tags": sorted(save_tags.get(s.id, [])), "at": iso(s.created_at)}
                      for s in saves],
        "ideas": [{"id": i.id, "title": i.title, "text": i.body, "status": i.status, "at": iso(i.created_at)}
                  for i in session.scalars(select(Idea).where(Idea.author_id == mid).order_by(Idea.id))],
        "idea_votes": [{"idea": v.idea_id, "at": iso(v.created_at)}
                       for v in session.scalars(select(IdeaVote).where(IdeaVote.member_id == mid))],
        "events": [{"title": e.title, "description": e.description, "location": e.location,
                    "starts_at": iso(e.starts_at), "at": iso(e.created_at)}
                   for e in session.scalars(select(Event).where(Event.created_by_id == mid))],
        "rsvps": [{"event": r.event_id, "answer": r.answer, "at": iso(r.answered_at)}
                  for r in session.scalars(select(Rsvp).where(Rsvp.member_id == mid))],
        "scheduling": [{"poll": p.poll_id, "slot": iso(session.get(ScheduleSlot, p.slot_id).starts_at)}
                       for p in session.scalars(select(SchedulePick).where(SchedulePick.member_id == mid))],
        "scheduling_polls": [{"title": p.title, "at": iso(p.created_at)}
                             for p in session.scalars(select(SchedulePoll).where(SchedulePoll.created_by_id == mid))],
        "hand_ins": [{"assignment": h.assignment, "filename": h.filename, "at": iso(h.handed_in_at),
                      "late": h.late, "size": h.size,
                      "state": jobs[h.id].state if h.id in jobs else "",
                      "score": jobs[h.id].score if h.id in jobs else None,
                      "max_score": jobs[h.id].max_score if h.id in jobs else None,
                      "feedback": jobs[h.id].result if h.id in jobs else "",
                      **_handed_in_notebooks(h.notebook)} for h in hand_ins],
        "written_marks": [{"hand_in": m.hand_in_id, "answer": m.grade_id, "mark": m.mark, "comment": m.comment,
                           "at": iso(m.marked_at)} for m in marks],
        "notifications": [{"kind": n.kind, "from": handles.get(n.actor_id, ""), "at": iso(n.created_at),
                           "read_at": iso(n.read_at)}
                          for n in session.scalars(select(Notification).where(Notification.member_id == mid)
                                                   .order_by(Notification.id))],
        "activities": [{"id": a.id, "at": iso(a.at), "actor": handles.get(a.actor_id, ""), "verb": a.verb,
                        "object_type": a.object_type, "object_id": a.object_id,
                        "target": handles.get(a.target_id, ""), "detail": a.detail} for a in activities],
    }


def person_rows(data: dict) -> list[dict]:
    """The export as rows for a spreadsheet: section, when, and the rest as readable text."""
    rows = [{"section": "person", "at": data["person"]["joined_at"], "what": "profile",
             "text": json.dumps(data["person"], ensure_ascii=False)}]
    for section, items in data.items():
        if not isinstance(items, list):
            continue
        for item in items:
            text = item.get("text", item.get("note", item.get("comment", "")))
            rest = {k: v for k, v in item.items() if k not in ("text", "at")}
            rows.append({"section": section, "at": item.get("at", ""),
                         "what": json.dumps(rest, ensure_ascii=False, sort_keys=True), "text": text or ""})
    return rows


# --- erasure (right to erasure) -----------------------------------------------


def erase_person(session: Session, code: str, who: str, *, now: datetime) -> Erasure:
    """Erase one learner's data from workshop ``code``; returns what changed.

    Fails like :func:`find_person`; nothing is changed then.
    """
    workshop, member = find_person(session, code, who)
    return _erase(session, workshop, member, now=now)


def _erase(session: Session, workshop, member: Member, *, now: datetime) -> Erasure:
    mid = member.id
    alias = pseudonym(workshop, member.handle)
    erasure = Erasure(alias)
    old_names = [member.handle, member.display_name]

    def blank(model, where, what: str, **values) -> None:
        result = session.execute(update(model).where(*where).values(**values)
                                 .execution_options(synchronize_session=False))
        erasure.count(what, result.rowcount or 0)

    blank(Post, [Post.author_id == mid], "posts and replies", body=REMOVED, deleted=True, hidden_reason="")
    blank(WikiRevision, [WikiRevision.author_id == mid], "wiki revisions", body=REMOVED, summary="")
    blank(BookmarkSave, [BookmarkSave.member_id == mid], "bookmark notes", note="")
    blank(Idea, [Idea.author_id == mid], "ideas", title=REMOVED, body="")
    blank(Event, [Event.created_by_id == mid], "events", title=REMOVED, description="", location="")
    blank(Group, [Group.created_by_id == mid], "group descriptions", description="")
    blank(SchedulePoll, [SchedulePoll.created_by_id == mid], "scheduling polls", title=REMOVED)
    own_polls = select(Post.id).where(Post.author_id == mid)
    blank(PollOption, [PollOption.post_id.in_(own_polls)], "poll options", label=REMOVED)
    hand_ins = select(HandIn.id).where(HandIn.member_id == mid)
    blank(GradingJob, [GradingJob.hand_in_id.in_(hand_ins)], "feedback on hand-ins", result="", problem="")
    blank(WrittenMark, [WrittenMark.hand_in_id.in_(hand_ins)], "written marks", comment="")
    blank(HandIn, [HandIn.member_id == mid], "hand-ins", notebook=b"", filename="removed.ipynb", sha256="", size=0)
    for model, what in ((Notification, "notifications"), (SessionToken, "sign-ins")):
        result = session.execute(delete(model).where(model.member_id == mid))
        erasure.count(what, result.rowcount or 0)

    member.handle = alias
    member.display_name = alias
    member.display_name_key = alias
    member.erased_at = now
    member.identity_subject = None  # their organisation account no longer leads here
    session.flush()
    erasure.count("names in other people's text", _scrub_names(session, workshop.id, old_names, alias))
    return erasure


def _scrub_names(session: Session, workshop_id: int, names: list[str], alias: str) -> int:
    """Replace ``names`` (any case) by ``alias`` in every text column of the workshop's rows."""
    names = [n for n in names if n and len(n) >= 2]
    # Whole words only: erasing "Al" must not touch "also", nor "anna-smith" touch "anna-smith-2".
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
    changed = 0
    for table in Base.metadata.sorted_tables:
        if "workshop_id" not in table.c or "id" not in table.c:
            continue
        columns = [c for c in table.c if isinstance(c.type, (String, Text))
                   and (table.name, c.name) not in _NOT_TEXT]
        if not columns:
            continue
        found = or_(*(func.lower(c).contains(n.lower(), autoescape=True) for c in columns for n in names))
        rows = session.execute(select(table.c.id, *columns).where(table.c.workshop_id == workshop_id, found)).all()
        for row in rows:
            values = {c.name: pattern.sub(alias, getattr(row, c.name)) for c in columns
                      if getattr(row, c.name) and pattern.search(getattr(row, c.name))}
            if values:
                session.execute(update(table).where(table.c.id == row.id).values(**values))
                changed += 1
    return changed


# --- retention -------------------------------------------------------------------


def set_retention(session: Session, code: str, days: int | None):
    """Keep learners' data ``days`` after their last activity (None: until erased by hand).

    Fails with InvalidInput for fewer than 1 or more than MAX_RETENTION_DAYS days.
    """
    workshop = get_workshop(session, code)
    if days is not None and not 1 <= days <= MAX_RETENTION_DAYS:
        raise InvalidInput(f"The retention period must be between 1 and {MAX_RETENTION_DAYS} days (got {days}).")
    workshop.retention_days = days
    return workshop


def last_active(session: Session, member: Member) -> datetime:
    """The latest moment ``member`` did anything: joined, acted, handed in or used the sandbox."""
    moments = [member.joined_at]
    for column, where in ((Activity.at, Activity.actor_id), (HandIn.handed_in_at, HandIn.member_id),
                          (SessionToken.last_seen_at, SessionToken.member_id)):
        latest = session.scalar(select(func.max(column)).where(where == member.id))
        if latest is not None:
            moments.append(latest if latest.tzinfo else latest.replace(tzinfo=member.joined_at.tzinfo))
    return max(moments)


def due_for_erasure(session: Session, *, now: datetime) -> list[tuple]:
    """(workshop, member) for every learner past their workshop's retention period."""
    due = []
    for workshop in session.scalars(select(Workshop).where(Workshop.retention_days.is_not(None))
                                    .order_by(Workshop.id)):
        cutoff = now - timedelta(days=workshop.retention_days)
        learners = session.scalars(select(Member).where(
            Member.workshop_id == workshop.id, Member.kind == "learner", Member.erased_at.is_(None))
            .order_by(Member.id))
        due.extend((workshop, m) for m in learners if last_active(session, m) < cutoff)
    return due


def apply_retention(session: Session, *, now: datetime) -> list[tuple[str, str]]:
    """Erase every learner past their workshop's retention period: [(workshop code, pseudonym)]."""
    return [(workshop.code, _erase(session, workshop, member, now=now).pseudonym)
            for workshop, member in due_for_erasure(session, now=now)]


def _handed_in_notebooks(stored: bytes) -> dict:
    """A hand-in's notebook as text; one of several notebooks each under its name."""
    notebooks = adapter.unpack_notebooks(stored)
    if len(notebooks) == 1 and not notebooks[0][0]:
        return {"notebook": stored.decode("utf-8", errors="replace")}
    return {"notebook": "", "notebooks": {name: data.decode("utf-8", errors="replace") for name, data in notebooks}}

