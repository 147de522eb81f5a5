"""A writer killed with SIGKILL mid-write leaves a sound SQLite database.

The writer is a separate process that posts in a loop and prints each post's
id only after its transaction committed. We kill it without warning, several
times, then check that SQLite's integrity check passes and every id the
writer reported is in the database (and nothing half-written is: every post
has its activity row).
"""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timezone

import pytest

from sandbox.services import workshops
from sandbox.store import create_schema, make_engine, write_session

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX-only")

WRITER = r"""
import sys
from datetime import datetime, timezone
from sandbox.services import feed, workshops
from sandbox.store import make_engine, read_session, write_session

engine = make_engine(sys.argv[1])
with read_session(engine) as session:
    member = workshops.get_member(session, workshops.get_workshop(session, sys.argv[2]).id, sys.argv[3])
print("ready", flush=True)
n = 0
while True:
    n += 1
    with write_session(engine) as session:
        post = feed.create_post(session, member, f"Crash test {n} #crash " + "x" * (n % 500),
                                now=datetime.now(timezone.utc))
    print(post.id, flush=True)
"""


@pytest.mark.slow
def test_sigkill_mid_write_keeps_every_committed_post(tmp_path):
    path = tmp_path / "sandbox.db"
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    create_schema(engine)
    now = datetime.now(timezone.utc)
    with write_session(engine) as session:
        code = workshops.create_workshop(session, "Crash", now=now).workshop.code
        handle = workshops.join(session, code, "Writer One", "IT", accept_policy=True,
                                client_key="t", now=now).member.handle
    engine.dispose()

    committed: set[int] = set()
    for round_number in range(3):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, url, code, handle],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
        deadline = time.monotonic() + 60
        seen = 0
        # Let it write a while (a different amount each round), then kill it cold.
        while seen < 40 + 25 * round_number and time.monotonic() < deadline:
            line = writer.stdout.readline()
            if not line:
                break
            committed.add(int(line))
            seen += 1
        os.kill(writer.pid, signal.SIGKILL)
        rest, errors = writer.communicate(timeout=30)
        committed.update(int(x) for x in rest.split())
        assert writer.returncode == -signal.SIGKILL, errors
        assert seen > 0, errors

    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {row[0] for row in connection.execute("SELECT id FROM posts")}
        missing = committed - stored
        assert not missing, f"{len(missing)} committed posts lost: {sorted(missing)[:10]}"
        # Nothing half-written: every post has its post.create activity row.
        orphans = connection.execute(
            "SELECT count(*) FROM posts p WHERE NOT EXISTS (SELECT 1 FROM activities a "
            "WHERE a.verb = 'post.create' AND a.object_id = CAST(p.id AS TEXT))").fetchone()[0]
        assert orphans == 0
    finally:
        connection.close()
    assert len(committed) >= 40 + 65 + 90
