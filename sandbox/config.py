"""Where the sandbox keeps its data, and the limits it enforces.

One place answers "which database?": ``INSIDEOUT_DATABASE_URL`` if set (for
example PostgreSQL shared by several servers), otherwise a SQLite file
``sandbox.db`` inside ``INSIDEOUT_DATA_DIR`` (default ``.insideout/`` in the
working directory).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_ENV = "INSIDEOUT_DATA_DIR"
DATABASE_URL_ENV = "INSIDEOUT_DATABASE_URL"
TRUSTED_PROXIES_ENV = "INSIDEOUT_TRUSTED_PROXIES"
TRAINER_SESSION_HOURS_ENV = "INSIDEOUT_TRAINER_SESSION_HOURS"
# A trainer's sign-in lasts a working day: a console left open on a shared machine
# does not stay the trainer's for ever. A learner's lasts until they sign out (self-study
# spreads over weeks, and a learner can do nothing a trainer must answer for).
DEFAULT_TRAINER_SESSION_HOURS = 12.0
# For tests only: a file holding a number of seconds the sandbox server's clock runs
# ahead of the real one, so a test can move time forward instead of waiting for it.
TEST_CLOCK_FILE_ENV = "INSIDEOUT_TEST_CLOCK_FILE"
DEFAULT_DATA_DIR = ".insideout"
SQLITE_FILENAME = "sandbox.db"


def data_dir() -> Path:
    """The folder for the sandbox's files (created on first use by the store)."""
    return Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR).expanduser()


def database_url() -> str:
    """The SQLAlchemy URL of the store: ``INSIDEOUT_DATABASE_URL`` or the SQLite file."""
    explicit = os.environ.get(DATABASE_URL_ENV)
    if explicit:
        return explicit
    return f"sqlite:///{(data_dir() / SQLITE_FILENAME).resolve()}"


def trusted_proxies() -> list[str]:
    """The reverse proxies whose forwarded client address we believe:
    ``INSIDEOUT_TRUSTED_PROXIES``, addresses or networks separated by commas
    (``10.0.0.5, 192.168.1.0/24``); none when unset."""
    return [part.strip() for part in os.environ.get(TRUSTED_PROXIES_ENV, "").split(",") if part.strip()]


def trainer_session_hours() -> float:
    """How long a trainer's sign-in lasts, in hours: ``INSIDEOUT_TRAINER_SESSION_HOURS``
    (default 12). A value that is not a positive number is ignored (the default is used)."""
    try:
        value = float(os.environ.get(TRAINER_SESSION_HOURS_ENV, "") or DEFAULT_TRAINER_SESSION_HOURS)
    except ValueError:
        return DEFAULT_TRAINER_SESSION_HOURS
    return value if value > 0 else DEFAULT_TRAINER_SESSION_HOURS


def test_clock_seconds_ahead() -> float:
    """How far a test has moved the server's clock forward (0 outside tests).

    ``INSIDEOUT_TEST_CLOCK_FILE`` names a file holding a number of seconds; a missing
    or empty file means 0. Never set it on a real server.
    """
    path = os.environ.get(TEST_CLOCK_FILE_ENV)
    if not path:
        return 0.0
    try:
        text = Path(path).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return 0.0
    return float(text) if text else 0.0


@dataclass(frozen=True)
class Limits:
    """Bounds on what people can type; the numbers appear in the error messages."""

    display_name: int = 60
    department: int = 60
    post_body: int = 5000
    group_name: int = 60
    group_description: int = 500
    poll_option: int = 120
    poll_options_min: int = 2
    poll_options_max: int = 8
    wiki_title: int = 120
    wiki_body: int = 50_000
    wiki_summary: int = 200
    bookmark_url: int = 2000
    bookmark_title: int = 200
    bookmark_note: int = 1000
    tag: int = 40
    tags_per_item: int = 10
    idea_title: int = 150
    idea_body: int = 3000
    event_title: int = 150
    event_description: int = 3000
    event_location: int = 150
    schedule_title: int = 150
    schedule_slots_max: int = 20
    search_query: int = 200
    workshop_title: int = 120
    hide_reason: int = 200
    # Idea board: votes each member may spend (module 6's "spend your votes").
    idea_vote_budget: int = 5
    # Join codes: wrong tries allowed per client within the window.
    join_attempts: int = 5
    join_window_seconds: int = 60
    # Paging: no page ever renders more than this many items.
    page_size_max: int = 50


LIMITS = Limits()
