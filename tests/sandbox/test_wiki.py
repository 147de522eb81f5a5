"""The wiki: pages, versions with author and summary, diff, revert, who edited."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from sandbox.services import notifications, wiki
from sandbox.services.errors import AlreadyTaken, EditConflict, InvalidInput, NotFound
from sandbox.store import read_session, write_session
from sandbox.store.models import Activity, WikiPage

PROCEDURE = "# Booking a room\n1. Open the form\n2. Pick a room\n3. Wait for email"


@pytest.fixture()
def page(fresh_db, learner, clock):
    with write_session(fresh_db) as session:
        created = wiki.create_page(session, learner, "Booking a room", PROCEDURE, now=clock.now)
    clock.advance(60)
    return created


def _edit(engine, member, page_id, body, base, clock, summary=""):
    with write_session(engine) as session:
        revision = wiki.edit_page(session, member, page_id, body, base_number=base, now=clock.now,
                                  summary=summary)
    clock.advance(60)
    return revision


def test_create_page(fresh_db, learner, page):
    with read_session(fresh_db) as session:
        view = wiki.get_page(session, learner, "booking-a-room")
        assert (view.title, view.number, view.created_by_name) == ("Booking a room", 1, "Anna Smith")
        assert "<h1>Booking a room</h1>" in view.html
        [summary] = wiki.list_pages(session, learner)
        assert (summary.versions, summary.editors) == (1, 1)
        verbs = session.scalars(select(Activity.verb).order_by(Activity.id)).all()
    assert verbs[-1] == "wiki.create"


def test_same_title_is_refused(fresh_db, colleague, page, clock):
    with pytest.raises(AlreadyTaken, match="Edit that page instead"):
        with write_session(fresh_db) as session:
            wiki.create_page(session, colleague, "booking a ROOM!", "x", now=clock.now)


def test_colleague_edit_records_target_and_notifies(fresh_db, learner, colleague, page, clock):
    revision = _edit(fresh_db, colleague, page.id, PROCEDURE + "\n4. Add to calendar", 1, clock,
                     summary="Added a step")
    assert revision.number == 2
    with read_session(fresh_db) as session:
        row = session.scalars(select(Activity).order_by(Activity.id.desc())).first()
        assert (row.verb, row.target_id) == ("wiki.edit", learner.id)
        assert [n.kind for n in notifications.list_notifications(session, learner)] == ["wiki_edit"]
        history = wiki.list_revisions(session, learner, page.id)
    assert [(r.number, r.author_name, r.summary) for r in history] == [
        (2, "Ben Jones", "Added a step"), (1, "Anna Smith", "First version")]


def test_stale_edit_is_a_conflict_not_an_overwrite(fresh_db, learner, colleague, page, clock):
    _edit(fresh_db, colleague, page.id, PROCEDURE + "\nBen's line", 1, clock)
    with pytest.raises(EditConflict, match="Ben Jones saved a newer version"):
        _edit(fresh_db, learner, page.id, PROCEDURE + "\nAnna's line", 1, clock)
    with read_session(fresh_db) as session:
        assert "Ben's line" in wiki.get_page(session, learner, page.id).body


def test_unchanged_edit_is_refused(fresh_db, learner, page, clock):
    with pytest.raises(InvalidInput, match="Nothing changed"):
        _edit(fresh_db, learner, page.id, PROCEDURE, 1, clock)


@pytest.mark.parametrize("body,message", [("", "empty"), ("x" * 50_001, "too long"),
                                          ("a\u202eb", "direction")])
def test_bad_edit_stores_nothing(fresh_db, learner, page, clock, body, message):
    with pytest.raises(InvalidInput, match=message):
        _edit(fresh_db, learner, page.id, body, 1, clock)
    with read_session(fresh_db) as session:
        assert session.get(WikiPage, page.id).current_number == 1


def test_side_by_side_diff(fresh_db, learner, colleague, page, clock):
    new = PROCEDURE.replace("2. Pick a room", "2. Pick a room and a time") + "\n4. Done"
    _edit(fresh_db, colleague, page.id, new, 1, clock)
    with read_session(fresh_db) as session:
        rows = wiki.diff_revisions(session, learner, page.id, 1, 2)
    changes = [(r.change, r.old_text, r.new_text) for r in rows if r.change != "same"]
    assert changes == [("changed", "2. Pick a room", "2. Pick a room and a time"),
                       ("added", None, "4. Done")]
    assert [r.old_number for r in rows if r.change == "same"] == [1, 2, 4]


def test_side_by_side_removed_lines():
    rows = wiki.side_by_side("a\nb\nc", "a\nc")
    assert [(r.change, r.old_number, r.new_number) for r in rows] == [
        ("same", 1, 1), ("removed", 2, None), ("same", 3, 2)]


def test_revert_makes_a_new_version(fresh_db, learner, colleague, page, clock):
    _edit(fresh_db, colleague, page.id, "vandalised", 1, clock)
    with write_session(fresh_db) as session:
        revision = wiki.revert_page(session, learner, page.id, 1, now=clock.now)
    assert (revision.number, revision.reverted_to) == (3, 1)
    with read_session(fresh_db) as session:
        assert wiki.get_page(session, learner, page.id).body == PROCEDURE
        row = session.scalars(select(Activity).order_by(Activity.id.desc())).first()
        assert (row.verb, row.target_id) == ("wiki.revert", colleague.id)
    with pytest.raises(InvalidInput, match="already what the page says"):
        with write_session(fresh_db) as session:
            wiki.revert_page(session, learner, page.id, 3, now=clock.now)
    with pytest.raises(NotFound, match="Version 9"):
        with write_session(fresh_db) as session:
            wiki.revert_page(session, learner, page.id, 9, now=clock.now)


def test_who_edited(fresh_db, learner, colleague, page, clock):
    _edit(fresh_db, colleague, page.id, "v2", 1, clock)
    _edit(fresh_db, colleague, page.id, "v3", 2, clock)
    with read_session(fresh_db) as session:
        editors = wiki.who_edited(session, learner, page.id)
    assert [(e.name, e.edits) for e in editors] == [("Ben Jones", 2), ("Anna Smith", 1)]
    assert editors[0].last_edit_at.tzinfo is not None


def test_pages_are_scoped_by_workshop(fresh_db, other_workshop_learner, page, clock):
    with read_session(fresh_db) as session:
        assert wiki.list_pages(session, other_workshop_learner) == []
        with pytest.raises(NotFound):
            wiki.get_page(session, other_workshop_learner, page.id)
        with pytest.raises(NotFound):
            wiki.get_page(session, other_workshop_learner, "booking-a-room")
    with pytest.raises(NotFound):
        _edit(fresh_db, other_workshop_learner, page.id, "x", 1, clock)
    # The same title is free in another workshop.
    with write_session(fresh_db) as session:
        wiki.create_page(session, other_workshop_learner, "Booking a room", "Theirs", now=clock.now)


def test_untitled_slugs_do_not_collide(fresh_db, learner, clock):
    with write_session(fresh_db) as session:
        first = wiki.create_page(session, learner, "日本", "a", now=clock.now)
        second = wiki.create_page(session, learner, "中文", "b", now=clock.now)
    assert first.slug == "page" and second.slug == "page-2"
