"""The live dashboard and its projector view in a real browser: words before charts, the
trainer's menu in two sections, a projector tab with no menu and no key in its address.
Screenshots at 1280x800 and 390x844 go to test-artifacts/projector/ (git-ignored), to look at."""
from __future__ import annotations

import pytest

from tests.conftest import ROOT
from tests.sandbox.browser.sandbox_browser import go_to, sign_in_as_trainer, wait_for_app
from tests.sandbox.console.test_browser_console import busy_server  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts" / "projector"
SIZES = {"desktop": (1280, 800), "phone": (390, 844)}

# Records, from the moment the page starts, when "In short" and the first chart appear.
WATCH_ORDER = """
window.__seen = {};
new MutationObserver(() => {
  const now = performance.now();
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main) return;
  if (!window.__seen.words && [...main.querySelectorAll('h3')].some(h => h.textContent.trim() === 'In short'))
    window.__seen.words = now;
  if (!window.__seen.chart && main.querySelector('[data-testid="stVegaLiteChart"]'))
    window.__seen.chart = now;
}).observe(document, {subtree: true, childList: true});
"""


# The views re-read the room every 10 s; while a refresh runs, and for a moment after,
# Streamlit fades its elements. Check and photograph the page as a person reads it.
UNFADED = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-stale]')]
    .every(element => getComputedStyle(element).opacity === '1')"""


def settle(page) -> None:
    wait_for_app(page)
    page.wait_for_function(UNFADED, timeout=20_000)


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        settle(page)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"))
    page.set_viewport_size({"width": 1280, "height": 800})


def test_dashboard_words_first_and_projector_view(page, busy_server, assert_accessible):
    server, _ = busy_server
    page.context.add_init_script(WATCH_ORDER)
    sign_in_as_trainer(page, server)
    assert page.get_by_role("heading", name="Learner pages").is_visible()
    assert page.get_by_role("heading", name="Trainer console").is_visible()
    go_to(page, "Live dashboard")  # the first chart this server draws
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=60_000)
    seen = page.evaluate("window.__seen")
    assert seen.get("words") is not None and seen["words"] <= seen["chart"], seen
    settle(page)
    assert_accessible(page, "live dashboard (trainer menu in two sections)")
    shoot(page, "dashboard")

    page.get_by_text("Show the dashboard on a projector").click()
    page.get_by_role("button", name="Make a projector link").click()
    link = page.get_by_role("link", name="Open the projector view")
    link.wait_for()
    with page.context.expect_page() as opened:
        link.click()
    projector = opened.value
    projector.get_by_role("heading", name="In short").wait_for(timeout=60_000)
    projector.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=60_000)
    wait_for_app(projector)
    assert "view=" not in projector.url and "s=" not in projector.url, projector.url
    assert projector.get_by_role("link", name="Live dashboard").count() == 0  # no menu
    assert projector.get_by_text("Signed in as").count() == 0
    assert projector.get_by_text("Page not found").count() == 0
    assert projector.get_by_text("3 of 3 members (100%) have contributed").first.is_visible()
    settle(projector)
    assert_accessible(projector, "projector view")
    shoot(projector, "projector")

    page.get_by_role("button", name="Close the projector view").click()
    projector.get_by_text("This projector view is closed").wait_for(timeout=30_000)  # within one refresh
    assert page.external_requests == [], page.external_requests  # both tabs: the guard is the context's
