"""The two shapes every metric reads: an activity row and a member.

Metrics, missions and the threshold game take plain sequences of these records,
so they can be fed from the store, from an export file or from a hand-built test
log alike. ``Activity.from_row`` and ``Member.from_row`` accept the dicts of the
export shape described in :mod:`sandbox.activity` (``at`` as an ISO 8601 string or
a datetime, ``detail`` as a JSON string or a dict).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any


def parse_time(value: datetime | str) -> datetime:
    """An aware UTC datetime from an ISO 8601 string or a datetime.

    A naive datetime (SQLite hands those back) is taken to be UTC already,
    because the store writes UTC only.

    Raises ValueError when the text is not an ISO 8601 timestamp.
    """
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


# Most rows carry no detail; sharing one read-only empty mapping saves parsing "{}".
_NO_DETAIL: Mapping[str, Any] = MappingProxyType({})


def _parse_detail(value: Mapping[str, Any] | str | None) -> Mapping[str, Any]:
    if not value or value == "{}":
        return _NO_DETAIL
    if isinstance(value, str):
        parsed = json.loads(value)
        return parsed if isinstance(parsed, dict) else {}
    return value


@dataclass(frozen=True, slots=True)
class Activity:
    """One row of the activity log (see :mod:`sandbox.activity` for each field)."""

    id: int
    at: datetime
    actor: str
    verb: str
    actor_kind: str = "learner"
    department: str = ""
    object_type: str = ""
    object_id: str = ""
    target: str = ""
    detail: Mapping[str, Any] = field(default_factory=dict)
    workshop: str = ""
    driven_by: str = ""
    """"trainer" or a scripted step's key when that, not a person, made this row (see ``sandbox.activity``)."""

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Activity:
        """Build from a store or export row.

        Raises KeyError when ``id``, ``at``, ``actor`` or ``verb`` is missing,
        ValueError when ``at`` or ``detail`` cannot be read.
        """
        return cls(
            id=int(row["id"]),
            at=parse_time(row["at"]),
            actor=row["actor"],
            verb=row["verb"],
            actor_kind=row.get("actor_kind") or "learner",
            department=row.get("department") or "",
            object_type=row.get("object_type") or "",
            object_id=str(row.get("object_id") or ""),
            target=row.get("target") or "",
            detail=(detail := _parse_detail(row.get("detail"))),
            workshop=row.get("workshop") or "",
            driven_by=str(row.get("driven_by") or detail.get("driven_by") or ""),
        )

    def thread(self) -> str:
        """For a reply, the id of the post that started its thread.

        The feed service records a reply with its own id as ``object_id`` and the
        thread's first post as ``detail["thread"]``; a row without ``thread``
        (an older or hand-written log) names the post replied to in ``object_id``.
        """
        thread = self.detail.get("thread") if self.detail else None
        return str(thread) if thread not in (None, "") else self.object_id

    def tags(self) -> tuple[str, ...]:
        """The hashtags in ``detail["tags"]``, lower case and without ``#``."""
        return normalise_tags(self.detail.get("tags") or ())


def normalise_tags(tags: Iterable[str] | str) -> tuple[str, ...]:
    """Tags compared the way people read them: ``#Timetable`` is ``timetable``."""
    if isinstance(tags, str):
        tags = [tags]
    cleaned = (str(tag).strip().lstrip("#").lower() for tag in tags)
    return tuple(tag for tag in cleaned if tag)


@dataclass(frozen=True, slots=True)
class Member:
    """A member of a workshop: a learner, a simulated colleague or the trainer."""

    handle: str
    department: str = ""
    kind: str = "learner"
    champion: bool = False
    joined_at: datetime | None = None
    display_name: str = ""

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Member:
        """Build from a store or export ``members`` row.

        Raises KeyError when ``handle`` is missing, ValueError for a bad
        ``joined_at``.
        """
        joined = row.get("joined_at")
        return cls(
            handle=row["handle"],
            department=row.get("department") or "",
            kind=row.get("kind") or "learner",
            champion=bool(row.get("champion")),
            joined_at=parse_time(joined) if joined else None,
            display_name=row.get("display_name") or "",
        )


def as_activities(rows: Iterable[Activity | Mapping[str, Any]]) -> list[Activity]:
    """Activities in log order (by ``at``, then ``id``), whatever form they came in."""
    records = [row if isinstance(row, Activity) else Activity.from_row(row) for row in rows]
    if not _in_log_order(records):
        records.sort(key=lambda activity: (activity.at, activity.id))
    return records


def _in_log_order(activities: list[Activity]) -> bool:
    """True when already sorted by (at, id): the store's usual answer, checked in one pass."""
    return all(
        (earlier.at, earlier.id) <= (later.at, later.id)
        for earlier, later in zip(activities, activities[1:])
    )


def as_members(rows: Iterable[Member | Mapping[str, Any]]) -> list[Member]:
    """Members, whatever form they came in."""
    return [row if isinstance(row, Member) else Member.from_row(row) for row in rows]
