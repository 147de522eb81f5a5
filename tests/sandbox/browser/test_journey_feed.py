"""A learner's first minutes in a real browser: join, post, react, reply, notifications.

axe-core runs on every page and state visited; there must be zero WCAG 2.1 AA
violations. Nothing may be fetched from outside the machine.
"""
from __future__ import annotations

import pytest

from sandbox_browser import click, join, open_composer, post_card, wait_for_app

pytestmark = pytest.mark.browser


def test_join_post_react_reply(page, sandbox_server, assert_accessible):
    page.goto(sandbox_server.url)
    page.get_by_role("heading", name="Join your workshop").wait_for()
    wait_for_app(page)
    assert_accessible(page, "join page")

    join(page, sandbox_server, "Dana Patel")
    assert_accessible(page, "empty feed")

    open_composer(page)
    page.get_by_role("textbox", name="Your post").fill("Hello from the library #welcome @trainer")
    page.get_by_role("button", name="Post", exact=True).click()
    page.get_by_text("Posted.").wait_for()
    wait_for_app(page)
    card = page.get_by_role("article", name="Post by Dana Patel")
    card.get_by_role("link", name="#welcome").wait_for()
    assert_accessible(page, "feed with a post")

    # A simulated colleague may post meanwhile: act on Dana's own post.
    card = post_card(page, "Dana Patel")
    click(page, card.get_by_role("button", name="Like", exact=False).first)
    card.get_by_role("button", name="Like 1 ✓").first.wait_for()

    click(page, card.get_by_role("button", name="Reply (0 replies)"))
    page.get_by_role("textbox", name="Your reply").fill("And a reply to myself")
    page.get_by_role("button", name="Post reply").click()
    page.get_by_text("Reply posted.").wait_for()
    wait_for_app(page)
    assert_accessible(page, "feed with an open thread")

    # A reload keeps Dana signed in: the sign-in cookie, not the address.
    page.reload()
    page.get_by_role("heading", name="Feed").wait_for()
    wait_for_app(page)
    page.get_by_text("Dana Patel (Library)").first.wait_for()
    assert page.external_requests == [], page.external_requests
