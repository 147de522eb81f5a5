"""The UI's way into the store: one cached engine and rooms factory, and two session helpers.

Pages never build engines or run SQL: they open ``reading()`` or ``writing()``
and call services inside the block. ``room(workshop)`` is the workshop's live
state (:mod:`sandbox.room`), one ``Rooms`` per store for the whole server.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Iterator

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from sandbox import config, logs
from sandbox.room import Room, Rooms, RoomWrite
from sandbox.store import create_schema, make_engine, read_session
from sandbox.store.models import Workshop


@st.cache_resource(show_spinner=False)
def _engine_for(url: str) -> Engine:
    """One engine per database URL for the whole server process.

    Keyed by URL so a test (or a server started with another
    ``INSIDEOUT_DATABASE_URL``) never gets an engine for the wrong store.
    The schema is brought up to date once, when the engine is first made; the
    server's log (:mod:`sandbox.logs`) is set up then too, once per process.
    """
    logs.configure()
    engine = make_engine(url)
    create_schema(engine)
    return engine


def engine() -> Engine:
    return _engine_for(config.database_url())


@st.cache_resource(show_spinner=False)
def _rooms_for(url: str) -> Rooms:
    """The app's one ``Rooms`` per store (keyed like the engine)."""
    return Rooms(_engine_for(url))


def rooms() -> Rooms:
    return _rooms_for(config.database_url())


def room(workshop: Workshop) -> Room:
    """The live state of ``workshop``: its log, tick, missions' index and timeline."""
    return rooms().room(workshop)


@contextmanager
def reading() -> Iterator[Session]:
    """A read-only session; objects loaded in the block stay readable after it."""
    with read_session(engine()) as session:
        yield session
        # The read transaction ends with a rollback, which would expire what the
        # page just loaded; detaching first keeps the loaded values usable.
        session.expunge_all()


@contextmanager
def writing() -> Iterator[Session]:
    """One write transaction: everything in the block is stored, or nothing.

    It goes through the room's write path, so missions the block's activity
    finished are recorded with it (:func:`command` says which).
    """
    with command() as write:
        yield write.session


@contextmanager
def command() -> Iterator[RoomWrite]:
    """Like :func:`writing`; ``write.missions`` then holds the missions the command finished."""
    with rooms().writing(utc_now()) as write:
        yield write


def utc_now() -> datetime:
    """Now, for everything the app records and the simulation releases (a test may
    move it forward: :func:`sandbox.config.test_clock_seconds_ahead`)."""
    return datetime.now(timezone.utc) + timedelta(seconds=config.test_clock_seconds_ahead())
