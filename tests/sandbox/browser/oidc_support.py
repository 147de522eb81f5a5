"""A local OpenID Connect provider and a sandbox that trusts it, for the sign-in journeys.

The provider is the ``oidc-provider-mock`` package on loopback, with one predefined user;
the sandbox is started as ``insideout sandbox run`` starts it, its ``.streamlit/secrets.toml``
naming the provider, as the README tells an IT team to write it.
"""
from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import pytest

from sandbox.services import workshops
from sandbox.store import create_schema, make_engine, write_session
from sandbox.ui.server import stop_process, streamlit_command
from sandbox_browser import wait_until_healthy
from tests.conftest import free_port


@contextlib.contextmanager
def oidc_provider(folder: Path, user_claims: dict):
    """A local OpenID Connect provider with one predefined user: yields its base URL."""
    # Looked up, not imported: it runs in its own process (importing it here warns about Authlib).
    if importlib.util.find_spec("oidc_provider_mock") is None:
        pytest.skip("the test extra's oidc-provider-mock is not installed: run make install")
    port = free_port()
    log_path = folder / "provider.log"
    log = log_path.open("w")
    process = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--port", str(port),
                                "--host", "127.0.0.1", "--user-claims", json.dumps(user_claims)],
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log_path.read_text()) from None
                time.sleep(0.3)
        yield url
    finally:
        stop_process(process)
        log.close()


@contextlib.contextmanager
def sandbox_trusting(folder: Path, provider_url: str, extra_env: dict | None = None):
    """A sandbox with one workshop whose secrets name the provider: yields
    (url, engine, join code)."""
    data_dir = folder / "data"
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
        f'server_metadata_url = "{provider_url}/.well-known/openid-configuration"\n')
    log = data_dir / "server.log"
    env = {key: value for key, value in os.environ.items() if key != "INSIDEOUT_DATABASE_URL"}
    env.update({"INSIDEOUT_DATA_DIR": str(data_dir), **(extra_env or {})})
    with log.open("w") as log_file:
        process = subprocess.Popen(streamlit_command(port=port), env=env, stdout=log_file,
                                   stderr=subprocess.STDOUT, cwd=data_dir, start_new_session=True)
    try:
        wait_until_healthy(url, process, log)
        yield url, engine, code
    finally:
        stop_process(process)
        engine.dispose()
