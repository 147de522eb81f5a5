"""Notifications: someone mentioned, replied to, reacted to or praised you.

Services call :func:`notify` in the same transaction as the action. Nobody is
notified about their own actions.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from sandbox.store.models import Member, Notification

# kind -> how it reads after the actor's name.
MESSAGES = {
    "mention": "mentioned you",
    "reply": "replied to your post",
    "reaction": "reacted to your post",
    "praise": "praised you",
    "answer": "marked your reply as the answer",
    "wiki_edit": "edited a wiki page you wrote",
    "idea_vote": "voted for your idea",
    "poll_vote": "voted in your poll",
}


@dataclass(frozen=True)
class NotificationView:
    id: int
    kind: str
    text: str  # e.g. "Anna Smith mentioned you"
    actor_handle: str
    object_type: str  # "post", "wiki_page", "idea"...
    object_id: int | None
    created_at: datetime
    read: bool


def notify(
    session: Session,
    recipient: Member,
    actor: Member,
    kind: str,
    *,
    object_type: str,
    object_id: int,
    now: datetime,
) -> None:
    """Add a notification for ``recipient`` unless they are the actor."""
    if kind not in MESSAGES:
        raise ValueError(f"unknown notification kind {kind!r}")
    if recipient.id == actor.id:
        return
    session.add(
        Notification(
            workshop_id=recipient.workshop_id,
            member_id=recipient.id,
            actor_id=actor.id,
            kind=kind,
            object_type=object_type,
            object_id=object_id,
            created_at=now,
        )
    )


def unread_count(session: Session, member: Member) -> int:
    """How many notifications ``member`` has not read (cheap; fine to poll)."""
    return int(
        session.scalar(
            select(func.count(Notification.id)).where(
                Notification.member_id == member.id, Notification.read_at.is_(None)
            )
        )
    )


def list_notifications(
    session: Session, member: Member, *, limit: int = 20, unread_only: bool = False
) -> list[NotificationView]:
    """The member's newest notifications (at most 50)."""
    actor = aliased(Member)
    query = (
        select(Notification, actor)
        .join(actor, actor.id == Notification.actor_id)
        .where(Notification.member_id == member.id)
        .order_by(Notification.id.desc())
        .limit(max(1, min(limit, 50)))
    )
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return [
        NotificationView(
            id=n.id,
            kind=n.kind,
            text=f"{who.display_name} {MESSAGES[n.kind]}",
            actor_handle=who.handle,
            object_type=n.object_type,
            object_id=n.object_id,
            created_at=n.created_at,
            read=n.read_at is not None,
        )
        for n, who in session.execute(query).all()
    ]


def mark_all_read(session: Session, member: Member, *, now: datetime) -> int:
    """Mark every unread notification of ``member`` read; returns how many."""
    result = session.execute(
        update(Notification)
        .where(Notification.member_id == member.id, Notification.read_at.is_(None))
        .values(read_at=now)
    )
    return result.rowcount or 0
