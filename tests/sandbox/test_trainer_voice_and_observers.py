"""Issue 17: the trainer speaks as a colleague (rows marked trainer-driven), observers
(their own key, read-only, timestamped notes) and the after-action review.

Service level, on SQLite and (when configured) PostgreSQL; the review itself is also
checked on a hand-built log with known answers.
"""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from sandbox.metrics import records
from sandbox.reports import build_debrief
from sandbox.reports.review import after_action_review
from sandbox.services import export, feed, observers, trainer_voice, workshops
from sandbox.services.errors import InvalidInput, NotAllowed, NotFound, WrongTrainerKey
from sandbox.simulation import clock as session_clock
from sandbox.simulation.scenario import Inject
from sandbox.simulation.seed import create_workshop_from_scenario
from sandbox.simulation.tick import tick
from sandbox.store import read_session, write_session
from sandbox.store.models import Activity, Member
from tests.sandbox.conftest import START


@pytest.fixture()
def room(fresh_db, clock):
    """The college scenario seeded; the trainer signed in; Anna joined; the clock started."""
    with write_session(fresh_db) as session:
        created = create_workshop_from_scenario(session, "Northfield: after action", now=clock.now)
    code = created.workshop.code
    with write_session(fresh_db) as session:
        trainer = workshops.trainer_sign_in(session, code, created.trainer_key, now=clock.now).member
        anna = workshops.join(session, code, "Anna Smith", "Library", accept_policy=True, client_key="t",
                              now=clock.now).member
        session_clock.start_clock(session, session.get(type(created.workshop), created.workshop.id), clock.now)
    return code, trainer, anna


def persona_handle(engine, workshop_id: int, persona: str) -> str:
    with read_session(engine) as session:
        return session.scalar(select(Member.handle).where(Member.workshop_id == workshop_id,
                                                          Member.persona == persona))


def test_the_trainer_posts_replies_and_reacts_as_a_colleague_and_the_log_marks_it(fresh_db, room, clock):
    code, trainer, anna = room
    priya = persona_handle(fresh_db, trainer.workshop_id, "priya")
    with read_session(fresh_db) as session:
        first_id = session.scalar(select(func.max(Activity.id)))
    with write_session(fresh_db) as session:
        post = trainer_voice.post_as(session, trainer, priya, "Who has tried the new rota? #rota", now=clock.now)
        learner_post = feed.create_post(session, anna, "My first post", now=clock.advance(5))
        trainer_voice.reply_as(session, trainer, priya, learner_post.id, "Welcome, Anna!", now=clock.advance(5))
        assert trainer_voice.react_as(session, trainer, priya, learner_post.id, "like", now=clock.advance(5))
    with read_session(fresh_db) as session:
        rows = session.execute(select(Activity.verb, Activity.actor_kind, Activity.driven_by, Member.handle)
                               .join(Member, Member.id == Activity.actor_id)
                               .where(Activity.workshop_id == trainer.workshop_id, Activity.id > first_id)
                               .order_by(Activity.id)).all()
        # What the learner sees: the colleague wrote it.
        seen = feed.get_post(session, anna, post.id)
    assert [(verb, kind, driven, handle) for verb, kind, driven, handle in rows] == [
        ("post.create", "simulated", "trainer", priya),
        ("post.create", "learner", None, anna.handle),
        ("post.reply", "simulated", "trainer", priya),
        ("post.react", "simulated", "trainer", priya),
    ]
    assert (seen.author_handle, seen.author_kind) == (priya, "simulated")
    with read_session(fresh_db) as session:
        data = export.build_export(session, code, now=clock.now)
    driven = [a for a in data["activities"] if a["detail"].get("driven_by") == "trainer"]
    assert [a["verb"] for a in driven] == ["post.create", "post.reply", "post.react"]
    assert all("driven_by" not in a["detail"] for a in data["activities"] if a["actor_kind"] == "learner")
    csv_text = export.render_export(data, ".csv")
    assert '""driven_by"": ""trainer""' in csv_text


def test_only_the_trainer_speaks_as_a_colleague_and_only_as_one_of_the_scenario(fresh_db, room, clock):
    code, trainer, anna = room
    priya = persona_handle(fresh_db, trainer.workshop_id, "priya")
    with pytest.raises(NotAllowed), write_session(fresh_db) as session:
        trainer_voice.post_as(session, anna, priya, "Sneaky", now=clock.now)
    with pytest.raises(NotFound), write_session(fresh_db) as session:
        trainer_voice.post_as(session, trainer, anna.handle, "Speaking as a learner", now=clock.now)
    with pytest.raises(InvalidInput), write_session(fresh_db) as session:
        trainer_voice.post_as(session, trainer, priya, "   ", now=clock.now)
    with read_session(fresh_db) as session:
        assert session.scalar(select(Activity.id).where(Activity.driven_by == "trainer")) is None


