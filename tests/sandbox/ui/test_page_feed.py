"""The feed page: write, react, reply, filter, edit, delete, pin, polls, praise."""
from __future__ import annotations

import re

import pytest

from sandbox.services import feed, groups, notifications, workshops
from sandbox.store import read_session, write_session

from ui_helpers import button, texts


@pytest.fixture()
def anna(open_app, learner_sign_in):
    """The feed as Anna Smith sees it."""
    return lambda: open_app(token=learner_sign_in.session_token)


def post_as(engine, member, body, clock, **kwargs):
    with write_session(engine) as session:
        return feed.create_post(session, member, body, now=clock.now, **kwargs)


def write(at, body, kind="Post"):
    at.radio(key="w_compose_kind").set_value(kind).run()
    at.text_area(key="w_compose_body").input(body)
    label = "Post" if kind == "Post" else f"Post {kind.lower()}"
    button(at, label).click().run()
    return at


def test_empty_feed_invites_the_first_post(anna):
    at = anna()
    assert not at.exception
    assert at.title[0].value == "Feed"
    assert "Be the first" in texts(at)


def test_post_with_tag_and_mention_appears_and_notifies(anna, colleague, app_db):
    at = write(anna(), "Hello #welcome, @ben-jones!")
    assert not at.exception
    shown = texts(at)
    assert "Posted." in shown
    assert 'class="hashtag"' in shown and "tag=welcome" in shown
    assert at.text_area(key="w_compose_body").value == ""
    with read_session(app_db) as session:
        assert notifications.unread_count(session, colleague) == 1


@pytest.mark.parametrize(
    "body, message",
    [
        ("   ", "empty"),
        ("x" * 6000, "5,000"),
        ("bad \u202e text", "direction"),
        ("bell \x07 here", "control"),
    ],
)
def test_bad_post_is_one_message_keeps_the_text_and_stores_nothing(anna, app_db, learner, body, message):
    at = write(anna(), body)
    assert not at.exception
    assert len(at.error) == 1 and message in at.error[0].value.lower()
    assert at.text_area(key="w_compose_body").value == body
    with read_session(app_db) as session:
        assert feed.latest_post_id(session, learner.workshop_id) is None


def test_ten_megabyte_paste_is_refused_quickly(anna, app_db, learner):
    at = write(anna(), "a" * 10_000_000)
    assert not at.exception
    assert "5,000" in at.error[0].value
    with read_session(app_db) as session:
        assert feed.latest_post_id(session, learner.workshop_id) is None


def reactions_of(at, author="Ben Jones"):
    [group] = [g for g in at.get("button_group") if g.label == f"React to the post by {author}"]
    return group


def test_react_and_take_back(anna, colleague, app_db, clock):
    post_as(app_db, colleague, "Morning all", clock)
    at = anna()
    # Streamlit shows a leading emoji as the option's icon; the text is the reaction's name.
    assert reactions_of(at).options[0] == "Like"
    reactions_of(at).set_value(["like"]).run()
    assert not at.exception
    assert reactions_of(at).options[0] == "Like 1 ✓"
    assert reactions_of(at).value == ["like"]
    reactions_of(at).set_value([]).run()
    # Streamlit shows a leading emoji as the option's icon; the text is the reaction's name.
    assert reactions_of(at).options[0] == "Like"


def test_reply_in_thread_and_mark_answer(anna, colleague, app_db, clock, learner):
    question = post_as(app_db, learner, "Where is the room booking form? #question", clock,
                       question=True)
    with write_session(app_db) as session:
        feed.reply(session, colleague, question.id, "On the intranet, under Estates.", now=clock.now)
    at = anna()
    assert "Not answered yet" in texts(at)
    button(at, "Reply (1 reply)").click().run()
    assert "under Estates" in texts(at)
    at.text_area(key=f"w_reply_{question.id}").input("Thanks Ben!")
    button(at, "Post reply").click().run()
    assert not at.exception
    assert "Thanks Ben!" in texts(at)
    button(at, "Mark as the answer").click().run()
    assert not at.exception
    assert "Answered" in texts(at)


def test_hashtag_link_filters_the_feed(open_app, learner_sign_in, colleague, app_db, clock):
    post_as(app_db, colleague, "About #parking", clock)
    post_as(app_db, colleague, "About lunch", clock)
    at = open_app(token=learner_sign_in.session_token)
    at.query_params["tag"] = "parking"
    at.run()
    shown = texts(at)
    assert "tagged #parking" in shown
    bodies = re.findall(r'role="article".*?<div class="io-body">(.*?)</div>', shown, re.S)
    assert len(bodies) == 1 and bodies[0].startswith("<p>About ") and ">#parking</a>" in bodies[0], bodies
    assert "About lunch" not in shown
    button(at, "Show all posts").click().run()
    assert "About lunch" in texts(at)


