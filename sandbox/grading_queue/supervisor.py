"""The grader processes that run beside the sandbox server.

``insideout serve`` and ``insideout sandbox run`` start them with the server and
stop them with it (Ctrl+C, SIGTERM, SIGHUP). Each grader runs in its own process
group with its grading workers and kernels, so stopping a grader stops all of it.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys

DEFAULT_GRADERS = 1


def grader_command(workers: int = 2) -> list[str]:
    """The argv of one grader process, with this interpreter (same environment as ``insideout``)."""
    return [sys.executable, "-m", "sandbox.cli", "grader", "run", "--workers", str(workers), "--quiet"]


def start_graders(count: int, workers: int = 2) -> list[subprocess.Popen]:
    """Start ``count`` grader processes. Failure case: cannot start -> ``OSError``."""
    started = []
    try:
        for _ in range(count):
            started.append(subprocess.Popen(grader_command(workers), start_new_session=True))
    except OSError:
        stop_graders(started)
        raise
    return started


def stop_graders(processes: list[subprocess.Popen], grace: float = 5) -> None:
    """Ask each grader to stop (its jobs go back to the queue), then stop its whole group."""
    for process in processes:
        if process.poll() is None:
            _signal_group(process, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
        # Its workers and kernels may outlive it for a moment: the group goes too.
        _signal_group(process, signal.SIGKILL)
        if process.poll() is None:
            process.wait()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
