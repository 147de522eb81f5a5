"""A college deployment under load: nginx, two sandbox servers, a grader, one PostgreSQL.

Everything is started as the README's deployment section says (``sandbox/deploy/nginx.conf``
through ``insideout deploy nginx``'s function, ``insideout sandbox run --port``,
``insideout grader run``). Learners are clients that speak Streamlit's own WebSocket
protocol (``streamlit_client.py``): each loads the page through nginx, joins with the join
code on the join page, then posts, reacts and replies, with the live feed's poll running
between actions as a browser's would. Midway, once a few posts written on one server have
shown on the other, one sandbox server is killed (SIGKILL, as a crash or a pulled plug) and
its learners reconnect through nginx to the other one.

Checked: every learner is signed in again after the failover; every post a learner was
told was posted is in the store once and is shown by both servers (read back page by
page after the killed server is restarted); each scripted post of the scenario is
released once although two servers race to release it; the store holds exactly the
reactions the learners pressed (a pills widget's value is sent as the browser sends it: the
option's Material icon and its words). Printed: p50/p95 from pressing
Post to the post showing on the *other* server (watched by one observer tab per server,
polling every OBSERVER_POLL_S), and memory per session (RSS growth of the two servers /
sessions).

Size: LEARNERS (env ``INSIDEOUT_LOAD_LEARNERS``, default 200 in ``make test``), of whom
WRITERS (``INSIDEOUT_LOAD_WRITERS``, 20) post, react and reply in ROUNDS rounds
(``INSIDEOUT_LOAD_ROUNDS``) with the live poll running between actions, as a browser's; the
others are readers, whose live poll runs every READER_LOOK_S (``INSIDEOUT_LOAD_READER_LOOK_SECONDS``,
30) instead, the last time after the crash. ACTIVE_S (``INSIDEOUT_LOAD_SECONDS``) bounds the
active phase. ``make load`` with the variables above runs any size alone.

200 failed here until two fixes: each live poll cost ~90 ms of server CPU (Streamlit's
garbage collection after every script run; see ``sandbox/ui/server.py``), and at the crash
the survivor stalled for the pool's 60 s: a reader held the room's log lock while it waited
for a pooled connection, and writers holding every connection waited for that lock
(``SharedLog.snapshot`` now takes its connection first; ``tests/sandbox/test_concurrency.py``).
A server is one Python process, so one core.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

import httpx
import pytest
import websockets
from sqlalchemy import func, select

from sandbox.services import feed as feed_service
from sandbox.simulation.scenario import load_scenario
from sandbox.store import make_engine, read_session
from sandbox.store.models import Member, Post, Reaction, Workshop
from tests.deploy import cluster as clusters
from tests.deploy import streamlit_client as sc

LEARNERS = int(os.environ.get("INSIDEOUT_LOAD_LEARNERS", "200"))
ACTIVE_S = float(os.environ.get("INSIDEOUT_LOAD_SECONDS", "45"))
ROUNDS = int(os.environ.get("INSIDEOUT_LOAD_ROUNDS", "2"))
# Learners 0..WRITERS-1 post, react and reply with the live poll running as in a browser;
# the others are readers who look at the live feed every READER_LOOK_S (see read()).
WRITERS = int(os.environ.get("INSIDEOUT_LOAD_WRITERS", "20"))
READER_LOOK_S = float(os.environ.get("INSIDEOUT_LOAD_READER_LOOK_SECONDS", "30"))
JOINING_AT_ONCE = 10
# A browser that lost its server keeps trying to reconnect, with growing pauses; so does
# the client (1, 2, 4 s between tries): at 200 learners the survivor could not accept a
# hundred returning tabs within one try's 60 s.
RECONNECT_TRIES = 4
EXTRA_ROUNDS = 3
OBSERVER_POLL_S = 2.0
# The crash waits (at most CROSSING_WAIT_S) until this many posts written on one server have
# shown on the other: once both are up, the cross-server delay can be measured only before it.
# A fixed crash time at 40% of the active phase left none in a CI run (the first posts of a
# busy machine came a few seconds before it).
CROSSINGS_BEFORE_CRASH = 3
CROSSING_WAIT_S = 90.0
MARKER = re.compile(r"zq[0-9a-z]{10}")
REACTION_KEY = re.compile(r"w_react_(\d+)(?:_|$)")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900), pytest.mark.load]


class NotBack(Exception):
    """A learner whose server died did not get back in, signed in, through the proxy."""


@dataclass
class Learner:
    number: int
    tab: sc.StreamlitTab
    name: str = ""
    writer: bool = True  # posts, reacts, replies; else a reader (see read)
    looks: int = 0
    last_look: float = 0.0  # time.monotonic() of the reader's last look at the feed
    posts: list[tuple[str, float]] = field(default_factory=list)  # (marker, pressed Post at)
    replies: int = 0
    reactions: list[tuple[int, str]] = field(default_factory=list)  # (post id, reaction) pressed
    reactions_cut: list[tuple[int, str]] = field(default_factory=list)  # the server died before answering
    failovers: int = 0
    reconnect_retries: int = 0  # tries that failed before the learner was back
    errors: list[str] = field(default_factory=list)


@dataclass
class Phase:
    """When the active phase ends; moved while the crash waits (see run_load)."""

    deadline: float


@dataclass
class Observer:
    """A tab signed in on one server directly, noting when each post first shows there."""

    server: str
    tab: sc.StreamlitTab
    seen: dict[str, float] = field(default_factory=dict)
    alive: bool = True
    run_seconds: list[float] = field(default_factory=list)
    reconnects: int = 0

    async def watch(self, stop: asyncio.Event) -> None:
        while not stop.is_set() and self.alive:
            began = time.monotonic()
            try:
                run = await self.tab.rerun()
            except sc.ProtocolError:
                # A run cut off or timed out on a busy server: connect again, straight to the
                # same server. Only when that fails too was this the server that was killed.
                await self.tab.close()
                try:
                    await self.tab.connect()
                except (OSError, websockets.InvalidStatus, websockets.InvalidHandshake, asyncio.TimeoutError):
                    self.alive = False
                    return
                self.reconnects += 1
                continue
            now = time.monotonic()
            self.run_seconds.append(now - began)
            for chunk in run.texts:
                for marker in MARKER.findall(chunk):
                    self.seen.setdefault(marker, now)
            try:
                await asyncio.wait_for(stop.wait(), timeout=OBSERVER_POLL_S)
            except asyncio.TimeoutError:
                pass


def require_postgres_and_nginx() -> str:
    url = os.environ.get("INSIDEOUT_TEST_DATABASE_URL")
    if not url:
        pytest.skip("no PostgreSQL: set INSIDEOUT_TEST_DATABASE_URL (make test and .ci/run do) "
                    "to run several sandbox servers on one store")
    if clusters.find_nginx() is None:
        pytest.skip("nginx is not installed (Debian: apt-get install nginx-light; .ci/run does)")
    return url


async def join(tab: sc.StreamlitTab, http: httpx.AsyncClient, code: str, name: str) -> sc.Run:
    """Open the page through ``http``, join the workshop; returns the page that follows."""
    await tab.open(http)
    run = await tab.rerun()
    run = await tab.rerun([
        sc.text(run.widget("text_input", "Join code"), code),
        sc.text(run.widget("text_input", "Your display name"), name),
        sc.text(run.widget("text_input", "Your department"), "Library"),
        sc.ticked(run.widget("checkbox", "I have read")),
        sc.click(run.widget("button", "Join the workshop")),
    ])
    if not tab.token:
        raise sc.ProtocolError(f"{name} joined but was not signed in")
    return run


def signed_in(run: sc.Run) -> bool:
    return any(w.kind == "text_area" and w.label == "Your post" for w in run.widgets)


async def feed(learner: Learner) -> sc.Run:
    """The learner's feed; after a lost connection, reconnect through the proxy as the
    browser does: again after a pause when a try fails, up to RECONNECT_TRIES times."""
    try:
        run = await learner.tab.rerun()
    except sc.ProtocolError:
        learner.failovers += 1
        for attempt in range(RECONNECT_TRIES):
            await learner.tab.close()
            try:
                await learner.tab.connect()  # same affinity cookie: nginx moves it to a live server
                run = await learner.tab.rerun()
                break
            except (sc.ProtocolError, OSError, websockets.InvalidStatus) as error:
                if attempt == RECONNECT_TRIES - 1:
                    raise NotBack(f"{learner.name} could not reconnect through the proxy "
                                  f"({RECONNECT_TRIES} tries): {type(error).__name__}: {error}") from None
                learner.reconnect_retries += 1
                await asyncio.sleep(2 ** attempt)
        if not signed_in(run):
            raise NotBack(f"{learner.name} was not signed in after the failover")
    for exception in run.exceptions:
        learner.errors.append(exception)
    return run


async def think(learner: Learner, seconds: float) -> None:
    """Wait as a reader does, while the feed's live poll (a fragment) reruns on its own."""
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        fragment = learner.tab.fragment
        interval = fragment[1] if fragment else left
        await asyncio.sleep(min(left, interval))
        if fragment and time.monotonic() < end:
            try:
                await learner.tab.rerun(fragment_id=fragment[0])
            except sc.ProtocolError:
                return  # the next action finds out and reconnects


