"""Fixtures for the sandbox's store and services (the UI tests use them too).

Every test gets a fresh, migrated database. The suite runs on SQLite always and
on PostgreSQL as well when ``INSIDEOUT_TEST_DATABASE_URL`` is set: the ``db_url``
fixture is parametrised over both, so each test runs once per database.

State fixtures, named for what they give:
``fresh_db`` (an Engine on an empty, migrated database), ``clock`` (a fake
clock), ``workshop`` (a created workshop with its trainer key), ``trainer``,
``learner`` and ``colleague`` (members of that workshop), ``other_workshop_learner``.
"""
from __future__ import annotations

import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from sandbox.store import create_schema, make_engine, write_session
from sandbox.store.models import Base

BACKENDS = ["sqlite"] + (["postgres"] if os.environ.get("INSIDEOUT_TEST_DATABASE_URL") else [])
START = datetime(2026, 11, 27, 9, 0, 0, tzinfo=timezone.utc)


@dataclass
class FakeClock:
    """Time that only moves when a test says so."""

    now: datetime = START

    def advance(self, seconds: float = 1) -> datetime:
        self.now = self.now + timedelta(seconds=seconds)
        return self.now


@pytest.fixture()
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file, made once; each test gets a copy (fast)."""
    path = tmp_path_factory.mktemp("template") / "sandbox.db"
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_schema_url(postgres_url):
    """A private schema on the test PostgreSQL server, migrated; dropped at the end."""
    if not postgres_url:
        yield None
        return
    schema = f"insideout_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(postgres_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(postgres_url).update_query_dict({"options": f"-csearch_path={schema}"})
    url_text = url.render_as_string(hide_password=False)
    engine = make_engine(url_text)
    create_schema(engine)
    engine.dispose()
    yield url_text
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path, sqlite_template) -> str:
    """The URL of a fresh, migrated, empty database (SQLite file or PostgreSQL schema)."""
    if request.param == "sqlite":
        path = tmp_path / "sandbox.db"
        shutil.copyfile(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_schema_url")
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture()
def fresh_db(db_url):
    """An Engine on a fresh, empty, migrated database."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture()
def workshop(fresh_db, clock):
    """A live workshop: ``.workshop`` (the row) and ``.trainer_key``."""
    from sandbox.services import workshops

    with write_session(fresh_db) as session:
        return workshops.create_workshop(session, "Northfield College: going inside-out",
                                         now=clock.now)


def _join(engine, code, name, department, clock, client="test-client"):
    from sandbox.services import workshops

    with write_session(engine) as session:
        return workshops.join(session, code, name, department, accept_policy=True,
                              client_key=client, now=clock.now)


@pytest.fixture()
def trainer(fresh_db, workshop, clock):
    from sandbox.services import workshops

    with write_session(fresh_db) as session:
        return workshops.trainer_sign_in(session, workshop.workshop.code, workshop.trainer_key,
                                         now=clock.now).member


@pytest.fixture()
def learner_sign_in(fresh_db, workshop, clock):
    """Anna Smith (Library) joined the workshop: ``.member`` and ``.session_token``."""
    return _join(fresh_db, workshop.workshop.code, "Anna Smith", "Library", clock)


@pytest.fixture()
def learner(learner_sign_in):
    return learner_sign_in.member


@pytest.fixture()
def colleague(fresh_db, workshop, clock):
    """Ben Jones (Finance), a second learner in the same workshop."""
    return _join(fresh_db, workshop.workshop.code, "Ben Jones", "Finance", clock).member


@pytest.fixture()
def other_workshop_learner(fresh_db, clock):
    """Cara Lee, a learner in a different workshop (to test scoping)."""
    from sandbox.services import workshops

    with write_session(fresh_db) as session:
        other = workshops.create_workshop(session, "Another college", now=clock.now)
    return _join(fresh_db, other.workshop.code, "Cara Lee", "Estates", clock).member


@pytest.fixture()
def join_as(fresh_db, workshop, clock):
    """``join_as(name, department="Library")`` -> Member: more learners on demand."""

    def join(name: str, department: str = "Library"):
        return _join(fresh_db, workshop.workshop.code, name, department, clock).member

    return join
