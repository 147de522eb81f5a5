"""The join and trainer sign-in pages, as a visitor sees them."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from sandbox import config
from sandbox.store import read_session, write_session
from sandbox.services import workshops
from sandbox.ui import state
from sandbox.ui.components import session_cookie

from ui_helpers import button, texts


def cookie_writes(at) -> list[dict]:
    """What the page asked the browser to keep in the sign-in cookie, this run."""
    found = []
    for element in at.get("bidi_component"):
        data = element.proto.json if element.proto.WhichOneof("data") == "json" else ""
        if session_cookie.COOKIE in data:
            import json

            found.append(json.loads(data))
    return found


@pytest.fixture()
def browser_cookie(monkeypatch):
    """Pretend the browser sent the sign-in cookie ``value`` when the page opened."""
    def send(value: str) -> None:
        monkeypatch.setattr(session_cookie, "sent_token", lambda: value)
    return send


def fill_join(at, code, name, department, accept=True):
    at.text_input(key="w_join_code").input(code)
    at.text_input(key="w_join_name").input(name)
    at.text_input(key="w_join_department").input(department)
    if accept:
        at.checkbox(key="w_join_policy").check()
    button(at, "Join the workshop").click().run()
    return at


def test_visitor_sees_join_form_and_policy(open_app):
    at = open_app()
    assert not at.exception
    assert at.title[0].value == "Join your workshop"
    assert "usage policy" in texts(at).lower()
    assert workshops.USAGE_POLICY in [m.value for m in at.markdown]  # Markdown: read as a list
    assert [t.label for t in at.text_input][:3] == ["Join code", "Your display name", "Your department"]
    assert at.expander[0].label == "Been here before? Come back with your return code"


def test_join_signs_in_with_a_cookie_not_the_address(open_app, workshop, app_db):
    at = fill_join(open_app(), workshop.workshop.code, "Dana Patel", "Library")
    assert not at.exception
    token = at.session_state[state.TOKEN]
    assert token and "Dana" not in token
    assert not at.query_params  # nothing in the address to copy, bookmark or project
    assert [(w["name"], w["value"]) for w in cookie_writes(at)] == [(session_cookie.COOKIE, token)]
    with read_session(app_db) as session:
        assert workshops.member_for_token(session, token).display_name == "Dana Patel"
    assert at.title[0].value == "Feed"
    assert "Welcome" in texts(at)


def test_a_new_tab_with_the_cookie_stays_signed_in(open_app, learner_sign_in, browser_cookie):
    browser_cookie(learner_sign_in.session_token)
    at = open_app()  # a reload or a new tab: only the cookie knows who this is
    assert not at.exception
    assert at.title[0].value == "Feed"
    assert "Anna Smith" in texts(at)
    assert not cookie_writes(at)  # the browser already has it
    assert any("signed in until you sign out" in caption.value for caption in at.sidebar.caption)
    assert any("Continuing as **Anna Smith**" in caption.value for caption in at.main.caption)
    at.button(key="w_someone_else").click().run()  # a colleague at a shared computer
    assert not at.exception
    assert at.title[0].value == "Join your workshop"
    assert [w["value"] for w in cookie_writes(at)] == [""]


def test_continuing_as_is_not_offered_after_joining_in_this_tab(open_app, workshop):
    at = fill_join(open_app(), workshop.workshop.code, "Dana Patel", "Library")
    assert not any("Continuing as" in caption.value for caption in at.main.caption)


def test_another_browser_with_the_console_address_is_not_the_trainer(open_app, workshop, trainer):
    at = open_app()  # no cookie: a copied address is all another browser has
    assert not at.exception
    assert at.title[0].value == "Join your workshop"
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("ui/pages/console_room.py")  # the console does not exist for a visitor


def test_unknown_cookie_shows_join_page_and_is_forgotten(open_app, workshop, browser_cookie):
    browser_cookie("not-a-real-token")
    at = open_app()
    assert not at.exception
    assert at.title[0].value == "Join your workshop"
    assert [w["value"] for w in cookie_writes(at)] == [""]


def test_trainer_sign_in_expires(open_app, workshop, app_db, browser_cookie, monkeypatch):
    monkeypatch.setenv(config.TRAINER_SESSION_HOURS_ENV, "12")
    with write_session(app_db) as session:
        fresh = workshops.trainer_sign_in(session, workshop.workshop.code, workshop.trainer_key,
                                          now=datetime.now(timezone.utc) - timedelta(hours=11)).session_token
        stale = workshops.trainer_sign_in(session, workshop.workshop.code, workshop.trainer_key,
                                          now=datetime.now(timezone.utc) - timedelta(hours=13)).session_token
    browser_cookie(fresh)
    at = open_app(page="console_room")
    assert at.title[0].value == "Run the session"
    assert any("for 12 hours" in caption.value for caption in at.sidebar.caption)
    browser_cookie(stale)
    at = open_app()
    assert not at.exception
    assert at.title[0].value == "Join your workshop"
    assert [w["value"] for w in cookie_writes(at)] == [""]


def test_sign_out_everywhere_ends_every_sign_in(open_app, workshop, app_db, browser_cookie, clock):
    with write_session(app_db) as session:
        laptop, phone = (workshops.trainer_sign_in(session, workshop.workshop.code, workshop.trainer_key,
                                                   now=clock.now).session_token for _ in range(2))
    at = open_app(token=laptop)
    button(at, "Sign out everywhere").click().run()
    assert not at.exception
    assert at.title[0].value == "Join your workshop"
    assert [message.value for message in at.success] == [
        "You are signed out on every browser and device. Your posts stay. To come back as yourself, "
        "open **Been here before?** below and use your return code."]
    browser_cookie(phone)
    assert open_app().title[0].value == "Join your workshop"


def test_wrong_code_is_one_clear_message_and_keeps_the_typing(open_app, workshop):
    at = fill_join(open_app(), "WRONG1", "Dana Patel", "Library")
    assert not at.exception
    assert "join code is not right" in at.error[0].value
    assert "six letters and digits" in at.error[0].value  # says what to type
    assert at.text_input(key="w_join_name").value == "Dana Patel"
    assert not at.session_state[state.TOKEN]


def test_policy_must_be_accepted(open_app, workshop):
    at = fill_join(open_app(), workshop.workshop.code, "Dana Patel", "Library", accept=False)
    assert "accept the usage policy" in at.error[0].value
    assert at.title[0].value == "Join your workshop"


def test_sign_out_forgets_the_token_and_the_cookie(open_app, learner_sign_in, browser_cookie):
    browser_cookie(learner_sign_in.session_token)
    at = open_app()
    button(at, "Sign out").click().run()
    assert not at.exception
    assert at.title[0].value == "Join your workshop"
    assert [w["value"] for w in cookie_writes(at)] == [""]
    # Said once, instead of "Feed is a page for people in the workshop" (they left on purpose).
    assert [message.value for message in at.success][0].startswith("You are signed out on this browser.")
    assert not any("is a page for people in the workshop" in info.value for info in at.info)
    at.run()
    assert not at.success
    again = open_app()  # the cookie, had the browser not dropped it, no longer works
    assert again.title[0].value == "Join your workshop"


def test_trainer_signs_in_with_the_key(open_app, workshop, app_db):
    at = open_app()
    at.switch_page("ui/pages/trainer_sign_in.py").run()
    at.text_input(key="w_trainer_code").input(workshop.workshop.code)
    at.text_input(key="w_trainer_key").input(workshop.trainer_key)
    button(at, "Sign in").click().run()
    assert not at.exception
    assert at.title[0].value == "Feed"
    assert "Signed in as the trainer." in texts(at)
    with read_session(app_db) as session:
        assert workshops.member_for_token(session, at.session_state[state.TOKEN]).kind == "trainer"
    assert not at.query_params
    at.switch_page("ui/pages/console_room.py").run()  # a page only the trainer has
    assert not at.exception and at.title[0].value == "Run the session"


def test_trainer_wrong_key_is_refused(open_app, workshop):
    at = open_app()
    at.switch_page("ui/pages/trainer_sign_in.py").run()
    at.text_input(key="w_trainer_code").input(workshop.workshop.code)
    at.text_input(key="w_trainer_key").input("iotk_wrong")
    button(at, "Sign in").click().run()
    assert "trainer key is not right" in at.error[0].value


def test_too_many_wrong_codes_are_slowed_down(open_app, workshop):
    at = open_app()
    for _ in range(5):
        at = fill_join(at, "WRONG1", "Dana Patel", "Library")
        assert "join code is not right" in at.error[0].value
    at = fill_join(at, workshop.workshop.code, "Dana Patel", "Library")
    assert "Too many tries" in at.error[0].value
    assert not at.session_state[state.TOKEN]


def test_empty_trainer_code_says_what_to_type(open_app, workshop):
    at = open_app()
    at.switch_page("ui/pages/trainer_sign_in.py").run()
    at.text_input(key="w_trainer_key").input(workshop.trainer_key)
    button(at, "Sign in").click().run()
    message = at.error[0].value
    assert "''" not in message and "no workshop" not in message
    assert "join code" in message and "insideout workshop create" in message


def test_empty_trainer_key_says_what_to_type(open_app, workshop):
    at = open_app()
    at.switch_page("ui/pages/trainer_sign_in.py").run()
    at.text_input(key="w_trainer_code").input(workshop.workshop.code)
    button(at, "Sign in").click().run()
    assert "trainer key" in at.error[0].value and "iotk_" in at.error[0].value


def test_with_no_workshop_the_join_page_says_how_to_make_one(open_app, fresh_db, app_db):
    at = open_app()
    assert not at.exception
    assert "insideout workshop create" in texts(at)
    assert "insideout serve --demo" in texts(at)
    at = fill_join(at, "K7M2QX", "Dana Patel", "Library")
    assert "no workshop in this sandbox yet" in at.error[0].value
    assert "insideout workshop create" in at.error[0].value


def come_back(at, code, name, return_code):
    at.text_input(key="w_back_code").input(code)
    at.text_input(key="w_back_name").input(name)
    at.text_input(key="w_back_return_code").input(return_code)
    button(at, "Come back").click().run()
    return at


def test_a_learner_who_lost_their_way_comes_back_with_the_return_code(open_app, workshop, app_db):
    first = fill_join(open_app(), workshop.workshop.code, "Dana Patel", "Library")
    shown = [m.value for m in first.sidebar.markdown if "return code" in m.value.lower()]
    return_code = shown[0].split("`")[1]
    assert len(return_code.replace("-", "")) == 8
    with read_session(app_db) as session:  # only a hash is kept
        dana = workshops.get_member(session, workshop.workshop.id, "dana-patel")
        assert return_code not in (dana.return_code_hash or "") and dana.return_code_hash

    # Another browser: joining again under the same name says how to come back.
    other = fill_join(open_app(), workshop.workshop.code, "dana patel", "Library")
    assert "return code" in other.error[0].value
    other = come_back(other, workshop.workshop.code, "Dana Patel", return_code.lower())
    assert not other.exception
    assert other.title[0].value == "Feed"
    assert "Dana Patel" in texts(other)
    assert other.session_state[state.TOKEN] != first.session_state[state.TOKEN]


def test_a_wrong_return_code_says_what_to_type(open_app, workshop, learner_sign_in):
    at = come_back(open_app(), workshop.workshop.code, "Anna Smith", "ABCD-2345")
    assert not at.exception
    assert at.title[0].value == "Join your workshop"
    assert "return code you were shown" in at.error[0].value
    at = come_back(at, workshop.workshop.code, "Anna Smith", "")
    assert "type your return code" in at.error[0].value


def test_organisation_sign_in_shows_only_where_a_provider_is_configured(app_db):
    """Without an [auth] section the join page is as before; with one it offers st.login."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parents[3] / "sandbox" / "app.py"), default_timeout=30)
    at.secrets["auth"] = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32,
                          "client_id": "insideout", "client_secret": "s",
                          "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}
    at.run()
    assert not at.exception
    assert "Sign in with your organisation's account" in [b.label for b in at.button]
    assert "Or sign in with your organisation's account" in [h.value for h in at.subheader]
    # The name-and-code form is still there, unchanged.
    assert [t.label for t in at.text_input][:3] == ["Join code", "Your display name", "Your department"]
