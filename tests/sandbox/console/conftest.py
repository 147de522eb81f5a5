"""Fixtures for the trainer console and missions pages: the real app on a fresh database.

``open_app(token, page)`` runs sandbox/app.py as a browser tab would (signed in with
the token, then switched to ``page``). ``trainer_token`` and ``learner_token`` sign in
through the services, like the join and trainer sign-in pages do.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sandbox import config
from sandbox.services import workshops
from sandbox.ui import db, state
from sandbox.store import write_session

APP = Path(__file__).resolve().parents[3] / "sandbox" / "app.py"
TIMEOUT = 30


@pytest.fixture()
def app_db(db_url, fresh_db, monkeypatch):
    """Point the app at the test database (the engine cache is keyed by URL)."""
    monkeypatch.setenv(config.DATABASE_URL_ENV, db_url)
    # Fixtures sign the trainer in at the fake clock's START; the app checks the sign-in
    # against today's date, so give it a lifetime that reaches today (tests of the
    # expiry itself set their own).
    monkeypatch.setenv(config.TRAINER_SESSION_HOURS_ENV, str(24 * 365 * 100))
    db._rooms_for.clear()  # each test starts with a fresh Rooms (the app holds one per database URL)
    return fresh_db


@pytest.fixture()
def open_app(app_db):
    def open_(token: str | None = None, page: str | None = None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        if token:
            # As if this tab had signed in (a browser keeps it in a cookie, which AppTest has not).
            at.session_state[state.TOKEN] = token
        at.run()
        if page:
            at.switch_page(f"ui/pages/{page}.py").run()
        return at

    return open_


@pytest.fixture()
def trainer_token(app_db, workshop, clock):
    with write_session(app_db) as session:
        return workshops.trainer_sign_in(session, workshop.workshop.code, workshop.trainer_key,
                                         now=clock.now).session_token


@pytest.fixture()
def as_trainer(open_app, trainer_token):
    return lambda page: open_app(token=trainer_token, page=page)


@pytest.fixture()
def as_anna(open_app, learner_sign_in):
    return lambda page: open_app(token=learner_sign_in.session_token, page=page)
