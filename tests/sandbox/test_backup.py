"""``insideout backup`` and ``insideout restore`` as an operator runs them (subprocesses),
compared table by table: on SQLite while a writer thread keeps posting, and on
PostgreSQL through pg_dump / pg_restore when those tools and a test server are present."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.engine import make_url

from sandbox.services import feed, workshops
from sandbox.store import create_schema, make_engine, read_session, write_session
from sandbox.store.backup import pg_tools_present
from sandbox.store.models import Activity, Base, Post

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=timezone.utc)


def insideout(tmp_path, db_url, *args, input=None):
    env = {**os.environ, "INSIDEOUT_DATA_DIR": str(tmp_path / "data"), "INSIDEOUT_DATABASE_URL": db_url}
    return subprocess.run([sys.executable, "-m", "sandbox.cli", *args], capture_output=True, text=True, env=env,
                          input=input, timeout=300, cwd=tmp_path)


def every_table(engine) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order."""
    with read_session(engine) as session:
        return {table.name: [tuple(row) for row in session.execute(
                    select(table).order_by(*table.primary_key.columns))]
                for table in Base.metadata.sorted_tables}


def a_room(engine, title="Northfield"):
    with write_session(engine) as session:
        code = workshops.create_workshop(session, title, now=NOW).workshop.code
        anna = workshops.join(session, code, "Anna Smith", "Library", accept_policy=True, client_key="t",
                              now=NOW).member
        post = feed.create_post(session, anna, "Hello #welcome", now=NOW)
        feed.react(session, anna, post.id, "like", now=NOW)
    return anna


def test_backup_restore_compares_every_table(db_url, tmp_path):
    if make_url(db_url).get_backend_name() == "postgresql" and not pg_tools_present():
        pytest.skip("pg_dump and pg_restore are not installed (Debian: apt install postgresql-client)")
    engine = make_engine(db_url)
    try:
        anna = a_room(engine)
        backed_up = every_table(engine)
        target = tmp_path / "sandbox.backup"
        made = insideout(tmp_path, db_url, "backup", "--out", str(target))
        assert made.returncode == 0, made.stderr
        assert target.stat().st_size > 0 and "insideout restore" in made.stdout
        again = insideout(tmp_path, db_url, "backup", "--out", str(target))
        assert again.returncode == 1 and "already exists" in again.stderr
        # Life goes on, then something is lost.
        with write_session(engine) as session:
            feed.create_post(session, anna, "After the backup", now=NOW + timedelta(minutes=1))
            session.execute(delete(Activity).where(Activity.verb == "post.react"))
        assert every_table(engine) != backed_up

        asked = insideout(tmp_path, db_url, "restore", str(target), input="n\n")
        assert asked.returncode != 0 and every_table(engine) != backed_up
        restored = insideout(tmp_path, db_url, "restore", str(target), "--yes")
        assert restored.returncode == 0, restored.stderr
        assert every_table(engine) == backed_up  # and this open engine (a running server) sees it
    finally:
        engine.dispose()


def test_restore_refuses_a_file_that_is_not_a_backup(db_url, tmp_path):
    engine = make_engine(db_url)
    try:
        a_room(engine)
        before = every_table(engine)
    finally:
        engine.dispose()
    bogus = tmp_path / "notes.db"
    bogus.write_text("shopping list\n")
    result = insideout(tmp_path, db_url, "restore", str(bogus), "--yes")
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    missing = insideout(tmp_path, db_url, "restore", str(tmp_path / "nope.db"), "--yes")
    assert missing.returncode == 1 and "no backup file" in missing.stderr
    engine = make_engine(db_url)
    try:
        assert every_table(engine) == before
    finally:
        engine.dispose()


def test_sqlite_backup_while_a_writer_is_writing(tmp_path):
    """The online backup is one consistent moment: every post in it has its activity row,
    every row in it is in the live database too, and the writer never stopped."""
    database = tmp_path / "data" / "sandbox.db"
    url = f"sqlite:///{database}"
    engine = make_engine(url)
    create_schema(engine)
    anna = a_room(engine)
    written: list[int] = []
    stop = threading.Event()
    failures: list[BaseException] = []

    def writer():
        try:
            while not stop.is_set():
                with write_session(engine) as session:
                    post = feed.create_post(session, anna, f"Post {len(written)} #busy",
                                            now=NOW + timedelta(seconds=len(written)))
                written.append(post.id)
                time.sleep(0.005)
        except BaseException as error:  # the test fails below with it
            failures.append(error)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 20:
            time.sleep(0.01)
        target = tmp_path / "backup.db"
        at_start = len(written)
        made = insideout(tmp_path, url, "backup", "--out", str(target))
        at_end = len(written)
        time.sleep(0.2)
    finally:
        stop.set()
        thread.join(timeout=60)
    assert not failures, failures
    assert made.returncode == 0, made.stderr
    assert at_end > at_start, "the writer was held up for the whole backup"

    copy = make_engine(f"sqlite:///{target}")
    try:
        in_backup = every_table(copy)
        with read_session(copy) as session:
            posts = session.scalar(select(func.count()).select_from(Post).where(Post.body.startswith("Post ")))
            logged = session.scalar(select(func.count()).select_from(Activity).where(
                Activity.verb == "post.create", Activity.actor_id == anna.id))
    finally:
        copy.dispose()
    assert at_start <= posts <= len(written)
    assert logged == posts + 1  # each post with its activity row (and the room's first post)
    live = every_table(engine)
    for table, rows in in_backup.items():
        assert set(rows) <= set(live[table]), f"{table}: the backup has rows the database never had"
    assert len(live["posts"]) > len(in_backup["posts"])

    restored = insideout(tmp_path, url, "restore", str(target), "--yes")
    assert restored.returncode == 0, restored.stderr
    assert "before-restore-" in restored.stdout
    assert every_table(engine) == in_backup
    engine.dispose()
