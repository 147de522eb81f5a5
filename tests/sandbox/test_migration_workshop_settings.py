"""Migration 0003: a workshop's idea-vote budget moves from a simulation mark into
the workshop's own settings, and a database made at 0002 keeps all its data.

Run on SQLite and, when ``INSIDEOUT_TEST_DATABASE_URL`` is set, on PostgreSQL.
"""
from __future__ import annotations

import os
from datetime import datetime, timezone

import pytest
from old_schema import empty_database, insert_as_it_was, migrate_to
from sqlalchemy import func, select

from sandbox.config import LIMITS
from sandbox.services import ideas
from sandbox.store import create_schema, make_engine, read_session
from sandbox.store.engine import schema_revision
from sandbox.store.models import IdeaVote, Member, SimulationMark, Workshop

BACKENDS = ["sqlite"] + (["postgres"] if os.environ.get("INSIDEOUT_TEST_DATABASE_URL") else [])
AT = datetime(2026, 11, 1, 10, 0, tzinfo=timezone.utc)


@pytest.fixture(params=BACKENDS)
def engine_at_0002(request, tmp_path, postgres_url):
    """An engine on a database migrated to 0002 only (before workshop settings)."""
    with empty_database(request.param, tmp_path, postgres_url) as url:
        engine = make_engine(url)
        migrate_to(engine, "0002")
        yield engine
        engine.dispose()


def workshop_row(connection, code: str) -> int:
    return insert_as_it_was(connection, "workshops", code=code, title=f"Workshop {code}", scenario="college",
                            mode="live", phase="open", clock_offset_seconds=0, trainer_key_hash="scrypt$x",
                            pseudonym_secret="secret", created_at=AT)


def member_row(connection, workshop_id: int, handle: str, kind: str = "learner") -> int:
    return insert_as_it_was(connection, "members", workshop_id=workshop_id, handle=handle, display_name=handle,
                            display_name_key=handle, department="Library", kind=kind, champion=False, joined_at=AT)


def mark_row(connection, workshop_id: int, key: str) -> int:
    return insert_as_it_was(connection, "simulation_marks", workshop_id=workshop_id, key=key, at=AT)


def fill(engine) -> dict[str, int]:
    """A 0002 database as a trainer would have it: a scenario workshop whose seed kept the
    budget as a mark, with a learner who spent a vote; and a workshop without the mark."""
    with engine.begin() as connection:
        seeded = workshop_row(connection, "SEEDED01")
        plain = workshop_row(connection, "PLAIN002")
        mark_row(connection, seeded, "seed:setting:idea_votes=3")
        mark_row(connection, seeded, "seed:posts:welcome")
        mark_row(connection, seeded, "inject:hello")
        colleague = member_row(connection, seeded, "priya", kind="simulated")
        learner = member_row(connection, seeded, "lee-hart")
        idea = insert_as_it_was(connection, "ideas", workshop_id=seeded, author_id=colleague, title="Paperless claims",
                                body="", status="new", created_at=AT)
        insert_as_it_was(connection, "idea_votes", workshop_id=seeded, idea_id=idea, member_id=learner, created_at=AT)
        plain_learner = member_row(connection, plain, "sam")
    return {"seeded": seeded, "plain": plain, "learner": learner, "plain_learner": plain_learner}



def head_revision() -> str:
    from alembic.script import ScriptDirectory

    from sandbox.store.engine import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_upgrade_moves_the_budget_mark_into_the_workshop_and_keeps_the_data(engine_at_0002):
    ids = fill(engine_at_0002)
    create_schema(engine_at_0002)  # what every start does
    assert schema_revision(engine_at_0002) == head_revision()
    with read_session(engine_at_0002) as session:
        assert session.get(Workshop, ids["seeded"]).idea_vote_budget == 3
        # A workshop without the mark had the default of the time, 5, and keeps it.
        assert session.get(Workshop, ids["plain"]).idea_vote_budget == 5
        # The mark is gone (one owner for the budget); every other mark stays.
        keys = set(session.scalars(select(SimulationMark.key).where(SimulationMark.workshop_id == ids["seeded"])))
        assert keys == {"seed:posts:welcome", "inject:hello"}
        # The learner's vote is still spent against the migrated budget.
        assert session.scalar(select(func.count(IdeaVote.id))) == 1
        assert ideas.votes_left(session, session.get(Member, ids["learner"])) == 2
        assert ideas.votes_left(session, session.get(Member, ids["plain_learner"])) == 5


def test_a_hand_written_mark_that_is_not_a_number_leaves_the_default(engine_at_0002):
    with engine_at_0002.begin() as connection:
        odd = workshop_row(connection, "ODDMARK1")
        mark_row(connection, odd, "seed:setting:idea_votes=three")
    create_schema(engine_at_0002)
    with read_session(engine_at_0002) as session:
        assert session.get(Workshop, odd).idea_vote_budget == 5
        assert session.scalar(select(SimulationMark.id).where(SimulationMark.workshop_id == odd)) is None


def test_downgrade_puts_the_mark_back(engine_at_0002):
    from alembic import command

    from sandbox.store.engine import alembic_config

    ids = fill(engine_at_0002)
    create_schema(engine_at_0002)
    with engine_at_0002.begin() as connection:
        command.downgrade(alembic_config(connection), "0002")
    assert schema_revision(engine_at_0002) == "0002"
    with engine_at_0002.connect() as connection:
        keys = set(connection.execute(select(SimulationMark.__table__.c.key).where(
            SimulationMark.__table__.c.workshop_id == ids["seeded"])).scalars())
    assert "seed:setting:idea_votes=3" in keys


def test_a_new_workshop_gets_the_kit_default(fresh_db, workshop):
    with read_session(fresh_db) as session:
        assert session.get(Workshop, workshop.workshop.id).idea_vote_budget == LIMITS.idea_vote_budget
