"""The missions page: progress from the activity log, celebration once, the threshold form."""
from __future__ import annotations

from sandbox.services import feed, workshops
from sandbox.store import read_session, write_session
from sandbox.store.models import Activity

from console_helpers import button, texts


def completions(engine, member) -> list[str]:
    with read_session(engine) as session:
        return [row.object_id for row in session.query(Activity).filter_by(
            actor_id=member.id, verb="mission.complete")]


def test_new_learner_sees_every_mission_with_a_hint(as_anna):
    at = as_anna("missions")
    assert not at.exception
    shown = texts(at)
    assert at.title[0].value == "Missions"
    assert "You have completed 0 of 15 missions." in shown
    assert "Your first post" in shown and "Module 4: Microblogging and working out loud" in shown
    assert "Next:" in shown


def test_finished_mission_is_celebrated_once_and_recorded(as_anna, app_db, learner, colleague, clock):
    with write_session(app_db) as session:
        post = feed.create_post(session, learner, "Hello all #welcome", now=clock.now)
    clock.advance(60)
    with write_session(app_db) as session:
        feed.reply(session, colleague, post.id, "Welcome Anna!", now=clock.now)
    # The mission is recorded where activity is (here: the tick the first page runs), so
    # the celebration comes on whichever page Anna is on, once; Missions then shows it done.
    at = as_anna(None)
    assert not at.exception
    celebrated = [s for s in at.success if "Mission complete: Your first post" in s.value]
    at.switch_page("ui/pages/missions.py").run()
    assert not at.exception
    celebrated += [s for s in at.success if "Mission complete: Your first post" in s.value]
    assert len(celebrated) == 1
    # The kit's look: a Material icon, no emoji (which needs a font the machine may lack).
    assert celebrated[0].icon == ":material/celebration:"
    assert not any(ord(character) > 0x2FFF for character in celebrated[0].value)
    assert "first-post" in completions(app_db, learner)
    at.run()
    assert not any("Mission complete" in s.value for s in at.success)
    assert completions(app_db, learner).count("first-post") == 1
    assert "✓ Done" in texts(at)


def test_a_mission_finished_outside_the_pages_is_recorded_and_celebrated_on_missions(
        as_anna, app_db, learner, colleague, clock, monkeypatch):
    """A completion no write path saw (a log from before, say) is recorded by the Missions page."""
    from sandbox.ui import live, simulation

    monkeypatch.setattr(simulation, "release_due", lambda member: None)  # no tick: nothing records it
    monkeypatch.setattr(live, "release_due", lambda member: None)
    with write_session(app_db) as session:
        post = feed.create_post(session, learner, "Hello all #welcome", now=clock.now)
        feed.reply(session, colleague, post.id, "Welcome Anna!", now=clock.advance(60))
    assert "first-post" not in completions(app_db, learner)
    at = as_anna("missions")
    assert not at.exception
    assert any("Mission complete: Your first post" in s.value for s in at.success)
    assert completions(app_db, learner).count("first-post") == 1


def test_stating_a_threshold_completes_the_threshold_mission(as_anna, app_db, learner):
    at = as_anna("missions")
    at.slider(key="w_threshold").set_value(40)
    button(at, "Save my threshold").click().run()
    assert not at.exception
    assert "you would join once 40% have" in texts(at)
    with read_session(app_db) as session:
        assert session.get(workshops.Member, learner.id).threshold == 40
    assert "state-threshold" in completions(app_db, learner)


def test_trainer_is_pointed_to_the_console(as_trainer):
    at = as_trainer("missions")
    assert not at.exception
    assert "Missions are for learners" in texts(at)


def test_a_mission_a_colleague_finishes_while_the_page_is_open_is_celebrated_there(
        as_anna, app_db, learner, colleague):
    """Ben's reply (his command, through the room's write path) records Anna's mission;
    Anna, watching Missions, is congratulated on the next refresh, once."""
    from sandbox.ui import db

    at = as_anna("missions")
    now = db.utc_now()  # the page compares with the real time its tab opened
    with db.rooms().writing(now) as write:
        post = feed.create_post(write.session, learner, "Hello all #welcome", now=now)
    with db.rooms().writing(now) as write:
        feed.reply(write.session, colleague, post.id, "Welcome Anna!", now=now)
    assert completions(app_db, learner).count("first-post") == 1  # recorded by Ben's command
    at.run()
    assert not at.exception
    assert [s.value for s in at.success if "Mission complete: Your first post" in s.value]
    at.run()
    assert not any("Mission complete: Your first post" in s.value for s in at.success)
