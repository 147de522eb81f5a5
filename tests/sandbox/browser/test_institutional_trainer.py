"""A trainer signs in with their organisation's account (OpenID Connect) in Chromium and
reaches the trainer console without the trainer key.

A local OpenID Connect provider (``oidc-provider-mock``, on loopback) knows Grace, the
trainer; the sandbox's ``.streamlit/secrets.toml`` names the provider and
``INSIDEOUT_OIDC_TRAINERS`` lists Grace's e-mail address (in other capitals: addresses are
compared without case). She signs in at the provider, gives only the join code (no
department, no usage policy: she is not joining as a learner) and is the workshop's trainer.
"""
from __future__ import annotations

import pytest
from sqlalchemy import select

from oidc_support import oidc_provider, sandbox_trusting
from sandbox.services.accounts import TRAINERS_ENV
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


def test_a_listed_trainer_signs_in_with_the_organisation_account_and_reaches_the_console(
        browser, sandbox_for_trainers, assert_accessible):
    url, engine, code = sandbox_for_trainers
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