def test_edit_and_delete_own_post(anna, app_db, clock, learner):
    post_as(app_db, learner, "Frist post", clock)
    at = anna()
    button(at, "Edit").click().run()
    [box] = [t for t in at.text_area if t.label == "Edit your post"]
    box.input("First post")
    button(at, "Save changes").click().run()
    assert not at.exception
    assert "First post" in texts(at) and "edited" in texts(at)
    button(at, "Delete").click().run()
    button(at, "Yes, delete it").click().run()
    assert "First post" not in texts(at)
    assert "deleted" in texts(at)


def test_others_posts_have_no_edit_button(anna, colleague, app_db, clock):
    post_as(app_db, colleague, "Ben's post", clock)
    at = anna()
    assert "Edit" not in [b.label for b in at.button]


def test_poll_vote(anna, colleague, app_db, clock, learner):
    with write_session(app_db) as session:
        poll = feed.create_poll(session, colleague, "Lunch at 12 or 1?", ["12", "1"], now=clock.now)
    with read_session(app_db) as session:
        options = feed.get_post(session, learner, poll.id).poll.options
    at = anna()
    [radio] = [r for r in at.radio if r.label == "Your vote"]
    radio.set_value(options[1].id).run()
    assert not at.exception
    assert "1: 1 vote (your vote)" in [p.proto.text for p in at.get("progress")]


def test_write_a_poll(anna):
    at = anna()
    at.radio(key="w_compose_kind").set_value("Poll").run()
    at.text_area(key="w_compose_body").input("Which day for the team lunch?")
    at.text_area(key="w_compose_options").input("Tuesday\nThursday")
    button(at, "Post poll").click().run()
    assert not at.exception
    assert "Your poll is posted." in texts(at)
    assert [r.label for r in at.radio if r.label == "Your vote"]


def test_praise_a_colleague(anna, colleague):
    at = anna()
    at.radio(key="w_compose_kind").set_value("Praise").run()
    at.selectbox(key="w_compose_praised").set_value("ben-jones")
    at.text_area(key="w_compose_body").input("Thanks for fixing the printer!")
    button(at, "Post praise").click().run()
    assert not at.exception
    assert "praise for <strong>Ben Jones</strong>" in texts(at)


def test_post_in_a_group(anna, app_db, learner, clock):
    with write_session(app_db) as session:
        group = groups.create_group(session, learner, "Library pilot", now=clock.now)
    at = anna()
    at.selectbox(key="w_compose_group").set_value(group.id)
    at.text_area(key="w_compose_body").input("Pilot kick-off on Monday")
    button(at, "Post").click().run()
    assert not at.exception
    assert "in Library pilot" in texts(at)


def test_trainer_pins_a_post(open_app, workshop, colleague, app_db, clock):
    post_as(app_db, colleague, "Important: fire drill at 11", clock)
    with write_session(app_db) as session:
        token = workshops.trainer_sign_in(session, workshop.workshop.code, workshop.trainer_key,
                                          now=clock.now).session_token
    at = open_app(token=token)
    button(at, "Pin").click().run()
    assert not at.exception
    assert "Pinned by the trainer" in texts(at)
    assert "Pinned" in [s.value for s in at.subheader]


def test_learners_cannot_pin(anna, colleague, app_db, clock):
    post_as(app_db, colleague, "Hello", clock)
    assert "Pin" not in [b.label for b in anna().button]


def test_feed_is_paged(anna, colleague, app_db, clock):
    for number in range(40):
        post_as(app_db, colleague, f"Post number {number}", clock)
    at = anna()
    cards = [h for h in at.get("html") if "Post number" in h.proto.body]
    assert len(cards) == 10
    button(at, "Older posts").click().run()
    shown = texts(at)
    assert "Post number 29" in shown and "Post number 30" not in shown and "Post number 19" not in shown
    button(at, "Newer posts").click().run()
    assert "Post number 39" in texts(at)


def test_simulated_colleague_has_a_badge(anna, app_db, workshop, clock):
    with write_session(app_db) as session:
        ws = workshops.get_workshop(session, workshop.workshop.code)
        sim = workshops.add_simulated_member(session, ws, persona="priya", display_name="Priya Shah",
                                             department="IT", now=clock.now)
        feed.create_post(session, sim, "Hi from IT", now=clock.now)
    assert "simulated" in texts(anna())


def test_names_are_shown_as_text_not_html(open_app, workshop, app_db, clock):
    with write_session(app_db) as session:
        evil = workshops.join(session, workshop.workshop.code, "<b>Eve</b>", "IT",
                              accept_policy=True, client_key="t", now=clock.now)
        feed.create_post(session, evil.member, "hello", now=clock.now)
    at = open_app(token=evil.session_token)
    cards = "".join(h.proto.body for h in at.get("html") if "io-card" in h.proto.body)
    assert "&lt;b&gt;Eve&lt;/b&gt;" in cards and "<b>Eve</b>" not in cards
