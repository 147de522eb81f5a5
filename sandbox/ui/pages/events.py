"""Events and scheduling polls: create an event, RSVP, and find a time that suits most people.

Times are entered and shown on the reader's own clock (their browser's time zone, named
next to every time); the store keeps UTC, so people in other zones each see their own.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

import streamlit as st

from sandbox.services import events
from sandbox.services.errors import InvalidInput
from sandbox.ui import state
from sandbox.ui.actions import FAILED, run_action, show_error
from sandbox.ui.components.text import (clock_time, from_reader_clock, inject_css, learner_block, md_escape,
                                         plain, reader_date, zone_name)
from sandbox.ui.db import reading, utc_now
from sandbox.ui.pages_common import require_member

TIME_FORMAT = "%a %d %b %Y, %H:%M"  # the zone's name follows
SLOT_INPUT_FORMAT = "%Y-%m-%d %H:%M"

member = require_member()
inject_css()


def fmt(moment: datetime) -> str:
    return clock_time(moment, fmt=TIME_FORMAT)


def parse_slots(text: str) -> list[datetime]:
    """Lines like ``2026-12-01 10:00`` on the reader's clock -> aware UTC datetimes.
    Fails with InvalidInput naming the line."""
    slots = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            typed = datetime.strptime(line, SLOT_INPUT_FORMAT)
        except ValueError:
            raise InvalidInput(
                f"Line {number} ('{line[:40]}') is not a date and time like 2026-12-01 10:00."
            ) from None
        slots.append(from_reader_clock(typed.date(), typed.time()))
    return slots


def _create_event() -> None:
    values = st.session_state
    day = values.get(state.widget_key("ev_day"))
    at = values.get(state.widget_key("ev_time"))
    starts = from_reader_clock(day, at) if day and at else None
    result = run_action("event_new", events.create_event, member, values.get(state.widget_key("ev_title"), ""),
                        starts, description=values.get(state.widget_key("ev_about"), ""),
                        location=values.get(state.widget_key("ev_place"), ""), success="Event created.")
    if result is not FAILED:
        for name in ("ev_title", "ev_about", "ev_place"):
            values[state.widget_key(name)] = ""


def _create_schedule_in(session, title: str, slot_text: str, *, now: datetime):
    return events.create_schedule_poll(session, member, title, parse_slots(slot_text), now=now)


def _create_schedule() -> None:
    values = st.session_state
    result = run_action("schedule_new", _create_schedule_in, values.get(state.widget_key("sp_title"), ""),
                        values.get(state.widget_key("sp_slots"), ""), success="Scheduling poll started.")
    if result is not FAILED:
        values[state.widget_key("sp_title")] = ""
        values[state.widget_key("sp_slots")] = ""


def _rsvp(event_id: int) -> None:
    answer = st.session_state.get(state.widget_key("rsvp", event_id))
    if answer:
        run_action(f"event-{event_id}", events.rsvp, member, event_id, answer, success="Answer saved.")


def _pick(poll_id: int) -> None:
    picked = st.session_state.get(state.widget_key("picks", poll_id)) or []
    run_action(f"schedule-{poll_id}", events.pick_times, member, poll_id, list(picked),
               success="Your times are saved.")


st.title("Events and scheduling")
state.show_flash()
now = utc_now()
with reading() as session:
    upcoming = events.list_upcoming(session, member, now=now)
    polls = events.list_schedule_polls(session, member)

st.header("Upcoming events")
if not upcoming:
    st.write("Nothing planned yet. Create the first event below.")
for event in upcoming:
    with st.container(border=True):
        meta = (f"<strong>{plain(event.title)}</strong><br>{plain(fmt(event.starts_at))}"
                + (f" · {plain(event.location)}" if event.location else "")
                + f" · organised by {plain(event.creator_name)}")
        learner_block(event.description_html, meta=meta, label=f"Event: {event.title}")
        st.text(f"Going: {event.going} · Maybe: {event.maybe} · Not going: {event.not_going}")
        if event.attendees:
            st.text("Going: " + ", ".join(event.attendees))
        show_error(f"event-{event.id}")
        answers = list(events.RSVP_ANSWERS)
        st.radio(f"Your answer for {md_escape(event.title)}", answers, format_func=events.RSVP_ANSWERS.get,
                 index=answers.index(event.my_answer) if event.my_answer in answers else None,
                 horizontal=True, key=state.widget_key("rsvp", event.id), on_change=_rsvp, args=(event.id,))

with st.expander("Create an event"):
    show_error("event_new")
    with st.form("event_form", border=False):
        st.text_input("Event title", key=state.widget_key("ev_title"), max_chars=150)
        tomorrow = reader_date(now + timedelta(days=1))
        st.date_input("Date", value=tomorrow, key=state.widget_key("ev_day"), format="YYYY-MM-DD")
        st.time_input(f"Start time ({zone_name()})", value=time(10, 0), key=state.widget_key("ev_time"), step=900)
        st.text_input("Place (optional)", key=state.widget_key("ev_place"), max_chars=150)
        st.text_area("What is it about? (optional)", key=state.widget_key("ev_about"), height=80)
        st.form_submit_button("Create the event", type="primary", on_click=_create_event)

st.header("Scheduling polls")
st.write("Offer a few times, let everyone tick the ones they can make, and see the best slot.")
if not polls:
    st.write("No scheduling polls yet.")
for poll in polls:
    with st.container(border=True):
        st.subheader(md_escape(poll.title), anchor=False)
        st.caption(f"Started by {md_escape(poll.creator_name)} · {poll.voters} "
                   f"{'person has' if poll.voters == 1 else 'people have'} answered")
        for slot in poll.slots:
            best = " ★ best so far" if slot.id in poll.best_slot_ids else ""
            names = f": {', '.join(slot.names)}" if slot.names else ""
            st.text(f"{fmt(slot.starts_at)} · {slot.picks} can make it{best}{names}")
        show_error(f"schedule-{poll.id}")
        labels = {slot.id: fmt(slot.starts_at) for slot in poll.slots}
        key = state.widget_key("picks", poll.id)
        if key not in st.session_state:
            st.session_state[key] = [slot.id for slot in poll.slots if slot.picked_by_me]
        with st.form(state.widget_key("picks_form", poll.id), border=False):
            st.multiselect(f"Times you can make for {md_escape(poll.title)}", list(labels),
                           format_func=labels.get, key=key)
            st.form_submit_button("Save my times", on_click=_pick, args=(poll.id,))

with st.expander("Start a scheduling poll"):
    show_error("schedule_new")
    with st.form("schedule_form", border=False):
        st.text_input("What are you scheduling?", key=state.widget_key("sp_title"), max_chars=150)
        st.text_area(f"Times to offer, one per line, in {zone_name()} time (for example 2026-12-01 10:00)",
                     key=state.widget_key("sp_slots"), height=110)
        st.form_submit_button("Start the poll", type="primary", on_click=_create_schedule)
