"""What the trainer's moderation page reads: hides in the log, and the newest posts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.activity import parse_detail
from sandbox.store.models import Activity, Member, Post


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
