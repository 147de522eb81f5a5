"""The feed feels like a staff network (issue 14, findings 5, 6, 8 and 9's times).

Each finding is reproduced here at the level the learner sees (AppTest pages) or, for
the simulation's timing, at the service level with a fake clock. What AppTest cannot
reach (the fragment's timer, the first screen's layout) is in
tests/sandbox/browser/test_journey_network_feel.py.
"""
from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from streamlit.runtime.context import ContextProxy

from sandbox import paths
from sandbox.room import Rooms
from sandbox.services import feed, workshops
from sandbox.simulation.seed import create_workshop_from_scenario
from sandbox.store import read_session, write_session
from sandbox.store.models import Member, Post
from sandbox.ui import db
from sandbox.ui.components import network, posts
from sandbox.ui.components.text import when

from ui_helpers import texts

# --- findings 8: reactions need no emoji font -------------------------------------------


def _is_emoji(character: str) -> bool:
    # Emoji live in the "Symbol, other" category above the Basic Multilingual Plane's
    # common symbols; ✓ (U+2713) is in most text fonts and is allowed.
    return unicodedata.category(character) == "So" and character != "✓"


@pytest.mark.parametrize("name", list(feed.REACTIONS))
def test_reaction_buttons_use_material_icons_not_emoji(name):
    label = posts.reaction_label(name, {name: 2}, [name])
    assert label.startswith(":material/"), label
    assert not [c for c in label if _is_emoji(c)], label
    # What a screen reader reads (the icon is hidden from it): the reaction's words.
    words = label.split(":", 2)[2].strip()
    assert words == f"{posts.REACTION_NAMES[name]} 2 ✓"


# --- finding 5 (the look): avatars and the organisation's name ------------------------


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("colour", network.DEPARTMENT_COLOURS)
def test_white_initials_on_every_department_colour_pass_wcag_aa(colour):
    ratio = (1.0 + 0.05) / (_luminance(colour) + 0.05)
    assert ratio >= 4.5, f"{colour}: {ratio:.2f}:1"


@pytest.mark.parametrize("name, letters", [("Priya Shah", "PS"), ("anna", "A"), ("Jean-Luc Picard", "JP"),
                                           ("", "?"), ("  ", "?"), ("Zoë van der Berg", "ZB")])
def test_initials(name, letters):
    assert network.initials(name) == letters


def test_a_department_keeps_its_colour_and_the_avatar_is_escaped():
    assert network.department_colour("Library") == network.department_colour(" library ")
    html = network.avatar("<b>Eve</b> Ok", "Library")
    assert "<b>" not in html and 'aria-hidden="true"' in html


def test_the_organisation_name_comes_from_mkdocs_yml(tmp_path):
    assert paths.organisation_name() == "Northfield College"  # the shipped mkdocs.yml
    (tmp_path / "mkdocs.yml").write_text("site_name: X\nextra:\n  org:\n    name: Riverside Council\n"
                                         "nav: !ENV [NAV, []]\n", encoding="utf-8")
    assert paths.organisation_name(tmp_path) == "Riverside Council"
    (tmp_path / "mkdocs.yml").write_text("extra: [broken", encoding="utf-8")
    assert paths.organisation_name(tmp_path) == paths.DEFAULT_ORGANISATION_NAME
    assert paths.organisation_name(tmp_path / "nowhere") == paths.DEFAULT_ORGANISATION_NAME


@pytest.fixture()
def anna(open_app, learner_sign_in):
    return lambda page=None: open_app(token=learner_sign_in.session_token, page=page)


def test_the_feed_has_a_top_bar_with_the_organisation_and_avatars(anna, colleague, app_db, clock):
    with write_session(app_db) as session:
        feed.create_post(session, colleague, "Morning all", now=clock.now)
    at = anna()
    assert not at.exception
    shown = texts(at)
    assert 'class="io-topbar"' in shown and "Northfield College" in shown
    assert 'class="io-avatar"' in shown and ">BJ</span>" in shown  # Ben Jones
    # The composer is one line until opened; the post comes before filters and "who is here".
    [composer] = [e for e in at.expander if e.label == "Start a conversation"]
    assert at.selectbox(key="io_feed_kind") is not None


@pytest.mark.parametrize("page", [None, "missions", "wiki", "hand_in", "events"])
def test_every_learner_page_has_the_top_bar_and_a_menu_of_pages(anna, page):
    """One bar on every learner page: the organisation, who is signed in, and a "Menu" of
    the pages (shown on a phone only, where Streamlit hides its own behind ">>")."""
    at = anna(page)
    assert not at.exception
    [bar] = [str(e.proto.body) for e in at.get("html") if 'class="io-topbar"' in str(e.proto.body)]
    assert "Northfield College" in bar and "Signed in as </span>" in bar
    assert '>AS</span><span class="io-myname">Anna Smith</span>' in bar
    assert [menu.proto.popover.label for menu in at.get("popover")] == ["Menu"]
    links = [link.proto.label for link in at.get("page_link")]
    for title in ("Feed", "Missions", "Hand in a notebook", "Wiki", "Events and scheduling"):
        assert title in links


def test_the_trainer_console_has_no_network_bar(open_app, app_db, workshop, clock):
    with write_session(app_db) as session:
        token = workshops.trainer_sign_in(session, workshop.workshop.code, workshop.trainer_key,
                                          now=clock.now).session_token
    at = open_app(token=token, page="console_room")
    assert not at.exception
    assert not any('class="io-topbar"' in str(e.proto.body) for e in at.get("html"))