def reacted_post(widget: sc.Widget) -> int:
    """The post a reaction widget belongs to: its key (``sandbox/ui/state.widget_key``) ends
    the id Streamlit gives the widget, ``...-w_react_<post id>_...``."""
    return int(REACTION_KEY.search(widget.id).group(1))


async def react(learner: Learner, run: sc.Run, rng: random.Random) -> None:
    """Press one reaction this learner has not given yet, on someone else's post, as a person
    does. The press is noted as (post, reaction); the store must hold exactly those.

    A press counts even when another reaction redrew the buttons meanwhile (their key carries
    the counts): Streamlit still calls the callback of the widget the page showed."""
    widgets = [w for w in run.widgets_of("button_group", "React to the post by")
               if not w.label.endswith(learner.name)]
    if not widgets:
        return
    widget = rng.choice(widgets)
    free = [i for i in range(len(widget.proto.options)) if i not in sc.selected(widget)]
    if not free:
        return
    choice = rng.choice(free)
    press = (reacted_post(widget), list(feed_service.REACTIONS)[choice])
    learner.reactions_cut.append(press)  # stored or not is unknown until the page answers
    await learner.tab.rerun([sc.pick(widget, choice)])
    learner.reactions_cut.remove(press)
    learner.reactions.append(press)


async def read(learner: Learner, phase: Phase, rng: random.Random) -> None:
    """A reader: the feed stays open and its live poll runs, but every READER_LOOK_S (at a
    random phase) instead of a browser's every POLL_SECONDS; the last look comes after the
    deadline, so every reader on the killed server has to come back through the proxy."""
    await asyncio.sleep(rng.uniform(0, READER_LOOK_S))
    while True:
        fragment = learner.tab.fragment
        try:
            try:
                if fragment is None:
                    raise sc.ProtocolError("no live poll on this page")
                await learner.tab.rerun(fragment_id=fragment[0])
            except sc.ProtocolError:
                await feed(learner)  # reconnects through the proxy, must be signed in
        except NotBack as error:
            learner.errors.append(str(error))
            return
        except sc.ProtocolError as error:
            learner.errors.append(f"look failed: {error}")
            return
        learner.looks += 1
        learner.last_look = time.monotonic()
        if time.monotonic() > phase.deadline:
            return
        await asyncio.sleep(READER_LOOK_S)


