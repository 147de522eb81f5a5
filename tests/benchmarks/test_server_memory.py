"""Benchmark: the sandbox server's resident memory with 40 browser sessions on the feed.

The room is the same as the feed-rerun benchmark (200 members, 100,000 posts).
We start the server exactly as ``insideout sandbox run`` does, open 40 Playwright
browser contexts (each a separate Streamlit session, as 40 learners' laptops
would be), sign each in with its own token, wait until every feed has rendered,
and print the server's resident set size (RSS, from /proc, including any child
processes) before and after. The aim is under 600 MB; this prints the figure
and asserts only that every session really showed the feed.

Run with ``make bench`` (it passes ``-s``), or:
``.venv/bin/pytest tests/benchmarks/test_server_memory.py -s``.
"""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from sandbox.services import workshops
from sandbox.store import make_engine, write_session
from sandbox.ui.components.session_cookie import COOKIE
from tests.benchmarks.test_feed_rerun import build_room
from tests.conftest import CHROMIUM_ARGS

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sandbox" / "browser"))
from sandbox_browser import start_server, stop_server  # noqa: E402

SESSIONS = 40
BROWSERS = 4
AIM_MB = 600


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its descendants, in MB (Linux /proc)."""
    total_kb = 0
    pids = [pid]
    while pids:
        current = pids.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
        pids.extend(int(child) for child in children)
    return total_kb / 1024


@pytest.mark.slow
@pytest.mark.browser
def test_server_memory_with_forty_sessions(browser, chromium_executable, tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    room = build_room(data_dir / "sandbox.db")
    engine = make_engine(room.url)
    tokens = []
    with write_session(engine) as session:
        for number in range(SESSIONS):
            tokens.append(workshops.join(session, room.code, f"Laptop {number}", "Library",
                                         accept_policy=True, client_key="bench-memory",
                                         now=datetime.now(timezone.utc)).session_token)
    engine.dispose()

    process, url, _log = start_server(data_dir)
    contexts = []
    # Chromium stalls new WebSocket connections to one host after a few dozen in
    # one browser (we saw it at 28), so the 40 laptops are spread over 4 browsers.
    browsers = [browser] + [
        browser.browser_type.launch(executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS)
        for _ in range(BROWSERS - 1)
    ]
    try:
        idle = rss_mb(process.pid)
        # One laptop after another, as a room fills up; every session stays open
        # (and keeps polling for new posts) until the end.
        for number, token in enumerate(tokens):
            context = browsers[number % BROWSERS].new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            contexts.append((context, page))
            context.add_cookies([{"name": COOKIE, "value": token, "url": url, "sameSite": "Strict"}])
            page.goto(url, wait_until="commit", timeout=120_000)
            # Generous: on a shared 2-core machine, 30+ open tabs re-rendering every
            # live poll starve the next tab of CPU long before the server is busy.
            page.get_by_role("article").first.wait_for(timeout=300_000)
            print(f"session {number + 1} on the feed; server RSS {rss_mb(process.pid):.0f} MB", flush=True)
        loaded = rss_mb(process.pid)
        # A few live polls later (the fragment reruns every 5 s in every session).
        contexts[0][1].wait_for_timeout(12_000)
        polling = rss_mb(process.pid)
        print(
            f"\nserver RSS: idle {idle:.0f} MB; with {SESSIONS} sessions on the feed "
            f"{loaded:.0f} MB; after 12 s of live polling {polling:.0f} MB "
            f"(aim: under {AIM_MB} MB; {room.members} members, {room.posts:,} posts)"
        )
        assert all(page.get_by_role("article").count() > 0 for _c, page in contexts)
    finally:
        for context, _page in contexts:
            context.close()
        for extra in browsers[1:]:
            extra.close()
        stop_server(process)
