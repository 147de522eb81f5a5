"""A skipped scripted step says "skipped" on the timeline, in words, never "done"."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from sandbox.room import Rooms
from sandbox.simulation import timeline
from sandbox.simulation import clock as session_clock
from sandbox.simulation.tick import tick
from sandbox.store import read_session, write_session
from sandbox.store.models import Workshop

from console_helpers import button, texts


@pytest.fixture()
def room(fresh_db, workshop):
    """The workshop's room, as a server holds it: the trainer's controls go through it."""
    return Rooms(fresh_db).room(workshop.workshop)


def start_clock(engine, workshop, minutes_ago: float) -> datetime:
    now = datetime.now(timezone.utc)
    with write_session(engine) as session:
        session_clock.start_clock(session, session.get(Workshop, workshop.workshop.id),
                                  now - timedelta(minutes=minutes_ago))
    return now


def seeded(engine, workshop) -> None:
    """The scenario's colleagues and content in the room (Tom must be there to ask his question)."""
    from sandbox.simulation import load_scenario
    from sandbox.simulation.seed import seed_workshop

    with write_session(engine) as session:
        seed_workshop(session, session.get(Workshop, workshop.workshop.id), load_scenario("college"),
                      datetime.now(timezone.utc))


def statuses(at) -> dict[str, str]:
    """Timeline: the step's id-like text (who and what) -> its status."""
    timeline = at.table[0].value
    return {f"{row['Who']}: {row['What']}": row["Status"] for _, row in timeline.iterrows()}


def status_of(at, words: str) -> str:
    found = [status for step, status in statuses(at).items() if words in step]
    assert len(found) == 1, statuses(at)
    return found[0]


def test_skipped_step_reads_skipped_and_released_step_reads_done(as_trainer, app_db, workshop):
    seeded(app_db, workshop)
    start_clock(app_db, workshop, minutes_ago=1)
    at = as_trainer("console_room")
    at.selectbox(key="w_console_inject").set_value("newcomer-arrives")
    button(at, "Skip it").click().run()
    assert not at.exception
    assert "Skipped: it will not be released." in texts(at)
    assert status_of(at, "Jordan Lee: joined the workshop") == "skipped"
    at.selectbox(key="w_console_inject").set_value("room-booking-muddle")
    button(at, "Release it now").click().run()
    assert not at.exception
    assert "Released." in texts(at)
    assert status_of(at, "Which room booking form") == "done"
    assert "2 of 13 scripted steps done so far: 1 released, 1 skipped." in texts(at)


def test_a_step_the_room_could_not_do_reads_skipped(as_trainer, app_db, workshop):
    # Not seeded: Tom, who asks the minute-8 question, is not in the room, so the tick
    # refuses that step and marks it, to carry on with the rest of the timeline.
    now = start_clock(app_db, workshop, minutes_ago=9)
    result = tick(app_db, workshop.workshop.code, now)
    assert "inject:room-booking-muddle" in result.skipped
    at = as_trainer("console_room")
    assert not at.exception
    assert status_of(at, "Which room booking form") == "skipped"


def test_skip_is_recorded_as_skipped_and_still_counts_as_handled(room, fresh_db, workshop, trainer):
    """The step's own mark stays (the tick never releases it); a second mark says it was skipped."""
    now = start_clock(fresh_db, workshop, minutes_ago=1)
    with write_session(fresh_db) as session:
        room.skip(session, trainer, "newcomer-arrives", now=now)
    with read_session(fresh_db) as session:
        keys = timeline.released_keys(session, workshop.workshop.id)
    assert "inject:newcomer-arrives" in keys
    assert timeline.skipped_injects(keys) == {"newcomer-arrives"}
