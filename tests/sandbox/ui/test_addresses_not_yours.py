"""Opening an address that is not yours lands on a page of yours that says why.

Issue 14: a visitor opening a console address (``/console_dashboard``, copied off a
screen or bookmarked before signing out) saw Streamlit's "Page not found" pop-up before
the join page. Every address now has a page in every person's list; the ones that are not
theirs run the join page, the trainer's sign-in or their home page, with a note above.
AppTest opens an address the way a browser does (by the page's URL path); the browser
journey in tests/sandbox/browser/test_journey_identity.py checks that no pop-up shows.
"""
from __future__ import annotations

from streamlit.util import calc_hash

from ui_helpers import texts


def open_address(at, url_path: str):
    """Run ``at`` as a browser that typed ``/url_path``: Streamlit asks for the page whose
    hash is that of its URL path (AppTest's switch_page only takes a script's file)."""
    at._page_hash = calc_hash(url_path)
    return at.run()


def test_a_visitor_opening_a_console_address_is_offered_the_trainer_sign_in(open_app, workshop):
    at = open_address(open_app(), "console_dashboard")
    assert not at.exception
    assert at.title[0].value == "Trainer sign-in"
    assert "**Live dashboard** is a page for the workshop's trainer" in at.info[0].value
    assert "Live dashboard" not in texts(at).replace(at.info[0].value, "")  # nothing of the page itself
    links = [link.proto.label for link in at.get("page_link")]
    assert "Taking part as a learner? Join your workshop here" in links


def test_a_visitor_opening_an_observers_page_is_offered_the_observer_sign_in(open_app, workshop):
    at = open_address(open_app(), "observer")
    assert not at.exception
    assert at.title[0].value == "Observer sign-in"
    assert "is a page for the workshop's observers" in at.info[0].value


def test_a_visitor_opening_a_learner_page_is_offered_the_join_page(open_app, workshop):
    at = open_address(open_app(), "missions")
    assert not at.exception
    assert at.title[0].value == "Join your workshop"
    assert "**Missions** is a page for people in the workshop" in at.info[0].value


def test_a_learner_opening_a_console_address_stays_on_the_feed_and_is_told_why(open_app, learner_sign_in):
    at = open_address(open_app(token=learner_sign_in.session_token), "console_gradebook")
    assert not at.exception
    assert at.title[0].value == "Feed"
    assert "**Gradebook** is not one of your pages (it is for the workshop's trainer)" in texts(at)
    assert not any("Gradebook" in link.proto.label for link in at.get("page_link"))


def test_a_signed_in_learner_on_the_join_address_is_home_without_a_note(open_app, learner_sign_in):
    """Right after joining, the join page's address is still in the bar: that is no wrong turn."""
    at = open_address(open_app(token=learner_sign_in.session_token), "join")
    assert not at.exception
    assert at.title[0].value == "Feed"
    assert not at.info


def test_your_own_pages_carry_no_note(open_app, learner_sign_in):
    at = open_address(open_app(token=learner_sign_in.session_token), "missions")
    assert not at.exception
    assert at.title[0].value == "Missions"
    assert "not one of your pages" not in texts(at)

