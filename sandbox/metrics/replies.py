"""Does anyone answer? Reply rate and median time to the first reply.

A post counts as **replied** once someone other than its author replies in its
thread (a ``post.reply`` whose thread, see :meth:`Activity.thread`, is the
post). Replies to replies count for the thread they are in: a ``post.reply``
never starts a thread of its own.
"""
from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sandbox.metrics.records import Activity
from sandbox.metrics.wording import duration, percent, plural, share_of


@dataclass(frozen=True)
class ReplyStats:
    posts: int
    replied: int
    median_seconds: float | None
    """Median time from a post to its first reply, over replied posts; None if none."""

    @property
    def rate(self) -> float:
        return share_of(self.replied, self.posts)

    def summary(self) -> str:
        """E.g. ``"3 of 4 posts (75%) got a reply; the median wait for the first one was 4 minutes."``"""
        if self.posts == 0:
            return "No posts yet, so there are no replies to measure."
        head = f"{self.replied} of {plural(self.posts, 'post')} ({percent(self.rate)}) got a reply"
        if self.median_seconds is None:
            return f"{head} so far."
        return f"{head}; the median wait for the first one was {duration(self.median_seconds)}."


def reply_stats(activities: Sequence[Activity], authors: Iterable[str] | None = None) -> ReplyStats:
    """Reply rate and median time to first reply for posts by ``authors`` (everyone if None)."""
    wanted = set(authors) if authors is not None else None
    posted: dict[str, tuple[str, datetime]] = {}
    for activity in activities:
        if activity.verb == "post.create" and activity.object_id:
            if wanted is None or activity.actor in wanted:
                posted[activity.object_id] = (activity.actor, activity.at)
    first_reply: dict[str, datetime] = {}
    for activity in activities:
        if activity.verb != "post.reply":
            continue
        thread = activity.thread()
        post = posted.get(thread)
        if post is None or activity.actor == post[0] or activity.at < post[1]:
            continue
        seen = first_reply.get(thread)
        if seen is None or activity.at < seen:
            first_reply[thread] = activity.at
    waits = [(first_reply[post_id] - posted[post_id][1]).total_seconds() for post_id in first_reply]
    return ReplyStats(
        posts=len(posted),
        replied=len(first_reply),
        median_seconds=statistics.median(waits) if waits else None,
    )
