"""The one loader of a workshop's activity log, read incrementally.

Everything that reads the log (the tick, missions, the live dashboard, the
debrief and the export) reads it through :func:`load_activities`, in the record
shape of :mod:`sandbox.metrics.records`. :class:`RoomLog` keeps one workshop's
log in memory and tops it up with only the new rows, with a guard against SQLite
reusing ids after a reset; :class:`SharedLog` is a RoomLog that the browser
sessions of one server (threads) share. Reads only: nothing here writes.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from sandbox.activity import parse_detail
from sandbox.metrics import records
from sandbox.store.models import Activity, Member, WikiPage


@dataclass(frozen=True)
class LogFingerprint:
    """How many activity rows a workshop has, and the newest id: changes with every write.

    The count catches what the newest id alone would miss: a reset (rows gone)
    and, on PostgreSQL, a row that commits after one with a higher id. ``erased``
    counts the workshop's members whose data was erased (sandbox/services/people.py):
    an erasure renames people in rows already read, so they must be read again.
    """

    count: int
    last_id: int
    erased: int = 0


def log_fingerprint(session: Session, workshop_id: int) -> LogFingerprint:
    """One cheap query: poll it to know whether anything happened in the room."""
    erased = (select(func.count(Member.id))
              .where(Member.workshop_id == workshop_id, Member.erased_at.is_not(None)).scalar_subquery())
    count, last_id, erased_count = session.execute(
        select(func.count(Activity.id), func.max(Activity.id), erased).where(Activity.workshop_id == workshop_id)
    ).one()
    return LogFingerprint(count=count or 0, last_id=last_id or 0, erased=erased_count or 0)


def load_members(session: Session, workshop_id: int) -> list[records.Member]:
    """Every member of the workshop (trainer included, metrics leave them out), in joining order."""
    rows = session.scalars(select(Member).where(Member.workshop_id == workshop_id).order_by(Member.id))
    return [
        records.Member(
            handle=row.handle,
            department=row.department or "",
            kind=row.kind,
            champion=bool(row.champion),
            joined_at=row.joined_at,
            display_name=row.display_name,
        )
        for row in rows
    ]


def load_activities(session: Session, workshop_id: int, *, after_id: int = 0) -> list[records.Activity]:
    """The workshop's activity rows with an id above ``after_id``, in id order.

    Actors and targets are member handles (never pseudonyms: this is the live
    room, seen by its own trainer). A row whose ``detail`` is not a JSON object
    gets an empty detail instead of breaking the dashboard.
    """
    actor, target = aliased(Member), aliased(Member)
    # Columns, not ORM objects: a 20,000-row log loads several times faster.
    rows = session.execute(
        select(Activity.id, Activity.at, actor.handle, Activity.verb, Activity.actor_kind, Activity.department,
               Activity.object_type, Activity.object_id, target.handle, Activity.detail, Activity.driven_by)
        .outerjoin(actor, actor.id == Activity.actor_id)
        .outerjoin(target, target.id == Activity.target_id)
        .where(Activity.workshop_id == workshop_id, Activity.id > after_id)
        .order_by(Activity.id)
    )
    return [
        records.Activity(
            id=activity_id,
            at=at,
            actor=actor_handle or "",
            verb=verb,
            actor_kind=actor_kind,
            department=department or "",
            object_type=object_type or "",
            object_id=object_id or "",
            target=target_handle or "",
            detail=parse_detail(detail),
            driven_by=driven_by or "",
        )
        for (activity_id, at, actor_handle, verb, actor_kind, department, object_type, object_id,
             target_handle, detail, driven_by) in rows
    ]


@dataclass
class RoomLog:
    """One workshop's activity log kept in memory and topped up with only the new rows.

    ``refresh`` asks the store for the fingerprint and checks that the newest row
    it knows is still the same row (same id, time and verb): a reset followed by
    new activity can reuse ids on SQLite, and then only a full read is right.
    When rows were only added it loads those; otherwise (a reset, or a late
    commit with a lower id) it loads the whole log again. Not thread-safe: the
    caller holds a lock.
    """

    workshop_id: int
    activities: list[records.Activity] = field(default_factory=list)
    fingerprint: LogFingerprint = LogFingerprint(0, 0)

    @property
    def version(self) -> tuple[int, int, str, int]:
        """Changes whenever the log does (count, newest id, newest row's time, erasures): a cache key."""
        newest = self.activities[-1].at.isoformat() if self.activities else ""
        return (self.fingerprint.count, self.fingerprint.last_id, newest, self.fingerprint.erased)

    def refresh(self, session: Session) -> RoomLog:
        now_known = log_fingerprint(session, self.workshop_id)
        if self._newest_row_unchanged(session) and now_known.erased == self.fingerprint.erased:
            if now_known == self.fingerprint:
                return self
            if now_known.last_id >= self.fingerprint.last_id and now_known.count >= self.fingerprint.count:
                added = load_activities(session, self.workshop_id, after_id=self.fingerprint.last_id)
                if self.fingerprint.count + len(added) == now_known.count:
                    self.activities.extend(added)
                    self.fingerprint = now_known
                    return self
        self.activities = load_activities(session, self.workshop_id)
        self.fingerprint = LogFingerprint(count=len(self.activities),
                                          last_id=max((a.id for a in self.activities), default=0),
                                          erased=now_known.erased)
        return self

    def _newest_row_unchanged(self, session: Session) -> bool:
        if not self.activities:
            return True
        newest = self.activities[-1]
        row = session.execute(
            select(Activity.at, Activity.verb).where(Activity.id == newest.id,
                                                     Activity.workshop_id == self.workshop_id)
        ).one_or_none()
        return row is not None and row.at == newest.at and row.verb == newest.verb


def wiki_titles(session: Session, workshop_id: int) -> dict[str, str]:
    """Wiki page id (as the activity log writes it) -> page title, for the dashboard's table."""
    rows = session.execute(select(WikiPage.id, WikiPage.title).where(WikiPage.workshop_id == workshop_id))
    return {str(page_id): title for page_id, title in rows}


@dataclass(frozen=True)
class LogSnapshot:
    """A workshop's log at one moment: the rows (a copy, safe to keep) and its version."""

    activities: list[records.Activity]
    version: tuple[int, int, str, int]
    known_up_to: int = 0
    """For :meth:`SharedLog.snapshot_in_write`: the newest id the shared log held
    before this read; rows above it are new to this server (the transaction's own among them)."""


class SharedLog:
    """One workshop's :class:`RoomLog`, shared by every browser session of a server.

    Sessions take turns topping it up (one lock per workshop, so a busy room never
    holds up another) and each gets its own copy of the rows.
    """

    def __init__(self, workshop_id: int) -> None:
        self.workshop_id = workshop_id
        self._log = RoomLog(workshop_id)
        self._lock = threading.Lock()

    def snapshot(self, session: Session) -> LogSnapshot:
        """The log as ``session`` sees it, remembered for the next call.

        Use a session that sees only committed rows (a read, or a write
        transaction before it writes): what it sees is kept for everyone.

        The session takes its database connection before the lock: a holder of the
        lock waiting for a pooled connection, while writers holding connections wait for
        the lock (``snapshot_in_write``), stalled a server for the pool's whole timeout
        when a failover sent a hundred learners to it at once.
        """
        session.connection()
        with self._lock:
            self._log.refresh(session)
            return LogSnapshot(list(self._log.activities), self._log.version)

    def snapshot_in_write(self, session: Session) -> LogSnapshot:
        """The log as a write transaction sees it, its own new rows included.

        Not remembered: the transaction may still roll back.
        """
        with self._lock:
            copy = RoomLog(self.workshop_id, list(self._log.activities), self._log.fingerprint)
        known = copy.fingerprint.last_id
        copy.refresh(session)
        # After a full read (a reset, say) every row counts as new.
        return LogSnapshot(copy.activities, copy.version,
                           known_up_to=known if copy.fingerprint.last_id >= known else 0)

    def forget(self) -> None:
        """Read the whole log again next time (after a reset)."""
        with self._lock:
            self._log = RoomLog(self.workshop_id)
