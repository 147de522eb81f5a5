"""AppTest helpers: run the real app (app.py routes) against a fresh database.

``open_app(token=None, page=None)`` runs the app as a browser tab would: with
the session token in the URL if given, then switched to ``page`` (a file name in
sandbox/ui/pages, e.g. "wiki"). The services' own fixtures (``workshop``,
``learner_sign_in``, ``colleague``...) set up the state.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sandbox import config

APP = Path(__file__).resolve().parents[3] / "sandbox" / "app.py"
TIMEOUT = 30


@pytest.fixture()
def app_db(db_url, fresh_db, monkeypatch):
    """Point the app at the test database (the engine cache is keyed by URL)."""
    monkeypatch.setenv(config.DATABASE_URL_ENV, db_url)
    return fresh_db


@pytest.fixture()
def open_app(app_db):
    def open_(token: str | None = None, page: str | None = None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        if token:
            at.query_params["s"] = token
        at.run()
        if page:
            at.switch_page(f"ui/pages/{page}.py").run()
        return at

    return open_


def texts(at: AppTest) -> str:
    """Everything the page shows as text (markdown, html, text, captions, alerts), joined."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "text", "caption", "info",
                 "success", "error", "warning"):
        parts.extend(str(getattr(element, "value", "")) for element in getattr(at, kind))
    parts.extend(str(element.proto.body) for element in at.get("html"))
    return "\n".join(parts)


def button(at: AppTest, label: str):
    """The first button whose label is ``label`` (exact), or whose label starts with it."""
    for candidate in list(at.button) + list(at.get("form_submit_button")):
        if candidate.label == label:
            return candidate
    for candidate in list(at.button):
        if candidate.label.startswith(label):
            return candidate
    raise AssertionError(f"No button {label!r}; buttons: {[b.label for b in at.button]}")
