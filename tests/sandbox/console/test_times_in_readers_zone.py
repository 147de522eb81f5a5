"""Events and deadlines are typed and read on the reader's own clock (issue 14, finding 9).

The browser says its zone (``st.context.timezone``); the store keeps UTC. So a time typed
in Paris is stored as the same moment in UTC, and a reader in New York sees it on
their clock, the zone named. AppTest has no browser, so the zone is set here as the
browser would send it.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from streamlit.runtime.context import ContextProxy

from sandbox.services import events, feed
from sandbox.simulation import clock as session_clock
from sandbox.store import read_session, write_session
from sandbox.store.models import Workshop
from sandbox.ui.components.text import from_reader_clock
from sandbox.ui.db import utc_now
from tests.exercises.grading.crafting import FIXTURE_COURSE
from tests.sandbox.hand_in_support import ASSIGNMENT

from console_helpers import button
from console_helpers import texts as page_texts


def texts(at) -> str:
    """The page's text and its HTML (an event's heading line is drawn as HTML)."""
    return "\n".join([page_texts(at), *(str(element.proto.body) for element in at.get("html"))])


@pytest.fixture()
def browser_zone(monkeypatch):
    def set_zone(name: str) -> None:
        monkeypatch.setattr(ContextProxy, "timezone", property(lambda self: name))
    return set_zone


def test_a_time_typed_on_the_readers_clock_is_kept_in_utc(browser_zone):
    browser_zone("Europe/Paris")
    assert from_reader_clock(date(2030, 1, 15), time(10, 0)) == datetime(2030, 1, 15, 9, 0, tzinfo=timezone.utc)
    assert from_reader_clock(date(2030, 7, 15), time(10, 0)) == datetime(2030, 7, 15, 8, 0, tzinfo=timezone.utc)
    browser_zone("Not/AZone")  # a zone this server does not know: UTC, as the form then says
    assert from_reader_clock(date(2030, 1, 15), time(10, 0)) == datetime(2030, 1, 15, 10, 0, tzinfo=timezone.utc)


def test_an_event_made_in_paris_is_stored_in_utc_and_read_in_new_york(
        as_anna, app_db, learner, colleague, browser_zone):
    browser_zone("Europe/Paris")
    at = as_anna("events")
    assert at.time_input(key="w_ev_time").label == "Start time (Europe/Paris)"
    at.text_input(key="w_ev_title").input("Winter drop-in")
    at.date_input(key="w_ev_day").set_value(date(2030, 1, 15))
    at.time_input(key="w_ev_time").set_value(time(10, 0))
    button(at, "Create the event").click().run()
    assert not at.exception
    assert "Tue 15 Jan 2030, 10:00 CET" in texts(at)
    with read_session(app_db) as session:
        [event] = events.list_upcoming(session, learner, now=utc_now())
    assert event.starts_at.replace(tzinfo=timezone.utc) == datetime(2030, 1, 15, 9, 0, tzinfo=timezone.utc)

    browser_zone("America/New_York")
    assert "Tue 15 Jan 2030, 04:00 EST" in texts(as_anna("events"))


def test_scheduling_poll_times_are_read_on_the_readers_clock(as_anna, app_db, learner, browser_zone):
    browser_zone("Europe/Paris")
    at = as_anna("events")
    at.text_input(key="w_sp_title").input("Retro")
    at.text_area(key="w_sp_slots").input("2030-07-01 10:00\n2030-07-02 14:30")
    button(at, "Start the poll").click().run()
    assert not at.exception
    assert "Mon 01 Jul 2030, 10:00 CEST · 0 can make it" in texts(at)
    with read_session(app_db) as session:
        [poll] = events.list_schedule_polls(session, learner)
    assert [slot.starts_at.replace(tzinfo=timezone.utc) for slot in poll.slots] == [
        datetime(2030, 7, 1, 8, 0, tzinfo=timezone.utc), datetime(2030, 7, 2, 12, 30, tzinfo=timezone.utc)]


def test_a_deadline_set_in_new_york_is_read_in_paris(as_trainer, as_anna, app_db, browser_zone,
                                                     monkeypatch):
    monkeypatch.setenv("INSIDEOUT_COURSE_DIR", str(FIXTURE_COURSE))
    browser_zone("America/New_York")
    at = as_trainer("console_gradebook")
    assert at.time_input(key="w_gb_deadline_time").label == "Time (America/New_York)"
    at.selectbox(key="w_gb_deadline_assignment").set_value(ASSIGNMENT)
    at.date_input(key="w_gb_deadline_day").set_value(date(2030, 1, 15))
    at.time_input(key="w_gb_deadline_time").set_value(time(17, 0))
    button(at, "Save the deadline").click().run()
    assert not at.exception
    assert f"{ASSIGNMENT}: 15 January 2030, 17:00 EST" in texts(at)

    browser_zone("Europe/Paris")  # a learner elsewhere: the same moment on their clock
    at = as_anna("hand_in")
    at.selectbox(key=_assignment_key(at)).set_value(ASSIGNMENT).run()
    assert not at.exception
    assert "Deadline: 15 January 2030, 23:00 CET." in texts(at)


def _assignment_key(at) -> str:
    [key] = [box.key for box in at.selectbox if box.label == "Assignment"]
    return key


def test_the_trainer_console_reads_times_on_the_trainers_clock(as_trainer, app_db, workshop, learner, colleague,
                                                               clock, browser_zone):
    """Replay and the adoption chart's table on the trainer's clock, the zone named (they said
    UTC before; the tables of what the trainer said as colleagues and of observers' notes use
    the same helpers)."""
    with write_session(app_db) as session:
        seeded = session.get(Workshop, workshop.workshop.id)
        session_clock.start_clock(session, seeded, clock.now)
    with write_session(app_db) as session:
        early = feed.create_post(session, learner, "Early bird post about #rooms", now=clock.advance(60))
    with write_session(app_db) as session:
        feed.reply(session, colleague, early.id, "Finance says hello", now=clock.advance(120))
    new_york = ZoneInfo("America/New_York")
    replied = clock.now.astimezone(new_york)
    browser_zone("America/New_York")

    at = as_trainer("console_replay")
    at.slider(key="w_replay_minute").set_value(5).run()
    assert not at.exception
    five = (clock.now - timedelta(seconds=180) + timedelta(minutes=5)).astimezone(new_york)
    assert f"Minute 5 ({five:%H:%M} {five.tzname()})" in texts(at)
    assert "UTC" not in texts(at)

    at = as_trainer("console_dashboard")
    assert not at.exception
    tables = [table.value for table in at.table if "Time (America/New_York)" in table.value.columns]
    assert tables, "the adoption table names the trainer's zone"
    assert f"{replied:%H:%M}" in set(tables[0]["Time (America/New_York)"])