async def act(learner: Learner, phase: Phase, rng: random.Random, rounds: int) -> None:
    # Up to EXTRA_ROUNDS more when no post was confirmed yet: a crash (or a run that timed
    # out on the busy survivor) can cut off both of a writer's posts.
    for round_number in range(rounds + EXTRA_ROUNDS):
        if round_number >= rounds and learner.posts:
            return
        await think(learner, rng.uniform(2, 8))
        if time.monotonic() > phase.deadline and learner.posts:
            return  # bounded in time, but everyone gets one post in
        try:
            run = await feed(learner)
            marker = f"zq{learner.number:04d}{round_number:02d}{rng.randrange(36**4):04x}"[:12]
            pressed = time.monotonic()
            after = await learner.tab.rerun([
                sc.text(run.widget("text_area", "Your post"), f"Round {round_number} from {learner.name} {marker} #loadtest"),
                sc.click(run.widget("button", "Post")),
            ])
            if not after.shows("Posted.") and not after.exceptions:
                # As a person would check: is it on the feed? (Under heavy load an answer once
                # lacked "Posted." although the post was stored and shown.)
                after = await feed(learner)
                confirmed = any(marker in chunk for chunk in after.texts)
            else:
                confirmed = after.shows("Posted.")
            if confirmed:
                learner.posts.append((marker, pressed))
            else:
                learner.errors.append(f"post not confirmed: {after.exceptions or after.texts[-3:]}")
            await react(learner, after, rng)
            run = await feed(learner)
            opens = run.widgets_of("button", "Reply (")
            if opens:
                run = await learner.tab.rerun([sc.click(rng.choice(opens))])
                box = run.widgets_of("text_area", "Your reply")
                if box:
                    replied = await learner.tab.rerun([sc.text(box[0], f"Agreed, says {learner.name}"),
                                                       sc.click(run.widget("button", "Post reply"))])
                    learner.replies += 1
                    learner.errors.extend(replied.exceptions)
        except NotBack as error:
            learner.errors.append(str(error))
            return
        except sc.ProtocolError:
            # The server died under this action: whether it was committed is unknown, so it
            # is not counted as posted; the next round reconnects (and must be signed in).
            continue


