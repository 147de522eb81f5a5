"""Benchmark: how quickly the feed feels alive in Chromium, beside a bare Streamlit page.

Three timings, medians of a few runs, in the same run on the same machine:

- **bare page**: a one-line Streamlit app (same server flags) from ``goto`` to its text
  on screen: the floor any Streamlit page stands on.
- **sign-in to first post**: on the join page, from pressing "Join the workshop" to the
  first post on screen (issue 14 aims at a median of at most 1.0 s).
- **another learner's post**: from another learner's post being stored to it showing
  on a reader's feed without any click (issue 14 aims at a median of at most 2 s; the
  feed looks every second, so about 0.5 s plus a page run is expected).

The aims are for people to read: on a shared, loaded machine absolute times move, so
the test asserts only ratios against the bare page (generous ones, to catch a feed that
got several times slower, not noise). Run with ``make bench``.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from sandbox.services import feed, workshops
from sandbox.simulation.seed import create_workshop_from_scenario
from sandbox.store import create_schema, make_engine, write_session
from sandbox.ui.server import SERVER_FLAGS, THEME_FLAGS
from tests.conftest import free_port

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sandbox" / "browser"))
from sandbox_browser import start_server, stop_server, wait_for_app, wait_until_healthy  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.browser]
RUNS = 5
MAX_SIGN_IN_RATIO = 10
MAX_ARRIVAL_RATIO = 15


@pytest.fixture(scope="module")
def bare_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bare")
    (folder / "bare.py").write_text('import streamlit as st\n\nst.write("Hello from a bare page")\n',
                                    encoding="utf-8")
    port = free_port()
    argv = [sys.executable, "-m", "streamlit", "run", str(folder / "bare.py")]
    argv += [f"--{name}={value}" for name, value in {**SERVER_FLAGS, **THEME_FLAGS, "server.port": str(port),
                                                        "server.address": "127.0.0.1"}.items()]
    log = folder / "server.log"
    with log.open("w") as log_file:
        process = subprocess.Popen(argv, cwd=folder, stdout=log_file, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, log)
        yield url
    finally:
        stop_server(process)


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("feel-bench")
    engine = make_engine(f"sqlite:///{data_dir / 'sandbox.db'}")
    create_schema(engine)
    with write_session(engine) as session:
        created = create_workshop_from_scenario(session, "Benchmark day", now=datetime.now(timezone.utc))
    process, url, _log = start_server(data_dir)
    try:
        yield url, engine, created.workshop.code
    finally:
        stop_server(process)
        engine.dispose()


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def test_feed_feels_alive_beside_a_bare_page(browser, bare_url, room):
    url, engine, code = room
    bare, sign_in, arrival = [], [], []
    for run in range(RUNS):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        started = time.perf_counter()
        page.goto(bare_url)
        page.get_by_text("Hello from a bare page").wait_for()
        bare.append(time.perf_counter() - started)

        page.goto(url)
        page.get_by_role("heading", name="Join your workshop").wait_for()
        wait_for_app(page)
        page.get_by_role("textbox", name="Join code").fill(code)
        page.get_by_role("textbox", name="Your display name").fill(f"Bench Reader {run}")
        page.get_by_role("textbox", name="Your department").fill("Library")
        page.get_by_text("I have read and accept the usage policy").click()
        started = time.perf_counter()
        page.get_by_role("button", name="Join the workshop").click()
        page.get_by_role("article").first.wait_for()
        sign_in.append(time.perf_counter() - started)
        wait_for_app(page)

        with write_session(engine) as session:
            writer = workshops.join(session, code, f"Bench Writer {run}", "Estates", accept_policy=True,
                                    client_key=f"bench-writer-{run}", now=datetime.now(timezone.utc)).member
            feed.create_post(session, writer, f"Post number {run} from another learner",
                             now=datetime.now(timezone.utc))
        started = time.perf_counter()
        page.get_by_role("article", name=f"Post by Bench Writer {run}").wait_for(timeout=30_000)
        arrival.append(time.perf_counter() - started)
        context.close()

    floor = median_ms(bare)
    print(f"\nbare Streamlit page, goto to text: median {floor:.0f} ms ({RUNS} runs)")
    print(f"sign-in to first post visible: median {median_ms(sign_in):.0f} ms "
          f"({median_ms(sign_in) / floor:.1f}x the bare page; aim <= 1000 ms)")
    print(f"another learner's post visible without a click: median {median_ms(arrival):.0f} ms "
          f"({median_ms(arrival) / floor:.1f}x the bare page; aim <= 2000 ms)")
    assert median_ms(sign_in) / floor <= MAX_SIGN_IN_RATIO
    assert median_ms(arrival) / floor <= MAX_ARRIVAL_RATIO

