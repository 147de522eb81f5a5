"""Bookmarks, the idea board, events and scheduling polls."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from sandbox.config import LIMITS
from sandbox.services import bookmarks, events, ideas, notifications, tags
from sandbox.services.errors import InvalidInput, NotAllowed, NotFound
from sandbox.store import read_session, write_session
from sandbox.store.models import Activity


def _last_activity(engine):
    with read_session(engine) as session:
        return session.scalars(select(Activity).order_by(Activity.id.desc())).first()


# --- bookmarks ------------------------------------------------------------------


def test_saved_by_n_with_own_notes_and_tags(fresh_db, learner, colleague, clock):
    with write_session(fresh_db) as session:
        bookmarks.save_bookmark(session, learner, "HTTPS://Example.org/guide", "Wiki guide",
                                note="Good intro", tags="wiki, how-to", now=clock.now)
        bookmarks.save_bookmark(session, colleague, "https://example.org/guide", "Same guide",
                                tags=["#Wiki"], now=clock.now)
    row = _last_activity(fresh_db)
    assert (row.verb, row.target_id) == ("bookmark.save", learner.id)
    assert json.loads(row.detail) == {"tags": ["wiki"]}
    with read_session(fresh_db) as session:
        [view] = bookmarks.list_bookmarks(session, colleague).items
        assert (view.url, view.title, view.saved_by, view.saved_by_me) == (
            "https://example.org/guide", "Wiki guide", 2, True)
        assert view.tags == ["wiki", "how-to"]
        assert [(s.name, s.tags) for s in view.savers] == [
            ("Anna Smith", ["wiki", "how-to"]), ("Ben Jones", ["wiki"])]
        assert [(t.name, t.count) for t in tags.tag_cloud(session, learner.workshop_id)] == [
            ("wiki", 2), ("how-to", 1)]
        assert tags.suggest_tags(session, learner.workshop_id, "h") == ["how-to"]
        assert bookmarks.saved_count(session, learner.workshop_id, "https://EXAMPLE.org/guide") == 2


def test_saving_again_updates_without_new_activity(fresh_db, learner, clock):
    for note in ("first", "second"):
        with write_session(fresh_db) as session:
            bookmarks.save_bookmark(session, learner, "https://example.org", "Ex", note=note,
                                    tags=note, now=clock.now)
    with read_session(fresh_db) as session:
        [view] = bookmarks.list_bookmarks(session, learner).items
        assert view.savers[0].tags == ["second"] and "second" in view.savers[0].note_html
        assert len(session.scalars(select(Activity).where(Activity.verb == "bookmark.save")).all()) == 1


def test_browse_by_tag_and_saver(fresh_db, learner, colleague, clock):
    with write_session(fresh_db) as session:
        a = bookmarks.save_bookmark(session, learner, "https://a.example", "A", tags="hr", now=clock.now)
        b = bookmarks.save_bookmark(session, colleague, "https://b.example", "B", tags="it", now=clock.now)
    with read_session(fresh_db) as session:
        assert [v.title for v in bookmarks.list_bookmarks(session, learner, tag="HR").items] == ["A"]
        assert [v.title for v in bookmarks.list_bookmarks(
            session, learner, saved_by_handle="ben-jones").items] == ["B"]
    assert a.bookmark_id != b.bookmark_id


@pytest.mark.parametrize("url,message", [
    ("javascript:alert(1)", "http:// or https://"),
    ("data:text/html,hi", "http:// or https://"),
    ("ftp://files.example", "http:// or https://"),
    ("https://", "http:// or https://"),
    ("https://exa mple.org", "spaces"),
    ("", "empty"),
    ("https://e.org/" + "a" * 2000, "too long"),
])
def test_bad_links_are_refused(fresh_db, learner, clock, url, message):
    with pytest.raises(InvalidInput, match=message):
        with write_session(fresh_db) as session:
            bookmarks.save_bookmark(session, learner, url, "Title", now=clock.now)


def test_too_many_tags(fresh_db, learner, clock):
    with pytest.raises(InvalidInput, match="at most 10 tags"):
        with write_session(fresh_db) as session:
            bookmarks.save_bookmark(session, learner, "https://e.org", "T",
                                    tags=[f"t{n}" for n in range(11)], now=clock.now)


def test_bookmarks_paging(fresh_db, learner, clock):
    with write_session(fresh_db) as session:
        for n in range(25):
            bookmarks.save_bookmark(session, learner, f"https://e.org/{n}", f"B{n}", now=clock.now)
    with read_session(fresh_db) as session:
        first = bookmarks.list_bookmarks(session, learner, limit=20)
        second = bookmarks.list_bookmarks(session, learner, before_id=first.next_before_id)
    assert len(first.items) == 20 and len(second.items) == 5 and second.next_before_id is None


# --- ideas ----------------------------------------------------------------------


def test_vote_budget(fresh_db, learner, colleague, trainer, clock):
    with write_session(fresh_db) as session:
        own = ideas.create_idea(session, learner, "My idea", now=clock.now)
        theirs = [ideas.create_idea(session, colleague, f"Idea {n}", now=clock.now).id
                  for n in range(LIMITS.idea_vote_budget + 1)]
    with pytest.raises(InvalidInput, match="your own idea"):
        with write_session(fresh_db) as session:
            ideas.vote(session, learner, own.id, now=clock.now)
    with write_session(fresh_db) as session:
        lefts = [ideas.vote(session, learner, idea_id, now=clock.now)
                 for idea_id in theirs[: LIMITS.idea_vote_budget]]
    assert lefts == [4, 3, 2, 1, 0]
    with pytest.raises(NotAllowed, match="used all 5"):
        with write_session(fresh_db) as session:
            ideas.vote(session, learner, theirs[-1], now=clock.now)
    with pytest.raises(InvalidInput, match="already voted"):
        with write_session(fresh_db) as session:
            ideas.vote(session, learner, theirs[0], now=clock.now)
    with write_session(fresh_db) as session:
        assert ideas.unvote(session, learner, theirs[0], now=clock.now) == 1
        assert ideas.vote(session, learner, theirs[-1], now=clock.now) == 0
    with read_session(fresh_db) as session:
        listed = ideas.list_ideas(session, learner)
        assert notifications.unread_count(session, colleague) == 6
    assert listed[-1].title == "My idea" and listed[-1].is_mine
    assert sum(i.votes for i in listed) == 5 and sum(i.voted_by_me for i in listed) == 5


def test_simulated_colleagues_have_no_vote_budget(fresh_db, workshop, learner, colleague, clock):
    """The scenario's colleagues vote all session; a learner's budget stays as it was."""
    from sandbox.services import workshops
    from sandbox.store.models import Workshop

    many = LIMITS.idea_vote_budget + 3
    with write_session(fresh_db) as session:
        room = session.get(Workshop, workshop.workshop.id)
        sam = workshops.add_simulated_member(session, room, persona="sam", display_name="Sam Rivers",
                                             department="Estates", now=clock.now)
        theirs = [ideas.create_idea(session, colleague, f"Idea {n}", now=clock.now).id for n in range(many)]
    with write_session(fresh_db) as session:
        lefts = [ideas.vote(session, sam, idea_id, now=clock.now) for idea_id in theirs]
        assert ideas.votes_left(session, sam) == LIMITS.idea_vote_budget
    assert lefts == [LIMITS.idea_vote_budget] * many
    with read_session(fresh_db) as session:
        assert sum(i.votes for i in ideas.list_ideas(session, learner)) == many
        # Sam's votes do not come out of the learner's budget.
        assert ideas.votes_left(session, learner) == LIMITS.idea_vote_budget
    with write_session(fresh_db) as session:
        for idea_id in theirs[: LIMITS.idea_vote_budget]:
            ideas.vote(session, learner, idea_id, now=clock.now)
    with pytest.raises(NotAllowed, match="used all 5"):
        with write_session(fresh_db) as session:
            ideas.vote(session, learner, theirs[-1], now=clock.now)


def test_idea_status_by_trainer_only(fresh_db, learner, trainer, clock):
    with write_session(fresh_db) as session:
        idea = ideas.create_idea(session, learner, "Lunch and learn", "Every **Friday**", now=clock.now)
    with pytest.raises(NotAllowed):
        with write_session(fresh_db) as session:
            ideas.set_status(session, learner, idea.id, "planned", now=clock.now)
    with pytest.raises(InvalidInput, match="status must be one of"):
        with write_session(fresh_db) as session:
            ideas.set_status(session, trainer, idea.id, "maybe", now=clock.now)
    with write_session(fresh_db) as session:
        ideas.set_status(session, trainer, idea.id, "planned", now=clock.now)
    with read_session(fresh_db) as session:
        [view] = ideas.list_ideas(session, learner, status="planned")
    assert view.status_label == "Planned" and "<strong>Friday</strong>" in view.html


def test_ideas_scoped(fresh_db, learner, other_workshop_learner, clock):
    with write_session(fresh_db) as session:
        idea = ideas.create_idea(session, learner, "Ours", now=clock.now)
    with pytest.raises(NotFound):
        with write_session(fresh_db) as session:
            ideas.vote(session, other_workshop_learner, idea.id, now=clock.now)
    with read_session(fresh_db) as session:
        assert ideas.list_ideas(session, other_workshop_learner) == []


# --- events and scheduling ----------------------------------------------------------


def test_events_and_rsvp(fresh_db, learner, colleague, clock):
    soon, later = clock.now + timedelta(days=1), clock.now + timedelta(days=3)
    with write_session(fresh_db) as session:
        second = events.create_event(session, learner, "Wiki clinic", later, location="Library",
                                     now=clock.now)
        first = events.create_event(session, learner, "Coffee", soon, now=clock.now)
        events.rsvp(session, colleague, first.id, "maybe", now=clock.now)
        events.rsvp(session, colleague, first.id, "going", now=clock.now)
        events.rsvp(session, learner, first.id, "not_going", now=clock.now)
    with read_session(fresh_db) as session:
        upcoming = events.list_upcoming(session, colleague, now=clock.now)
        assert [e.id for e in upcoming] == [first.id, second.id]
        assert (upcoming[0].going, upcoming[0].not_going, upcoming[0].maybe) == (1, 1, 0)
        assert upcoming[0].my_answer == "going" and upcoming[0].attendees == ["Ben Jones"]
        assert [e.id for e in events.list_upcoming(session, colleague, now=soon)] == [second.id]
    row = _last_activity(fresh_db)
    assert (row.verb, json.loads(row.detail)) == ("event.rsvp", {"answer": "not_going"})


@pytest.mark.parametrize("answer", ["yes", "", "GOING"])
def test_rsvp_unknown_answer(fresh_db, learner, clock, answer):
    with write_session(fresh_db) as session:
        event = events.create_event(session, learner, "E", clock.now + timedelta(hours=1), now=clock.now)
    with pytest.raises(InvalidInput, match="answer must be one of"):
        with write_session(fresh_db) as session:
            events.rsvp(session, learner, event.id, answer, now=clock.now)


def test_event_in_the_past_is_refused(fresh_db, learner, clock):
    with pytest.raises(InvalidInput, match="future"):
        with write_session(fresh_db) as session:
            events.create_event(session, learner, "Yesterday", clock.now - timedelta(days=1),
                                now=clock.now)


def test_scheduling_poll_best_slot(fresh_db, learner, colleague, join_as, clock):
    times = [clock.now + timedelta(days=d, hours=h) for d, h in ((1, 0), (1, 2), (2, 0))]
    with write_session(fresh_db) as session:
        poll = events.create_schedule_poll(session, learner, "Pilot kick-off", times, now=clock.now)
    with read_session(fresh_db) as session:
        slots = [s.id for s in events.get_schedule_poll(session, learner, poll.id).slots]
    dee = join_as("Dee Khan")
    with write_session(fresh_db) as session:
        events.pick_times(session, colleague, poll.id, [slots[0], slots[1]], now=clock.now)
        events.pick_times(session, dee, poll.id, [slots[1], slots[2]], now=clock.now)
        events.pick_times(session, learner, poll.id, [slots[0]], now=clock.now)
        events.pick_times(session, learner, poll.id, [slots[1]], now=clock.now)  # changed mind
    with read_session(fresh_db) as session:
        view = events.get_schedule_poll(session, learner, poll.id)
    assert [s.picks for s in view.slots] == [1, 3, 1]
    assert view.best_slot_ids == [slots[1]] and view.voters == 3
    assert view.slots[1].picked_by_me and not view.slots[0].picked_by_me


@pytest.mark.parametrize("offsets,message", [
    ([1], "between 2 and 20"),
    ([1, 1], "offered twice"),
    ([-1, 1], "in the future"),
])
def test_bad_scheduling_polls(fresh_db, learner, clock, offsets, message):
    times = [clock.now + timedelta(hours=h) for h in offsets]
    with pytest.raises(InvalidInput, match=message):
        with write_session(fresh_db) as session:
            events.create_schedule_poll(session, learner, "T", times, now=clock.now)


def test_pick_time_from_another_poll(fresh_db, learner, clock):
    times = [clock.now + timedelta(hours=h) for h in (1, 2)]
    with write_session(fresh_db) as session:
        a = events.create_schedule_poll(session, learner, "A", times, now=clock.now)
        b = events.create_schedule_poll(session, learner, "B", times, now=clock.now)
    with read_session(fresh_db) as session:
        foreign = events.get_schedule_poll(session, learner, b.id).slots[0].id
    with pytest.raises(NotFound):
        with write_session(fresh_db) as session:
            events.pick_times(session, learner, a.id, [foreign], now=clock.now)


def test_other_workshops_see_none_of_it(fresh_db, learner, other_workshop_learner, clock):
    from sandbox.services import groups

    later = [clock.now + timedelta(days=d) for d in (1, 2)]
    with write_session(fresh_db) as session:
        saved = bookmarks.save_bookmark(session, learner, "https://e.org", "E", tags="x", now=clock.now)
        event = events.create_event(session, learner, "Ours", later[0], now=clock.now)
        poll = events.create_schedule_poll(session, learner, "Ours", later, now=clock.now)
        group = groups.create_group(session, learner, "Ours", now=clock.now)
    outsider = other_workshop_learner
    with read_session(fresh_db) as session:
        assert bookmarks.list_bookmarks(session, outsider).items == []
        assert bookmarks.saved_count(session, outsider.workshop_id, "https://e.org") == 0
        assert events.list_upcoming(session, outsider, now=clock.now) == []
        assert events.list_schedule_polls(session, outsider) == []
        assert groups.list_groups(session, outsider) == []
        assert tags.tag_cloud(session, outsider.workshop_id) == []
    for action in (
        lambda s: bookmarks.get_bookmark(s, outsider, saved.bookmark_id),
        lambda s: events.rsvp(s, outsider, event.id, "going", now=clock.now),
        lambda s: events.pick_times(s, outsider, poll.id, [], now=clock.now),
        lambda s: groups.join_group(s, outsider, group.id, now=clock.now),
    ):
        with pytest.raises(NotFound):
            with write_session(fresh_db) as session:
                action(session)
