"""Start kernels by forking a process that has already imported ipykernel.

Booting a Python kernel costs about half a second of CPU, mostly imports; over a
class that is most of what grading costs. A worker therefore runs one *fork server*
inside its box (bwrap, as PID 1 of its own PID namespace, as the kernel's user, with
the limits) that imports ipykernel once and forks a fresh kernel per notebook. After
each notebook it kills every other process in its namespace (``kill(-1)``: the kernel
and anything the learner's code started) and empties its ``/tmp``, so nothing of one
learner reaches the next. Used only with bwrap: ``kill(-1)`` outside a PID namespace
would hit every process of the user.

Besides ipykernel, the server imports what a kernel would otherwise import on every
start (the debugger, the shell's helpers: about 0.1 s per kernel) and the modules the
assignment's own notebook imports (named on its command line), so forked kernels find
them loaded. Modules that cannot be imported are left for the notebook to report.

Protocol: one JSON object per line on stdin, one reply per line on stdout.
"""
from __future__ import annotations

import importlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path


# What IPKernelApp.initialize() imports on each start when nobody has imported it yet.
KERNEL_MODULES = (
    "ipykernel.ipkernel", "ipykernel.kernelapp", "ipykernel.zmqshell", "ipykernel.debugger",
    "IPython.core.completerlib", "IPython.core.debugger", "IPython.core.oinspect",
    "IPython.extensions.storemagic", "IPython.utils.wildcard", "sqlite3", "pdb", "faulthandler",
    "tornado.platform.asyncio",
)


# ---------------------------------------------------------------- inside the box
def serve(warm: list[str]) -> None:  # pragma: no cover - runs in the box; tested through grading runs
    import ipykernel.kernelapp  # noqa: F401 - the point: import once, fork many

    for module in (*KERNEL_MODULES, *warm):
        try:
            importlib.import_module(module)
        except Exception:  # noqa: BLE001 - the notebook's own import will say what is wrong
            pass
    _harden()
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    requests = os.fdopen(os.dup(0), "r")
    children: set[int] = set()
    for line in requests:
        request = json.loads(line)
        operation = request["op"]
        _reap(children)
        if operation == "start":
            pid = _fork_kernel(request, requests, replies)
            children.add(pid)
            reply = {"pid": pid}
        elif operation == "ping":
            reply = {"ok": True}
        elif operation == "alive":
            reply = {"alive": request["pid"] in children}
        elif operation == "signal":
            try:
                os.kill(request["pid"], request["signal"])
                reply = {"ok": True}
            except ProcessLookupError:
                reply = {"ok": False}
            if request["signal"] == signal.SIGKILL and request["pid"] in children:
                # Reap it now, so the next "alive" says no and nobody polls for 100 ms.
                _wait_for(request["pid"])
                children.discard(request["pid"])
        elif operation == "clear":
            _kill_everything_else()
            children.clear()
            _empty("/tmp")
            reply = {"ok": True}
        else:
            reply = {"error": f"unknown operation {operation!r}"}
        replies.write(json.dumps(reply) + "\n")


def _harden() -> None:  # pragma: no cover - in the box
    """Kernels share our user id: they must not be able to trace or interrupt us."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        pr_set_dumpable = 4
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_dumpable, 0, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _fork_kernel(request: dict, requests, replies) -> int:  # pragma: no cover - in the box
    pid = os.fork()
    if pid:
        return pid
    try:
        requests.close()
        replies.close()
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        # fd 1 is our reply pipe: a kernel must never write there.
        os.dup2(null, 0)
        os.dup2(2 if request.get("debug") else null, 1)
        if not request.get("debug"):
            os.dup2(null, 2)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize(["-f", request["connection_file"], "--HistoryManager.hist_file=:memory:"])
        app.start()
    finally:
        os._exit(0)


def _reap(children: set[int]) -> None:  # pragma: no cover - in the box
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        children.discard(pid)


def _wait_for(pid: int) -> None:  # pragma: no cover - in the box
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _kill_everything_else() -> None:  # pragma: no cover - in the box
    try:
        os.kill(-1, signal.SIGKILL)  # as PID 1 of the namespace: everyone but us
    except ProcessLookupError:
        pass
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def _empty(folder: str) -> None:  # pragma: no cover - in the box
    for entry in Path(folder).iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


# ---------------------------------------------------------------- in the worker
def modules_imported_by(notebook) -> list[str]:
    """Top-level modules the notebook's code cells import (cells that do not parse as
    Python, such as magics, are skipped), in order of first appearance."""
    import ast

    found: dict[str, None] = {}
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], None)
    return list(found)


class ForkServer:
    """The worker's handle on its fork server."""

    def __init__(self, command: list[str], preexec_fn, env: dict[str, str]):
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=None if os.environ.get("INSIDEOUT_GRADING_DEBUG") else subprocess.DEVNULL,
            text=True, bufsize=1, preexec_fn=preexec_fn, env=env, cwd="/", start_new_session=True)
        self.lock = threading.Lock()

    def request(self, **request) -> dict:
        with self.lock:
            if self.process.poll() is not None:
                raise RuntimeError("The kernel fork server has stopped.")
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("The kernel fork server has stopped.")
        return json.loads(line)

    def close(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            stream.close()


class ForkedKernel:
    """Looks enough like ``subprocess.Popen`` for jupyter_client's LocalProvisioner."""

    stdin = stdout = stderr = None

    def __init__(self, server: ForkServer, pid: int):
        self.server = server
        self.pid = pid
        self.returncode = None

    def poll(self):
        if self.returncode is None:
            try:
                alive = self.server.request(op="alive", pid=self.pid)["alive"]
            except RuntimeError:
                alive = False
            if not alive:
                self.returncode = -signal.SIGKILL
        return self.returncode

    def wait(self, timeout=None):
        return self.poll()

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            self.server.request(op="signal", pid=self.pid, signal=int(signum))

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


if __name__ == "__main__":
    serve(sys.argv[1:])
