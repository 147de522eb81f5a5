"""Alembic environment: runs on the connection handed over by ``create_schema``.

There is deliberately no ``alembic.ini``: nbgrader ships its own Alembic setup and
we must not collide with it. ``sandbox.store.engine.alembic_config`` builds the
config in code.
"""
from __future__ import annotations

from alembic import context

from sandbox.config import database_url
from sandbox.store.models import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        from sandbox.store.engine import make_engine

        engine = make_engine(database_url())
        with engine.begin() as connection:
            _run(connection)
        engine.dispose()
    else:
        _run(connection)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run create_schema.")
run_migrations_online()
