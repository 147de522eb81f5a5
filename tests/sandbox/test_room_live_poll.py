"""The live feed's poll, shared by one server's sessions through the workshop's room.

Every open feed asks every second for the newest post id, lets simulated colleagues
act and asks who is about to write. The room answers from memory for a moment
(``sandbox.room.rooms``: 0.5 s, 1 s, 1 s), and forgets at once when this server
writes. Two ``Rooms`` on one store stand for two server processes; time is a fake
monotonic clock, moved by the test.
"""
from __future__ import annotations

from datetime import timedelta

import pytest

from sandbox.room import Rooms
from sandbox.room import rooms as rooms_module
from sandbox.services import feed, workshops
from sandbox.simulation.seed import create_workshop_from_scenario
from sandbox.store import write_session
from tests.sandbox.conftest import START


class FakeMonotonic:
    def __init__(self) -> None:
        self.seconds = 1000.0

    def monotonic(self) -> float:
        return self.seconds


@pytest.fixture()
def ticking(monkeypatch) -> FakeMonotonic:
    fake = FakeMonotonic()
    monkeypatch.setattr(rooms_module, "monotonic_time", fake)
    return fake


@pytest.fixture()
def seeded(fresh_db):
    with write_session(fresh_db) as session:
        created = create_workshop_from_scenario(session, "Going inside-out", now=START)
        anna = workshops.join(session, created.workshop.code, "Anna Smith", "Library", accept_policy=True,
                              client_key="anna", now=START).member
    return created.workshop, anna


def test_a_post_written_on_this_server_shows_on_the_next_poll(fresh_db, seeded, ticking):
    workshop, anna = seeded
    room = Rooms(fresh_db).room(workshop)
    before = room.newest_post_id()
    with room._rooms.writing(START) as write:
        post = feed.create_post(write.session, anna, "Hello from the library", now=START)
    assert post.id > before
    assert room.newest_post_id() == post.id  # no waiting: this server's write cleared the memory


def test_a_post_written_by_another_server_shows_within_half_a_second(fresh_db, seeded, ticking):
    workshop, anna = seeded
    here, there = Rooms(fresh_db).room(workshop), Rooms(fresh_db).room(workshop)
    before = here.newest_post_id()
    with there._rooms.writing(START) as write:
        post = feed.create_post(write.session, anna, "Written through the other server", now=START)
    ticking.seconds += rooms_module.NEWEST_POST_FRESH_SECONDS / 2
    assert here.newest_post_id() == before  # remembered: the store was not asked again
    ticking.seconds += rooms_module.NEWEST_POST_FRESH_SECONDS / 2
    assert here.newest_post_id() == post.id


def test_the_room_ticks_at_most_once_a_second_unless_this_server_wrote(fresh_db, seeded, ticking, monkeypatch):
    workshop, anna = seeded
    room = Rooms(fresh_db).room(workshop)
    now = START + timedelta(minutes=3)
    assert room.keep_alive(now).released  # the scenario's first steps: released, so the next poll looks
    looks = []
    real_tick = room.ticker.tick
    monkeypatch.setattr(room.ticker, "tick", lambda *args, **kwargs: looks.append(1) or real_tick(*args, **kwargs))
    assert not room.keep_alive(now).released
    for _poll in range(5):  # five sessions polling in the same second
        room.keep_alive(now + timedelta(milliseconds=100))
    assert len(looks) == 1
    ticking.seconds += rooms_module.TICK_EVERY_SECONDS
    room.keep_alive(now + timedelta(seconds=1))
    assert len(looks) == 2
    with room._rooms.writing(now) as write:  # a learner posts on this server: look at once
        feed.create_post(write.session, anna, "Hello everyone #welcome", now=now)
    room.keep_alive(now + timedelta(seconds=1))
    assert len(looks) == 3
    room.keep_alive(now + timedelta(minutes=5))  # the clock moved on (a test clock, a long pause)
    assert len(looks) == 4


def test_a_post_from_another_server_gets_its_scripted_welcome_within_a_second(fresh_db, seeded, ticking):
    workshop, anna = seeded
    here, there = Rooms(fresh_db).room(workshop), Rooms(fresh_db).room(workshop)
    posted = START + timedelta(minutes=3)
    here.keep_alive(posted)
    with there._rooms.writing(posted) as write:
        feed.create_post(write.session, anna, "Hello from the library #welcome", now=posted)
    welcome_due = posted + timedelta(minutes=2)  # long enough for the welcome rule
    assert here.keep_alive(welcome_due).released  # the clock moved on: the room looks
    ticking.seconds += 0.1
    assert not here.keep_alive(welcome_due).released  # released once, never twice
    assert not there.keep_alive(welcome_due).released  # not by the other server either


def test_who_is_writing_is_shared_for_a_second_and_cut_to_the_readers_moment(fresh_db, seeded, ticking,
                                                                             monkeypatch):
    workshop, _anna = seeded
    room = Rooms(fresh_db).room(workshop)
    room.keep_alive(START)
    quiet_until = room.ticker._quiet.until
    assert quiet_until is not None  # the scenario's next scripted step
    lead = timedelta(seconds=20)
    looks = []
    real = room.ticker.coming_up
    monkeypatch.setattr(room.ticker, "coming_up", lambda *args, **kwargs: looks.append(1) or real(*args, **kwargs))
    just_before = quiet_until - lead - timedelta(milliseconds=500)
    assert room.coming_up(just_before, lead) == []  # 20.5 s ahead: not yet
    soon = room.coming_up(just_before + timedelta(milliseconds=600), lead)  # 19.9 s ahead
    assert soon and all(action.due_at == quiet_until for _scope, action in soon)
    assert len(looks) == 1  # the second answer came from the first look
    assert soon == real(fresh_db, just_before + timedelta(milliseconds=600), lead)
    ticking.seconds += rooms_module.COMING_UP_FRESH_SECONDS
    assert room.coming_up(just_before + timedelta(seconds=1), lead) == soon
    assert len(looks) == 2
