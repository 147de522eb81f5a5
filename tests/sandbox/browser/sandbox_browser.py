"""Start a real sandbox server and drive it like a person would.

The server is started exactly as ``insideout sandbox run`` starts it
(``sandbox.ui.server.streamlit_command``) with its own data folder. Pages are
driven by role and label, never by generated class names, and tests wait for
text to appear rather than sleeping.
"""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlparse

from sqlalchemy import Engine

from sandbox.ui.server import stop_process, streamlit_command
from tests.conftest import free_port

STARTUP_SECONDS = 60


@dataclass
class SandboxServer:
    url: str
    engine: Engine
    code: str
    trainer_key: str
    log: Path

    def now(self) -> datetime:
        return datetime.now(timezone.utc)


def wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The sandbox server stopped while starting:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"The sandbox server did not answer within {STARTUP_SECONDS} s:\n{log.read_text()}")


def start_server(data_dir: Path, extra_env: dict | None = None):
    port = free_port()
    env = {**os.environ, "INSIDEOUT_DATA_DIR": str(data_dir), **(extra_env or {})}
    env.pop("INSIDEOUT_DATABASE_URL", None)
    log = data_dir / "server.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    with log.open("w") as log_file:
        process = subprocess.Popen(
            streamlit_command(port=port), env=env, stdout=log_file, stderr=subprocess.STDOUT,
            cwd=data_dir, start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, log)
    except BaseException:
        stop_server(process)
        raise
    return process, url, log


def stop_server(process: subprocess.Popen) -> None:
    stop_process(process)


@contextlib.contextmanager
def grading_sandbox(data_dir: Path, engine: Engine, code: str, trainer_key: str,
                    extra_env: dict | None = None):
    """A sandbox server with a grader process beside it, as ``insideout sandbox run`` has.

    Both share ``data_dir`` (and ``extra_env``, e.g. ``INSIDEOUT_COURSE_DIR``); both stop
    when the block ends. Yields the :class:`SandboxServer`.
    """
    from sandbox.grading_queue.supervisor import stop_graders

    process, url, log = start_server(data_dir, extra_env=extra_env)
    grader_env = {**os.environ, "INSIDEOUT_DATA_DIR": str(data_dir), **(extra_env or {})}
    grader_env.pop("INSIDEOUT_DATABASE_URL", None)
    try:
        with (data_dir / "grader.log").open("w") as grader_log:
            grader = subprocess.Popen([sys.executable, "-m", "sandbox.cli", "grader", "run", "--workers", "1"],
                                      env=grader_env, cwd=data_dir, start_new_session=True,
                                      stdout=grader_log, stderr=subprocess.STDOUT)
    except BaseException:
        stop_server(process)
        raise
    try:
        yield SandboxServer(url=url, engine=engine, code=code, trainer_key=trainer_key, log=log)
    finally:
        stop_graders([grader])
        stop_server(process)


