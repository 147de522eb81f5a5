"""The idea board: post ideas, spend a small budget of votes, trainer sets the status.

A vote budget makes people choose, which is the point of module 6's "spend your
votes" mission. The budget is a workshop setting (``Workshop.idea_vote_budget``): a
workshop made from a scenario has the scenario's ``settings.idea_votes``; any other
workshop has ``LIMITS.idea_vote_budget`` (see :func:`vote_budget`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sandbox.config import LIMITS
from sandbox.services import activity_log, notifications
from sandbox.services.errors import InvalidInput, NotAllowed, NotFound
from sandbox.services.text import clean_choice, clean_text, render_markdown
from sandbox.services.workshops import require_trainer
from sandbox.store.models import Idea, IdeaVote, Member, Workshop

STATUSES = {
    "new": "New",
    "under-review": "Under review",
    "planned": "Planned",
    "done": "Done",
    "declined": "Not now",
}


@dataclass(frozen=True)
class IdeaView:
    id: int
    title: str
    body: str
    html: str
    author_handle: str
    author_name: str
    status: str
    status_label: str
    votes: int
    voted_by_me: bool
    is_mine: bool
    created_at: datetime


def create_idea(session: Session, author: Member, title: str, body: str = "", *, now: datetime) -> Idea:
    """Post an idea. Records ``idea.create``.

    Fails with InvalidInput (title empty/too long, body too long, unsafe text).
    """
    title = clean_text(title, "The idea", LIMITS.idea_title, multiline=False)
    body = clean_text(body, "The details", LIMITS.idea_body, required=False)
    idea = Idea(workshop_id=author.workshop_id, author_id=author.id, title=title, body=body,
                status="new", created_at=now)
    session.add(idea)
    session.flush()
    activity_log.record(session, author, "idea.create", now=now, object_type="idea", object_id=idea.id)
    return idea


def vote_budget(session: Session, workshop_id: int) -> int:
    """How many idea votes each person has in the workshop: the workshop's setting
    (its scenario's ``settings.idea_votes``, or ``LIMITS.idea_vote_budget`` when no
    scenario set it)."""
    budget = session.scalar(select(Workshop.idea_vote_budget).where(Workshop.id == workshop_id))
    if budget is None:
        raise NotFound("That workshop does not exist.")
    return int(budget)


def votes_left(session: Session, member: Member) -> int:
    """How many of their votes ``member`` can still spend.

    Simulated colleagues always have the whole budget: they stand in for the
    rest of the organisation and vote as the scenario's rules say all session,
    so a budget would only make the room go quiet. Learners' budgets are real.
    """
    budget = vote_budget(session, member.workshop_id)
    if member.kind == "simulated":
        return budget
    used = session.scalar(select(func.count(IdeaVote.id)).where(IdeaVote.member_id == member.id))
    return budget - int(used)


def vote(session: Session, member: Member, idea_id: int, *, now: datetime) -> int:
    """Spend one vote on an idea; returns the votes left. Records ``idea.vote``.

    Fails with NotFound, InvalidInput (your own idea; already voted for it),
    NotAllowed (no votes left: take one back first).
    """
    idea = _idea(session, member, idea_id)
    if idea.author_id == member.id:
        raise InvalidInput("You cannot vote for your own idea. Spend your votes on colleagues' ideas.")
    if session.scalar(select(IdeaVote.id).where(IdeaVote.idea_id == idea.id,
                                                IdeaVote.member_id == member.id)) is not None:
        raise InvalidInput("You already voted for this idea.")
    if votes_left(session, member) <= 0:
        raise NotAllowed(
            f"You have used all {vote_budget(session, member.workshop_id)} of your votes. "
            "Take a vote back from another idea first.")
    session.add(IdeaVote(workshop_id=member.workshop_id, idea_id=idea.id, member_id=member.id,
                         created_at=now))
    session.flush()
    author = session.get(Member, idea.author_id)
    notifications.notify(session, author, member, "idea_vote", object_type="idea",
                         object_id=idea.id, now=now)
    left = votes_left(session, member)
    activity_log.record(session, member, "idea.vote", now=now, object_type="idea", object_id=idea.id,
                        target=author, detail={"votes_left": left})
    return left


def unvote(session: Session, member: Member, idea_id: int, *, now: datetime) -> int:
    """Take your vote back from an idea; returns the votes left. Records ``idea.unvote``.

    Fails with NotFound (no such idea), InvalidInput (you had not voted for it).
    """
    idea = _idea(session, member, idea_id)
    existing = session.scalar(select(IdeaVote).where(IdeaVote.idea_id == idea.id,
                                                     IdeaVote.member_id == member.id))
    if existing is None:
        raise InvalidInput("You have not voted for this idea.")
    session.delete(existing)
    session.flush()
    left = votes_left(session, member)
    activity_log.record(session, member, "idea.unvote", now=now, object_type="idea",
                        object_id=idea.id, target=session.get(Member, idea.author_id),
                        detail={"votes_left": left})
    return left


def set_status(session: Session, trainer: Member, idea_id: int, status: str, *, now: datetime) -> Idea:
    """Trainer: set an idea's status (one of ``STATUSES``). Records ``idea.status``.

    Fails with NotAllowed (not the trainer), NotFound, InvalidInput (unknown status).
    """
    require_trainer(trainer)
    clean_choice(status, "The status", STATUSES)
    idea = _idea(session, trainer, idea_id)
    idea.status = status
    session.flush()
    activity_log.record(session, trainer, "idea.status", now=now, object_type="idea",
                        object_id=idea.id, detail={"status": status})
    return idea


def list_ideas(
    session: Session, viewer: Member, *, status: str | None = None, order: str = "votes", limit: int = 50
) -> list[IdeaView]:
    """Ideas with their vote counts: ``order`` "votes" (most first) or "new" (newest first)."""
    counts = (select(IdeaVote.idea_id, func.count(IdeaVote.id).label("n"))
              .where(IdeaVote.workshop_id == viewer.workshop_id)
              .group_by(IdeaVote.idea_id).subquery())
    votes = func.coalesce(counts.c.n, 0)
    query = (select(Idea, Member, votes).join(Member, Member.id == Idea.author_id)
             .outerjoin(counts, counts.c.idea_id == Idea.id)
             .where(Idea.workshop_id == viewer.workshop_id))
    if status:
        query = query.where(Idea.status == status)
    query = query.order_by(votes.desc(), Idea.id.desc()) if order == "votes" else query.order_by(Idea.id.desc())
    rows = session.execute(query.limit(max(1, min(limit, LIMITS.page_size_max)))).all()
    mine = set(session.scalars(select(IdeaVote.idea_id).where(IdeaVote.member_id == viewer.id)))
    return [IdeaView(id=i.id, title=i.title, body=i.body, html=render_markdown(i.body) if i.body else "",
                     author_handle=m.handle, author_name=m.display_name, status=i.status,
                     status_label=STATUSES.get(i.status, i.status), votes=int(n),
                     voted_by_me=i.id in mine, is_mine=i.author_id == viewer.id,
                     created_at=i.created_at) for i, m, n in rows]


def _idea(session: Session, member: Member, idea_id: int) -> Idea:
    idea = session.get(Idea, idea_id) if isinstance(idea_id, int) else None
    if idea is None or idea.workshop_id != member.workshop_id:
        raise NotFound("That idea does not exist.")
    return idea
