"""A trainer signs in with their organisation's account (OpenID Connect) in Chromium and
reaches the trainer console without the trainer key.

A local OpenID Connect provider (``oidc-provider-mock``, on loopback) knows Grace, the
trainer; the sandbox's ``.streamlit/secrets.toml`` names the provider and
``INSIDEOUT_OIDC_TRAINERS`` lists Grace's e-mail address (in other capitals: addresses are
compared without case). She signs in at the provider, gives only the join code (no
department, no usage policy: she is not joining as a learner) and is the workshop's trainer.
"""
from __future__ import annotations

import importlib.util
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from sandbox.services import workshops
from sandbox.services.accounts import TRAINERS_ENV
from sandbox.store import create_schema, make_engine, read_session, write_session
from sandbox.store.models import Member
from sandbox.ui.server import stop_process, streamlit_command
from sandbox_browser import go_to, wait_for_app, wait_until_healthy
from tests.conftest import free_port, guarded_page

pytestmark = pytest.mark.browser

GRACE = {"sub": "staff-0007", "name": "Grace Hill", "email": "grace.hill@northfield.ac.uk"}


@pytest.fixture()
def provider(tmp_path):
    """A local OpenID Connect provider with Grace as a predefined user: its base URL."""
    # Looked up, not imported: it runs in its own process (importing it here warns about Authlib).
    if importlib.util.find_spec("oidc_provider_mock") is None:
        pytest.skip("the test extra's oidc-provider-mock is not installed: run make install")
    port = free_port()
    log = (tmp_path / "provider.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--port", str(port),
                                "--host", "127.0.0.1", "--user-claims", json.dumps(GRACE)],
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                stop_process(process)
                log.close()
                raise RuntimeError((tmp_path / "provider.log").read_text())
            time.sleep(0.3)
    try:
        yield url
    finally:
        stop_process(process)
        log.close()


@pytest.fixture()
def sandbox_for_trainers(tmp_path, provider):
    """A sandbox whose secrets name the provider and whose trainers list names Grace:
    (url, engine, join code)."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    engine = make_engine(f"sqlite:///{data_dir / 'sandbox.db'}")
    create_schema(engine)
    with write_session(engine) as session:
        code = workshops.create_workshop(session, "Northfield", now=datetime.now(timezone.utc)).workshop.code
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    (data_dir / ".streamlit").mkdir()
    (data_dir / ".streamlit" / "secrets.toml").write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(16)}"\n'
        'client_id = "insideout-sandbox"\n'
        'client_secret = "not-a-real-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n')
    log = data_dir / "server.log"
    env = {key: value for key, value in os.environ.items() if key != "INSIDEOUT_DATABASE_URL"}
    env.update({"INSIDEOUT_DATA_DIR": str(data_dir), TRAINERS_ENV: "someone@else.ac.uk, Grace.Hill@Northfield.ac.uk"})
    with log.open("w") as log_file:
        process = subprocess.Popen(streamlit_command(port=port), env=env, stdout=log_file,
                                   stderr=subprocess.STDOUT, cwd=data_dir, start_new_session=True)
    try:
        wait_until_healthy(url, process, log)
        yield url, engine, code
    finally:
        stop_process(process)
        engine.dispose()


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
