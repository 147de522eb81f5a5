"""Benchmark: what the live feed's poll costs a server, before and after sharing its answers.

Every open feed runs a poll (``sandbox/ui/live.py``, ``new_posts_notice``): let simulated
colleagues act, read the newest post id, count what is new for this reader when there
is something, and ask who is about to write. Before, every session asked the store all
of that itself every 3 s; now the workshop's room (``sandbox/room/rooms.py``) shares the
answers between the server's sessions for a moment, so the poll can run every second.

The room: the seeded college scenario with 40 learners who each posted, on a SQLite
file. Both ways run on copies of the same file, for the same simulated minute around
the scenario's next scripted step (the "writing" line, a release, new posts), with the
40 readers each polling once a simulated second, spread evenly: 2,400 polls. Half the
readers are "at the top" (they see new posts at once), half are not (they get "N new
posts - show them", so their poll counts). The figure is this process's CPU time per
poll (SQLite works in-process, so its work is counted too).

The second test measures a whole poll on a real server, through Streamlit's own
WebSocket protocol (``tests/deploy/streamlit_client.py``, as the load test does): the
server process's CPU time for 40 polls of one signed-in reader, with Streamlit's default
of a full garbage collection after every script run and with the sandbox's flags
(``sandbox/ui/server.py`` turns it off). Run with ``make bench``.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sandbox.room import Rooms
from sandbox.room import rooms as rooms_module
from sandbox.services import feed, workshops
from sandbox.simulation.seed import create_workshop_from_scenario
from sandbox.store import create_schema, make_engine, read_session, write_session
from sandbox.ui.server import stop_process, streamlit_command
from tests.conftest import free_port
from tests.sandbox.conftest import START

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sandbox" / "browser"))
from sandbox_browser import wait_until_healthy  # noqa: E402

LEARNERS = 40
SECONDS = 60
WRITING_LEAD = timedelta(seconds=20)  # as sandbox/ui/live.py (which imports Streamlit)
MAX_RATIO = 0.5  # after / before: the shared answers must at least halve a poll's CPU


class SimulatedMonotonic:
    def __init__(self) -> None:
        self.seconds = 0.0

    def monotonic(self) -> float:
        return self.seconds


def old_poll(rooms, engine, member, seen, now):
    """The poll as it was: every session asks the store everything itself."""
    room = rooms.room_of(member.workshop_id)
    released = room.ticker.tick(engine, now).released
    with read_session(engine) as session:
        latest = feed.latest_post_id(session, member.workshop_id) or 0
        new = feed.count_new_posts(session, member, seen) if latest > seen else 0
    room.ticker.coming_up(engine, now, WRITING_LEAD)
    return released, latest, new


def shared_poll(rooms, engine, member, seen, now):
    """The poll now: the room's shared answers (sandbox/ui/live.py makes these calls)."""
    room = rooms.room_of(member.workshop_id)
    released = room.keep_alive(now).released
    latest = room.newest_post_id()
    new = 0
    if latest > seen:
        with read_session(engine) as session:
            new = feed.count_new_posts(session, member, seen)
    room.coming_up(now, WRITING_LEAD)
    return released, latest, new


def seeded_store(path):
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    with write_session(engine) as session:
        created = create_workshop_from_scenario(session, "Benchmark room", now=START)
    members = []
    for number in range(LEARNERS):
        with write_session(engine) as session:
            member = workshops.join(session, created.workshop.code, f"Learner {number}", "Library",
                                    accept_policy=True, client_key=f"bench-{number}", now=START).member
            feed.create_post(session, member, f"Hello from learner {number} #welcome",
                             now=START + timedelta(minutes=1, seconds=number))
        members.append(member)
    rooms = Rooms(engine)
    room = rooms.room(created.workshop)
    settle = START + timedelta(minutes=5)
    room.ticker.tick(engine, settle)  # the welcomes and early steps, released before the minute
    room.ticker.tick(engine, settle)
    next_step = room.ticker._quiet.until
    engine.dispose()
    return members, next_step


def run_minute(path, poll, members, start, monotonic):
    engine = make_engine(f"sqlite:///{path}")
    rooms = Rooms(engine)
    with read_session(engine) as session:
        first = feed.latest_post_id(session, members[0].workshop_id) or 0
    seen = {member.id: first for member in members}
    released, counted = [], 0
    cpu = time.process_time()
    for tick in range(SECONDS * LEARNERS):
        monotonic.seconds = tick / LEARNERS
        member = members[tick % LEARNERS]
        now = start + timedelta(seconds=tick / LEARNERS)
        done, latest, new = poll(rooms, engine, member, seen[member.id], now)
        released += done
        counted += bool(new)
        if latest > seen[member.id] and member.id % 2:
            seen[member.id] = latest  # at the top: the page redraws with the new posts
    cpu = time.process_time() - cpu
    engine.dispose()
    return cpu / (SECONDS * LEARNERS), released, counted


