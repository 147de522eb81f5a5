"""Fixtures for the course site: a built site, a served site, a fixture project."""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port

FIXTURES = Path(__file__).parent / "fixtures"
HOOKS = ROOT / "course" / "hooks"


def run_cli(*args, cwd=None, env_extra=None, timeout=600):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env_extra or {}))
    return subprocess.run(
        [sys.executable, "-m", "sandbox.cli", *args],
        cwd=cwd or ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, course and workbook, built once per test run with the CLI.

    When the suite runs in several processes (pytest-xdist), the first one to need it
    builds it in the run's shared temporary folder and the others wait and reuse it.
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the folder every worker's own one sits in
    out, done = shared / "built-site" / "site", shared / "built-site" / "done"
    with (shared / "built-site.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(out.parent, ignore_errors=True)
            out.parent.mkdir()
            result = run_cli("site", "build", "--out", str(out))
            assert result.returncode == 0, f"site build failed:\n{result.stdout}\n{result.stderr}"
            done.touch()
    return out


@pytest.fixture(scope="session")
def served_site(built_site):
    """The built site on a local HTTP server; yields its base URL."""
    from sandbox.serving import start_static_server

    port = free_port()
    server = start_static_server(built_site, "127.0.0.1", port)
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    server.server_close()


@pytest.fixture()
def fixture_project(tmp_path) -> Path:
    """A copy of a small, valid course project whose hook is the real one."""
    project = tmp_path / "project"
    shutil.copytree(FIXTURES / "good", project)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text().replace("../../../../course/hooks/lesson.py", str(HOOKS / "lesson.py"))
    )
    return project


def mkdocs_build(project: Path, out: Path):
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out)],
        cwd=project,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        capture_output=True,
        text=True,
        timeout=300,
    )
