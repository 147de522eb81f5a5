"""One engine factory, two kinds of session, and the schema.

SQLite is the default and has to cope with a room of 40 people writing at once:
it runs in WAL mode (readers never wait for the writer) with a busy timeout, and
every write transaction starts with ``BEGIN IMMEDIATE`` so it takes the write lock
up front. A deferred transaction that reads and then writes can fail with
"database is locked" even with a timeout, because its snapshot is stale; taking
the lock first makes writers queue instead (the pysqlite recipe in SQLAlchemy's
SQLite dialect docs: disable the driver's own BEGIN and emit ours in ``begin``).

Services take a session and never open one: the caller decides the unit of work,

    with write_session(engine) as session:
        post = feed.create_post(session, member, "Hello #welcome", now=now)

and everything inside the block is one transaction: committed together or not at all.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from sandbox import config
from sandbox.errors import InsideOutError

# Milliseconds a SQLite writer waits for the lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 10_000
_WRITE_OPTION = "insideout_write"


# Seconds a write waits for its turn among this process's threads.
WRITE_QUEUE_TIMEOUT_S = 60


class StoreUnavailable(InsideOutError):
    """The database cannot be opened or created (folder, permissions, server down)."""


class StoreBusy(InsideOutError):
    """A write waited too long for its turn."""


# One lock per SQLite file per process. Streamlit serves every browser from
# threads of one process; if 40 threads all ask SQLite for the write lock, the
# one holding it competes with 39 busy-waiting threads for the GIL, runs its
# transaction at a crawl, and SQLite's busy handler (not first-come,
# first-served) lets some waiters time out with "database is locked". Queueing
# writers on a Python lock first keeps waiters asleep, so the holder finishes
# quickly. Other processes (the CLI, a second server) still wait on SQLite's
# own lock through busy_timeout.
_SQLITE_WRITE_LOCKS: dict[str, threading.RLock] = {}
_SQLITE_WRITE_LOCKS_GUARD = threading.Lock()


def _write_queue(engine: Engine) -> threading.RLock | None:
    if engine.dialect.name != "sqlite":
        return None
    key = engine.url.render_as_string(hide_password=False)
    with _SQLITE_WRITE_LOCKS_GUARD:
        return _SQLITE_WRITE_LOCKS.setdefault(key, threading.RLock())


POSTGRES_POOL_SIZE = 10
POSTGRES_MAX_OVERFLOW = 30


def make_engine(url: str | None = None, **engine_options) -> Engine:
    """Build the engine for ``url`` (default: :func:`sandbox.config.database_url`).

    For a SQLite file the folder is created if needed. Extra keyword arguments
    go to :func:`sqlalchemy.create_engine`. Fails with StoreUnavailable when the
    SQLite folder cannot be created.
    """
    url_obj = make_url(url or config.database_url())
    if url_obj.get_backend_name() == "sqlite":
        return _make_sqlite_engine(url_obj, **engine_options)
    engine_options.setdefault("pool_pre_ping", True)
    # A server takes over a whole room when the other one fails: its 40 learners reconnect at
    # once, each page run holding a connection. SQLAlchemy's default (5 + 10, 30 s) made
    # them time out in the load test (tests/deploy); 10 + 30 is at most 40 connections per
    # server, so two servers and a grader stay under PostgreSQL's default max_connections (100).
    if "poolclass" not in engine_options:  # a caller's own pool (the grader's NullPool) takes none
        engine_options.setdefault("pool_size", POSTGRES_POOL_SIZE)
        engine_options.setdefault("max_overflow", POSTGRES_MAX_OVERFLOW)
        engine_options.setdefault("pool_timeout", 60)
    return create_engine(url_obj, **engine_options)


def _make_sqlite_engine(url_obj, **engine_options) -> Engine:
    database = url_obj.database
    if database and database != ":memory:" and not database.startswith("file:"):
        folder = Path(database).expanduser().parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreUnavailable(
                f"cannot create the sandbox's data folder '{folder}': {error.strerror}. "
                f"Set {config.DATA_DIR_ENV} to a folder you can write to."
            ) from None
    # Enough pooled connections for a workshop room; waiting for the lock
    # happens inside SQLite (busy_timeout), not in the pool.
    engine_options.setdefault("pool_size", 10)
    engine_options.setdefault("max_overflow", 40)
    engine_options.setdefault("pool_timeout", 60)
    engine_options.setdefault("connect_args", {"check_same_thread": False})
    engine = create_engine(url_obj, **engine_options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when a transaction begins.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()
        # Search folds every letter's case, not just ASCII (see services/search.py).
        dbapi_connection.create_function("io_fold", 1, _fold, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if connection.get_execution_options().get(_WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")

    return engine


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose block is one write transaction, committed at the end.

    On SQLite the write lock is taken when the block starts (after waiting for
    this process's other writers, see ``_SQLITE_WRITE_LOCKS``). If the block
    raises, everything is rolled back, with one exception: an error whose class
    sets ``keep_writes = True`` (a wrong join code, which must still count
    towards the rate limit) commits what was written before re-raising.
    """
    queue = _write_queue(engine)
    if queue is not None and not queue.acquire(timeout=WRITE_QUEUE_TIMEOUT_S):
        raise StoreBusy("The sandbox is very busy right now. Please try again in a moment.")
    session = Session(
        bind=engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False
    )
    try:
        session.begin()
        yield session
        session.commit()
    except BaseException as error:
        if getattr(error, "keep_writes", False):
            session.commit()
        else:
            session.rollback()
        raise
    finally:
        session.close()
        if queue is not None:
            queue.release()


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A session for reading only; it never takes the write lock.

    Objects loaded here stay readable after the block ends (their loaded
    attributes; relationships not loaded in the block are not available).
    """
    session = Session(bind=engine, expire_on_commit=False)
    try:
        # Ending with a commit (of nothing) rather than a rollback keeps loaded
        # objects readable: a rollback would expire them.
        with session.begin():
            yield session
    finally:
        session.close()


MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection=None):
    """An Alembic config for our migrations; no ``alembic.ini`` is involved."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _fold(value):
    return value.casefold() if isinstance(value, str) else value


def create_schema(engine: Engine) -> None:
    """Bring the database to the newest schema (Alembic ``upgrade head``).

    Safe to call on every start and from several processes at once: it is a
    no-op when the schema is current, and upgrades are serialised (SQLite write
    lock, PostgreSQL advisory lock). Existing data is kept.
    Fails with StoreUnavailable when the database cannot be reached or opened.
    """
    from alembic import command
    from sqlalchemy.exc import OperationalError

    try:
        with engine.execution_options(**{_WRITE_OPTION: True}).begin() as connection:
            if connection.dialect.name == "postgresql":
                # Any fixed number works; it only has to be the same for every server.
                connection.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
            command.upgrade(alembic_config(connection), "head")
    except OperationalError as error:
        raise StoreUnavailable(
            f"cannot open the sandbox database ({engine.url.render_as_string()}): "
            f"{str(error.orig).strip().splitlines()[0]}"
        ) from None


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
