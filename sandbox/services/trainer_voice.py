"""The trainer speaks as any colleague of the scenario: post, reply and react as them.

To steer a quiet room the trainer writes as one of the scenario's simulated
colleagues. Learners see only the colleague (the post, reply or reaction is the
colleague's, through the same feed service); the activity log marks each row
``driven_by = "trainer"``, so the debrief and the export tell these rows from
the scripted timeline's and from the learners' own.
Like every service these take a Session and never commit.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.services import activity_log, feed
from sandbox.services.errors import NotFound
from sandbox.services.workshops import require_trainer
from sandbox.store.models import Member, Post


def colleagues(session: Session, workshop_id: int) -> list[Member]:
    """The simulated colleagues the trainer can speak as, by name."""
    return list(session.scalars(select(Member).where(Member.workshop_id == workshop_id, Member.kind == "simulated")
                                .order_by(Member.display_name)))


def _colleague(session: Session, trainer: Member, handle: str) -> Member:
    require_trainer(trainer)
    member = session.scalar(select(Member).where(Member.workshop_id == trainer.workshop_id,
                                                 Member.kind == "simulated", Member.handle == handle))
    if member is None:
        raise NotFound("That colleague is not in this workshop. Choose one from the list.")
    return member


def post_as(session: Session, trainer: Member, handle: str, body: str, *, now: datetime,
            question: bool = False) -> Post:
    """Trainer: a new post by colleague ``handle``.

    Fails with NotAllowed (not the trainer), NotFound (no such colleague), and as
    ``feed.create_post`` does for the text.
    """
    colleague = _colleague(session, trainer, handle)
    with activity_log.driven_by(session, activity_log.TRAINER):
        return feed.create_post(session, colleague, body, now=now, question=question)


def reply_as(session: Session, trainer: Member, handle: str, post_id: int, body: str, *, now: datetime) -> Post:
    """Trainer: colleague ``handle`` replies to post ``post_id`` (fails as ``feed.reply`` does)."""
    colleague = _colleague(session, trainer, handle)
    with activity_log.driven_by(session, activity_log.TRAINER):
        return feed.reply(session, colleague, post_id, body, now=now)


def react_as(session: Session, trainer: Member, handle: str, post_id: int, reaction: str, *,
             now: datetime) -> bool:
    """Trainer: colleague ``handle`` reacts to post ``post_id`` (a toggle, as ``feed.react``)."""
    colleague = _colleague(session, trainer, handle)
    with activity_log.driven_by(session, activity_log.TRAINER):
        return feed.react(session, colleague, post_id, reaction, now=now)
