"""Bookmarks, ideas, events and scheduling, search, groups, notifications and trainer pages."""
from __future__ import annotations

from datetime import timedelta

import pytest

from sandbox.services import bookmarks, events, feed, ideas, wiki, workshops
from sandbox.store import read_session, write_session

from ui_helpers import button, texts


@pytest.fixture()
def as_anna(open_app, learner_sign_in):
    return lambda page: open_app(token=learner_sign_in.session_token, page=page)


@pytest.fixture()
def trainer_token(app_db, workshop, clock):
    with write_session(app_db) as session:
        return workshops.trainer_sign_in(session, workshop.workshop.code, workshop.trainer_key,
                                         now=clock.now).session_token


# --- bookmarks -------------------------------------------------------------------------


def test_bookmark_with_suggested_and_new_tags(as_anna, app_db, colleague, clock):
    with write_session(app_db) as session:
        bookmarks.save_bookmark(session, colleague, "https://example.org/guide", "Staff guide",
                                tags=["onboarding"], note="Start here", now=clock.now)
    at = as_anna("bookmarks")
    assert not at.exception
    tags_box = at.multiselect(key="w_bm_tags")
    assert "onboarding" in tags_box.options
    at.text_input(key="w_bm_url").input("https://example.org/rooms")
    at.text_input(key="w_bm_title").input("Room booking")
    tags_box.select("onboarding")
    button(at, "Save the link").click().run()
    assert not at.exception
    shown = texts(at)
    assert "Saved to the shared bookmarks." in shown
    assert "Room booking" in shown and "#onboarding" in shown
    button(at, "Save to my bookmarks too: Staff guide").click().run()
    assert "Saved by 2 people" in texts(at)


def test_bookmark_browse_by_tag(as_anna, app_db, colleague, clock):
    with write_session(app_db) as session:
        bookmarks.save_bookmark(session, colleague, "https://example.org/a", "Alpha", tags=["it"], now=clock.now)
        bookmarks.save_bookmark(session, colleague, "https://example.org/b", "Beta", tags=["hr"], now=clock.now)
    at = as_anna("bookmarks")
    at.get("button_group")[0].set_value("hr").run()
    shown = texts(at)
    assert "Bookmarks tagged #hr" in shown and "Beta" in shown and "Alpha" not in shown


@pytest.mark.parametrize("url", ["javascript:alert(1)", "not a link", ""])
def test_bad_bookmark_link_is_refused(as_anna, app_db, learner, url):
    at = as_anna("bookmarks")
    at.text_input(key="w_bm_url").input(url)
    at.text_input(key="w_bm_title").input("Something")
    button(at, "Save the link").click().run()
    assert not at.exception
    assert len(at.error) == 1
    assert at.text_input(key="w_bm_title").value == "Something"


# --- ideas ---------------------------------------------------------------------------


def test_idea_vote_budget_and_take_back(as_anna, app_db, colleague, clock):
    with write_session(app_db) as session:
        idea = ideas.create_idea(session, colleague, "Shared team calendar", now=clock.now)
    at = as_anna("ideas")
    assert "You have 5 of 5 votes left." in texts(at)
    button(at, "Vote for: Shared team calendar").click().run()
    assert not at.exception
    assert "You have 4 of 5 votes left." in texts(at) and "1 vote" in texts(at)
    button(at, "✓ Voted. Take my vote back from: Shared team calendar").click().run()
    assert "You have 5 of 5 votes left." in texts(at)


def test_post_an_idea(as_anna):
    at = as_anna("ideas")
    at.text_input(key="w_idea_title").input("Lunch-and-learn on Fridays")
    button(at, "Post the idea").click().run()
    assert not at.exception
    assert "Lunch-and-learn on Fridays" in texts(at) and "Your idea." in texts(at)


def test_trainer_sets_idea_status(open_app, trainer_token, app_db, colleague, clock):
    with write_session(app_db) as session:
        idea = ideas.create_idea(session, colleague, "Shared team calendar", now=clock.now)
    at = open_app(token=trainer_token, page="ideas")
    at.selectbox(key=f"w_idea_status_{idea.id}").set_value("planned").run()
    assert not at.exception
    assert "Status: Planned" in texts(at)


# --- events and scheduling ---------------------------------------------------------


def test_rsvp_to_an_event(as_anna, app_db, colleague):
    from sandbox.ui.db import utc_now

    with write_session(app_db) as session:
        event = events.create_event(session, colleague, "Digital drop-in", utc_now() + timedelta(days=2),
                                    location="Library", now=utc_now())
    at = as_anna("events")
    assert "Digital drop-in" in texts(at)
    at.radio(key=f"w_rsvp_{event.id}").set_value("going").run()
    assert not at.exception
    assert "Going: 1" in texts(at) and "Going: Anna Smith" in texts(at)


