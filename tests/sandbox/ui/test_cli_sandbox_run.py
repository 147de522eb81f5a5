"""``insideout sandbox run`` as a user runs it: a subprocess that serves the sandbox."""
from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sandbox.services import workshops
from sandbox.store import make_engine, read_session
from sandbox.ui.server import streamlit_command

INSIDEOUT = Path(sys.executable).parent / "insideout"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_sandbox(tmp_path, port: int, *options: str) -> subprocess.Popen:
    """``insideout sandbox run`` in its own session, once it answers its health check."""
    env = {**os.environ, "INSIDEOUT_DATA_DIR": str(tmp_path)}
    env.pop("INSIDEOUT_DATABASE_URL", None)
    process = subprocess.Popen([str(INSIDEOUT), "sandbox", "run", "--port", str(port), *options], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as reply:
                assert reply.status == 200
                return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                raise AssertionError(f"the sandbox did not start within 60 s:\n{process.communicate()[0]}")
            time.sleep(0.3)


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
            return True
    except OSError:
        return False


def test_sandbox_run_serves_the_app_and_stops_on_ctrl_c(tmp_path):
    """With ``--demo`` it also makes a workshop to try, and prints how to get in."""
    port = free_port()
    process = start_sandbox(tmp_path, port, "--demo")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as reply:
            assert reply.status == 200
    finally:
        os.killpg(process.pid, signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert f"Sandbox starting at http://127.0.0.1:{port}/" in output
    assert process.returncode == 0, output
    code = re.search(r"Join code:\s+(\w+)", output).group(1)
    key = re.search(r"Trainer key:\s+(iotk_\S+)", output).group(1)
    engine = make_engine(f"sqlite:///{tmp_path / 'sandbox.db'}")
    try:
        with read_session(engine) as session:
            demo = workshops.get_workshop(session, code)
            assert demo.title == "Demo workshop"
            assert workshops.verify_trainer_key(demo, key)
            assert workshops.list_members(session, demo.id, kind="simulated")  # the scenario's colleagues
    finally:
        engine.dispose()


def test_terminating_insideout_also_stops_the_sandbox(tmp_path):
    """SIGTERM to the insideout process alone (kill, a service manager): the server it
    started must not live on, holding the port for the next start."""
    port = free_port()
    process = start_sandbox(tmp_path, port)
    try:
        process.send_signal(signal.SIGTERM)  # to insideout only, not its process group
        process.communicate(timeout=30)
        deadline = time.monotonic() + 15
        while answers(port) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert not answers(port), "the sandbox server kept running after insideout was terminated"
        assert process.returncode == 0
    finally:
        with contextlib.suppress(ProcessLookupError):  # already gone: what the test wants
            os.killpg(process.pid, signal.SIGKILL)


def test_sandbox_run_help_lists_port_and_host():
    result = subprocess.run([str(INSIDEOUT), "sandbox", "run", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "--port" in result.stdout and "--host" in result.stdout


def test_server_command_has_no_telemetry_and_runs_app_py():
    argv = streamlit_command(port=8600, host="0.0.0.0")
    assert argv[:4] == [sys.executable, "-m", "streamlit", "run"]
    assert argv[4].endswith("sandbox/app.py")
    for flag in ("--server.port=8600", "--server.address=0.0.0.0", "--server.headless=true",
                 "--browser.gatherUsageStats=false"):
        assert flag in argv
