"""Who you are holds on the same browser and does not leak to another one.

Issue 14, finding 1: the trainer's sign-in was in the address (``?s=...``), so the
console's address opened in another browser made that browser the trainer (and the
whole room could read it off the projector). Finding 2: a learner opening the bare
address in a new tab was signed out. Now the sign-in lives in a cookie of the browser.
"""
from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from sandbox.ui.components.session_cookie import COOKIE
from sandbox_browser import go_to, join, sign_in_as_trainer, wait_for_app
from tests.conftest import guarded_page

pytestmark = pytest.mark.browser


def no_credential_in(url: str) -> bool:
    return not urlparse(url).query and not urlparse(url).fragment


def test_sign_in_stays_on_this_browser_and_leaves_no_credential_in_the_address(
        page, browser, sandbox_server, assert_accessible):
    join(page, sandbox_server, "Rosa Diaz")
    assert no_credential_in(page.url), page.url
    sidebar = page.get_by_test_id("stSidebar")
    return_code = sidebar.locator("code").filter(has_text=re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}$")).inner_text()
    page.wait_for_function(f"() => document.cookie.includes('{COOKIE}=')", timeout=10_000)
    cookie = {c["name"]: c for c in page.context.cookies()}[COOKIE]
    assert cookie["sameSite"] == "Strict" and cookie["value"]

    page.reload()  # a reload keeps the person
    page.get_by_role("heading", name="Feed").wait_for()
    page.get_by_text("Rosa Diaz", exact=False).first.wait_for()

    tab = page.context.new_page()  # so does a new tab on the bare address
    tab.goto(sandbox_server.url)
    tab.get_by_role("heading", name="Feed").wait_for()
    wait_for_app(tab)
    assert_accessible(tab, "feed in a new tab")
    tab.close()

    # The trainer, on another browser, opens the console; its address shows no secret.
    trainer_context, trainer = guarded_page(browser)
    try:
        sign_in_as_trainer(trainer, sandbox_server)
        go_to(trainer, "Run the session")
        console_address = trainer.url
        assert no_credential_in(console_address), console_address
    finally:
        trainer_context.close()

    # Someone who copied that address into a third browser is a visitor there.
    stranger_context, stranger = guarded_page(browser)
    try:
        stranger.goto(console_address)
        # Straight to the trainer's sign-in, told why, with no "Page not found" pop-up.
        stranger.get_by_role("heading", name="Trainer sign-in").wait_for()
        wait_for_app(stranger)
        stranger.get_by_text("is a page for the workshop's trainer").wait_for()
        assert stranger.get_by_role("dialog").count() == 0
        assert stranger.get_by_text("Page not found").count() == 0
        assert stranger.get_by_role("link", name="Live dashboard").count() == 0
        assert stranger.get_by_role("heading", name="Run the session").count() == 0
        assert_accessible(stranger, "console address opened by a visitor")
        # Rosa, on that browser, follows the note to the join page and comes back as herself.
        link = stranger.get_by_role("link", name="Taking part as a learner? Join your workshop here")
        for _attempt in range(3):  # a click swallowed by a rerun is pressed again
            link.click()
            try:
                stranger.get_by_role("heading", name="Join your workshop").wait_for(timeout=15_000)
                break
            except PlaywrightTimeout:
                continue
        stranger.get_by_role("heading", name="Join your workshop").wait_for()
        stranger.get_by_text("Been here before? Come back with your return code").click()
        stranger.get_by_role("textbox", name="Workshop join code").fill(sandbox_server.code)
        stranger.get_by_role("textbox", name="The display name you joined with").fill("Rosa Diaz")
        stranger.get_by_role("textbox", name="Your return code").fill(return_code)
        assert_accessible(stranger, "join page with the come-back form open")
        stranger.get_by_role("button", name="Come back").click()
        stranger.get_by_role("heading", name="Feed").wait_for()
        stranger.get_by_test_id("stSidebar").get_by_text("Rosa Diaz", exact=False).first.wait_for()
        assert stranger.external_requests == []
    finally:
        stranger_context.close()

    # Signing out drops the cookie: the next tab is a visitor again.
    page.get_by_role("button", name="Sign out", exact=True).click()
    page.get_by_role("heading", name="Join your workshop").wait_for()
    wait_for_app(page)
    page.wait_for_function(f"() => !document.cookie.includes('{COOKIE}=')", timeout=10_000)
    again = page.context.new_page()
    again.goto(sandbox_server.url)
    again.get_by_role("heading", name="Join your workshop").wait_for()
    assert page.external_requests == []