# --- finding 9 (times): the reader's time zone ---------------------------------------


def test_times_are_in_the_readers_zone_named():
    moment = datetime(2026, 11, 27, 9, 14, tzinfo=timezone.utc)
    later = moment + timedelta(days=2)
    assert when(moment, later, ZoneInfo("Europe/Paris")) == "27 Nov 10:14 CET"
    assert when(moment, later, ZoneInfo("America/New_York")) == "27 Nov 04:14 EST"
    assert when(moment, later, timezone.utc) == "27 Nov 09:14 UTC"
    assert when(moment.replace(tzinfo=None), later, ZoneInfo("Europe/Paris")) == "27 Nov 10:14 CET"
    assert when(moment, moment + timedelta(minutes=5)) == "5 min ago"


def test_the_feed_shows_times_in_the_browsers_zone_or_says_utc(anna, colleague, app_db, clock, monkeypatch):
    with write_session(app_db) as session:
        feed.create_post(session, colleague, "An older post", now=clock.now)  # 27 Nov 09:00 UTC
    at = anna()
    assert "27 Nov 09:00 UTC" in texts(at)  # AppTest has no browser zone: UTC, named
    monkeypatch.setattr(ContextProxy, "timezone", property(lambda self: "Europe/Paris"))
    at = anna()
    assert not at.exception
    assert "27 Nov 10:00 CET" in texts(at)
    monkeypatch.setattr(ContextProxy, "timezone", property(lambda self: "Not/AZone"))
    assert "27 Nov 09:00 UTC" in texts(anna())


# --- finding 6 and the next step: self-study that answers -----------------------------


@pytest.fixture()
def self_study_anna(app_db, clock):
    with write_session(app_db) as session:
        created = create_workshop_from_scenario(session, "On my own", now=clock.now, mode="self-study")
    with write_session(app_db) as session:
        return workshops.join(session, created.workshop.code, "Anna Smith", "Library",
                              accept_policy=True, client_key="test", now=clock.now)


def _replies_by_colleagues(engine, post_id):
    with read_session(engine) as session:
        return session.execute(select(Member.display_name, Post.created_at).join(Member, Member.id == Post.author_id)
                               .where(Post.parent_id == post_id, Member.kind == "simulated")).all()


def test_a_lone_learners_question_is_answered_within_a_minute(app_db, self_study_anna, clock):
    """Finding 6: at 9 pm, on their own, a question got no answer in 25 s (the rule waited 2 min)."""
    rooms = Rooms(app_db)
    room = rooms.room_of(self_study_anna.member.workshop_id)
    asked = clock.now + timedelta(minutes=5)
    with write_session(app_db) as session:
        question = feed.create_post(session, self_study_anna.member, "Where do I claim #mileage?",
                                    question=True, now=asked)
    room.keep_alive(asked + timedelta(seconds=1))
    assert _replies_by_colleagues(app_db, question.id) == []
    # A little before the answer, the room knows who is writing it.
    coming = room.coming_up(asked + timedelta(seconds=30), timedelta(seconds=20))
    assert [(scope, action.verb) for scope, action in coming] == [("learner:anna-smith:", "post.reply")]
    assert room.coming_up(asked + timedelta(seconds=1), timedelta(seconds=20)) == []
    room.keep_alive(asked + timedelta(seconds=50))
    [(name, _at)] = _replies_by_colleagues(app_db, question.id)
    assert name  # a persona answers, by name, within the minute
    room.keep_alive(asked + timedelta(seconds=60))
    assert len(_replies_by_colleagues(app_db, question.id)) == 2  # and a champion welcomes the first post


def test_the_feed_says_who_is_writing_before_the_reply(open_app, app_db, self_study_anna, clock, monkeypatch):
    asked = clock.now + timedelta(minutes=5)
    with write_session(app_db) as session:
        feed.create_post(session, self_study_anna.member, "Who signs off #expenses?", question=True, now=asked)
    monkeypatch.setattr(db, "utc_now", lambda: asked + timedelta(seconds=30))
    at = open_app(token=self_study_anna.session_token)
    assert not at.exception
    assert "is writing…" in texts(at)


def test_self_study_welcome_and_next_mission_stay_after_a_reload(open_app, self_study_anna):
    for _reload in range(2):
        at = open_app(token=self_study_anna.session_token)
        assert not at.exception
        shown = texts(at)
        assert "Welcome, Anna Smith." in shown and "simulated" in shown
        assert "Your next mission:" in shown
        assert [link.label for link in at.get("page_link") if link.label == "All missions"]


@pytest.mark.parametrize("page", ["wiki", "bookmarks", "ideas", "missions", "hand_in"])
def test_every_page_shows_the_next_step(open_app, self_study_anna, page):
    at = open_app(token=self_study_anna.session_token, page=page)
    assert not at.exception
    assert any("Your next step:" in str(element.value) for element in at.sidebar.markdown)


def test_the_trainer_gets_no_mission_card(open_app, workshop, app_db, clock):
    with write_session(app_db) as session:
        signed = workshops.trainer_sign_in(session, workshop.workshop.code, workshop.trainer_key, now=clock.now)
    at = open_app(token=signed.session_token)
    assert not at.exception
    assert "Your next mission:" not in texts(at)