def test_an_observer_signs_in_with_their_key_reads_but_cannot_write(fresh_db, room, clock):
    code, trainer, anna = room
    with write_session(fresh_db) as session:
        issued = observers.issue_key(session, trainer, "Sam Observer", now=clock.now)
    assert issued.key.startswith(observers.KEY_PREFIX)
    with write_session(fresh_db) as session:
        signed = observers.observer_sign_in(session, code, issued.key, now=clock.now, client_key="obs")
        token = signed.session_token
    with read_session(fresh_db) as session:
        observer = workshops.member_for_token(session, token)
        assert observer.kind == "observer" and observer.display_name == "Sam Observer"
        assert feed.list_feed(session, observer).items  # the seeded feed is readable
    with pytest.raises(NotAllowed), write_session(fresh_db) as session:
        feed.create_post(session, observer, "Observers do not post", now=clock.now)
    with pytest.raises(NotAllowed), write_session(fresh_db) as session:
        workshops.set_phase(session, observer, "debrief")
    with pytest.raises(NotAllowed), write_session(fresh_db) as session:
        observers.issue_key(session, observer, "Another", now=clock.now)
    with pytest.raises(WrongTrainerKey), write_session(fresh_db) as session:
        observers.observer_sign_in(session, code, "ioob_not-a-key", now=clock.now, client_key="obs")
    # The trainer key is not an observer key (and vice versa: the trainer sign-in refuses it).
    with pytest.raises(WrongTrainerKey), write_session(fresh_db) as session:
        workshops.trainer_sign_in(session, code, issued.key, now=clock.now)


def test_notes_are_stamped_and_tied_to_a_step_a_post_or_a_moment(fresh_db, room, clock):
    code, trainer, anna = room
    with write_session(fresh_db) as session:
        observer = observers.issue_key(session, trainer, "Sam Observer", now=clock.now).member
        post = feed.create_post(session, anna, "Hello", now=clock.now)
    ids = frozenset({"welcome-the-room"})
    with write_session(fresh_db) as session:
        observers.add_note(session, observer, "Quiet start", about="inject", inject_id="welcome-the-room",
                           inject_ids=ids, now=clock.advance(10))
        observers.add_note(session, observer, "Nice first post", about="post", post_id=post.id, now=clock.advance(10))
        observers.add_note(session, trainer, "Room woke up", about="moment", now=clock.advance(10))
    with pytest.raises(InvalidInput), write_session(fresh_db) as session:
        observers.add_note(session, observer, "?", about="inject", inject_id="nope", inject_ids=ids, now=clock.now)
    with pytest.raises(InvalidInput), write_session(fresh_db) as session:
        observers.add_note(session, observer, "", about="moment", now=clock.now)
    with pytest.raises(NotFound), write_session(fresh_db) as session:
        observers.add_note(session, observer, "x", about="post", post_id=999999, now=clock.now)
    with pytest.raises(NotAllowed), write_session(fresh_db) as session:
        observers.add_note(session, anna, "Learners do not write notes", about="moment", now=clock.now)
    with read_session(fresh_db) as session:
        notes = observers.list_notes(session, trainer.workshop_id)
    assert [(n.author, n.about, n.body, n.written_at) for n in notes] == [
        ("Sam Observer", "inject", "Quiet start", START + timedelta(seconds=10)),
        ("Sam Observer", "post", "Nice first post", START + timedelta(seconds=20)),
        ("Trainer", "moment", "Room woke up", START + timedelta(seconds=30)),
    ]
    assert notes[2].moment_at == START + timedelta(seconds=30)
    assert notes[1].post_id == post.id


def test_a_reset_removes_observers_keys_and_notes(fresh_db, room, clock):
    code, trainer, anna = room
    with write_session(fresh_db) as session:
        issued = observers.issue_key(session, trainer, "Sam Observer", now=clock.now)
        observers.add_note(session, issued.member, "Note", about="moment", now=clock.now)
    with write_session(fresh_db) as session:
        removed = workshops.reset_workshop(session, code)
    assert removed["observer_notes"] == 1 and removed["observer_keys"] == 1
    with pytest.raises(WrongTrainerKey), write_session(fresh_db) as session:
        observers.observer_sign_in(session, code, issued.key, now=clock.now)


# --- the after-action review on a hand-built log, with known answers --------------------

T0 = START


def row(id_, minutes, actor, verb, *, kind="learner", object_id="", thread="", driven_by=""):
    detail = {"thread": thread} if thread else {}
    return records.Activity(id=id_, at=T0 + timedelta(minutes=minutes), actor=actor, verb=verb, actor_kind=kind,
                            object_type="post", object_id=object_id, detail=detail, driven_by=driven_by)