@pytest.mark.slow
def test_a_poll_costs_at_most_half_what_it_did(tmp_path, monkeypatch):
    template = tmp_path / "seeded.db"
    members, next_step = seeded_store(template)
    assert next_step is not None
    start = next_step - timedelta(seconds=SECONDS // 2)
    monotonic = SimulatedMonotonic()
    monkeypatch.setattr(rooms_module, "monotonic_time", monotonic)
    results = {}
    for name, poll in (("before", old_poll), ("after", shared_poll)):
        copy = tmp_path / f"{name}.db"
        shutil.copy(template, copy)
        results[name] = run_minute(copy, poll, members, start, monotonic)
    (before, released_before, counted_before), (after, released_after, counted_after) = results.values()
    print(f"\nlive poll, {LEARNERS} readers polling once a second for {SECONDS} s around a scripted step "
          f"({SECONDS * LEARNERS} polls each way): before {before * 1e3:.2f} ms CPU a poll, "
          f"after {after * 1e3:.2f} ms ({after / before:.2f}x); "
          f"100 idle readers at one poll a second: {100 * before * 1e3:.0f} -> {100 * after * 1e3:.0f} ms "
          f"of CPU a second (the store's share only; Streamlit's fragment run comes on top)")
    assert released_before and sorted(released_after) == sorted(released_before)  # same steps, once
    assert counted_before and counted_after  # readers not at the top were told about new posts
    assert after / before <= MAX_RATIO


POLLS = 40
PAGE_RUNS = 10


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of process ``pid`` so far (Linux's /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def resident_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MB (Linux's /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for process {pid}")


def start_sandbox(data_dir: Path, post_script_gc: bool):
    port = free_port()
    argv = [arg.replace("--runner.postScriptGC=false", f"--runner.postScriptGC={str(post_script_gc).lower()}")
            for arg in streamlit_command(port=port)]
    assert f"--runner.postScriptGC={str(post_script_gc).lower()}" in argv
    env = {**os.environ, "INSIDEOUT_DATA_DIR": str(data_dir)}
    env.pop("INSIDEOUT_DATABASE_URL", None)
    log = data_dir / f"server-gc-{post_script_gc}.log"
    with log.open("w") as log_file:
        process = subprocess.Popen(argv, env=env, stdout=log_file, stderr=subprocess.STDOUT, cwd=data_dir,
                                   start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, log)
    except BaseException:
        stop_process(process)
        raise
    return process, url


async def measure_server(url: str, pid: int, code: str, name: str) -> tuple[float, float, float]:
    """Server CPU seconds for one live poll and for one full page run of a signed-in reader,
    and the server's resident memory (MB) after them."""
    import httpx

    from tests.deploy import streamlit_client as sc

    async with httpx.AsyncClient() as http:
        tab = sc.StreamlitTab(url)
        await tab.open(http)
        form = await tab.rerun()
        await tab.rerun([  # the join page, as a person fills it in
            sc.text(form.widget("text_input", "Join code"), code),
            sc.text(form.widget("text_input", "Your display name"), name),
            sc.text(form.widget("text_input", "Your department"), "Library"),
            sc.ticked(form.widget("checkbox", "I have read")),
            sc.click(form.widget("button", "Join the workshop")),
        ])
        assert tab.token, f"{name} joined but was not signed in"
        run = await tab.rerun()
        assert run.shows("Posts") and tab.fragment is not None, "the feed and its live poll"
        for _warm in range(5):
            await tab.rerun(fragment_id=tab.fragment[0])
        started = cpu_seconds(pid)
        for _poll in range(POLLS):
            await tab.rerun(fragment_id=tab.fragment[0])
        poll = (cpu_seconds(pid) - started) / POLLS
        started = cpu_seconds(pid)
        for _run in range(PAGE_RUNS):
            await tab.rerun()
        page = (cpu_seconds(pid) - started) / PAGE_RUNS
        await tab.close()
    return poll, page, resident_mb(pid)


@pytest.mark.slow
def test_a_poll_on_a_real_server_costs_little_cpu(tmp_path):
    data_dir = tmp_path / "server"
    data_dir.mkdir()
    engine = make_engine(f"sqlite:///{data_dir / 'sandbox.db'}")
    create_schema(engine)
    now = datetime.now(timezone.utc)
    with write_session(engine) as session:
        code = create_workshop_from_scenario(session, "Benchmark room", now=now).workshop.code
    for number in range(LEARNERS):
        with write_session(engine) as session:
            member = workshops.join(session, code, f"Learner {number}", "Library", accept_policy=True,
                                    client_key=f"bench-{number}", now=now).member
            feed.create_post(session, member, f"Hello from learner {number} #welcome", now=now)
    engine.dispose()
    figures = {}
    for post_script_gc in (True, False):
        process, url = start_sandbox(data_dir, post_script_gc)
        try:
            figures[post_script_gc] = asyncio.run(
                measure_server(url, process.pid, code, f"Reader {'with' if post_script_gc else 'without'} GC"))
        finally:
            stop_process(process)
    (gc_poll, gc_page, gc_rss), (poll, page, rss) = figures[True], figures[False]
    print(f"\nserver CPU, one signed-in reader, workshop of {LEARNERS} learners ({POLLS} polls, {PAGE_RUNS} "
          f"page runs each): Streamlit's default (a full garbage collection after every run): "
          f"{gc_poll * 1e3:.1f} ms a poll, {gc_page * 1e3:.1f} ms a page run; the sandbox's flags: "
          f"{poll * 1e3:.1f} ms a poll, {page * 1e3:.1f} ms a page run; 100 readers polling once a second "
          f"would take {poll * 100:.0%} of one core (was {gc_poll * 100:.0%}); server memory after: "
          f"{rss:.0f} MB (was {gc_rss:.0f} MB)")
    assert poll <= gc_poll * MAX_RATIO
    assert rss <= gc_rss * 1.25  # Python's own collector keeps memory in check without the forced one
