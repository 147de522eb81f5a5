"""Helpers for upgrade tests: a database at an old schema revision, and rows as it held them.

Today's models have columns that an old schema lacks, so rows are written with
tables reflected from the database itself, never with the ORM.
"""
from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, MetaData, Table, text
from sqlalchemy.engine import make_url

from sandbox.store import make_engine


def migrate_to(engine, revision: str) -> None:
    from alembic import command

    from sandbox.store.engine import alembic_config

    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def insert_as_it_was(connection: Connection, table: str, **values) -> int:
    """Insert one row into ``table`` as the database's current schema has it; returns its id."""
    reflected = Table(table, MetaData(), autoload_with=connection)
    return connection.execute(reflected.insert().values(**values).returning(reflected.c.id)).scalar_one()


@contextmanager
def empty_database(backend: str, tmp_path, postgres_url: str | None) -> Iterator[str]:
    """The URL of an empty database (no tables at all): a SQLite file, or a private
    PostgreSQL schema dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    schema = f"insideout_upgrade_{uuid.uuid4().hex[:10]}"
    admin = make_engine(postgres_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(postgres_url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
