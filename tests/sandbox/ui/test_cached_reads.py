"""The feed's cached reads: a write clears its own workshop's answers, no one else's.

Every learner's click reruns the feed, so its reads are cached (``sandbox.ui.reads``).
A write through the app must make the writer's workshop read afresh, and must leave
every other workshop's cached answers alone: one busy room should not make every
other room's feed hit the database again.
"""
from __future__ import annotations

import pytest

from sandbox.services import feed, workshops
from sandbox.store import write_session
from sandbox.ui import reads

from ui_helpers import button


@pytest.fixture()
def feed_reads(monkeypatch):
    """The viewers whose feed was read from the store (not from the cache), in order."""
    viewers: list[int] = []
    list_feed = feed.list_feed

    def counting(session, viewer, **kwargs):
        viewers.append(viewer.id)
        return list_feed(session, viewer, **kwargs)

    monkeypatch.setattr(feed, "list_feed", counting)
    return viewers


def read_feed(member):
    return reads.feed_page(member.id, 0, "", "", None, "", None, 20, member)


def test_a_write_in_one_workshop_keeps_another_workshops_cached_feed(open_app, app_db, learner, clock, feed_reads):
    with write_session(app_db) as session:
        other = workshops.create_workshop(session, "Another college", now=clock.now)
        cara = workshops.join(session, other.workshop.code, "Cara Lee", "Estates", accept_policy=True,
                              client_key="cara", now=clock.now)
    at = open_app(token=cara.session_token)  # Cara's page is open before Anna's feed is cached
    at.text_area(key="w_compose_body").input("Hello from the other college")

    read_feed(learner)
    assert feed_reads.count(learner.id) == 1
    button(at, "Post").click().run()  # Cara's write, in her own workshop
    assert not at.exception and feed_reads.count(cara.member.id) == 2  # her page read afresh after her post

    read_feed(learner)
    assert feed_reads.count(learner.id) == 1, "Anna's cached feed was thrown away by a write in another workshop"


def test_a_write_in_the_same_workshop_makes_the_feed_read_afresh(open_app, app_db, workshop, learner, clock,
                                                                 feed_reads):
    with write_session(app_db) as session:
        ben = workshops.join(session, workshop.workshop.code, "Ben Jones", "Finance", accept_policy=True,
                             client_key="ben", now=clock.now)
    at = open_app(token=ben.session_token)
    at.text_area(key="w_compose_body").input("Hello from Finance")

    read_feed(learner)
    button(at, "Post").click().run()  # Ben's write, in Anna's workshop
    assert not at.exception

    read_feed(learner)
    assert feed_reads.count(learner.id) == 2, "Anna's feed still came from the cache after a write in her workshop"
