"""Release a scripted step now, or skip it: through the simulation's own marks, once."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from sandbox.room import Rooms
from sandbox.simulation import timeline
from sandbox.simulation.timeline import TimelineError
from sandbox.services.errors import NotAllowed
from sandbox.simulation import clock as session_clock
from sandbox.simulation.tick import tick
from sandbox.store import read_session, write_session
from sandbox.store.models import Activity, Member, Workshop

from console_helpers import button, texts


@pytest.fixture()
def room(fresh_db, workshop):
    """The workshop's room, as a server holds it: the trainer's controls go through it."""
    return Rooms(fresh_db).room(workshop.workshop)


def started(engine, workshop, minutes_ago: float = 1) -> datetime:
    """Start the workshop's clock ``minutes_ago`` (real time: pages use the real clock)."""
    now = datetime.now(timezone.utc)
    with write_session(engine) as session:
        session_clock.start_clock(session, session.get(Workshop, workshop.workshop.id),
                                  now - timedelta(minutes=minutes_ago))
    return now


def persona_joined(engine, workshop, persona: str) -> bool:
    with read_session(engine) as session:
        return session.query(Member).filter_by(workshop_id=workshop.workshop.id, persona=persona).count() > 0


def test_release_now_releases_a_future_step_once(room, fresh_db, workshop, trainer):
    now = started(fresh_db, workshop)
    with write_session(fresh_db) as session:
        released = room.release(session, trainer, "newcomer-arrives", now=now)
    assert "inject:newcomer-arrives" in released
    with read_session(fresh_db) as session:
        assert "inject:newcomer-arrives" in timeline.released_keys(session, workshop.workshop.id)
    with pytest.raises(TimelineError, match="already"), write_session(fresh_db) as session:
        room.release(session, trainer, "newcomer-arrives", now=now)


def test_release_now_waits_for_an_earlier_step(room, fresh_db, workshop, trainer):
    now = started(fresh_db, workshop)
    with pytest.raises(TimelineError, match="newcomer-arrives"), write_session(fresh_db) as session:
        room.release(session, trainer, "newcomer-says-hello", now=now)


def test_release_now_needs_a_running_clock(room, fresh_db, workshop, trainer):
    with pytest.raises(TimelineError, match="not started"), write_session(fresh_db) as session:
        room.release(session, trainer, "welcome-the-room", now=datetime.now(timezone.utc))


def test_skipped_step_is_never_released_and_unblocks_the_next(room, fresh_db, workshop, trainer):
    now = started(fresh_db, workshop, minutes_ago=20)  # both newcomer steps are due by now
    with write_session(fresh_db) as session:
        room.skip(session, trainer, "newcomer-arrives", now=now)
    tick(fresh_db, workshop.workshop.code, now)
    with read_session(fresh_db) as session:
        keys = timeline.released_keys(session, workshop.workshop.id)
    assert {"inject:newcomer-arrives", "inject:newcomer-says-hello"} <= keys
    with pytest.raises(TimelineError, match="already"), write_session(fresh_db) as session:
        room.skip(session, trainer, "newcomer-arrives", now=now)


def test_learner_cannot_control_the_timeline(room, fresh_db, workshop, learner):
    now = started(fresh_db, workshop)
    for control in (room.release, room.skip):
        with pytest.raises(NotAllowed), write_session(fresh_db) as session:
            control(session, learner, "welcome-the-room", now=now)


def test_unknown_step_is_refused_plainly(room, fresh_db, workshop, trainer):
    with pytest.raises(TimelineError, match="not in this workshop"), write_session(fresh_db) as session:
        room.skip(session, trainer, "no-such-step", now=datetime.now(timezone.utc))


def seeded(engine, workshop) -> None:
    from sandbox.simulation import load_scenario
    from sandbox.simulation.seed import seed_workshop

    with write_session(engine) as session:
        seed_workshop(session, session.get(Workshop, workshop.workshop.id), load_scenario("college"),
                      datetime.now(timezone.utc))


def test_release_now_of_a_step_the_room_cannot_do_leaves_it_pending(room, fresh_db, workshop, trainer):
    now = started(fresh_db, workshop)  # not seeded: Tom, who asks this question, is not in the room
    with pytest.raises(TimelineError, match="stays on the timeline"), write_session(fresh_db) as session:
        room.release(session, trainer, "room-booking-muddle", now=now)
    with read_session(fresh_db) as session:
        assert "inject:room-booking-muddle" not in timeline.released_keys(session, workshop.workshop.id)


def test_page_releases_and_skips(as_trainer, app_db, workshop):
    seeded(app_db, workshop)
    started(app_db, workshop)
    at = as_trainer("console_room")
    at.selectbox(key="w_console_inject").set_value("room-booking-muddle")
    button(at, "Release it now").click().run()
    assert not at.exception
    assert "Released." in texts(at)
    steps = at.table[0].value
    assert steps.set_index("What").filter(like="Which room booking form", axis=0)["Status"].tolist() == ["done"]
    at.selectbox(key="w_console_inject").set_value("newcomer-says-hello")
    button(at, "Release it now").click().run()
    assert "waits for an earlier one first" in texts(at)
    at.selectbox(key="w_console_inject").set_value("newcomer-arrives")
    button(at, "Skip it").click().run()
    assert "Skipped: it will not be released." in texts(at)
    with read_session(app_db) as session:
        assert "inject:newcomer-arrives" in timeline.released_keys(session, workshop.workshop.id)
        posts = [a.detail for a in session.query(Activity).filter_by(workshop_id=workshop.workshop.id,
                                                                      verb="post.create")]
    assert any("room-booking" in detail for detail in posts)
