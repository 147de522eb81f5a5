"""The join and trainer sign-in pages, as a visitor sees them."""
from __future__ import annotations

from sandbox.store import read_session
from sandbox.services import workshops

from ui_helpers import button, texts


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
    assert [t.label for t in at.text_input] == ["Join code", "Your display name", "Your department"]


def test_join_signs_in_with_a_token_not_the_name(open_app, workshop, app_db):
    at = fill_join(open_app(), workshop.workshop.code, "Dana Patel", "Library")
    assert not at.exception
    token = at.query_params["s"]
    assert token and "Dana" not in token
    with read_session(app_db) as session:
        assert workshops.member_for_token(session, token).display_name == "Dana Patel"
    assert at.title[0].value == "Feed"
    assert "Welcome" in texts(at)


def test_reload_with_token_stays_signed_in(open_app, learner_sign_in):
    at = open_app(token=learner_sign_in.session_token)
    assert not at.exception
    assert at.title[0].value == "Feed"
    assert "Anna Smith" in texts(at)
    # Coming back another day needs the address: the sidebar says so.
    assert any("bookmark this page" in caption.value for caption in at.sidebar.caption)


def test_unknown_token_shows_join_page(open_app, workshop):
    at = open_app(token="not-a-real-token")
    assert not at.exception
    assert at.title[0].value == "Join your workshop"
    assert "s" not in at.query_params


def test_wrong_code_is_one_clear_message_and_keeps_the_typing(open_app, workshop):
    at = fill_join(open_app(), "WRONG1", "Dana Patel", "Library")
    assert not at.exception
    assert "join code is not right" in at.error[0].value
    assert at.text_input(key="w_join_name").value == "Dana Patel"
    assert "s" not in at.query_params


def test_policy_must_be_accepted(open_app, workshop):
    at = fill_join(open_app(), workshop.workshop.code, "Dana Patel", "Library", accept=False)
    assert "accept the usage policy" in at.error[0].value
    assert at.title[0].value == "Join your workshop"


def test_sign_out_forgets_the_token(open_app, learner_sign_in):
    at = open_app(token=learner_sign_in.session_token)
    button(at, "Sign out").click().run()
    assert not at.exception
    assert at.title[0].value == "Join your workshop"
    assert "s" not in at.query_params
    again = open_app(token=learner_sign_in.session_token)
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
        assert workshops.member_for_token(session, at.query_params["s"]).kind == "trainer"
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
    assert "s" not in at.query_params


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
    assert [t.label for t in at.text_input] == ["Join code", "Your display name", "Your department"]
