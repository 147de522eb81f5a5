"""How the sandbox's Streamlit server is started, in one place.

Both ``insideout sandbox run`` and ``insideout serve`` build their command here,
and the browser tests start the server the same way, so what is tested is what
learners get.

The theme is passed as command-line flags rather than a ``.streamlit/config.toml``:
a config file would only apply when Streamlit is started from one particular
working directory, and a top-level one would leak into every other Streamlit the
user runs. Flags go wherever the command goes.
"""
from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

APP_PATH = Path(__file__).resolve().parent.parent / "app.py"

DEFAULT_PORT = 8501
DEFAULT_HOST = "127.0.0.1"

# Colours chosen for WCAG 2.1 AA contrast: the primary colour carries white text
# on buttons (ratio above 4.5:1) and is readable as link text on white.
THEME_FLAGS = {
    "theme.base": "light",
    "theme.primaryColor": "#1b5e9a",
    "theme.backgroundColor": "#ffffff",
    "theme.secondaryBackgroundColor": "#f1f4f8",
    "theme.textColor": "#1a1a1a",
}

# No telemetry, no browser opening, no reloading on file changes in production.
SERVER_FLAGS = {
    "server.headless": "true",
    "browser.gatherUsageStats": "false",
    "server.runOnSave": "false",
    "server.fileWatcherType": "none",
    "client.toolbarMode": "minimal",
    "global.developmentMode": "false",
    # Streamlit runs a full garbage collection after every script run by default, and a
    # live-feed poll is a script run: with the sandbox's heap that was ~90 ms of CPU a
    # poll, nearly all of it (tests/benchmarks/test_live_poll_cost.py). Python's own
    # collector still runs as objects pile up.
    "runner.postScriptGC": "false",
}


def streamlit_command(port: int = DEFAULT_PORT, host: str = DEFAULT_HOST) -> list[str]:
    """The argv that starts the sandbox on ``host:port`` with this interpreter.

    Uses ``python -m streamlit`` from the running interpreter so the server
    always runs in the same environment as the ``insideout`` command.
    """
    flags = {**SERVER_FLAGS, **THEME_FLAGS, "server.port": str(port), "server.address": host}
    argv = [sys.executable, "-m", "streamlit", "run", str(APP_PATH)]
    for name, value in flags.items():
        argv.append(f"--{name}={value}")
    return argv


class Stopped(Exception):
    """``insideout`` was asked to stop (SIGTERM, or its terminal closed)."""


def run_in_foreground(argv: list[str], graders: int = 0) -> int:
    """Run the sandbox server until it ends or we are told to stop; return its exit code.

    ``graders`` grader processes (``sandbox.grading_queue``) start before the server
    and are stopped with it, however it stops; their unfinished jobs go back to the queue.

    Ctrl+C reaches the server itself (same process group). A SIGTERM or SIGHUP sent to
    ``insideout`` alone (a service manager, ``kill``, a closed terminal) would leave
    the server running on its port, so the next start fails with "port in use": we
    pass the request on, give the server a few seconds to finish, then stop it hard.
    Failure case: the command cannot start -> ``OSError``.
    """
    def stop(signum, _frame):
        raise Stopped(signum)

    from sandbox.grading_queue.supervisor import start_graders, stop_graders

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGHUP)}
    helpers = []
    try:
        helpers = start_graders(graders)
        process = subprocess.Popen(argv)
        try:
            return process.wait()
        except (Stopped, KeyboardInterrupt):
            stop_process(process, grace=10)
            return 0
    finally:
        stop_graders(helpers)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def stop_process(process: subprocess.Popen, grace: float = 15) -> None:
    """Ask a server to stop, give it ``grace`` seconds to finish its work, then kill it."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
