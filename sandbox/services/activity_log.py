"""Write activity rows: every service command calls :func:`record` in its transaction.

The vocabulary (verbs, columns) is ``sandbox.activity``; an unknown verb is a
bug and fails loudly. ``detail`` must never hold text a learner typed.

The session remembers which workshops it wrote activity for
(:func:`workshops_written`): the room's write path uses it to record, in the
same transaction, the missions that activity finished.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy.orm import Session

from sandbox.activity import DRIVEN_BY_TRAINER, OBSERVER, VERBS
from sandbox.services.errors import NotAllowed
from sandbox.store.models import Activity, Member

# Key in ``Session.info``: ids of the workshops this transaction wrote activity for.
_WRITTEN = "insideout.activity_written"
# Key in ``Session.info``: what drives the rows written now (see :func:`driven_by`).
_DRIVEN_BY = "insideout.activity_driven_by"
TRAINER = DRIVEN_BY_TRAINER
"""``driven_by`` of the rows the trainer wrote speaking as a colleague."""


@contextmanager
def driven_by(session: Session, driver: str) -> Iterator[None]:
    """Every activity row recorded inside the block carries ``driven_by = driver``:
    :data:`TRAINER` when the trainer speaks as a colleague, a scripted step's mark
    key when the timeline releases it. The person-facing rows stay the colleague's."""
    outer = session.info.get(_DRIVEN_BY)
    session.info[_DRIVEN_BY] = driver
    try:
        yield
    finally:
        if outer is None:
            session.info.pop(_DRIVEN_BY, None)
        else:
            session.info[_DRIVEN_BY] = outer


def record(
    session: Session,
    actor: Member,
    verb: str,
    *,
    now: datetime,
    object_type: str = "",
    object_id: int | str | None = None,
    target: Member | None = None,
    detail: dict | None = None,
) -> Activity:
    """Add one activity row for ``actor`` doing ``verb`` (flushed, not committed).

    Fails with ValueError for a verb not in ``sandbox.activity.VERBS`` (a bug), and
    with NotAllowed for an observer: a co-trainer watches and takes notes, and this
    one check keeps every command (each writes its activity here) read-only for them.
    """
    if verb not in VERBS:
        raise ValueError(f"unknown activity verb {verb!r}; add it to sandbox/activity.py")
    if actor.kind == OBSERVER:
        raise NotAllowed("Observers can watch and take notes, but not post, react or change anything.")
    row = Activity(
        workshop_id=actor.workshop_id,
        at=now,
        actor_id=actor.id,
        actor_kind=actor.kind,
        department=actor.department or "",
        verb=verb,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        target_id=target.id if target is not None else None,
        detail=json.dumps(detail or {}, sort_keys=True, ensure_ascii=False),
        driven_by=session.info.get(_DRIVEN_BY),
    )
    session.add(row)
    session.flush()
    session.info.setdefault(_WRITTEN, set()).add(actor.workshop_id)
    return row


def workshops_written(session: Session) -> set[int]:
    """Ids of the workshops ``session`` wrote activity rows for since the last call (then forgotten)."""
    return session.info.pop(_WRITTEN, set())
