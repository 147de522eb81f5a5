"""Hashtag campaigns, as Viva Engage has them: the trainer names a #tag and a goal.

A campaign lives in the activity log only: ``campaign.start`` (by the trainer:
the tag, the goal in tagged posts, how many minutes it runs). Its progress is
computed from the log (:mod:`sandbox.metrics.campaigns`), so the feed's card,
the dashboard and a replay of the session all agree.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from sandbox.services import activity_log
from sandbox.services.errors import InvalidInput, NotAllowed
from sandbox.services.text import normalise_tag
from sandbox.store.models import Member

MAX_GOAL = 1000
MAX_MINUTES = 8 * 60  # a long workshop day


def start_campaign(session: Session, trainer: Member, tag: str, goal: int, minutes: int, *, now: datetime) -> str:
    """Start (or restart with a new goal) the campaign for ``#tag``; returns the tag as stored.

    Fails with NotAllowed (not the trainer) or InvalidInput (a bad tag, a goal
    outside 1-1000 posts, a length outside 1 minute to 8 hours).
    """
    if trainer.kind != "trainer":
        raise NotAllowed("Only the trainer can start a campaign.")
    name = normalise_tag(tag)
    if not isinstance(goal, int) or not 1 <= goal <= MAX_GOAL:
        raise InvalidInput(f"The goal is a number of posts from 1 to {MAX_GOAL}.")
    if not isinstance(minutes, int) or not 1 <= minutes <= MAX_MINUTES:
        raise InvalidInput(f"A campaign runs from 1 minute to {MAX_MINUTES // 60} hours.")
    activity_log.record(session, trainer, "campaign.start", now=now, object_type="campaign", object_id=name,
                        detail={"tag": name, "goal": goal, "minutes": minutes})
    return name
