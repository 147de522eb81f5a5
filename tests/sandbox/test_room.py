"""sandbox.room: one workshop's live state, made by one factory; a fresh ``Rooms`` per test.

Missions recorded on the room's write path and by the tick, one tick state per
workshop (by id), and a scenario cache that respects the scenario folder and edits.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from sandbox.room import Rooms
from sandbox.services import feed, workshops
from sandbox.services.errors import InvalidInput
from sandbox.simulation.scenario import SCENARIO_DIR, SCENARIO_DIR_ENV, ScenarioCache
from sandbox.simulation.seed import create_workshop_from_scenario
from sandbox.store import read_session, write_session
from sandbox.store.models import Activity, Member, Workshop
from tests.sandbox.conftest import START


def completions(engine, member) -> list[str]:
    with read_session(engine) as session:
        return list(session.scalars(select(Activity.object_id).where(
            Activity.actor_id == member.id, Activity.verb == "mission.complete").order_by(Activity.id)))


def test_a_command_records_the_mission_it_finishes_in_its_own_transaction(fresh_db, workshop, learner, colleague,
                                                                          clock):
    rooms = Rooms(fresh_db)
    with rooms.writing(clock.now) as write:
        feed.create_post(write.session, learner, "Thinking out loud, @ben-jones #rota", now=clock.now)
    assert [mission.id for mission in write.finished_by(learner.handle)] == ["work-out-loud"]
    assert completions(fresh_db, learner) == ["work-out-loud"]
    # The same mission is never recorded twice, whatever comes next.
    with rooms.writing(clock.advance()) as write:
        feed.create_post(write.session, learner, "And again, @ben-jones", now=clock.now)
    assert write.missions == {}
    assert completions(fresh_db, learner) == ["work-out-loud"]


def test_a_command_that_fails_records_no_mission(fresh_db, workshop, learner, colleague, clock):
    rooms = Rooms(fresh_db)
    with pytest.raises(InvalidInput), rooms.writing(clock.now) as write:
        feed.create_post(write.session, learner, "Thinking out loud, @ben-jones", now=clock.now)
        feed.create_post(write.session, learner, "   ", now=clock.now)  # refused: the whole command goes
    assert completions(fresh_db, learner) == []


def test_a_colleague_command_finishes_the_learners_mission(fresh_db, workshop, learner, colleague, clock):
    """Received missions: Ben's reply (his command) records Anna's first post mission."""
    rooms = Rooms(fresh_db)
    with rooms.writing(clock.now) as write:
        post = feed.create_post(write.session, learner, "Hello all #welcome", now=clock.now)
    assert "first-post" not in completions(fresh_db, learner)
    with rooms.writing(clock.advance(60)) as write:
        feed.reply(write.session, colleague, post.id, "Welcome Anna!", now=clock.now)
    assert "first-post" in [mission.id for mission in write.finished_by(learner.handle)]
    assert "first-post" in completions(fresh_db, learner)


@pytest.fixture()
def seeded_room(fresh_db):
    with write_session(fresh_db) as session:
        return create_workshop_from_scenario(session, "Going inside-out", now=START).workshop


def test_the_tick_records_a_mission_a_simulated_colleague_finishes(fresh_db, seeded_room):
    rooms = Rooms(fresh_db)
    with write_session(fresh_db) as session:  # a write the room did not see (another process)
        anna = workshops.join(session, seeded_room.code, "Anna Smith", "Library", accept_policy=True,
                              client_key="anna", now=START).member
        feed.create_post(session, anna, "Hello from the library #welcome", now=START + timedelta(minutes=1))
    result = rooms.room(seeded_room).keep_alive(START + timedelta(minutes=3))
    assert [key for key in result.released if key.startswith("rule:welcome-first-post")]
    assert "first-post" in result.missions["anna-smith"]
    assert completions(fresh_db, anna).count("first-post") == 1


def test_one_workshop_has_one_room_whichever_way_it_is_asked_for(fresh_db, seeded_room):
    rooms = Rooms(fresh_db)
    room = rooms.room(seeded_room)
    assert rooms.room_of(seeded_room.id) is room
    with read_session(fresh_db) as session:
        assert rooms.room(session.get(Workshop, seeded_room.id)) is room
    assert room.ticker.log is room.log  # the tick reads the room's one log
    assert Rooms(fresh_db).room(seeded_room) is not room  # a fresh factory, fresh state


def test_a_quiet_room_answers_from_memory_until_it_is_reset(fresh_db, seeded_room, clock):
    rooms = Rooms(fresh_db)
    room = rooms.room(seeded_room)
    room.keep_alive(START)
    assert room.ticker._quiet is not None  # "nothing due until ..." is remembered
    with rooms.writing(START) as write:
        room.reset(write.session, now=START)
    assert room.ticker._quiet is None  # forgotten once the reset committed


def write_scenario(folder, name: str, title: str) -> None:
    text = (SCENARIO_DIR / "college.yaml").read_text(encoding="utf-8")
    assert "title: Northfield College" in text
    (folder / f"{name}.yaml").write_text(text.replace("title: Northfield College", f"title: {title}", 1),
                                         encoding="utf-8")


def test_scenario_cache_follows_the_scenario_folder(tmp_path, monkeypatch):
    cache = ScenarioCache()
    shipped = cache.get("college").title
    write_scenario(tmp_path, "college", "Southfield College")
    monkeypatch.setenv(SCENARIO_DIR_ENV, str(tmp_path))
    assert cache.get("college").title == "Southfield College"
    monkeypatch.delenv(SCENARIO_DIR_ENV)
    assert cache.get("college").title == shipped


def test_scenario_cache_reads_an_edited_file_again_and_only_then(tmp_path, monkeypatch):
    monkeypatch.setenv(SCENARIO_DIR_ENV, str(tmp_path))
    write_scenario(tmp_path, "ours", "First draft")
    cache = ScenarioCache()
    first = cache.get("ours")
    assert cache.get("ours") is first  # unchanged file: not read again
    write_scenario(tmp_path, "ours", "Second draft, longer")
    assert cache.get("ours").title == "Second draft, longer"


def test_commands_extend_the_missions_index_instead_of_reading_the_log_again(fresh_db, seeded_room, monkeypatch):
    from sandbox.simulation.missions import LogIndex

    rooms = Rooms(fresh_db)
    room = rooms.room(seeded_room)
    with write_session(fresh_db) as session:
        anna = workshops.join(session, seeded_room.code, "Anna Smith", "Library", accept_policy=True,
                              client_key="anna", now=START).member
        priya = session.scalar(select(Member.handle).where(Member.workshop_id == seeded_room.id,
                                                           Member.persona == "priya"))
    room.keep_alive(START + timedelta(minutes=120))  # every scripted step is out
    builds = []
    real_build = LogIndex.build.__func__
    monkeypatch.setattr(LogIndex, "build", classmethod(lambda cls, *a, **k: builds.append(1) or real_build(cls, *a, **k)))
    for number in range(5):
        at = START + timedelta(minutes=121 + number)
        room.keep_alive(at)  # what every page run does after a command
        with rooms.writing(at) as write:
            feed.create_post(write.session, anna, f"Thought {number}, @{priya} #rota", now=at)
    assert len(builds) == 1  # the first command builds; the others only add their rows
    # Recorded all the same: by her own post, and by the tick when Priya welcomed her.
    assert {"work-out-loud", "first-post"} <= set(completions(fresh_db, anna))
