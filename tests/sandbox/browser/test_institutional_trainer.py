"""A trainer signs in with their organisation's account (OpenID Connect) in Chromium and
reaches the trainer console without the trainer key.

A local OpenID Connect provider (``oidc-provider-mock``, on loopback) knows Grace, the
trainer; the sandbox's ``.streamlit/secrets.toml`` names the provider and
``INSIDEOUT_OIDC_TRAINERS`` lists Grace's e-mail address (in other capitals: addresses are
compared without case), or, the other route, ``INSIDEOUT_OIDC_TRAINER_GROUP`` names a group
the provider's ID token lists her in. She signs in at the provider, gives only the join code (no
department, no usage policy: she is not joining as a learner) and is the workshop's trainer.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from oidc_support import oidc_provider, sandbox_trusting
from sandbox.services.accounts import TRAINER_GROUP_ENV, TRAINERS_ENV
from sandbox.store import read_session
from sandbox.store.models import Member
from sandbox_browser import go_to, wait_for_app
from tests.conftest import guarded_page

pytestmark = pytest.mark.browser

GRACE = {"sub": "staff-0007", "name": "Grace Hill", "email": "grace.hill@northfield.ac.uk"}


@pytest.fixture()
def sandbox_for_trainers(tmp_path):
    """A sandbox trusting a local provider that knows Grace: (url, engine, join code)."""
    with oidc_provider(tmp_path, GRACE) as provider, \
            sandbox_trusting(tmp_path, provider, {TRAINERS_ENV: "someone@else.ac.uk, Grace.Hill@Northfield.ac.uk"}) as sandbox:
        yield sandbox


@pytest.fixture()
def sandbox_for_a_trainer_group(tmp_path):
    """The college's other route: nobody listed, but the provider puts Grace in the trainers'
    group (the ID token's ``groups`` claim) and the sandbox names that group."""
    with oidc_provider(tmp_path, {**GRACE, "groups": ["all-staff", "northfield-trainers"]}) as provider, \
            sandbox_trusting(tmp_path, provider, {TRAINER_GROUP_ENV: "northfield-trainers"}) as sandbox:
        yield sandbox


def reach_the_console_with_the_organisation_account(browser, sandbox, assert_accessible) -> None:
    url, engine, code = sandbox
    context, page = guarded_page(browser)
    try:
        page.goto(url)
        page.get_by_role("heading", name="Join your workshop").wait_for()
        wait_for_app(page)
        page.get_by_role("button", name="Sign in with your organisation's account").click()
        page.get_by_role("button", name=GRACE["sub"]).click()  # the provider's page: Grace, predefined
        page.get_by_text("Signed in as Grace Hill").wait_for(timeout=30_000)
        wait_for_app(page)
        form = page.get_by_test_id("stForm").filter(has_text="Enter the workshop")
        form.get_by_role("textbox", name="Join code").fill(code)
        form.get_by_role("button", name="Enter the workshop").click()
        # The trainer console, with no trainer key typed anywhere.
        page.get_by_role("link", name="Live dashboard").wait_for(timeout=30_000)
        wait_for_app(page)
        go_to(page, "Run the session")
        page.get_by_role("heading", name="Run the session").first.wait_for()
        assert_accessible(page, "trainer console reached through the organisation's account")
        # Only the provider's own page asked for another host (its stylesheet); the kit never does.
        assert all("picocss" in request for request in page.external_requests), page.external_requests
    finally:
        context.close()

    with read_session(engine) as session:
        kinds = session.scalars(select(Member.kind)).all()
    assert "learner" not in kinds  # she came in as the trainer, not as a new learner


def test_a_listed_trainer_signs_in_with_the_organisation_account_and_reaches_the_console(
        browser, sandbox_for_trainers, assert_accessible):
    reach_the_console_with_the_organisation_account(browser, sandbox_for_trainers, assert_accessible)


def test_a_member_of_the_trainer_group_reaches_the_console_the_same_way(
        browser, sandbox_for_a_trainer_group, assert_accessible):
    reach_the_console_with_the_organisation_account(browser, sandbox_for_a_trainer_group, assert_accessible)
