"""Seeding a workshop from its scenario: every feature has content, once, in the past."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from sandbox.services import bookmarks, events, feed, ideas, wiki, workshops
from sandbox.simulation.problems import ScenarioError
from sandbox.simulation.scenario import load_scenario
from sandbox.simulation.seed import create_workshop_from_scenario, reset_and_reseed, seed_workshop
from sandbox.store import read_session, write_session
from sandbox.store import models
from tests.sandbox.conftest import START

COLLEGE = load_scenario("college")
COUNTED = (
    models.Member, models.Group, models.GroupMembership, models.Post, models.Reaction,
    models.WikiPage, models.WikiRevision, models.Bookmark, models.BookmarkSave, models.Idea,
    models.IdeaVote, models.Event, models.Rsvp, models.PollVote, models.SchedulePoll,
    models.SchedulePick, models.Activity, models.SimulationMark,
)


@pytest.fixture()
def seeded(fresh_db):
    with write_session(fresh_db) as session:
        created = create_workshop_from_scenario(session, "Going inside-out", now=START)
    return created.workshop


def counts(engine, workshop_id) -> dict[str, int]:
    with read_session(engine) as session:
        return {
            model.__name__: session.scalar(
                select(func.count()).select_from(model).where(model.workshop_id == workshop_id)
            )
            for model in COUNTED
        }


def viewer(session, workshop_id):
    """Any member can read; the trainer is always there."""
    return session.scalar(select(models.Member).where(models.Member.workshop_id == workshop_id,
                                                      models.Member.kind == "trainer"))


def test_every_persona_present_from_the_start_is_a_simulated_member(fresh_db, seeded):
    with read_session(fresh_db) as session:
        simulated = workshops.list_members(session, seeded.id, kind="simulated")
    expected = {persona.handle for persona in COLLEGE.personas if not persona.newcomer}
    assert {member.persona for member in simulated} == expected
    priya = next(member for member in simulated if member.persona == "priya")
    assert priya.display_name == "Priya Shah"
    assert priya.department == "Library & Learning Resources"
    assert priya.champion and priya.threshold == 0
    maureen = next(member for member in simulated if member.persona == "maureen")
    assert not maureen.champion and maureen.threshold == 60


def test_seeding_populates_every_feature(fresh_db, seeded):
    with read_session(fresh_db) as session:
        me = viewer(session, seeded.id)
        page = feed.list_feed(session, me, limit=50)
        assert len(page.items) >= 7
        assert any(post.reply_count >= 2 for post in page.items)  # threads
        assert any(post.reactions for post in page.items)
        assert any(post.kind == "question" for post in page.items)
        assert any(post.group_name == "Open Day crew" for post in page.items)
        assert any(post.kind == "poll" and post.poll.total_votes == 3 for post in page.items)
        pinned = feed.pinned_posts(session, me)
        assert [post.author_handle for post in pinned] == ["priya-shah"]

        pages = wiki.list_pages(session, me)
        assert {p.slug for p in pages} >= {"claiming-expenses-and-mileage", "open-day-checklist"}
        expenses = next(p for p in pages if p.slug == "claiming-expenses-and-mileage")
        assert expenses.versions == 3 and expenses.editors == 2
        current = wiki.get_page(session, me, expenses.id)
        assert "paid the following month" in current.body

        saved = bookmarks.list_bookmarks(session, me).items
        assert len(saved) == 6
        assert max(item.saved_by for item in saved) == 3

        board = ideas.list_ideas(session, me)
        assert len(board) == 3
        assert max(idea.votes for idea in board) == 2
        assert {idea.status for idea in board} == {"new", "under-review"}

        upcoming = events.list_upcoming(session, me, now=START)
        assert {event.title for event in upcoming} == {
            "Autumn Open Day", "Lunch and learn: get more from the staff network"}
        open_day = next(event for event in upcoming if event.title == "Autumn Open Day")
        assert open_day.starts_at == START.replace(hour=10) + timedelta(days=9)

        schedule = events.list_schedule_polls(session, me)
        assert len(schedule) == 1 and schedule[0].voters == 3
    found = counts(fresh_db, seeded.id)
    assert found["Group"] == 2 and found["GroupMembership"] == 8
    assert found["SchedulePick"] == 5


def test_seed_content_is_in_the_past_and_in_the_activity_log(fresh_db, seeded):
    with read_session(fresh_db) as session:
        times = session.scalars(select(models.Activity.at).where(models.Activity.workshop_id == seeded.id)).all()
        kinds = set(session.scalars(select(models.Activity.actor_kind).where(
            models.Activity.workshop_id == seeded.id)))
    assert times and max(times) < START
    assert min(times) < START - timedelta(days=2)  # the expenses page was started three days ago
    assert kinds == {"simulated", "trainer"}  # the trainer only pinned a post and set an idea's status


def test_seeding_twice_changes_nothing(fresh_db, seeded):
    before = counts(fresh_db, seeded.id)
    with write_session(fresh_db) as session:
        again = seed_workshop(session, session.get(models.Workshop, seeded.id), COLLEGE, START + timedelta(hours=1))
    assert again.members_added == 0 and again.items_seeded == []
    assert counts(fresh_db, seeded.id) == before


def test_a_broken_scenario_creates_no_workshop(fresh_db):
    with pytest.raises(ScenarioError, match="no scenario called"):
        with write_session(fresh_db) as session:
            create_workshop_from_scenario(session, "Going inside-out", now=START, scenario="no-such-place")
    with read_session(fresh_db) as session:
        assert session.scalar(select(func.count(models.Workshop.id))) == 0


def test_a_failing_seed_leaves_nothing_behind(fresh_db, monkeypatch):
    from sandbox.services.errors import InvalidInput
    from sandbox.simulation import perform

    def refuse(*args, **kwargs):
        raise InvalidInput("refused for the test")

    monkeypatch.setattr(perform.ideas, "create_idea", refuse)
    with pytest.raises(InvalidInput):
        with write_session(fresh_db) as session:
            create_workshop_from_scenario(session, "Going inside-out", now=START)
    with read_session(fresh_db) as session:
        assert session.scalar(select(func.count(models.Workshop.id))) == 0
        assert session.scalar(select(func.count(models.Post.id))) == 0


def test_a_reset_room_is_seeded_again_as_new(fresh_db, seeded):
    from sandbox.simulation.tick import tick

    before = counts(fresh_db, seeded.id)
    with write_session(fresh_db) as session:
        workshops.join(session, seeded.code, "Anna Smith", "Library", accept_policy=True,
                       client_key="anna", now=START)
    assert tick(fresh_db, seeded.code, START + timedelta(minutes=30)).released
    with write_session(fresh_db) as session:
        removed = reset_and_reseed(session, seeded.code, now=START + timedelta(hours=2))
    assert removed["posts"] > 0
    assert counts(fresh_db, seeded.id) == before  # same colleagues and content, no learner
    with read_session(fresh_db) as session:
        marks = session.scalars(select(models.SimulationMark.key).where(
            models.SimulationMark.key.startswith("inject:"))).all()
    assert marks == []  # the timeline starts again


@pytest.mark.parametrize(("text", "tags", "expected"), [
    ("Reminder about #exams", ["exams", "rooms"], "Reminder about #exams #rooms"),
    ("Reminder about #exams", ["exam"], "Reminder about #exams #exam"),  # #exams is not #exam
    ("Hello #Welcome", ["welcome"], "Hello #Welcome"),
    ("No tags here", [], "No tags here"),
])
def test_seed_text_carries_its_tags(text, tags, expected):
    from sandbox.simulation.perform import post_text

    assert post_text(text, tags, (), {}) == expected


def test_seed_mentions_use_the_personas_member_handles():
    from sandbox.simulation.perform import post_text

    handles = {"sam": "sam-rivers"}
    assert post_text("Thanks", (), ["sam"], handles) == "Thanks @sam-rivers"
    assert post_text("Thanks @sam-rivers", (), ["sam"], handles) == "Thanks @sam-rivers"


def test_scheduling_slots_are_the_next_such_weekday():
    from sandbox.simulation.perform import SimulationProblem, slot_time

    # START is Friday 27 November 2026, 09:00 UTC.
    assert slot_time(START, "Monday 09:30") == START.replace(day=30, minute=30)
    assert slot_time(START, "Friday 15:00") == START.replace(day=27, hour=15) + timedelta(days=7)
    assert slot_time(START, "10:00") == START.replace(day=28, hour=10)
    with pytest.raises(SimulationProblem, match="Monday 09:30"):
        slot_time(START, "someday soon")


def test_the_word_file_on_the_share_is_posted_by_its_owner(fresh_db, seeded):
    share = COLLEGE.seed["share_files"][0]
    with read_session(fresh_db) as session:
        me = viewer(session, seeded.id)
        posts = feed.list_feed(session, me, limit=50).items
    post = next(post for post in posts if share["path"] in post.body)
    assert post.author_name == "Carla Jones"
    assert "Collect the key from main reception" in post.body
    assert "four copies" in post.body


def test_a_long_word_file_is_cut_to_fit_a_post():
    from sandbox.config import LIMITS
    from sandbox.simulation.seed import share_file_post

    item = {"title": "Long", "path": r"S:\\long.docx", "story": "A long one.", "text": "step. " * 5000}
    body = share_file_post(item)
    assert len(body) <= LIMITS.post_body
    assert "(The rest is in the Word file.)" in body and body.endswith("A long one.")
