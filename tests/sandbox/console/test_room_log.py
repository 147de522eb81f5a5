"""The room read as metric records, incrementally (sandbox.services.room_log), the moderation log and
recorded missions."""
from __future__ import annotations

from sqlalchemy import delete

from sandbox.services import feed, moderation, workshops
from sandbox.services import room_log as room
from sandbox.simulation import mission_records
from sandbox.store import read_session, write_session
from sandbox.store.models import Activity


def post(engine, member, body, clock):
    with write_session(engine) as session:
        return feed.create_post(session, member, body, now=clock.advance(1))


def test_members_and_activities_use_handles(fresh_db, learner, colleague, trainer, clock):
    first = post(fresh_db, learner, "Hello @ben-jones #welcome", clock)
    with write_session(fresh_db) as session:
        feed.reply(session, colleague, first.id, "Hi!", now=clock.advance(1))
    with read_session(fresh_db) as session:
        members = room.load_members(session, learner.workshop_id)
        rows = room.load_activities(session, learner.workshop_id)
    assert [(m.handle, m.kind, m.department) for m in members if m.kind == "learner"] == [
        ("anna-smith", "learner", "Library"), ("ben-jones", "learner", "Finance")]
    assert any(m.kind == "trainer" for m in members)
    verbs = [(a.actor, a.verb, a.target) for a in rows if a.verb.startswith("post.")]
    assert ("anna-smith", "post.mention", "ben-jones") in verbs
    assert ("ben-jones", "post.reply", "anna-smith") in verbs
    created = next(a for a in rows if a.verb == "post.create")
    assert created.tags() == ("welcome",)


def test_activities_are_scoped_to_the_workshop(fresh_db, learner, other_workshop_learner, clock):
    post(fresh_db, other_workshop_learner, "Elsewhere", clock)
    with read_session(fresh_db) as session:
        rows = room.load_activities(session, learner.workshop_id)
    assert all(a.actor != other_workshop_learner.handle for a in rows)


def test_room_log_loads_only_new_rows(fresh_db, learner, clock, monkeypatch):
    log = room.RoomLog(learner.workshop_id)
    with read_session(fresh_db) as session:
        log.refresh(session)
    before = len(log.activities)
    loaded_after = []
    real = room.load_activities

    def spy(session, workshop_id, *, after_id=0):
        loaded_after.append(after_id)
        return real(session, workshop_id, after_id=after_id)

    monkeypatch.setattr(room, "load_activities", spy)
    post(fresh_db, learner, "One", clock)
    with read_session(fresh_db) as session:
        log.refresh(session)
        log.refresh(session)  # nothing new: no query for rows at all
    assert len(log.activities) == before + 1
    assert loaded_after == [log.activities[before - 1].id if before else 0]
    assert log.fingerprint == room.LogFingerprint(before + 1, log.activities[-1].id)


def test_room_log_reloads_after_rows_vanish(fresh_db, learner, workshop, clock):
    post(fresh_db, learner, "One", clock)
    log = room.RoomLog(learner.workshop_id)
    with read_session(fresh_db) as session:
        log.refresh(session)
    assert log.activities
    with write_session(fresh_db) as session:
        workshops.reset_workshop(session, workshop.workshop.code)
    with read_session(fresh_db) as session:
        log.refresh(session)
    assert log.activities == [] and log.fingerprint == room.LogFingerprint(0, 0)


def test_room_log_notices_a_late_row_with_a_lower_id(fresh_db, learner, clock):
    """On PostgreSQL a row can commit after one with a higher id; the count catches it."""
    post(fresh_db, learner, "One", clock)
    post(fresh_db, learner, "Two", clock)
    with write_session(fresh_db) as session:
        rows = session.query(Activity).filter_by(workshop_id=learner.workshop_id).order_by(Activity.id).all()
        hidden_id = rows[0].id
        saved = {c.name: getattr(rows[0], c.name) for c in Activity.__table__.columns}
        session.execute(delete(Activity).where(Activity.id == hidden_id))
    log = room.RoomLog(learner.workshop_id)
    with read_session(fresh_db) as session:
        log.refresh(session)
    count = len(log.activities)
    with write_session(fresh_db) as session:
        session.add(Activity(**saved))
    with read_session(fresh_db) as session:
        log.refresh(session)
    assert len(log.activities) == count + 1
    assert hidden_id in {a.id for a in log.activities}


def test_moderation_log_lists_hides_newest_first(fresh_db, learner, trainer, clock):
    rude = post(fresh_db, learner, "<b>Rude</b> words here", clock)
    with write_session(fresh_db) as session:
        feed.hide_post(session, trainer, rude.id, "Off topic", now=clock.advance(1))
    with write_session(fresh_db) as session:
        feed.hide_post(session, trainer, rude.id, "", hidden=False, now=clock.advance(1))
    with read_session(fresh_db) as session:
        entries = moderation.moderation_log(session, learner.workshop_id)
    assert [(e.post_id, e.hidden) for e in entries] == [(rude.id, False), (rude.id, True)]
    assert entries[0].author == "Anna Smith"
    assert entries[0].excerpt == "<b>Rude</b> words here"
    assert entries[0].still_hidden is False


def test_completed_missions_are_recorded_once(fresh_db, learner, clock):
    with write_session(fresh_db) as session:
        fresh = mission_records.record_completed_missions(session, learner, ["first-post", "first-post"], now=clock.now)
    assert fresh == ["first-post"]
    with write_session(fresh_db) as session:
        assert mission_records.record_completed_missions(session, learner, ["first-post", "give-praise"],
                                              now=clock.now) == ["give-praise"]
    with read_session(fresh_db) as session:
        assert mission_records.completed_missions(session, learner) == {"first-post", "give-praise"}


def test_wiki_titles_by_page_id(fresh_db, learner, clock):
    from sandbox.services import wiki

    with write_session(fresh_db) as session:
        page = wiki.create_page(session, learner, "Open Day checklist", "Bring badges", now=clock.now)
    with read_session(fresh_db) as session:
        assert room.wiki_titles(session, learner.workshop_id) == {str(page.id): "Open Day checklist"}


def test_room_log_reloads_when_a_reset_room_reuses_ids(fresh_db, workshop, learner, join_as, clock):
    """SQLite hands out ids again after the newest rows are deleted: a reset then new
    activity can look like 'only rows were added'. The newest-row check catches it."""
    post(fresh_db, learner, "Before the reset", clock)
    log = room.RoomLog(learner.workshop_id)
    with read_session(fresh_db) as session:
        log.refresh(session)
    before = list(log.activities)
    with write_session(fresh_db) as session:
        workshops.reset_workshop(session, workshop.workshop.code)
    newcomer = join_as("Dee Fresh")
    for number in range(len(before) + 2):
        post(fresh_db, newcomer, f"After {number}", clock)
    with read_session(fresh_db) as session:
        log.refresh(session)
        expected = room.load_activities(session, learner.workshop_id)
    assert [(a.id, a.actor, a.verb) for a in log.activities] == [(a.id, a.actor, a.verb) for a in expected]
    assert all(a.actor != "anna-smith" for a in log.activities)
