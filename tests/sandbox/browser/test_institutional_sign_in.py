"""A member of staff signs in with their organisation's account (OpenID Connect) in Chromium.

The test starts a local OpenID Connect provider (the ``oidc-provider-mock`` package, on
loopback) and a sandbox whose ``.streamlit/secrets.toml`` names it. Anna signs in at the
provider, gives the join code and is in under the name the provider sent; on a second
device (a fresh browser context, no cookies) she signs in again and is the same member.
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
from sandbox.store import create_schema, make_engine, read_session, write_session
from sandbox.store.models import Member
from sandbox.ui.server import stop_process, streamlit_command
from sandbox_browser import wait_for_app, wait_until_healthy
from tests.conftest import free_port, guarded_page

pytestmark = pytest.mark.browser

ANNA = {"sub": "staff-0042", "name": "Anna Smith", "email": "anna.smith@northfield.ac.uk"}


@pytest.fixture()
def provider(tmp_path):
    """A local OpenID Connect provider with Anna as a predefined user: its base URL."""
    # Looked up, not imported: it runs in its own process (importing it here warns about Authlib).
    if importlib.util.find_spec("oidc_provider_mock") is None:
        pytest.skip("the test extra's oidc-provider-mock is not installed: run make install")
    port = free_port()
    log = (tmp_path / "provider.log").open("w")
    process = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--port", str(port),
                                "--host", "127.0.0.1", "--user-claims", json.dumps(ANNA)],
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
def sandbox_with_provider(tmp_path, provider):
    """A sandbox whose secrets name the provider: (url, engine, join code)."""
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
    with log.open("w") as log_file:
        env = {key: value for key, value in os.environ.items() if key != "INSIDEOUT_DATABASE_URL"}
        process = subprocess.Popen(streamlit_command(port=port), env={**env, "INSIDEOUT_DATA_DIR": str(data_dir)},
                                   stdout=log_file, stderr=subprocess.STDOUT, cwd=data_dir, start_new_session=True)
    try:
        wait_until_healthy(url, process, log)
        yield url, engine, code
    finally:
        stop_process(process)
        engine.dispose()


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