async def read_whole_feed(tab: sc.StreamlitTab) -> set[str]:
    """Every post marker on this server's feed, page after page (as a person would click)."""
    seen: set[str] = set()
    run = await tab.rerun()
    for _page in range(500):
        for chunk in run.texts:
            seen.update(MARKER.findall(chunk))
        older = run.widgets_of("button", "Older posts")
        if not older:
            return seen
        run = await tab.rerun([sc.click(older[0])])
    raise AssertionError("the feed never ended")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def crossings(learners: list[Learner], observers: dict[str, dict[str, float]], access_log: Path,
              survivor: str, killed_at: float = float("inf")) -> list[float]:
    """Seconds from pressing Post to the post first showing on the server it was not written
    on (seen by that server's observer tab). A learner writes on the server nginx first sent
    them to, or on ``survivor`` after the crash (``killed_at``)."""
    routes = routes_to_servers(access_log)
    delays = []
    for lr in learners:
        home = routes.get(lr.tab.cookies.get("insideout_route", ""))
        for marker, pressed in lr.posts:
            written_on = survivor if pressed >= killed_at else home
            for server, seen in observers.items():
                if written_on and server != written_on and marker in seen:
                    delays.append(seen[marker] - pressed)
    return delays


def routes_to_servers(access_log: Path) -> dict[str, str]:
    """Affinity cookie -> the sandbox that first answered it, from nginx's access log."""
    found: dict[str, str] = {}
    for line in access_log.read_text().splitlines():
        route = re.search(r"route=(\S+)", line)
        upstream = re.search(r"upstream=(\S+)", line)
        if route and upstream and upstream.group(1) != "-":
            found.setdefault(route.group(1), upstream.group(1).rstrip(","))
    return found


def scripted_posts_released_once(database_url: str, code: str) -> dict[str, int]:
    scenario = load_scenario("college")
    # Due by then: the clock jumped 30 minutes ahead (run_load).
    texts = [" ".join(inject.payload["text"].split())[:60] for inject in scenario.injects
             if inject.action == "post.create" and "text" in inject.payload and inject.at_minute <= 25]
    engine = make_engine(database_url)
    try:
        with read_session(engine) as session:
            workshop_id = session.scalar(select(Workshop.id).where(Workshop.code == code))
            bodies = [" ".join(body.split()) for body in
                      session.scalars(select(Post.body).where(Post.workshop_id == workshop_id))]
    finally:
        engine.dispose()
    return {text: sum(body.startswith(text) for body in bodies) for text in texts}


