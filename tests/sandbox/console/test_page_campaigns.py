"""Campaigns in the app: the trainer starts one on the dashboard, learners see its card in the feed."""
from __future__ import annotations

from datetime import datetime, timezone

from sandbox.services import feed
from sandbox.store import write_session

from console_helpers import button, texts


def test_the_trainer_starts_a_campaign_and_the_feed_shows_its_card(as_trainer, as_anna, app_db, colleague):
    at = as_trainer("console_dashboard")
    assert not at.exception
    assert "No campaign yet." in texts(at)
    at.text_input(key="w_campaign_tag").input("#RoomBooking")
    at.number_input(key="w_campaign_goal").set_value(4)
    button(at, "Start the campaign").click().run()
    assert not at.exception
    shown = texts(at)
    assert "The campaign #roombooking has started" in shown
    assert "#roombooking: 0 of 4 posts (0%) by 0 people;" in shown

    with write_session(app_db) as session:
        feed.create_post(session, colleague, "Book early! #roombooking", now=datetime.now(timezone.utc))
    feed_page = as_anna("feed")
    assert not feed_page.exception
    shown = texts(feed_page)
    assert "Campaign: #roombooking" in shown
    assert "#roombooking: 1 of 4 posts (25%) by 1 person;" in shown


def test_a_bad_campaign_gets_one_clear_message(as_trainer):
    at = as_trainer("console_dashboard")
    at.text_input(key="w_campaign_tag").input("room booking!")
    button(at, "Start the campaign").click().run()
    assert not at.exception
    assert [error.value for error in at.error] == ["The tag 'room-booking!' can only use letters, digits, '-' and '_'."]
    assert "No campaign yet." in texts(at)
