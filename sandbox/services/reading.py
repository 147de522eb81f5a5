"""Record reading: a look at the feed or an opened thread becomes one activity row.

Viva Engage's analytics count who has *seen* a post; SWOOP Analytics' observers
are the people who read but do not post. Neither can be computed from what
people write, so the sandbox records reading too, as ``feed.view`` and
``post.view`` rows (see :mod:`sandbox.activity`).

Pages rerun on every click, so a view is recorded at most once per
:data:`READING_THROTTLE_SECONDS` per member and per thread (or the feed), and a
feed view again sooner only when it shows posts the last one did not. The check is
one indexed query (migration 0007's ``ix_activities_actor_verb``); pages keep their
own note of the last recording, so most reruns do not even ask.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sandbox.activity import parse_detail
from sandbox.services import activity_log
from sandbox.store.models import Activity, Member, Post

READING_THROTTLE_SECONDS = 300
MAX_POSTS_PER_VIEW = 50  # a feed page shows 10; the cap keeps a row's detail small whatever calls this


def record_feed_view(session: Session, member: Member, post_ids: Iterable[int], *, now: datetime) -> bool:
    """Record that ``member`` looked at the feed showing ``post_ids``. True when a row was written.

    Nothing is written when the member's last feed view is more recent than the
    throttle and already covered every post in ``post_ids``.
    """
    shown = sorted({int(post_id) for post_id in post_ids})[-MAX_POSTS_PER_VIEW:]
    last = _last_view(session, member, "feed.view", "", now=now)
    if last is not None and set(shown) <= set(parse_detail(last.detail).get("posts") or ()):
        return False
    activity_log.record(session, member, "feed.view", now=now, detail={"posts": shown})
    return True


def record_thread_view(session: Session, member: Member, post_id: int, *, now: datetime) -> bool:
    """Record that ``member`` opened the thread of ``post_id``. True when a row was written.

    A post that does not exist in the member's workshop is quietly not recorded (a
    view is never worth an error message).
    """
    post = session.get(Post, post_id)
    if post is None or post.workshop_id != member.workshop_id or post.deleted:
        return False
    root_id = post.root_id or post.id
    if _last_view(session, member, "post.view", str(root_id), now=now) is not None:
        return False
    root = session.get(Post, root_id)
    author = session.get(Member, root.author_id) if root is not None else None
    activity_log.record(session, member, "post.view", now=now, object_type="post", object_id=root_id,
                        target=author if author is not None and author.id != member.id else None)
    return True


def _last_view(session: Session, member: Member, verb: str, object_id: str, *, now: datetime) -> Activity | None:
    """The member's latest ``verb`` row on ``object_id`` within the throttle, if any."""
    since = now - timedelta(seconds=READING_THROTTLE_SECONDS)
    return session.scalars(
        select(Activity)
        .where(Activity.actor_id == member.id, Activity.verb == verb, Activity.object_id == object_id,
               Activity.at > since)
        .order_by(Activity.id.desc())
        .limit(1)
    ).first()
