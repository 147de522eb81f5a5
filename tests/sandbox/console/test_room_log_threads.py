"""Many browser sessions of one server read the same room while people keep posting."""
from __future__ import annotations

import threading

from sandbox import config
from sandbox.services import feed, room_log
from sandbox.store import read_session, write_session


def test_shared_room_log_stays_complete_under_concurrent_readers(fresh_db, db_url, workshop, learner, clock,
                                                                 monkeypatch):
    monkeypatch.setenv(config.DATABASE_URL_ENV, db_url)
    from sandbox.ui.pages import console_common

    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            while not stop.is_set():
                current = console_common.room(workshop.workshop)
                ids = [activity.id for activity in current.activities]
                assert ids == sorted(set(ids)), "rows repeated or out of order"
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)

    readers = [threading.Thread(target=reader) for _ in range(6)]
    for thread in readers:
        thread.start()
    for number in range(40):
        with write_session(fresh_db) as session:
            feed.create_post(session, learner, f"Post {number}", now=clock.advance(1))
    stop.set()
    for thread in readers:
        thread.join(timeout=30)
    assert not errors, errors
    with read_session(fresh_db) as session:
        expected = [activity.id for activity in room_log.load_activities(session, learner.workshop_id)]
    assert [activity.id for activity in console_common.room(workshop.workshop).activities] == expected