APP_IDLE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app !== null
        && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && !document.querySelector('[data-testid="stStatusWidget"]');
}"""


def wait_for_app(page, timeout: int = 60_000) -> None:
    """Wait until Streamlit is connected and has finished the current run.

    Streamlit's own end-to-end tests wait on the same two attributes of the app's root;
    the 'Running...' status alone shows only after a delay, so a run that has just
    started could pass for an idle page. A live fragment (the feed polls every few
    seconds) makes runs start on their own: callers that read the page after an action
    should still wait for the text they expect rather than read once.
    """
    page.wait_for_load_state("domcontentloaded")
    page.get_by_test_id("stApp").wait_for()
    page.wait_for_function(APP_IDLE, timeout=timeout)


def join(page, server: SandboxServer, name: str, department: str = "Library") -> None:
    page.goto(server.url)
    page.get_by_role("heading", name="Join your workshop").wait_for()
    page.get_by_role("textbox", name="Join code").fill(server.code)
    page.get_by_role("textbox", name="Your display name").fill(name)
    page.get_by_role("textbox", name="Your department").fill(department)
    page.get_by_text("I have read and accept the usage policy").click()
    page.get_by_role("button", name="Join the workshop").click()
    page.get_by_role("heading", name="Feed").wait_for()
    wait_for_app(page)


def open_signed_in(page, url: str, token: str) -> None:
    """Open ``url`` as the person signed in with ``token`` (made through the services):
    the browser gets the sign-in cookie the sandbox itself would have set."""
    from sandbox.ui.components.session_cookie import COOKIE

    origin = urlparse(url)._replace(path="/", query="", fragment="").geturl()  # the sandbox's root
    page.context.add_cookies([{"name": COOKIE, "value": token, "url": origin, "sameSite": "Strict"}])
    page.goto(url)


def open_composer(page) -> None:
    """Open the feed's "Start a conversation" box, unless it is open already.

    Closed, it is one line (so posts are on the first screen); its fields are inert
    until it opens.
    """
    wait_for_app(page)
    kinds = page.get_by_role("radiogroup", name="What do you want to write?")
    for _ in range(5):
        if kinds.is_visible():
            return
        page.get_by_text("Start a conversation", exact=True).click()
        try:
            kinds.wait_for(timeout=3_000)
        except Exception:  # noqa: BLE001 - Playwright's timeout: a rerun swallowed the click
            continue
        wait_for_app(page)
        return
    raise AssertionError("the 'Start a conversation' box did not open")


def post_card(page, author: str, text: str | None = None):
    """The block holding one top-level post by ``author`` (containing ``text`` when given):
    the post itself, its reactions and its reply button."""
    article = page.get_by_role("article", name=f"Post by {author}")
    if text is not None:
        article = article.filter(has_text=text)
    return page.get_by_test_id("stVerticalBlock").filter(has=article).last


def go_to(page, title: str) -> None:
    """Open a page from the sidebar navigation by its link text.

    Waits for the address to change to the link's page first: the old page's heading
    stays on screen for a moment, and typing into it then would go to the wrong page.
    """
    link = page.get_by_role("link", name=title, exact=False).first
    target = urlparse(link.get_attribute("href") or "").path.rstrip("/").rsplit("/", 1)[-1]
    link.click()
    if target:
        page.wait_for_url(lambda url: urlparse(url).path.rstrip("/").endswith("/" + target))
    page.get_by_role("heading", level=1).first.wait_for()
    wait_for_app(page)


def sign_in_as_trainer(page, server: SandboxServer) -> None:
    """Sign in with the join code and the key ``insideout workshop create`` printed.

    Waits for the sign-in page's own heading before typing: the join page also has a
    "Join code" box, and typing into it while the page changes loses the code.
    """
    page.goto(server.url)
    page.get_by_role("heading", name="Join your workshop").wait_for()
    go_to(page, "Trainer sign-in")
    page.get_by_role("heading", name="Trainer sign-in").wait_for()
    wait_for_app(page)
    page.get_by_role("textbox", name="Join code").fill(server.code)
    page.get_by_role("textbox", name="Trainer key").fill(server.trainer_key)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Live dashboard").wait_for()
    wait_for_app(page)


def choose(page, combobox, option=None, typed: str | None = None, attempts: int = 5) -> None:
    """Pick ``option`` (an accessible name or a compiled pattern; the first when None)
    from a select or multiselect, typing ``typed`` into it first when given.

    Opening the list and clicking the option are one attempt: a rerun between the two
    (a live fragment, a component reporting its value) closes the list and redraws the
    box, so the whole attempt is made again, up to ``attempts`` times.
    """
    from playwright.sync_api import Error as PlaywrightError

    options = page.get_by_role("option") if option is None else page.get_by_role("option", name=option)
    for attempt in range(attempts):
        wait_for_app(page)
        try:
            combobox.click(timeout=5_000)
            if typed is not None:
                combobox.fill(typed, timeout=5_000)
            options.first.click(timeout=5_000)
            return
        except PlaywrightError:
            page.keyboard.press("Escape")
            if attempt == attempts - 1:
                raise


def click(page, locator, attempts: int = 5) -> None:
    """Click once the app is idle; retry if a rerun replaced the element meanwhile."""
    for attempt in range(attempts):
        wait_for_app(page)
        try:
            locator.click(timeout=5_000)
            return
        except Exception:  # noqa: BLE001 - Playwright's timeout or a detached element
            if attempt == attempts - 1:
                raise


def press(page, locator, effect, attempts: int = 3, timeout: int = 15_000) -> None:
    """Click ``locator`` until ``effect`` (a locator) shows: a click that lands while the
    page is being redrawn can be dropped without an error. Use it only for actions that
    cannot happen twice by accident (opening, pinning, choosing), never for posting."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(attempts):
        click(page, locator)
        try:
            effect.first.wait_for(timeout=timeout)
            wait_for_app(page)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise


HANDED_IN = "Thank you: your notebook is handed in and kept."


def hand_in_file(page, notebook: Path, attempts: int = 3) -> None:
    """Choose ``notebook`` on the Hand in page and press Hand in until it is handed in.

    Handed in means the page thanked the learner or lists the file as their latest
    hand-in (the thanks is shown once, and a quick grade's rerun can replace it).
    Choosing a file uploads it and reruns the page; a click that lands in that rerun
    can be dropped (the button is drawn again). A repeated click cannot hand in twice:
    after a hand-in the file picker starts empty ("Choose your notebook file first").
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.locator("input[type=file]").set_input_files(str(notebook))
    page.get_by_text(notebook.name).first.wait_for()
    done = page.get_by_text(HANDED_IN).or_(page.get_by_text(f"{notebook.name}, handed in"))
    for attempt in range(attempts):
        click(page, page.get_by_role("button", name="Hand in", exact=False).last)
        try:
            done.first.wait_for(timeout=20_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
