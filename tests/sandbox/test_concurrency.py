"""Races between people acting at the same moment, on SQLite and PostgreSQL.

SQLite serialises writers, but PostgreSQL runs them side by side: two people
can pick the same display name, or create the same tag or bookmark, in the same
instant. Unique constraints decide; the loser gets a friendly message (or, for
tags and bookmarks, simply shares the row) and nothing else fails.
"""
from __future__ import annotations

import threading
import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sandbox.services import bookmarks, feed, workshops
from sandbox.services.errors import AlreadyTaken
from sandbox.services.room_log import SharedLog
from sandbox.store import create_schema, make_engine, read_session, write_session
from sandbox.store.models import Bookmark, Member, Tag

THREADS = 8


def _race(action) -> tuple[list, list[Exception]]:
    start = threading.Barrier(THREADS)
    results, errors, lock = [], [], threading.Lock()

    def run(index):
        start.wait()
        try:
            outcome = action(index)
        except Exception as error:  # noqa: BLE001 - collected and asserted on
            with lock:
                errors.append(error)
        else:
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def test_same_display_name_at_the_same_moment(fresh_db, workshop, clock):
    def join(index):
        with write_session(fresh_db) as session:
            return workshops.join(session, workshop.workshop.code, "Sam Taylor", "IT",
                                  accept_policy=True, client_key=f"c{index}", now=clock.now)

    results, errors = _race(join)
    assert len(results) == 1
    assert len(errors) == THREADS - 1 and all(isinstance(e, AlreadyTaken) for e in errors), errors
    with read_session(fresh_db) as session:
        count = session.scalar(select(func.count(Member.id)).where(Member.display_name == "Sam Taylor"))
    assert count == 1


def test_same_new_tag_and_bookmark_at_the_same_moment(fresh_db, join_as, clock):
    members = [join_as(f"Racer {n}") for n in range(THREADS)]

    def act(index):
        with write_session(fresh_db) as session:
            feed.create_post(session, members[index], "Kick-off #brand-new-tag", now=clock.now)
            bookmarks.save_bookmark(session, members[index], "https://example.org/shared",
                                    "Shared", tags="brand-new-tag", now=clock.now)

    results, errors = _race(act)
    assert errors == []
    with read_session(fresh_db) as session:
        assert session.scalar(select(func.count(Tag.id)).where(Tag.name == "brand-new-tag")) == 1
        assert session.scalar(select(func.count(Bookmark.id))) == 1
        [view] = bookmarks.list_bookmarks(session, members[0]).items
    assert view.saved_by == THREADS


def test_a_reader_waiting_for_a_connection_does_not_hold_up_writers(tmp_path):
    """A failover sent a hundred learners to one server at once: a reader took the room's
    log lock and then waited for a pooled connection, while writers holding every
    connection waited for that lock, so nobody moved until the pool's timeout (60 s).
    Here the pool has one connection and the writer holds it: the reader must wait for
    the connection without the lock, so the writer finishes and both succeed."""
    engine = make_engine(f"sqlite:///{tmp_path / 'one.db'}", pool_size=1, max_overflow=0, pool_timeout=3)
    create_schema(engine)
    shared = SharedLog(workshop_id=1)
    writer_holds_the_connection = threading.Event()
    errors: list[Exception] = []

    def reader() -> None:
        writer_holds_the_connection.wait()
        with Session(engine) as session:
            try:
                shared.snapshot(session)
            except Exception as error:  # noqa: BLE001 - the pool's timeout, reported below
                errors.append(error)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        with Session(engine) as writer:
            writer.execute(select(1))  # the pool's only connection
            writer_holds_the_connection.set()
            time.sleep(0.5)  # the reader is waiting for the connection now
            shared.snapshot_in_write(writer)
    finally:
        thread.join(timeout=10)
        engine.dispose()
    assert not errors, errors
