"""Hand-built activity logs with answers you can check on paper."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sandbox.activity import VERBS
from sandbox.metrics.records import Activity, Member

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc)


def minute(offset: float) -> datetime:
    return T0 + timedelta(minutes=offset)


class Logbook:
    """Append activities one line at a time: ``log.add(3, "ana", "post.create", "p1", tags=["x"])``."""

    def __init__(self) -> None:
        self.activities: list[Activity] = []

    def add(self, at_minute: float, actor: str, verb: str, object_id: str = "", target: str = "", *,
            driven_by: str = "", **detail) -> Activity:
        assert verb in VERBS, verb  # a typo in a test must not pass silently
        activity = Activity(
            id=len(self.activities) + 1,
            at=minute(at_minute),
            actor=actor,
            verb=verb,
            object_id=object_id,
            target=target,
            detail=detail,
            driven_by=driven_by,
        )
        self.activities.append(activity)
        return activity


def members(*handles: str, department: str = "Finance", kind: str = "learner", champion: bool = False) -> list[Member]:
    return [Member(handle=handle, department=department, kind=kind, champion=champion) for handle in handles]
