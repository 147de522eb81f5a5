"""The store: schema through Alembic, SQLite settings, transactions, UTC times."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from old_schema import insert_as_it_was
from sqlalchemy import inspect, select, text

from sandbox import config
from sandbox.services import workshops
from sandbox.store import create_schema, make_engine, read_session, write_session
from sandbox.store.engine import schema_revision
from sandbox.store.models import Base, Workshop


def test_schema_matches_models(fresh_db):
    with fresh_db.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    from sandbox.store.engine import alembic_config

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_schema_is_at_head_and_upgrade_is_idempotent(fresh_db):
    create_schema(fresh_db)
    assert schema_revision(fresh_db) == head_revision()


def test_every_table_but_workshops_and_join_attempts_is_scoped_by_workshop():
    unscoped = {t.name for t in Base.metadata.sorted_tables if "workshop_id" not in t.c}
    assert unscoped == {"workshops", "join_attempts"}


def test_default_url_is_sqlite_in_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv(config.DATABASE_URL_ENV, raising=False)
    monkeypatch.setenv(config.DATA_DIR_ENV, str(tmp_path / "data"))
    assert config.database_url() == f"sqlite:///{tmp_path / 'data' / 'sandbox.db'}"
    engine = make_engine()
    create_schema(engine)
    assert (tmp_path / "data" / "sandbox.db").exists()
    engine.dispose()


def test_database_url_env_wins(monkeypatch):
    monkeypatch.setenv(config.DATABASE_URL_ENV, "postgresql+psycopg://u:p@db/x")
    assert config.database_url() == "postgresql+psycopg://u:p@db/x"


def test_sqlite_pragmas(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10_000
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    engine.dispose()


def test_sqlite_write_session_takes_the_write_lock_at_begin(tmp_path):
    """While one write block is open, another connection cannot start writing."""
    path = tmp_path / "x.db"
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    import sqlite3

    with write_session(engine) as session:
        session.execute(text("SELECT 1"))  # no write yet: the lock is held anyway
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    engine.dispose()


def test_write_session_rolls_back_everything_on_error(fresh_db, clock):
    with pytest.raises(RuntimeError):
        with write_session(fresh_db) as session:
            workshops.create_workshop(session, "Half-made", now=clock.now)
            raise RuntimeError("boom")
    with read_session(fresh_db) as session:
        assert session.scalars(select(Workshop)).all() == []


def test_times_come_back_as_aware_utc(fresh_db, clock):
    with write_session(fresh_db) as session:
        created = workshops.create_workshop(session, "T", now=clock.now).workshop
    with read_session(fresh_db) as session:
        stored = session.get(Workshop, created.id)
        assert stored.created_at == clock.now
        assert stored.created_at.tzinfo is not None
        assert stored.created_at.utcoffset().total_seconds() == 0


def test_naive_datetime_is_refused(fresh_db):
    with pytest.raises(Exception, match="naive datetime"):
        with write_session(fresh_db) as session:
            workshops.create_workshop(session, "T", now=datetime(2026, 1, 1))


def test_feed_indexes_exist(fresh_db):
    names = {ix["name"] for ix in inspect(fresh_db).get_indexes("posts")}
    assert {"ix_posts_workshop_parent_id", "ix_posts_workshop_id_desc"} <= names


def test_upgrade_keeps_existing_data(tmp_path, clock):
    """Running the migrations again on a used database loses nothing."""
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    create_schema(engine)
    with write_session(engine) as session:
        code = workshops.create_workshop(session, "Keep me", now=clock.now).workshop.code
    engine.dispose()
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    create_schema(engine)
    with read_session(engine) as session:
        assert workshops.get_workshop(session, code).title == "Keep me"
    engine.dispose()


def test_aware_utc_is_stored_from_other_zones(fresh_db):
    from datetime import timedelta

    paris = timezone(timedelta(hours=1))
    with write_session(fresh_db) as session:
        w = workshops.create_workshop(session, "T", now=datetime(2026, 1, 1, 10, tzinfo=paris))
    with read_session(fresh_db) as session:
        assert session.get(Workshop, w.workshop.id).created_at == datetime(
            2026, 1, 1, 9, tzinfo=timezone.utc)


def test_concurrent_writers_in_one_process_never_see_locked(tmp_path, clock):
    """A small version of the benchmark that always runs: 8 threads x 15 writes."""
    import threading

    from sandbox.services import feed

    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    create_schema(engine)
    with write_session(engine) as session:
        code = workshops.create_workshop(session, "T", now=clock.now).workshop.code
        members = [workshops.join(session, code, f"Writer {n}", "IT", accept_policy=True,
                                  client_key="t", now=clock.now).member for n in range(8)]
    errors: list[Exception] = []

    def write(member):
        for n in range(15):
            try:
                with write_session(engine) as session:
                    feed.create_post(session, member, f"post {n}", now=clock.now)
            except Exception as error:  # noqa: BLE001 - collected and asserted on
                errors.append(error)

    threads = [threading.Thread(target=write, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with read_session(engine) as session:
        assert feed.latest_post_id(session, members[0].workshop_id) == 120
    engine.dispose()


@pytest.mark.parametrize("query", [
    "SELECT max(id) FROM posts WHERE workshop_id = 1",
    "SELECT id FROM posts WHERE workshop_id = 1 AND parent_id IS NULL AND deleted = 0 "
    "ORDER BY id DESC LIMIT 21",
])
def test_feed_queries_use_an_index_on_sqlite(sqlite_template, query):
    # SQLite only: its planner picks indexes by rule, so the plan is stable even on an
    # empty table (PostgreSQL's depends on table statistics).
    engine = make_engine(f"sqlite:///{sqlite_template}")
    with engine.connect() as connection:
        plan = " ".join(str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}"))
    engine.dispose()
    assert "USING" in plan and "INDEX" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


def test_migrations_are_packages_so_they_install(project_root):
    """A non-editable install only ships .py files that live in packages."""
    from setuptools import find_packages

    found = set(find_packages(str(project_root), include=["sandbox*"]))
    assert {"sandbox.store.migrations", "sandbox.store.migrations.versions"} <= found


def test_a_write_that_waits_too_long_gets_a_friendly_busy_message(tmp_path, monkeypatch):
    import threading

    from sandbox.store import engine as engine_module

    monkeypatch.setattr(engine_module, "WRITE_QUEUE_TIMEOUT_S", 0.2)
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    create_schema(engine)
    holding, release = threading.Event(), threading.Event()

    def hold_the_lock():
        with write_session(engine):
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    holding.wait(10)
    try:
        with pytest.raises(engine_module.StoreBusy, match="very busy"):
            with write_session(engine):
                pass
    finally:
        release.set()
        holder.join()
    with write_session(engine) as session:  # free again afterwards
        session.execute(text("SELECT 1"))
    engine.dispose()


def test_a_database_made_before_the_feed_indexes_is_upgraded_with_its_data(tmp_path):
    """A trainer's existing sandbox.db (schema 0001) gains migration 0002 on the next
    start, and keeps every workshop."""
    from alembic import command

    from sandbox.store.engine import alembic_config

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
    # Rows as that schema had them (today's models have columns added since).
    code = "LASTTERM"
    with engine.begin() as connection:
        insert_as_it_was(connection, "workshops", code=code, title="Made last term", scenario="college",
                         mode="live", phase="open", clock_offset_seconds=0, trainer_key_hash="x",
                         pseudonym_secret="y", created_at=datetime(2026, 6, 1))
    create_schema(engine)
    assert schema_revision(engine) == head_revision()
    indexes = {index["name"] for index in inspect(engine).get_indexes("posts")}
    assert {"ix_posts_workshop_root", "ix_posts_workshop_pinned"} <= indexes
    with read_session(engine) as session:
        assert session.scalar(select(Workshop.title).where(Workshop.code == code)) == "Made last term"
    engine.dispose()