def test_create_event_in_the_past_is_refused(as_anna):
    from datetime import date

    at = as_anna("events")
    at.text_input(key="w_ev_title").input("Old news")
    at.date_input(key="w_ev_day").set_value(date(2020, 1, 1))
    button(at, "Create the event").click().run()
    assert not at.exception
    assert "future" in at.error[0].value
    assert at.text_input(key="w_ev_title").value == "Old news"


def test_scheduling_poll_pick_times_and_best_slot(as_anna, app_db, colleague):
    from sandbox.ui.db import utc_now

    start = (utc_now() + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
    with write_session(app_db) as session:
        poll = events.create_schedule_poll(session, colleague, "Team retro",
                                           [start, start + timedelta(hours=2)], now=utc_now())
    with read_session(app_db) as session:
        slots = [s.id for s in events.get_schedule_poll(session, colleague, poll.id).slots]
    at = as_anna("events")
    at.multiselect(key=f"w_picks_{poll.id}").select(slots[1])
    button(at, "Save my times").click().run()
    assert not at.exception
    assert "1 can make it ★ best so far: Anna Smith" in texts(at)


def test_start_a_scheduling_poll_with_a_bad_line(as_anna):
    at = as_anna("events")
    at.text_input(key="w_sp_title").input("Retro")
    at.text_area(key="w_sp_slots").input("2030-01-01 10:00\nnext tuesday")
    button(at, "Start the poll").click().run()
    assert not at.exception
    assert "Line 2" in at.error[0].value


def test_start_a_scheduling_poll(as_anna):
    at = as_anna("events")
    at.text_input(key="w_sp_title").input("Retro")
    at.text_area(key="w_sp_slots").input("2030-01-01 10:00\n2030-01-02 14:30")
    button(at, "Start the poll").click().run()
    assert not at.exception
    assert "Scheduling poll started." in texts(at)
    assert "Tue 01 Jan 2030, 10:00 UTC · 0 can make it" in texts(at)


# --- search ----------------------------------------------------------------------------


def test_search_finds_posts_pages_and_bookmarks(as_anna, app_db, colleague, clock):
    with write_session(app_db) as session:
        feed.create_post(session, colleague, "The printer code is 1234", now=clock.now)
        wiki.create_page(session, colleague, "Printer help", "Ask IT about the printer", now=clock.now)
        bookmarks.save_bookmark(session, colleague, "https://example.org/printer", "Printer manual",
                                now=clock.now)
    at = as_anna("search")
    at.text_input(key="w_search_box").input("printer")
    button(at, "Search").click().run()
    assert not at.exception
    shown = texts(at)
    assert "3 results" in shown
    assert [h.value for h in at.header] == ["Posts", "Wiki pages", "Bookmarks"]
    button(at, "Open the post: Ben Jones wrote").click().run()
    assert not at.exception
    assert "The post you opened" in texts(at) and "printer code" in texts(at)


def test_search_too_short(as_anna):
    at = as_anna("search")
    at.text_input(key="w_search_box").input("a")
    button(at, "Search").click().run()
    assert "at least 2" in at.error[0].value


# --- groups, notifications, trainer -----------------------------------------------------


def test_create_and_join_groups(as_anna, app_db, colleague, clock):
    from sandbox.services import groups

    with write_session(app_db) as session:
        groups.create_group(session, colleague, "Finance pilot", now=clock.now)
    at = as_anna("groups")
    button(at, "Join Finance pilot").click().run()
    assert not at.exception
    assert "You joined Finance pilot." in texts(at)
    at.text_input(key="w_group_name").input("Library pilot")
    button(at, "Create the group").click().run()
    assert "Library pilot" in [s.value for s in at.subheader]


def test_notifications_list_and_mark_read(as_anna, app_db, colleague, learner, clock):
    with write_session(app_db) as session:
        feed.create_post(session, colleague, "Thanks @anna-smith!", now=clock.now)
    at = as_anna("notifications")
    assert not at.exception
    assert "New: Ben Jones mentioned you" in texts(at)
    button(at, "Mark all as read").click().run()
    assert "All read." in texts(at)
    button(at, "Open").click().run()
    assert "The post you opened" in texts(at)


def test_trainer_page_shows_the_code(open_app, trainer_token, workshop, learner):
    at = open_app(token=trainer_token, page="trainer")
    assert not at.exception
    assert at.code[0].value == workshop.workshop.code
    assert "Anna Smith" in texts(at)


def test_learner_has_no_trainer_page(as_anna):
    with pytest.raises(ValueError):
        as_anna("trainer")


def test_wiki_edit_notification_opens_the_page_history(as_anna, app_db, learner, colleague, clock):
    with write_session(app_db) as session:
        page = wiki.create_page(session, learner, "Rota", "Monday: Anna", now=clock.now)
        wiki.edit_page(session, colleague, page.id, "Monday: Ben", base_number=1, now=clock.now)
    at = as_anna("notifications")
    button(at, "Open").click().run()
    assert not at.exception
    assert at.title[0].value == "Wiki"
    assert "Version 2 · Ben Jones" in texts(at)
