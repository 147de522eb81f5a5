"""The projector view's key: read-only, one per workshop, revocable, stored hashed."""
from __future__ import annotations

import pytest

from sandbox.services.errors import NotAllowed
from sandbox.services import projector
from sandbox.store import read_session, write_session
from sandbox.store.models import Workshop


def test_a_projector_key_opens_its_workshop_and_is_stored_hashed(fresh_db, workshop, trainer):
    with write_session(fresh_db) as session:
        key = projector.open_view(session, trainer)
    with read_session(fresh_db) as session:
        assert projector.workshop_for_key(session, key).id == workshop.workshop.id
        assert projector.is_open(session, workshop.workshop.id)
        assert key not in session.get(Workshop, workshop.workshop.id).projector_key_hash


def test_a_new_link_ends_the_old_one(fresh_db, trainer):
    with write_session(fresh_db) as session:
        old = projector.open_view(session, trainer)
    with write_session(fresh_db) as session:
        new = projector.open_view(session, trainer)
    with read_session(fresh_db) as session:
        assert projector.workshop_for_key(session, old) is None
        assert projector.workshop_for_key(session, new) is not None


def test_closing_the_view_ends_its_key(fresh_db, workshop, trainer):
    with write_session(fresh_db) as session:
        key = projector.open_view(session, trainer)
    with write_session(fresh_db) as session:
        projector.close_view(session, trainer)
    with read_session(fresh_db) as session:
        assert projector.workshop_for_key(session, key) is None
        assert not projector.is_open(session, workshop.workshop.id)


@pytest.mark.parametrize("key", [None, "", "not-a-key", "x" * 10_000])
def test_a_missing_or_made_up_key_opens_nothing(fresh_db, trainer, key):
    with write_session(fresh_db) as session:
        projector.open_view(session, trainer)
    with read_session(fresh_db) as session:
        assert projector.workshop_for_key(session, key) is None


def test_only_the_trainer_opens_or_closes_the_projector_view(fresh_db, learner):
    with write_session(fresh_db) as session, pytest.raises(NotAllowed):
        projector.open_view(session, learner)
    with write_session(fresh_db) as session, pytest.raises(NotAllowed):
        projector.close_view(session, learner)