def stored_replies_and_reactions(database_url: str) -> tuple[int, dict[str, set[tuple[int, str]]]]:
    """What the learners' replies and reactions left in the store (not what the clients sent):
    the number of replies, and each learner's reactions as (post id, reaction)."""
    engine = make_engine(database_url)
    try:
        with read_session(engine) as session:
            learners = select(Member.id).where(Member.display_name.like("Learner %"))
            replies = session.scalar(select(func.count()).select_from(Post).where(
                Post.parent_id.is_not(None), Post.author_id.in_(learners)))
            reactions: dict[str, set[tuple[int, str]]] = {}
            for name, post_id, reaction in session.execute(
                    select(Member.display_name, Reaction.post_id, Reaction.reaction)
                    .join(Member, Member.id == Reaction.member_id).where(Member.display_name.like("Learner %"))):
                reactions.setdefault(name, set()).add((post_id, reaction))
            return replies, reactions
    finally:
        engine.dispose()


def stored_markers(database_url: str) -> list[str]:
    engine = make_engine(database_url)
    try:
        with read_session(engine) as session:
            return [m for body in session.scalars(select(Post.body)) for m in MARKER.findall(body)]
    finally:
        engine.dispose()


def test_learners_through_nginx_survive_a_server_crash(tmp_path):
    check_deployment_under_load(tmp_path, LEARNERS, ACTIVE_S, ROUNDS)


def check_deployment_under_load(tmp_path: Path, learners_count: int, active_s: float, rounds: int) -> str:
    """Start the deployment, run the learners, check everything; returns the printed summary."""
    admin_url = require_postgres_and_nginx()
    schema, database_url = clusters.private_schema(admin_url)
    try:
        return _check_on(database_url, tmp_path, learners_count, active_s, rounds)
    finally:
        clusters.drop_schema(admin_url, schema)  # also when a check failed or the run broke


