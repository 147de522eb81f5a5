"""Fixtures shared by every part of the suite.

Browser tests drive a real Chromium through Playwright. We never use
Playwright's own browser download (it does not work on our machines): the
executable comes from ``$CHROMIUM`` or the system's ``chromium``.
"""
from __future__ import annotations

import contextlib

import os
import shutil
import socket
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent

# WCAG 2.1 A and AA rules: the bar in DESIGN.md.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]", ""}

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def find_chromium() -> str | None:
    """Where Chromium is: ``$CHROMIUM``, then the system packages' names."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return playwright_chromium()


def playwright_chromium() -> str | None:
    """Playwright's own Chromium, if it was downloaded (where the network allows)."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            path = playwright.chromium.executable_path
    except Exception:  # noqa: BLE001 - no driver or no download: simply not available
        return None
    return path if path and Path(path).exists() else None


# How `make test` spreads the suite over processes (pytest-xdist, ``--dist loadscope``):
# a file's tests stay together, so a module's server or corpus is made once (the course
# site is built once for all: tests/site/conftest.py); grading tests run one at a time,
# because kernels of the same worker slot run as the same user id and share its process
# limit; the parts of the longest test, the site's accessibility check, go apart.
SHARED_SCOPES = {"tests/exercises/grading/": "grading"}
SPREAD = ("tests/site/test_site_pages.py::test_every_page_is_accessible_and_offline[",)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedScopes(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith(SPREAD):
                return nodeid
            path = nodeid.split("::", 1)[0]
            return next((name for prefix, name in SHARED_SCOPES.items() if path.startswith(prefix)), path)

    return SharedScopes(config, log)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = find_chromium()
    if path is None:
        pytest.fail(
            "No Chromium found. Install Debian's 'chromium' package or set CHROMIUM "
            "to a Chromium executable (make test and .ci/run do this for you)."
        )
    return path


@pytest.fixture(scope="session")
def browser(chromium_executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    """A fresh page whose requests to any non-local host are recorded.

    ``page.external_requests`` lists them; tests assert it stays empty.
    Requests to other hosts are also aborted, so nothing ever leaves the machine.
    """
    context, page = guarded_page(browser)
    yield page
    context.close()


def guarded_page(browser):
    """``(context, page)``: a browser context of its own (one person) whose requests to
    other hosts are aborted and listed in ``page.external_requests``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    external: list[str] = []

    def guard(route):
        url = route.request.url
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "about", "file") or parsed.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            external.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.external_requests = external
    return context, page


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        for node in violation.get("nodes", [])[:5]:
            lines.append(f"    at {node.get('target')}: {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


# While Streamlit reruns a script it fades the old elements (``data-stale``) and may
# grey out widgets; on a busy machine axe-core could read those faded colours as a
# contrast failure the settled page does not have. Check the page a person reads.
SETTLED = """() => !document.querySelector('[data-testid="stApp"]') || (
    !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-stale="true"]'))"""


def wait_until_settled(page, timeout_ms: int = 20_000) -> None:
    """Wait (at most ``timeout_ms``) until a Streamlit page has no run in progress."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(SETTLED, timeout=timeout_ms)


@pytest.fixture()
def assert_accessible(axe):
    """``assert_accessible(page, label)``: zero axe-core WCAG 2.1 AA violations."""

    def check(page, label: str = "") -> None:
        wait_until_settled(page)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = results.response.get("violations", [])
        assert not violations, (
            f"axe-core found {len(violations)} WCAG 2.1 AA violation(s) on "
            f"{label or page.url}:\n{format_violations(violations)}"
        )

    return check


@pytest.fixture(scope="session")
def postgres_url() -> str | None:
    """The PostgreSQL URL to test against, from ``INSIDEOUT_TEST_DATABASE_URL``."""
    return os.environ.get("INSIDEOUT_TEST_DATABASE_URL") or None
