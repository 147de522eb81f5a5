"""Issue 17 pages: "Speak as a colleague", "Observers and notes", the observer's read-only
console ("Observe and take notes" and the dashboard) and "Observer sign-in"."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from sandbox.services import campaigns as campaign_service
from sandbox.services import feed, observers
from sandbox.simulation import load_scenario
from sandbox.simulation.seed import seed_workshop
from sandbox.store import read_session, write_session
from sandbox.store.models import Activity, Member, ObserverNote, Post, Workshop

from console_helpers import button, texts
from conftest import APP, TIMEOUT


@pytest.fixture()
def seeded(app_db, workshop):
    with write_session(app_db) as session:
        seed_workshop(session, session.get(Workshop, workshop.workshop.id), load_scenario("college"),
                      datetime.now(timezone.utc))
    return workshop


@pytest.fixture()
def observer(app_db, seeded, trainer, clock):
    """Sam, an observer: ``(member, key, session token)``."""
    with write_session(app_db) as session:
        issued = observers.issue_key(session, trainer, "Sam Observer", now=clock.now)
    with write_session(app_db) as session:
        token = observers.observer_sign_in(session, seeded.workshop.code, issued.key, now=clock.now).session_token
    return issued.member, issued.key, token


def test_speak_as_a_colleague_posts_replies_and_marks_the_log(as_trainer, seeded, learner, app_db, clock):
    with write_session(app_db) as session:
        anna_post = feed.create_post(session, learner, "Anyone around? #help", now=datetime.now(timezone.utc))
    at = as_trainer("console_voice")
    assert not at.exception
    speak_as = next(box for box in at.selectbox if box.label == "Speak as")
    with read_session(app_db) as session:
        tom = session.scalar(select(Member.handle).where(Member.persona == "tom"))
    speak_as.set_value(tom)
    at.text_area(key="w_voice_body").input("Has anyone found the real booking form? #rooms")
    button(at, "Post as this colleague").click()
    at.run()
    assert not at.exception
    assert "Posted as your colleague." in texts(at)
    next(box for box in at.selectbox if box.label == "Post").set_value(anna_post.id)
    at.text_area(key="w_voice_reply").input("Here, Anna! Ask away.")
    button(at, "Reply as this colleague").click()
    at.run()
    assert not at.exception
    assert "Replied as your colleague." in texts(at)
    assert "What you said as colleagues" in texts(at)
    with read_session(app_db) as session:
        rows = session.execute(select(Activity.verb, Member.handle, Activity.driven_by)
                               .join(Member, Member.id == Activity.actor_id)
                               .where(Activity.driven_by == "trainer").order_by(Activity.id)).all()
        reply_parent = session.scalar(select(Post.parent_id).where(Post.body == "Here, Anna! Ask away."))
    assert [(verb, handle) for verb, handle, _ in rows] == [("post.create", tom), ("post.reply", tom)]
    assert reply_parent == anna_post.id


def test_the_learner_sees_the_colleague_not_the_trainer(as_anna, seeded, trainer, app_db, clock):
    from sandbox.services import trainer_voice

    with write_session(app_db) as session:
        tom = session.scalar(select(Member.handle).where(Member.persona == "tom"))
        trainer_voice.post_as(session, trainer, tom, "Quiet in here today", now=datetime.now(timezone.utc))
    at = as_anna("feed")
    assert not at.exception
    page = "\n".join(str(element.proto) for element in at.get("html"))
    card = page.split("Quiet in here today")[0].rsplit("role=\\\"article\\\"", 1)[-1]
    assert "Tom Okafor" in card and "trainer" not in card.lower().replace("io-card", "")


def test_the_trainer_issues_an_observer_key_shown_once(as_trainer, seeded, app_db):
    at = as_trainer("console_observers")
    assert not at.exception
    at.text_input(key="w_observer_name").input("Sam Observer")
    button(at, "Make an observer key").click()
    at.run()
    assert not at.exception
    key = at.code[0].value
    assert key.startswith(observers.KEY_PREFIX)
    assert "Copy it now" in texts(at) and "Sam Observer" in texts(at)
    with read_session(app_db) as session:
        assert session.scalar(select(Member.kind).where(Member.display_name == "Sam Observer")) == "observer"


def test_observer_signs_in_and_gets_a_read_only_console(open_app, seeded, observer):
    member, key, _ = observer
    at = open_app(page="observer_sign_in")
    assert not at.exception
    at.text_input(key="w_observer_code").input(seeded.workshop.code)
    at.text_input(key="w_observer_key").input(key)
    button(at, "Sign in").click()
    at.run()
    assert not at.exception
    assert "Observe and take notes" in texts(at)
    # Only the two read-only pages exist for an observer.
    for page in ("feed", "console_room", "console_voice", "console_moderation", "console_debrief", "trainer"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"ui/pages/{page}.py")
    at.switch_page("ui/pages/console_dashboard.py").run()
    assert not at.exception
    assert "Live dashboard" in texts(at)


def test_an_observer_sees_the_campaign_figures_but_not_the_form(open_app, seeded, observer, trainer, app_db):
    with write_session(app_db) as session:
        campaign_service.start_campaign(session, trainer, "roombooking", 4, 60, now=datetime.now(timezone.utc))
    at = open_app(token=observer[2])
    at.switch_page("ui/pages/console_dashboard.py").run()
    assert not at.exception
    shown = texts(at)
    assert "#roombooking: 0 of 4 posts (0%) by 0 people;" in shown
    assert "Start the campaign" not in [b.label for b in at.button]
    assert not [box for box in at.text_input if box.key == "w_campaign_tag"]


def test_an_observer_key_that_is_wrong_gets_one_clear_message(open_app, seeded, observer):
    at = open_app(page="observer_sign_in")
    at.text_input(key="w_observer_code").input(seeded.workshop.code)
    at.text_input(key="w_observer_key").input("ioob_wrong")
    button(at, "Sign in").click()
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["That observer key is not right for this workshop. Ask the trainer for yours."]


def test_observer_reads_the_feed_and_adds_a_note_to_a_step_but_writes_nothing_else(open_app, seeded, observer,
                                                                                  app_db):
    member, _, token = observer
    at = open_app(token=token)
    assert not at.exception
    assert "Observe and take notes" in texts(at)
    # The feed is shown read-only: seeded posts, no composer, no reply or react buttons.
    html = "\n".join(str(element.proto) for element in at.get("html"))
    assert "role=\\\"article\\\"" in html
    assert "w_compose_body" not in [area.key for area in at.text_area]
    assert all(not b.label.startswith(("Reply", "Post", "Pin", "Hide")) for b in at.button)
    box = next(box for box in at.selectbox if box.label == "Scripted step")
    box.set_value("room-booking-muddle")
    at.text_area(key="w_note_body").input("Tom's question landed: three people looked at the wiki.")
    button(at, "Add the note").click()
    at.run()
    assert not at.exception
    assert "Your note is saved" in texts(at)
    assert "Tom's question landed" in texts(at)
    with read_session(app_db) as session:
        note = session.scalars(select(ObserverNote)).one()
        writes = session.scalar(select(Activity.id).where(Activity.actor_id == member.id))
    assert (note.about, note.inject_id, note.author_id) == ("inject", "room-booking-muddle", member.id)
    assert writes is None


def test_observer_ties_a_note_to_a_post_in_the_feed(open_app, seeded, observer, app_db):
    member, _, token = observer
    at = open_app(token=token)
    assert not at.exception
    at.radio(key="w_note_about").set_value("post").run()
    box = next(box for box in at.selectbox if box.label == "Post")
    with read_session(app_db) as session:
        post_id = session.scalar(select(Post.id).where(Post.workshop_id == seeded.workshop.id,
                                                       Post.parent_id.is_(None)).order_by(Post.id.desc()))
    box.set_value(post_id)
    at.text_area(key="w_note_body").input("Jordan's hello got three replies in two minutes.")
    button(at, "Add the note").click()
    at.run()
    assert not at.exception
    assert "Your note is saved" in texts(at)
    with read_session(app_db) as session:
        note = session.scalars(select(ObserverNote)).one()
    assert (note.about, note.post_id, note.inject_id, note.author_id) == ("post", post_id, None, member.id)


def test_an_empty_note_is_refused_with_one_message(open_app, seeded, observer):
    _, _, token = observer
    at = open_app(token=token)
    at.radio(key="w_note_about").set_value("moment")
    at.run()
    button(at, "Add the note").click()
    at.run()
    assert not at.exception
    assert len(at.error) == 1 and "note" in at.error[0].value.lower()


@pytest.mark.parametrize("page", ["console_voice", "console_observers", "observer"])
def test_new_console_scripts_run_alone_show_a_learner_nothing(app_db, learner, page):
    script = Path(APP).parent / "ui" / "pages" / f"{page}.py"
    at = AppTest.from_file(str(script), default_timeout=TIMEOUT)
    at.session_state["io_member"] = learner
    at.run()
    assert not at.exception
    assert "Only the trainer can use this page." in texts(at)
    assert not at.button and not at.get("form_submit_button")
