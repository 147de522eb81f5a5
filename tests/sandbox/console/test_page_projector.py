"""The projector view: opened from the console with a read-only key, it shows the dashboard
in words and two charts, with no menu, no sign-in and no key left in the address."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from sandbox.services import projector
from sandbox.store import write_session

from console_helpers import button, texts
from conftest import APP, TIMEOUT


def open_projector(key: str | None, token: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if key is not None:
        at.query_params["view"] = key
    if token:
        at.query_params["s"] = token  # even on the trainer's own browser, the projector shows no sign-in
    return at.run()


def projector_key(engine, trainer) -> str:
    with write_session(engine) as session:
        return projector.open_view(session, trainer)


def test_projector_view_shows_the_dashboard_and_nothing_of_the_trainer(app_db, workshop, trainer, trainer_token,
                                                                        learner):
    key = projector_key(app_db, trainer)
    at = open_projector(key, token=trainer_token)
    assert not at.exception
    shown = texts(at)
    assert at.title[0].value.startswith("Live dashboard: Northfield College")
    assert "In short" in shown and "1 learner, 3 actions so far." in shown
    assert "have contributed" in shown
    assert at.get("vega_lite_chart")  # participation (no adoption curve yet: nobody has posted)
    assert not at.sidebar.children  # no menu, no "Signed in as"
    assert "Trainer" not in shown and "Signed in" not in shown
    assert key not in shown
    assert "view" not in at.query_params  # the key left the address on the first run
    at.run()  # the next run keeps showing the view from the key kept in the tab
    assert at.title[0].value.startswith("Live dashboard: Northfield College")


def test_a_closed_or_unknown_projector_link_says_how_to_open_one(app_db, workshop, trainer):
    key = projector_key(app_db, trainer)
    with write_session(app_db) as session:
        projector.close_view(session, trainer)
    at = open_projector(key)
    assert not at.exception
    assert at.title[0].value == "Projector view"
    assert "Show the dashboard on a projector" in at.info[0].value
    assert "have contributed" not in texts(at)


def test_trainer_makes_and_closes_a_projector_link_from_the_dashboard(as_trainer, app_db, workshop):
    at = as_trainer("console_dashboard")
    assert not at.exception
    assert not at.get("link_button")
    button(at, "Make a projector link").click().run()
    links = at.get("link_button")
    assert len(links) == 1 and links[0].proto.label == "Open the projector view"
    key = links[0].proto.url.split("view=", 1)[1]
    assert links[0].proto.url == f"projector?view={key}"
    assert open_projector(key).title[0].value.startswith("Live dashboard: ")
    button(at, "Close the projector view").click().run()
    assert not at.get("link_button")
    assert open_projector(key).title[0].value == "Projector view"

