"""Replay: the feed and the dashboard as they were at one minute, from the log alone.

Everything here is a pure function of the log (and the members), so the same log
always gives the same picture: a debrief can step back to minute 5 and see what
the room saw then. The log is cut at the moment (:func:`log_at`); the feed is the
top-level posts made by then and not deleted by then, with the replies and
reactions they had by then (:func:`feed_at`); the dashboard is
:func:`sandbox.metrics.dashboard.compute_dashboard` over the cut log.

Key moments to step through (:func:`key_moments`): each scripted post (a row the
scenario's timeline wrote: its ``driven_by`` names a step, ``inject:<id>``), each post
or reply the trainer wrote as a colleague (``driven_by`` "trainer"), the moment the
room crossed 25% adopters (where one experiment found a committed
minority tips a group: see :data:`sandbox.metrics.adoption.REFERENCE_LINES`), and
the first reply across departments.
"""
from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sandbox.activity import DRIVEN_BY_TRAINER, scripted_step
from sandbox.metrics.adoption import adoption_curve
from sandbox.metrics.records import Activity, Member

TIPPING_SHARE = 0.25


@dataclass(frozen=True)
class FeedItem:
    post_id: str
    author: str
    at: datetime
    replies: int
    reactions: int
    tags: tuple[str, ...]
    by_trainer: bool = False
    """The trainer wrote it speaking as the colleague (``driven_by`` "trainer")."""


@dataclass(frozen=True)
class Moment:
    at: datetime
    label: str


def log_at(activities: Sequence[Activity], moment: datetime) -> list[Activity]:
    """The rows recorded up to and including ``moment`` (``activities`` in log order)."""
    times = [activity.at for activity in activities]
    return list(activities[:bisect.bisect_right(times, moment)])


def feed_at(activities: Sequence[Activity], moment: datetime) -> list[FeedItem]:
    """The feed's top-level posts as they stood at ``moment``, newest first."""
    posts: dict[str, Activity] = {}
    replies: dict[str, int] = {}
    reactions: dict[str, int] = {}
    deleted: set[str] = set()
    for activity in log_at(activities, moment):
        if activity.verb == "post.create" and activity.object_id:
            posts[activity.object_id] = activity
        elif activity.verb == "post.reply":
            thread = activity.thread()
            replies[thread] = replies.get(thread, 0) + 1
        elif activity.verb == "post.react":
            reactions[activity.object_id] = reactions.get(activity.object_id, 0) + 1
        elif activity.verb == "post.delete":
            deleted.add(activity.object_id)
    items = [
        FeedItem(post_id=post_id, author=row.actor, at=row.at, replies=replies.get(post_id, 0),
                 reactions=reactions.get(post_id, 0), tags=row.tags(), by_trainer=row.driven_by == DRIVEN_BY_TRAINER)
        for post_id, row in posts.items() if post_id not in deleted
    ]
    return sorted(items, key=lambda item: (item.at, item.post_id), reverse=True)


SCRIPTED_LABELS = {"post.create": "Scripted post", "poll.create": "Scripted poll"}
TRAINER_LABELS = {"post.create": "posted", "poll.create": "started a poll", "post.reply": "replied"}


def key_moments(activities: Sequence[Activity], members: Sequence[Member]) -> list[Moment]:
    """The moments worth stepping to in a debrief, in time order."""
    departments = {member.handle: member.department for member in members}
    names = {member.handle: member.display_name or member.handle for member in members}
    moments: list[Moment] = []
    for activity in activities:
        who = names.get(activity.actor, activity.actor)
        if activity.verb in SCRIPTED_LABELS and scripted_step(activity.driven_by):
            moments.append(Moment(activity.at, f"{SCRIPTED_LABELS[activity.verb]} by {who}"))
        elif activity.verb in TRAINER_LABELS and activity.driven_by == DRIVEN_BY_TRAINER:
            moments.append(Moment(activity.at, f"The trainer, as {who}, {TRAINER_LABELS[activity.verb]}"))
    learners = [member for member in members if member.kind == "learner"]
    crossing = next((point for point in adoption_curve(activities, learners).points
                     if point.share >= TIPPING_SHARE), None)
    if crossing is not None:
        moments.append(Moment(crossing.at, f"The room passed 25% adopters ({names.get(crossing.handle, crossing.handle)} made it "
                                           f"{crossing.adopters} of {len(learners)})"))
    for activity in activities:
        if activity.verb != "post.reply" or not activity.target:
            continue
        mine, theirs = departments.get(activity.actor, ""), departments.get(activity.target, "")
        if mine and theirs and mine != theirs:
            moments.append(Moment(activity.at, f"First reply across departments ({mine} to {theirs})"))
            break
    return sorted(moments, key=lambda moment: moment.at)


def minute_of(moment: datetime, start: datetime) -> int:
    """Whole minutes from ``start`` to ``moment`` (0 at or before the start)."""
    return max(0, int((moment - start).total_seconds() // 60))


def at_minute(start: datetime, minute: int) -> datetime:
    """The end of ``minute`` counted from ``start``: everything in that minute has happened."""
    return start + timedelta(minutes=minute + 1) - timedelta(microseconds=1)
