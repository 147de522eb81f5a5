"""A member of staff signs in with their organisation's account (OpenID Connect) in Chromium.

The test starts a local OpenID Connect provider (the ``oidc-provider-mock`` package, on
loopback) and a sandbox whose ``.streamlit/secrets.toml`` names it. Anna signs in at the
provider, gives the join code and is in under the name the provider sent; on a second
device (a fresh browser context, no cookies) she signs in again and is the same member.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from oidc_support import oidc_provider, sandbox_trusting
from sandbox.store import read_session
from sandbox.store.models import Member
from sandbox_browser import wait_for_app
from tests.conftest import guarded_page

pytestmark = pytest.mark.browser

ANNA = {"sub": "staff-0042", "name": "Anna Smith", "email": "anna.smith@northfield.ac.uk"}


@pytest.fixture()
def sandbox_with_provider(tmp_path):
    """A sandbox trusting a local provider that knows Anna: (url, engine, join code)."""
    with oidc_provider(tmp_path, ANNA) as provider, \
            sandbox_trusting(tmp_path, provider) as sandbox:
        yield sandbox


def sign_in_at_the_provider(page, url):
    page.goto(url)
    page.get_by_role("heading", name="Join your workshop").wait_for()
    wait_for_app(page)
    page.get_by_role("button", name="Sign in with your organisation's account").click()
    page.get_by_role("button", name=ANNA["sub"]).click()  # the provider's page: Anna, predefined
    page.get_by_text("Signed in as Anna Smith").wait_for(timeout=30_000)
    wait_for_app(page)


def test_staff_join_with_their_organisation_account_and_come_back_from_another_device(
        browser, sandbox_with_provider, assert_accessible):
    url, engine, code = sandbox_with_provider
    context, laptop = guarded_page(browser)
    try:
        sign_in_at_the_provider(laptop, url)
        assert_accessible(laptop, "join page, signed in with the organisation's account")
        form = laptop.get_by_test_id("stForm").filter(has_text="Enter the workshop")
        form.get_by_role("textbox", name="Join code").fill(code)
        form.get_by_role("textbox", name="Your department (first time only)").fill("Library")
        form.get_by_text("I have read and accept the usage policy (first time only)").click()
        form.get_by_role("button", name="Enter the workshop").click()
        laptop.get_by_role("heading", name="Feed").wait_for()
        wait_for_app(laptop)
        # Only the provider's own page asked for another host (its stylesheet); the kit never does.
        assert all("picocss" in request for request in laptop.external_requests), laptop.external_requests
    finally:
        context.close()

    context, phone = guarded_page(browser)  # another device: no cookies, no session
    try:
        sign_in_at_the_provider(phone, url)
        form = phone.get_by_test_id("stForm").filter(has_text="Enter the workshop")
        form.get_by_role("textbox", name="Join code").fill(code)
        form.get_by_role("button", name="Enter the workshop").click()
        phone.get_by_role("heading", name="Feed").wait_for()
    finally:
        context.close()

    with read_session(engine) as session:
        learners = session.scalars(select(Member).where(Member.kind == "learner")).all()
    assert [(m.display_name, m.identity_subject.split()[-1]) for m in learners] == [("Anna Smith", "staff-0042")]