def _check_on(database_url: str, tmp_path: Path, learners_count: int, active_s: float, rounds: int) -> str:
    clock = tmp_path / "clock"
    cluster = None
    folder = clusters.readable_folder()
    try:
        cluster = clusters.start_cluster(folder, database_url, servers=2, graders=1,
                                         extra_env={"INSIDEOUT_TEST_CLOCK_FILE": str(clock)})
        workshop = cluster.create_workshop("Load test")
        # What an operator's monitor runs, through nginx, against the shared PostgreSQL.
        checked = subprocess.run(clusters.insideout("deploy", "check", "--sandbox", cluster.proxy.url),
                                 env=cluster.env, capture_output=True, text=True, timeout=120)
        assert checked.returncode == 0, checked.stdout + checked.stderr
        assert checked.stdout.startswith("ok   store: postgresql"), checked.stdout
        # The course site is served by nginx itself, beside the sandbox.
        with urllib.request.urlopen(cluster.proxy.url + "/course/", timeout=10) as response:
            assert b"Inside-Out course" in response.read()
        report = _in_own_loop(run_load(cluster, workshop["code"], clock, learners_count, active_s, rounds))
        grader = cluster.others[0]
        assert grader.popen.poll() is None, f"the grader process stopped:\n{grader.log_tail()}"
    finally:
        if cluster is not None:
            cluster.stop()
        # The logs stay with the test's own files.
        shutil.copytree(folder, tmp_path / "cluster", dirs_exist_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
    kept = tmp_path / "cluster"
    stored = stored_markers(database_url)
    released = scripted_posts_released_once(database_url, workshop["code"])
    replies, reactions = stored_replies_and_reactions(database_url)

    learners, observers_seen, final_seen = report["learners"], report["observers"], report["final"]
    # The survivor's log has a readable line per action: who, which workshop, what.
    survivor_log = (kept / cluster.sandboxes[1].log.name).read_text(errors="replace")
    assert re.search(r"INFO insideout\.actions: workshop=\d+ who=@learner-\d{3} did=create_post ok", survivor_log), \
        survivor_log[-2000:]
    errors = [f"{lr.name}: {e}" for lr in learners for e in lr.errors]
    assert not errors, errors[:10]
    posted = {marker: pressed for lr in learners for marker, pressed in lr.posts}
    silent = [lr.name for lr in learners if lr.writer and not lr.posts]
    assert not silent, f"{len(silent)} learners never had a post confirmed, e.g. {silent[:3]}"
    # No committed post lost, none stored twice.
    assert sorted(m for m in stored if m in posted) == sorted(posted)
    # Every post is shown by both servers.
    for server, seen in final_seen.items():
        missing = set(posted) - seen
        assert not missing, f"{len(missing)} posts not shown by {server}, e.g. {sorted(missing)[:3]}"
    # The crash really moved learners, and they came back signed in (feed() checks that).
    moved = [lr for lr in learners if lr.failovers]
    assert moved, "no learner was on the killed server"
    readers = [lr for lr in learners if not lr.writer]
    late = [lr.name for lr in readers if lr.last_look < report["killed_at"]]
    assert not late, f"{len(late)} readers did not look at the feed after the crash, e.g. {late[:3]}"
    # Reactions: exactly the presses the learners made are stored (a press whose answer the
    # crash cut off may or may not be); the store's unique key keeps each one once.
    presses = sum(len(lr.reactions) for lr in learners)
    unknown = sum(len(lr.reactions_cut) for lr in learners)
    assert presses > 0, "no learner pressed a reaction"
    wrong = [(lr.name, sorted(set(lr.reactions) ^ (reactions.get(lr.name, set()) - set(lr.reactions_cut))))
             for lr in learners if set(lr.reactions) ^ (reactions.get(lr.name, set()) - set(lr.reactions_cut))]
    assert not wrong, f"{len(wrong)} learners' reactions differ from what they pressed, e.g. {wrong[:3]}"
    reactions_stored = sum(len(found) for found in reactions.values())
    # Two servers raced to release the scenario's timeline: each scripted post once.
    assert released and all(count == 1 for count in released.values()), released

    routes = routes_to_servers(kept / "nginx" / "logs" / "access.log")
    server_of = {lr.number: routes.get(lr.tab.cookies.get("insideout_route", "")) for lr in learners}
    spread = {server: list(server_of.values()).count(server) for server in sorted(set(server_of.values()), key=str)}
    # Every reader whose server was killed came back through the proxy, signed in.
    victim_address = cluster.sandboxes[0].url.removeprefix("http://")
    stranded = [lr.name for lr in readers if server_of[lr.number] == victim_address and not lr.failovers]
    assert not stranded, f"{len(stranded)} readers of the killed server never came back, e.g. {stranded[:3]}"
    delays = crossings(learners, observers_seen, kept / "nginx" / "logs" / "access.log",
                       survivor=cluster.sandboxes[1].url.removeprefix("http://"), killed_at=report["killed_at"])
    memory, cpu = report["memory"], report["cpu"]
    with_summary = (
        f"\nload test: {learners_count} learners through nginx on 2 sandbox servers + PostgreSQL "
        f"({min(WRITERS, learners_count)} writing with a browser's live poll, every {report['poll_s']:g} s, "
        f"{len(readers)} reading, "
        f"their live poll every {READER_LOOK_S:.0f} s: {sum(lr.looks for lr in readers)} looks); "
        f"all joined in {report['join']['seconds']:.0f} s ({report['join']['cpu'] / learners_count:.2f} server CPU-s each); "
        f"stored {len(posted)} posts, {replies} replies and {reactions_stored} reactions "
        f"(sent {sum(lr.replies for lr in learners)} replies and {presses} reactions, {unknown} more cut off by the crash) "
        f"in {report['active_s']:.0f} s; "
        f"one server killed {report['crash_s']:.0f} s in, once {report['crossed']} posts had crossed; "
        f"learners per server at the start {spread}; "
        f"{len(moved)} learners reconnected (the killed server's, and any whose run got no answer), "
        f"all still signed in "
        f"({sum(lr.reconnect_retries for lr in learners)} reconnection tries failed first; "
        f"{sum(lr.tab.timeouts for lr in learners)} runs got no answer within {sc.RUN_TIMEOUT_S} s).\n"
        f"post to appearance on the other server (an observer tab reruns its feed every {OBSERVER_POLL_S:.0f} s; "
        f"one such rerun took {report['observer_run_s']:.2f} s at the median; "
        f"{report['observer_reconnects']} observer reconnections): "
        + (f"p50 {statistics.median(delays):.2f} s, p95 {percentile(delays, 0.95):.2f} s over {len(delays)} posts\n"
           if delays else "no post was seen by the other server's observer before the crash\n")
        + f"memory: {memory['idle']:.0f} MB for both servers with one tab each, {memory['loaded']:.0f} MB with "
        f"{memory['sessions']} more: {memory['per_session']:.1f} MB per session\n"
        f"server CPU while active: {cpu['seconds']:.0f} s for {cpu['runs']} script runs "
        f"({1000 * cpu['seconds'] / max(1, cpu['runs']):.0f} ms per run; "
        f"{cpu['seconds'] / (learners_count * report['active_s'] / 60):.1f} CPU-s per learner-minute); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n"
    )
    print(with_summary)
    (Path(os.environ.get("INSIDEOUT_LOAD_REPORT", tmp_path / "report.txt"))).write_text(with_summary)
    assert delays, "the other server's observer saw none of the posts"
    return with_summary


async def run_load(cluster: clusters.Cluster, code: str, clock: Path, learners_count: int, active_s: float,
                   rounds: int) -> dict:
    rng = random.Random(15)
    limits = httpx.Limits(max_connections=50)
    async with httpx.AsyncClient(limits=limits, timeout=60) as http:
        # Each tab keeps its own cookies, as each browser does; a shared jar would hand the
        # first learner's affinity cookie to everyone (it did: 196 of 200 on one server).
        http.cookies.jar.set_policy(DefaultCookiePolicy(allowed_domains=[]))
        observers = []
        for number, server in enumerate(cluster.sandboxes):
            tab = sc.StreamlitTab(server.url)
            await join(tab, http, code, f"Observer {number + 1}")
            observers.append(Observer(server.url.removeprefix("http://"), tab))
        # Measured once each server has served a page (imports, engine and caches warm).
        idle = sum(clusters.rss_mb(p.popen.pid) for p in cluster.sandboxes)

        learners = [Learner(number, sc.StreamlitTab(cluster.proxy.url), name=f"Learner {number:03d}",
                            writer=number < WRITERS)
                    for number in range(learners_count)]
        gate = asyncio.Semaphore(JOINING_AT_ONCE)

        async def join_one(learner: Learner) -> None:
            async with gate:
                if not signed_in(await join(learner.tab, http, code, learner.name)):
                    await feed(learner)

        joining_cpu = [clusters.cpu_seconds(p.popen.pid) for p in cluster.sandboxes]
        joining = time.monotonic()
        await asyncio.gather(*(join_one(learner) for learner in learners))
        join_s = time.monotonic() - joining
        join_cpu = sum(clusters.cpu_seconds(p.popen.pid) for p in cluster.sandboxes) - sum(joining_cpu)
        loaded = sum(clusters.rss_mb(p.popen.pid) for p in cluster.sandboxes)
        sessions = learners_count

        # The scenario's timeline jumps 30 minutes ahead: every scripted post up to then is
        # due at once, and both servers' learners' reruns race to release them.
        clock.write_text("1800")
        stop = asyncio.Event()
        watching = [asyncio.create_task(observer.watch(stop)) for observer in observers]
        started = time.monotonic()
        # No learner stops before the crash: every reader of the killed server must come back.
        phase = Phase(deadline=float("inf"))
        cpu_before = [clusters.cpu_seconds(p.popen.pid) for p in cluster.sandboxes]
        runs_before = sum(tab.runs for tab in [*(lr.tab for lr in learners), *(o.tab for o in observers)])
        acting = [asyncio.create_task(act(learner, phase, random.Random(rng.random()), rounds)
                                      if learner.writer else read(learner, phase, random.Random(rng.random())))
                  for learner in learners]

        victim, survivor = cluster.sandboxes
        access_log = cluster.folder / "nginx" / "logs" / "access.log"
        survivor_address = survivor.url.removeprefix("http://")

        def crossed() -> int:
            return len(crossings(learners, {o.server: o.seen for o in observers}, access_log, survivor_address))

        await asyncio.sleep(active_s * 0.4)
        waited_until = time.monotonic() + CROSSING_WAIT_S
        while crossed() < CROSSINGS_BEFORE_CRASH and time.monotonic() < waited_until:
            await asyncio.sleep(1)
        crossed_before_crash = crossed()
        victim_cpu = clusters.cpu_seconds(victim.popen.pid) - cpu_before[0]
        victim.stop(signal.SIGKILL, grace=10)
        killed_at = time.monotonic()
        phase.deadline = max(started + active_s, killed_at + active_s * 0.6)
        await asyncio.gather(*acting)
        elapsed = time.monotonic() - started
        survivor_cpu = clusters.cpu_seconds(survivor.popen.pid) - cpu_before[1]
        runs = sum(tab.runs for tab in [*(lr.tab for lr in learners), *(o.tab for o in observers)]) - runs_before
        await asyncio.sleep(OBSERVER_POLL_S * 3)  # the survivor's observer catches the last posts
        stop.set()
        await asyncio.gather(*watching)
        # The learners leave, all at once as a room does (one after another, each close
        # waiting for the busy server's answer, took minutes at 200).
        await asyncio.gather(*(learner.tab.close() for learner in learners))

        # The operator restarts the crashed server; both must now show every post.
        restarted = clusters.start(victim.name + "-restarted",
                                   clusters.insideout("sandbox", "run", "--port", victim.url.rsplit(":", 1)[1],
                                                      "--graders", "0"), cluster.folder, cluster.env)
        restarted.url = victim.url
        cluster.sandboxes.append(restarted)
        clusters.wait_healthy(restarted)
        final = {}
        for observer in observers:
            await observer.tab.close()
            reader = sc.StreamlitTab("http://" + observer.server)
            reader.cookies = {sc.COOKIE: observer.tab.cookies[sc.COOKIE]}  # signed in as the observer
            await reader.open(http)
            final[observer.server] = await read_whole_feed(reader)
            await reader.close()
    return {
        "learners": learners,
        "observers": {o.server: o.seen for o in observers},
        "observer_run_s": statistics.median([t for o in observers for t in o.run_seconds] or [0.0]),
        "final": final,
        "active_s": elapsed,
        "poll_s": next((lr.tab.fragment[1] for lr in learners if lr.tab.fragment), 0.0),
        "killed_at": killed_at,
        "crash_s": killed_at - started,
        "crossed": crossed_before_crash,
        "observer_reconnects": sum(o.reconnects for o in observers),
        "join": {"seconds": join_s, "cpu": join_cpu},
        "cpu": {"seconds": victim_cpu + survivor_cpu, "runs": runs},
        "memory": {"idle": idle, "loaded": loaded, "sessions": sessions,
                   "per_session": (loaded - idle) / sessions},
    }


def _in_own_loop(coroutine):
    """Run ``coroutine`` to the end in a thread of its own, with its own event loop.

    In the full suite a browser test's Playwright (whose sync API keeps an event loop
    running in this thread) may share the worker process, and ``asyncio.run`` refuses to
    start inside a running loop.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="load") as pool:
        return pool.submit(asyncio.run, coroutine).result()
