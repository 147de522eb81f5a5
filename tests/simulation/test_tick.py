"""tick(now) on a real (SQLite, and PostgreSQL when configured) store with a fake clock.

Each test creates a Northfield College workshop through ``create_workshop_from_scenario``
(seeded), lets learners act through the services, and checks what simulated
colleagues did in response. No sleeps: time moves only when the test says so.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from sandbox.services import feed, wiki, workshops
from sandbox.services.errors import NotFound
from sandbox.simulation import tick as tick_module
from sandbox.simulation.clock import pause_clock, resume_clock, start_clock
from sandbox.simulation.seed import create_workshop_from_scenario
from sandbox.simulation.scenario import load_scenario
from sandbox.simulation.tick import WorkshopTick, tick
from sandbox.store import read_session, write_session
from sandbox.store.models import Member, Post, SimulationMark, WikiPage, Workshop
from tests.sandbox.conftest import START


@dataclass
class Room:
    engine: object
    code: str
    workshop_id: int
    ticker: WorkshopTick = field(init=False)

    def __post_init__(self) -> None:
        # What a server's room keeps for this workshop: the quiet answer, the log.
        self.ticker = WorkshopTick(self.workshop_id)

    def tick(self, now: datetime):
        return self.ticker.tick(self.engine, now)

    def forget(self) -> None:
        self.ticker.forget()

    def join(self, name: str, at: datetime, department: str = "Library") -> Member:
        with write_session(self.engine) as session:
            return workshops.join(session, self.code, name, department, accept_policy=True,
                                  client_key=f"test-{name}", now=at).member

    def replies_to(self, post_id: int) -> list[tuple[str, str, bool, str]]:
        """(author handle, author kind, champion, text) of each reply, oldest first."""
        with read_session(self.engine) as session:
            rows = session.execute(
                select(Member.handle, Member.kind, Member.champion, Post.body)
                .join(Member, Member.id == Post.author_id)
                .where(Post.parent_id == post_id).order_by(Post.id)
            )
            return [tuple(row) for row in rows]

    def marks(self, prefix: str = "") -> list[str]:
        with read_session(self.engine) as session:
            return list(session.scalars(
                select(SimulationMark.key).where(SimulationMark.workshop_id == self.workshop_id,
                                                 SimulationMark.key.startswith(prefix))
            ))


def minutes(value: float) -> datetime:
    return START + timedelta(minutes=value)


def make_room(engine, mode: str = "live") -> Room:
    with write_session(engine) as session:
        created = create_workshop_from_scenario(session, "Going inside-out", now=START, mode=mode)
        return Room(engine, created.workshop.code, created.workshop.id)


@pytest.fixture()
def room(fresh_db) -> Room:
    return make_room(fresh_db)


@pytest.fixture()
def anna(room) -> Member:
    return room.join("Anna Smith", START)


def post_as(room: Room, member: Member, text: str, at: datetime, **options) -> int:
    with write_session(room.engine) as session:
        return feed.create_post(session, member, text, now=at, **options).id


def test_tick_twice_releases_nothing_the_second_time(room, anna):
    first = room.tick(minutes(20))
    assert "inject:welcome-the-room" in first.released
    assert "inject:newcomer-says-hello" in first.released
    assert room.tick(minutes(20)).released == []
    room.forget()  # the full path too, not only the quick check
    assert room.tick(minutes(20)).released == []
    assert room.marks("inject:welcome-the-room") == ["inject:welcome-the-room"]


def test_nothing_is_released_before_anyone_joins(room):
    assert room.tick(minutes(60)).released == []
    assert room.marks("inject:") == []


def test_the_live_clock_starts_when_the_first_learner_joins(room):
    room.join("Anna Smith", minutes(30))
    assert room.tick(minutes(31)).released == []
    assert room.tick(minutes(32)).released == ["inject:welcome-the-room"]


def test_the_trainer_can_start_the_clock_before_anyone_joins(room):
    with write_session(room.engine) as session:
        start_clock(session, session.get(Workshop, room.workshop_id), minutes(10))
    assert room.tick(minutes(12)).released == ["inject:welcome-the-room"]


def test_a_paused_clock_holds_injects_back_and_resume_carries_on(room, anna):
    room.tick(minutes(3))
    with write_session(room.engine) as session:
        pause_clock(session, session.get(Workshop, room.workshop_id), minutes(5))
    assert room.tick(minutes(30)).released == []  # tom's question is at minute 8
    with write_session(room.engine) as session:
        resume_clock(session, session.get(Workshop, room.workshop_id), minutes(30))
    # Paused 25 minutes: minute 8 of the timeline is now 33.
    assert room.tick(minutes(32)).released == []
    assert room.tick(minutes(33)).released == ["inject:room-booking-muddle"]


def test_a_paused_clock_still_answers_learners(room, anna):
    with write_session(room.engine) as session:
        pause_clock(session, session.get(Workshop, room.workshop_id), minutes(1))
    post_id = post_as(room, anna, "Hello everyone #welcome", minutes(2))
    result = room.tick(minutes(3))
    assert [key for key in result.released if key.startswith("rule:welcome-first-post")]
    assert len(room.replies_to(post_id)) == 1


def test_a_learners_first_post_gets_a_champion_welcome_after_the_delay(room, anna):
    room.tick(minutes(3))
    post_id = post_as(room, anna, "Hello from the library #welcome", minutes(4))
    assert room.tick(minutes(4.5)).released == []
    assert room.replies_to(post_id) == []
    room.tick(minutes(5))
    replies = room.replies_to(post_id)
    assert len(replies) == 1
    handle, kind, champion, text = replies[0]
    assert kind == "simulated" and champion
    assert text.startswith("Welcome, Anna Smith!")
    # Only the first post is welcomed.
    second = post_as(room, anna, "Another thought #welcome", minutes(6))
    room.tick(minutes(10))
    assert room.replies_to(second) == []


def test_a_question_gets_an_answer_from_someone_who_knows(room, anna):
    post_as(room, anna, "Hi all #welcome", minutes(1))
    question = post_as(room, anna, "How do I claim mileage for Open Day? #question #mileage",
                       minutes(3), question=True)
    room.tick(minutes(3.5))
    assert room.replies_to(question) == []  # the answer comes 45 seconds later
    room.tick(minutes(4))
    replies = room.replies_to(question)
    assert len(replies) == 1
    handle, kind, _champion, text = replies[0]
    assert kind == "simulated"
    # #mileage belongs to Finance: Raj or Maureen answers.
    assert handle in {"raj-anand", "maureen-kelly"}
    assert "Good question, Anna Smith" in text


def test_a_mention_gets_a_reply_from_the_person_mentioned(room, anna):
    post_as(room, anna, "Hello #welcome", minutes(1))
    mention = post_as(room, anna, "Working on the wifi guide today, @dev-patel any tips?", minutes(3))
    room.tick(minutes(5))
    replies = room.replies_to(mention)
    assert [(handle, text) for handle, _kind, _champion, text in replies] == [
        ("dev-patel", "Thanks for the mention, Anna Smith! Happy to help with that.")
    ]


def test_a_new_wiki_page_gets_improved_without_losing_the_learners_text(room, anna):
    with write_session(room.engine) as session:
        page = wiki.create_page(session, anna, "Booking a teaching room",
                                "1. Check the room is free.\n2. Email estates.", now=minutes(2))
    room.tick(minutes(6))
    with read_session(room.engine) as session:
        current = wiki.get_page(session, anna, page.id)
        assert current.number == 2
        assert current.body.startswith("1. Check the room is free.\n2. Email estates.")
        assert "Keys for rooms B12-B14" in current.body
        assert current.updated_by_name == "Carla Jones"


def test_an_action_refused_by_a_service_is_skipped_once_not_retried(room, anna):
    post_id = post_as(room, anna, "Hello #welcome", minutes(1))
    with write_session(room.engine) as session:
        feed.delete_post(session, anna, post_id, now=minutes(1.5))
    result = room.tick(minutes(3))
    assert [key for key in result.skipped if key.startswith("rule:welcome-first-post")]
    room.forget()
    assert room.tick(minutes(3)).skipped == []


def test_a_quiet_tick_does_not_open_a_write_transaction(room, anna, monkeypatch):
    room.tick(minutes(3))
    # On PostgreSQL the tick after a release looks once more (a learner may have
    # written meanwhile); from then on the room is quiet on every database.
    room.tick(minutes(3.1))

    def must_not_run(*args, **kwargs):
        raise AssertionError("the full tick ran although nothing was due")

    monkeypatch.setattr(tick_module, "_tick_in", must_not_run)
    assert room.tick(minutes(3.5)).released == []
    # A learner's post changes the room: the next tick must look properly.
    post_as(room, anna, "Hello #welcome", minutes(4))
    with pytest.raises(AssertionError, match="nothing was due"):
        room.tick(minutes(4))


def test_a_tick_becomes_due_when_the_next_inject_does(room, anna, monkeypatch):
    room.tick(minutes(3))
    room.tick(minutes(3.1))
    calls = []
    real = tick_module._tick_in
    monkeypatch.setattr(tick_module, "_tick_in", lambda *a, **k: calls.append(a[2]) or real(*a, **k))
    room.tick(minutes(7.9))
    assert calls == []
    assert room.tick(minutes(8)).released == ["inject:room-booking-muddle"]
    assert set(calls) == {minutes(8)}  # a look without the lock, then the release


def test_tick_works_inside_the_callers_transaction(room, anna):
    with write_session(room.engine) as session:
        result = tick(session, room.code, minutes(3))
    assert result.released == ["inject:welcome-the-room"]
    assert room.marks("inject:") == ["inject:welcome-the-room"]


def test_tick_for_an_unknown_workshop_says_so(fresh_db):
    with pytest.raises(NotFound, match="join code"):
        tick(fresh_db, "NOPE42", START)


def test_self_study_clocks_are_per_learner(fresh_db):
    room = make_room(fresh_db, mode="self-study")
    anna = room.join("Anna Smith", START)
    room.join("Bilal Khan", minutes(30))
    result = room.tick(minutes(3))
    assert result.released == ["learner:anna-smith:inject:welcome-the-room"]
    result = room.tick(minutes(32))
    assert "learner:bilal-khan:inject:welcome-the-room" in result.released
    assert "learner:anna-smith:inject:welcome-the-room" not in result.released
    # Each learner's welcome post is their own; nothing was released twice.
    keys = room.marks("learner:")
    assert len(keys) == len(set(keys))
    assert keys.count("learner:anna-smith:inject:welcome-the-room") == 1
    # Reactions answer that learner's own actions, in their scope.
    post_id = post_as(room, anna, "Hello, studying alone tonight #welcome", minutes(40))
    result = room.tick(minutes(41))
    assert [key for key in result.released if key.startswith("learner:anna-smith:rule:welcome-first-post")]
    assert len(room.replies_to(post_id)) == 1


def test_a_learner_named_like_a_persona_still_gets_answers(room):
    # Persona "priya" is the simulated Priya Shah; this learner's handle is "priya".
    priya = room.join("Priya", START)
    assert priya.handle == "priya"
    post_id = post_as(room, priya, "Hello #welcome", minutes(1))
    room.tick(minutes(2))
    assert len(room.replies_to(post_id)) == 1


def test_the_newcomer_arrives_during_the_session_not_before(room, anna):
    with read_session(room.engine) as session:
        assert session.scalar(select(Member.id).where(Member.persona == "jordan")) is None
    room.tick(minutes(16))
    with read_session(room.engine) as session:
        jordan = session.scalar(select(Member).where(Member.persona == "jordan"))
        assert jordan.kind == "simulated" and jordan.display_name == "Jordan Lee"
        hello = session.scalar(select(func.count(Post.id)).where(Post.author_id == jordan.id))
    assert hello == 1


def test_every_inject_of_the_session_is_released_by_its_end(room, anna):
    result = room.tick(minutes(120))
    college = load_scenario("college")
    assert sorted(result.released) == sorted(f"inject:{inject.id}" for inject in college.injects)
    assert result.skipped == []
    with read_session(room.engine) as session:
        edited = session.scalar(select(WikiPage).where(WikiPage.slug == "open-day-checklist"))
        assert edited.current_number == 3  # two seed versions + Carla's keys


def test_a_reset_room_comes_alive_again_without_clearing_any_cache(room, anna):
    from sandbox.simulation.seed import reset_and_reseed

    post_as(room, anna, "Hello #welcome", minutes(1))
    assert room.tick(minutes(30)).released
    # Reset from elsewhere (the CLI is another process): this process's caches are stale.
    with write_session(room.engine) as session:
        reset_and_reseed(session, room.code, now=minutes(40))
    bilal = room.join("Bilal Khan", minutes(41))
    post_id = post_as(room, bilal, "Hello after the reset #welcome", minutes(42))
    result = room.tick(minutes(44))
    assert "inject:welcome-the-room" in result.released  # the timeline started again
    assert [key for key in result.released if key.startswith("rule:welcome-first-post")]
    assert len(room.replies_to(post_id)) == 1


def test_tick_also_takes_the_workshop_id(room, anna):
    assert tick(room.engine, anna.workshop_id, minutes(3)).released == ["inject:welcome-the-room"]
    assert tick(room.engine, anna.workshop_id, minutes(3)).released == []
    assert room.tick(minutes(3)).released == []


def test_simulated_colleagues_make_the_missions_that_need_them_completable(room, anna):
    """Missions that need someone else (a reply, votes, an edit) get done in a room of one."""
    from sandbox.services import feed as feed_service
    from sandbox.services import ideas
    from sandbox.services import room_log
    from sandbox.simulation.missions import evaluate

    college = load_scenario("college")
    post_as(room, anna, "Hello from the library #welcome", minutes(1))
    with write_session(room.engine) as session:
        wiki.create_page(session, anna, "Booking a teaching room", "1. Check the room is free.", now=minutes(2))
        ideas.create_idea(session, anna, "A shared printer queue page", "So we stop asking by email.",
                          now=minutes(3))
        feed_service.create_poll(session, anna, "Which day suits a drop-in?", ["Tuesday", "Thursday"],
                                 now=minutes(4))
    room.tick(minutes(15))
    with read_session(room.engine) as session:
        log = room_log.load_activities(session, room.workshop_id)
    for mission_id in ("first-post", "wiki-from-share", "idea-reactions", "run-a-poll"):
        progress = evaluate(college.mission(mission_id), anna.handle, log, seed_tags=college.seed_tags())
        assert progress.done, (mission_id, progress)


def test_an_idea_still_gets_its_votes_after_the_colleagues_voted_on_many(room, anna):
    """Simulated colleagues have no vote budget, so a busy board never leaves an idea unvoted."""
    from sandbox.config import LIMITS
    from sandbox.services import ideas

    ben = room.join("Ben Jones", START, department="Finance")
    # Ben posts more ideas than a learner has votes, and every champion votes on all of them.
    with write_session(room.engine) as session:
        bens = [ideas.create_idea(session, ben, f"Idea number {n}", now=minutes(1)).id
                for n in range(LIMITS.idea_vote_budget + 1)]
        champions = session.scalars(select(Member).where(Member.workshop_id == room.workshop_id,
                                                         Member.champion.is_(True))).all()
        for champion in champions:
            for idea_id in bens:
                ideas.vote(session, champion, idea_id, now=minutes(1))
    room.tick(minutes(2))  # the colleague votes on Ben's ideas come and go
    with write_session(room.engine) as session:
        mine = ideas.create_idea(session, anna, "A shared printer queue page", now=minutes(20)).id
    result = room.tick(minutes(25))
    assert [key for key in result.released if key.startswith("rule:champion-votes-on-an-idea")]
    with read_session(room.engine) as session:
        board = {idea.id: idea for idea in ideas.list_ideas(session, anna)}
    assert board[mine].votes == 2
