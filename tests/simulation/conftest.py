"""The simulation's tests use the sandbox's database fixtures (a fresh, migrated
SQLite database, and PostgreSQL too when ``INSIDEOUT_TEST_DATABASE_URL`` is set).

They are re-exported here, so test modules use them without importing them.
"""
from __future__ import annotations

from tests.sandbox.conftest import (
    clock,
    colleague,
    db_url,
    fresh_db,
    join_as,
    learner,
    learner_sign_in,
    other_workshop_learner,
    postgres_schema_url,
    sqlite_template,
    trainer,
    workshop,
)

__all__ = [
    "clock",
    "colleague",
    "db_url",
    "fresh_db",
    "join_as",
    "learner",
    "learner_sign_in",
    "other_workshop_learner",
    "postgres_schema_url",
    "sqlite_template",
    "trainer",
    "workshop",
]
