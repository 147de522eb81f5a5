"""AppTest helpers: run the real app (app.py routes) against a fresh database.

``open_app(token=None, page=None)`` runs the app as a browser tab would: with
this tab signed in with the session token if given, then switched to ``page`` (a file name in
sandbox/ui/pages, e.g. "wiki"). The services' own fixtures (``workshop``,
``learner_sign_in``, ``colleague``...) set up the state.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from sandbox import config
from sandbox.ui import db, state

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
    # Cached reads are keyed by ids, which start again at 1 in every test database.
    st.cache_data.clear()
    db._rooms_for.clear()  # each test starts with a fresh Rooms (the app holds one per database URL)
    return fresh_db


@pytest.fixture(autouse=True)
def quiet_room(request, monkeypatch):
    """Page tests check each page's own behaviour in a room without simulated colleagues.

    The scenario's colleagues act on every page run (``sandbox.ui.simulation``);
    their effect on pages is tested on its own in test_simulated_colleagues.py,
    which opts out with ``@pytest.mark.simulation``.
    """
    if request.node.get_closest_marker("simulation"):
        return
    from sandbox.ui import live, simulation

    monkeypatch.setattr(simulation, "release_due", lambda member: None)
    monkeypatch.setattr(live, "release_due", lambda member: None)


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