def note(id_, minutes, about, body, *, inject_id=None, post_id=None, moment=None):
    return observers.Note(id=id_, author="Sam", written_at=T0 + timedelta(minutes=minutes), about=about,
                          inject_id=inject_id, post_id=post_id,
                          moment_at=T0 + timedelta(minutes=moment) if moment is not None else None, body=body)


def test_the_review_of_a_hand_built_log():
    injects = [Inject("hello", 2, "priya", "post.create"), Inject("form", 8, "tom", "post.create"),
               Inject("later", 40, "dev", "post.create"), Inject("dropped", 50, "raj", "post.create")]
    log = [
        row(1, 2, "priya", "post.create", kind="simulated", object_id="10", driven_by="inject:hello"),
        row(2, 3, "anna", "post.create", object_id="11"),
        row(3, 4.5, "ben", "post.reply", object_id="12", thread="10"),   # first reply: 2.5 minutes
        row(4, 5, "anna", "post.reply", object_id="13", thread="10"),
        row(5, 6, "priya", "post.reply", kind="simulated", object_id="14", thread="11", driven_by="trainer"),
        row(6, 6, "priya", "post.mention", kind="simulated", driven_by="trainer"),
        row(7, 8, "tom", "post.create", kind="simulated", object_id="20", driven_by="inject:form"),
        row(8, 9, "anna", "post.react", object_id="20"),
    ]
    notes = [note(1, 3, "inject", "Slow to start", inject_id="hello"),
             note(2, 5, "post", "Ben answered", post_id=13),          # in hello's thread
             note(3, 9, "moment", "Laughter", moment=8.5),             # after form, before anything else
             note(4, 1, "moment", "Settling in", moment=1)]           # before the first step
    review = after_action_review(injects, {"dropped": T0 + timedelta(minutes=50)}, {"dropped"}, log, notes,
                                 {"priya": "Priya Shah"})
    hello, form, later, dropped = review.steps
    assert (hello.status, hello.post_id, hello.first_reply_by, hello.first_reply_seconds, hello.learner_replies,
            hello.learner_actions) == ("released", "10", "ben", 150.0, 2, 3)
    assert [n.body for n in hello.notes] == ["Slow to start", "Ben answered"]
    assert (hello.who, form.who) == ("Priya Shah", "tom")  # a persona the scenario does not name keeps its handle
    assert (form.first_reply_by, form.first_reply_seconds, form.learner_actions) == ("", None, 1)
    assert [n.body for n in form.notes] == ["Laughter"]
    assert (later.status, later.released_at) == ("not released", None)
    assert (dropped.status, dropped.released_at) == ("skipped", None)
    assert [n.body for n in review.before_first_step] == ["Settling in"]
    assert [(r.verb, r.actor) for r in review.trainer_driven] == [("post.reply", "priya")]
    assert review.summary() == ("2 of 4 scripted steps were released; learners replied to 1 of them. The trainer "
                                "spoke as a colleague once. Observers wrote 4 notes.")


def test_the_debrief_holds_the_review_with_the_note_beside_its_step(fresh_db, room, clock):
    code, trainer, anna = room
    priya = persona_handle(fresh_db, trainer.workshop_id, "priya")
    released_at = clock.advance(3 * 60)  # minute 3: the welcome (minute 2) is due
    tick(fresh_db, code, released_at)
    with read_session(fresh_db) as session:
        welcome = session.scalar(select(Activity.object_id).where(Activity.driven_by == "inject:welcome-the-room",
                                                                  Activity.verb == "post.create"))
    assert welcome
    with write_session(fresh_db) as session:
        feed.reply(session, anna, int(welcome), "Hello Priya!", now=clock.advance(90))
        trainer_voice.post_as(session, trainer, priya, "Anyone else? <script>x</script>", now=clock.advance(10))
        observer = observers.issue_key(session, trainer, "Sam <Observer>", now=clock.now).member
        observers.add_note(session, observer, "Anna answered within two minutes <b>", about="inject",
                           inject_id="welcome-the-room", now=clock.advance(5))
    with read_session(fresh_db) as session:
        html = build_debrief(session, code, now=clock.now)
    step = html.split('id="step-welcome-the-room"')[1].split('<div class="step"')[0]
    assert "Minute 2: Priya Shah wrote a new post" in step
    assert "First reply from the room: Anna Smith, after 2 minutes" in step
    assert "Sam &lt;Observer&gt;" in step and "Anna answered within two minutes &lt;b&gt;" in step
    assert "Posts the trainer wrote as a colleague" in html and "Priya Shah" in html
    assert "<script>" not in html and "http://" not in html and "https://" not in html
    assert "@media print" in html
