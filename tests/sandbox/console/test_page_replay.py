"""The replay page: the feed and the dashboard as they were at the chosen minute."""
from __future__ import annotations

from sandbox.services import feed
from sandbox.simulation import clock as session_clock
from sandbox.store import write_session
from sandbox.store.models import Workshop

from console_helpers import button, texts


def test_replay_at_minute_5_shows_the_feed_as_it_was(as_trainer, app_db, workshop, learner, colleague, clock):
    with write_session(app_db) as session:
        session_clock.start_clock(session, session.get(Workshop, workshop.workshop.id), clock.now)
    with write_session(app_db) as session:
        early = feed.create_post(session, learner, "Early bird post about #rooms", now=clock.advance(60))
    with write_session(app_db) as session:
        feed.reply(session, colleague, early.id, "Finance says hello", now=clock.advance(120))  # minute 3
    with write_session(app_db) as session:
        feed.create_post(session, colleague, "A later post from minute eight", now=clock.advance(300))
    at = as_trainer("console_replay")
    assert not at.exception
    assert "A later post from minute eight" in texts(at)  # the slider starts at the end
    at.slider(key="w_replay_minute").set_value(5).run()
    assert not at.exception
    shown = texts(at)
    assert "Minute 5" in shown
    assert "Early bird post about" in shown
    assert "1 reply and 0 reactions by then." in shown
    assert "A later post from minute eight" not in shown
    assert "1 of 2 posts" not in shown and "1 of 1 post (100%) got a reply" in shown  # the dashboard then
    # Key moments: the first reply across departments (Finance to Library) is one of them.
    button(at, "Minute 3: First reply across departments").click().run()
    assert at.slider(key="w_replay_minute").value == 3


def test_replay_of_a_new_workshop_shows_its_seed_posts(as_trainer, app_db):
    at = as_trainer("console_replay")
    assert not at.exception
    assert "posts in the feed" in texts(at)  # the scenario's seed content, before anyone joined



def test_replay_shows_what_the_trainer_wrote_as_a_colleague_as_its_own_moment(as_trainer, app_db, workshop,
                                                                                trainer, clock):
    from sqlalchemy import select

    from sandbox.services import trainer_voice
    from sandbox.simulation import load_scenario
    from sandbox.simulation.seed import seed_workshop
    from sandbox.store.models import Member

    with write_session(app_db) as session:
        seed_workshop(session, session.get(Workshop, workshop.workshop.id), load_scenario("college"), clock.now)
        session_clock.start_clock(session, session.get(Workshop, workshop.workshop.id), clock.now)
    with write_session(app_db) as session:
        tom = session.scalar(select(Member).where(Member.workshop_id == workshop.workshop.id, Member.persona == "tom"))
        trainer_voice.post_as(session, trainer, tom.handle, "Who has tried the rota?", now=clock.advance(120))
    at = as_trainer("console_replay")
    assert not at.exception
    assert "**Tom Okafor** (you, speaking as this colleague)" in "\n".join(m.value for m in at.markdown)
    assert "Minute 2: The trainer, as Tom Okafor, posted" in [b.label for b in at.button]
