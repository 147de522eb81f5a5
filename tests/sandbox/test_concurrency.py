"""Races between people acting at the same moment, on SQLite and PostgreSQL.

SQLite serialises writers, but PostgreSQL runs them side by side: two people
can pick the same display name, or create the same tag or bookmark, in the same
instant. Unique constraints decide; the loser gets a friendly message (or, for
tags and bookmarks, simply shares the row) and nothing else fails.
"""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from sandbox.services import bookmarks, feed, workshops
from sandbox.services.errors import AlreadyTaken
from sandbox.store import read_session, write_session
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
