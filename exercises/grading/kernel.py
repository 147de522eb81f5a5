"""A Jupyter kernel manager that starts each kernel inside the box.

The kernel talks over Unix sockets in its private folder (``transport = "ipc"``):
TCP on localhost would not cross into the kernel's own network namespace, and the
sockets are only reachable from inside that folder.
"""
from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Any as AnyTrait

from .isolation import Isolation, Limits, count_user_tasks, hand_over, prepare_launch


class BoxedKernelManager(AsyncKernelManager):
    """Starts the kernel with limits, a clean environment and (on Linux) in bwrap.

    ``box`` is a :class:`KernelBox` set by the caller before the kernel starts.
    """

    box = AnyTrait(None, allow_none=True)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        box: KernelBox = self.box
        hand_over(box.private_dir, box.isolation)
        if box.fork_server is not None:
            self._fork_kernel(box)
            return
        kw["cwd"] = str(box.private_dir)
        kw["env"] = box.environment()
        kw["preexec_fn"] = prepare_launch(box.isolation, box.limits_for_launch())
        # The kernel's parent-watcher looks for our pid, which it cannot see from inside
        # its own PID namespace; bwrap's --die-with-parent does that job instead.
        kw["independent"] = bool(box.isolation.bwrap)
        if not os.environ.get("INSIDEOUT_GRADING_DEBUG"):
            # A kernel's own chatter is noise in a class's run; set the variable to see it.
            kw["stdout"] = kw["stderr"] = subprocess.DEVNULL
        command = box.isolation.command(kernel_cmd, box.private_dir, box.hidden)
        await super()._async_launch_kernel(command, **kw)

    def _fork_kernel(self, box: "KernelBox") -> None:
        from .forkserver import ForkedKernel

        reply = box.fork_server.request(
            op="start", connection_file=str(self.connection_file), cwd=str(box.private_dir),
            env=box.environment(), debug=bool(os.environ.get("INSIDEOUT_GRADING_DEBUG")))
        provisioner = self.provisioner
        provisioner.process = ForkedKernel(box.fork_server, reply["pid"])
        provisioner.pid, provisioner.pgid, provisioner.cwd = reply["pid"], None, str(box.private_dir)
        self._reconcile_connection_info(provisioner.connection_info)

    def kill_process_group(self) -> None:
        """Kill the kernel and everything it started, at once."""
        box = self.box
        if box is not None and box.fork_server is not None:
            try:
                box.fork_server.request(op="clear")
            except RuntimeError:
                pass  # the server is gone, and its namespace with everything in it
            return
        provisioner = self.provisioner
        pgid = getattr(provisioner, "pgid", None)
        if pgid:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


class KernelBox:
    """Where one kernel lives and what it may use."""

    def __init__(self, private_dir: Path, isolation: Isolation, limits: Limits, hidden: list[Path],
                 fork_server=None):
        self.fork_server = fork_server
        self.private_dir = private_dir
        self.isolation = isolation
        self.limits = limits
        self.hidden = hidden

    def configure(self, manager: BoxedKernelManager) -> None:
        manager.box = self
        manager.transport = "ipc"
        manager.ip = str(self.private_dir / ".kernel")
        manager.connection_file = str(self.private_dir / ".kernel-connection.json")

    def environment(self) -> dict[str, str]:
        """A small, clean environment: nothing of the grader's secrets leaks in."""
        keep = ("PATH", "LANG", "LC_ALL", "TZ", "PYTHONPATH", "VIRTUAL_ENV")
        env = {key: os.environ[key] for key in keep if key in os.environ}
        env.update(HOME=str(self.private_dir), TMPDIR="/tmp" if self.isolation.bwrap else str(self.private_dir),
                   NBGRADER_EXECUTION="autograde", MPLBACKEND="Agg", PYTHONDONTWRITEBYTECODE="1",
                   OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        return env

    def limits_for_launch(self) -> Limits:
        # Without root the process limit counts every process of this user, so the
        # kernel gets its allowance on top of what the user already runs.
        if self.isolation.kernel_uid is None and hasattr(os, "getuid"):
            extra = count_user_tasks(os.getuid())
            return Limits(self.limits.memory_bytes, self.limits.cpu_seconds,
                          self.limits.max_processes + extra, self.limits.max_file_bytes)
        return self.limits


def start_fork_server(learners_dir: Path, isolation: Isolation, limits: Limits, hidden: list[Path],
                      warm: list[str] = ()):
    """A fork server in the box, bound to the folder holding every private folder;
    ``warm`` names modules it imports once for every kernel (see forkserver.py)."""
    import sys

    from .forkserver import ForkServer

    box = KernelBox(learners_dir, isolation, limits, hidden)
    command = isolation.command([sys.executable, "-m", "exercises.grading.forkserver", *warm], learners_dir,
                                hidden, as_pid_1=True)
    return ForkServer(command, prepare_launch(isolation, box.limits_for_launch()), box.environment())


def start_boxed_kernel(box: KernelBox, kernel_name: str, config=None) -> BoxedKernelManager:
    """Launch a kernel in ``box`` and return at once; it finishes booting on its own.

    Workers call this for the *next* notebook while they finish the current one, so a
    kernel's start-up overlaps with other work instead of adding to every notebook.
    """
    from jupyter_core.utils import run_sync

    manager = BoxedKernelManager(kernel_name=kernel_name, config=config)
    box.configure(manager)
    run_sync(manager.start_kernel)(extra_arguments=["--HistoryManager.hist_file=:memory:"])
    return manager


def discard_kernel(manager: BoxedKernelManager | None) -> None:
    """Kill a kernel nobody used, and remove its sockets and connection file."""
    from jupyter_core.utils import run_sync

    if manager is None:
        return
    manager.kill_process_group()
    try:
        provisioner = manager.provisioner
        if provisioner is not None and getattr(provisioner, "process", None) is not None:
            provisioner.process.kill()
            provisioner.process.wait(timeout=5)
        run_sync(manager.cleanup_resources)()
    except Exception:  # noqa: BLE001 - best effort; the folder is deleted next anyway
        pass
