"""The deployment recipe as a person uses it: ``insideout deploy nginx`` and ``deploy check``."""
from __future__ import annotations

import os
import re
import subprocess

import pytest

from tests.deploy.cluster import find_nginx, insideout

ROOT_ENV = {k: v for k, v in os.environ.items() if k != "INSIDEOUT_DATABASE_URL"}


def run(*args, env=None, cwd=None):
    return subprocess.run(insideout(*args), capture_output=True, text=True, timeout=120,
                          env=env or ROOT_ENV, cwd=cwd)


def test_deploy_nginx_writes_a_file_nginx_accepts(tmp_path):
    nginx = find_nginx()
    if nginx is None:
        pytest.skip("nginx is not installed (Debian: apt-get install nginx-light; .ci/run does)")
    out = tmp_path / "insideout-nginx.conf"
    done = run("deploy", "nginx", "--sandbox", "127.0.0.1:8501", "--sandbox", "127.0.0.1:8502",
               "--listen", "127.0.0.1:8080", "--site", str(tmp_path / "site"), "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text()
    assert "server 127.0.0.1:8501 max_fails=1" in text and "server 127.0.0.1:8502 max_fails=1" in text
    assert f"alias {tmp_path / 'site'}/;" in text
    assert not re.findall(r"@(?:LISTEN|SANDBOXES|SITE|MIME_TYPES)@", text)  # every placeholder filled in
    for sub in ("logs", "tmp"):
        (tmp_path / sub).mkdir()
    tested = subprocess.run([nginx, "-t", "-c", str(out), "-p", f"{tmp_path}/"], capture_output=True, text=True)
    assert tested.returncode == 0, tested.stderr


def test_deploy_nginx_refuses_a_server_without_a_port(tmp_path):
    done = run("deploy", "nginx", "--sandbox", "localhost", "--out", str(tmp_path / "x.conf"))
    assert done.returncode == 1
    assert done.stderr.strip() == "insideout: error: 'localhost' is not HOST:PORT (for example 127.0.0.1:8501)"
    assert not (tmp_path / "x.conf").exists()


def test_deploy_check_names_what_is_down(tmp_path):
    env = {**ROOT_ENV, "INSIDEOUT_DATABASE_URL": "postgresql+psycopg://nobody:x@127.0.0.1:9/none",
           "INSIDEOUT_DATA_DIR": str(tmp_path)}
    done = run("deploy", "check", "--sandbox", "http://127.0.0.1:9", env=env)
    assert done.returncode == 1
    assert "FAIL store: cannot reach the database" in done.stdout
    assert "FAIL http://127.0.0.1:9: does not answer" in done.stdout
    assert done.stderr.strip().count("\n") == 0
    assert "2 of 2 checks failed" in done.stderr


def test_deploy_check_passes_on_a_fresh_sqlite_store(tmp_path):
    env = {**ROOT_ENV, "INSIDEOUT_DATA_DIR": str(tmp_path)}
    created = run("workshop", "create", "--title", "Check", env=env, cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    done = run("deploy", "check", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("ok   store: sqlite:///"), done.stdout
