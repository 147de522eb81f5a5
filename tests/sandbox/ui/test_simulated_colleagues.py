"""Pages drive the simulation: a learner opening the sandbox sees colleagues act."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sandbox.services import workshops
from sandbox.simulation.seed import create_workshop_from_scenario
from sandbox.store import read_session, write_session
from sandbox.store.models import SimulationMark

from ui_helpers import texts

pytestmark = pytest.mark.simulation


@pytest.fixture()
def seeded_learner(app_db, clock):
    """Anna joined a workshop seeded from the college scenario (its clock started long ago)."""
    with write_session(app_db) as session:
        created = create_workshop_from_scenario(session, "Staff day", now=clock.now)
    with write_session(app_db) as session:
        return workshops.join(session, created.workshop.code, "Anna Smith", "Library",
                              accept_policy=True, client_key="test", now=clock.now)


def marks(engine) -> int:
    with read_session(engine) as session:
        return session.scalar(select(func.count()).select_from(SimulationMark))


def test_opening_the_feed_releases_due_colleague_posts_once(open_app, app_db, seeded_learner):
    seeded = marks(app_db)
    at = open_app(token=seeded_learner.session_token)
    assert not at.exception
    shown = texts(at)
    # The scenario's first inject (minute 2): Priya welcomes the room.
    assert "Welcome, everyone joining today" in shown
    assert "simulated" in shown
    released = marks(app_db)
    assert released > seeded

    again = open_app(token=seeded_learner.session_token)
    assert not again.exception
    assert marks(app_db) == released, "a second page run releases nothing twice"
