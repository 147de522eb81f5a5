"""Keep each learner's kernel in a box: no network, a private folder, hard limits.

On Linux the kernel runs inside ``bwrap`` (Debian's ``bubblewrap``): new network, PID,
IPC and user namespaces, a read-only view of the system, an empty ``/tmp``, the
course's and other learners' files hidden, and only its own private folder writable.
Everywhere, resource limits (address space, CPU time, processes, file size) are set
before the kernel starts, and when we run as root the kernel drops to an unprivileged
user id so that the process limit really applies. Where namespaces are missing the
limits still apply and :attr:`Isolation.not_enforced` says plainly what is not.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

try:  # not on Windows
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None

# Unprivileged user ids for kernels when we run as root: one per worker, so that one
# kernel's processes never count against another's limit.
KERNEL_UID_BASE = 61_000


@dataclass(frozen=True)
class Limits:
    memory_bytes: int
    cpu_seconds: int
    max_processes: int
    max_file_bytes: int


@dataclass(frozen=True)
class Isolation:
    """How kernels are boxed in on this machine."""

    bwrap: str | None  # path of bwrap when namespaces work, else None
    kernel_uid: int | None  # user id kernels run as (only when we are root)

    @property
    def not_enforced(self) -> str | None:
        """One plain sentence about what is not enforced, or None when all is."""
        if self.bwrap and (self.kernel_uid is not None or not _is_root()):
            return None
        if self.bwrap:
            return ("The limit on the number of processes is NOT enforced: kernels run as root because "
                    "no unprivileged user can start Python here; other limits and isolation apply.")
        return ("Network and file-system isolation are NOT enforced on this machine "
                "(bubblewrap is not available); time, memory, process and file-size limits still apply.")

    def command(self, kernel_cmd: list[str], private_dir: Path, hidden: list[Path], as_pid_1: bool = False) -> list[str]:
        """``kernel_cmd`` wrapped so that it runs inside the box.

        ``as_pid_1`` makes it the init process of its PID namespace (the fork server).
        """
        if not self.bwrap:
            return list(kernel_cmd)
        private = str(private_dir)
        wrapped = [self.bwrap]
        if self.kernel_uid is None:
            # Unprivileged: a user namespace is what lets bwrap make the others.
            wrapped.append("--unshare-user")
        wrapped += [
            "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
            "--die-with-parent", "--new-session",
            *(["--as-pid-1"] if as_pid_1 else []),
            "--ro-bind", "/", "/",
            "--dev", "/dev",
            "--proc", "/proc",
            "--perms", "1777", "--tmpfs", "/tmp",
        ]
        emptied = [Path("/tmp")]
        for path in hidden:
            # Hide the course's hidden tests, other learners' work and the results.
            if path.exists() and path != Path("/tmp"):
                wrapped += ["--tmpfs", str(path)]
                emptied.append(path)
        code = _code_paths()
        if self.kernel_uid is not None:
            # Python may live behind a folder the kernel's user may not pass (a private
            # home folder such as /root/.pyenv, a private temporary folder): that folder
            # is emptied in the box, and the code in it comes back below.
            for closed in _closed_folders(code):
                if not any(closed.is_relative_to(e) for e in emptied):
                    wrapped += ["--tmpfs", str(closed)]
                    emptied.append(closed)
        for path in code:
            if any(path.is_relative_to(e) for e in emptied):
                # Listable: Python lists a folder to import from it, and these hold
                # nothing but the code put back.
                wrapped += _parents_inside(path, emptied, "0755")
                wrapped += ["--ro-bind", str(path), str(path)]
        # Passable, not listable: the names of the other learners' folders stay unknown.
        wrapped += _parents_inside(private_dir, emptied, "0711")
        wrapped += ["--bind", private, private, "--chdir", private, "--setenv", "HOME", private, "--"]
        if self.kernel_uid is not None:
            # Root is never held to the process limit, so the kernel becomes a plain user.
            uid = str(self.kernel_uid)
            wrapped += [self.setpriv or "setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", "--"]
        return wrapped + list(kernel_cmd)

    @property
    def setpriv(self) -> str | None:
        return shutil.which("setpriv")


def _code_paths() -> list[Path]:
    """What the box must run, wherever the kit lives: the interpreter, the virtual
    environment and the grading package (the course's notebooks, hidden tests and
    data are not among them). Outermost folders only: nothing inside another."""
    package = Path(__file__).resolve().parent.parent  # the ``exercises`` package
    needed = {Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), Path(os.path.realpath(sys.executable)).parent,
              package / "__init__.py", package / "errors.py", package / "grading"}
    needed = {path for path in needed if path.exists()}
    return sorted(path for path in needed if not any(path != other and path.is_relative_to(other) for other in needed))


def _closed_folders(paths: list[Path]) -> list[Path]:
    """For each path, the outermost folder above it that other users may not pass."""
    closed = {next((p for p in reversed(path.parents) if p != Path("/") and not p.stat().st_mode & 0o001), None)
              for path in paths}
    return sorted(folder for folder in closed if folder is not None)


def _parents_inside(path: Path, emptied: list[Path], mode: str) -> list[str]:
    """bwrap arguments that make the folders leading to ``path`` inside an emptied folder
    with ``mode``: bwrap itself would make them 0700, closed to the kernel's user."""
    arguments: list[str] = []
    for parent in reversed(path.parents):
        if any(parent.is_relative_to(e) and parent != e for e in emptied):
            arguments += ["--perms", mode, "--dir", str(parent)]
    return arguments


def detect_isolation(choice: str = "auto", worker_index: int = 0) -> Isolation:
    """Find out whether ``bwrap`` works here (it needs user namespaces).

    ``choice`` is ``"auto"`` (use it when it works), ``"bwrap"`` (insist; fails with
    RuntimeError when it does not work) or ``"none"`` (limits only). As root, kernels
    run as an unprivileged user when that user can start Python (it cannot when
    Python lives in a private home folder); otherwise they keep root's id inside a
    user namespace, where the process limit applies too.
    """
    root = _is_root()
    candidates = [KERNEL_UID_BASE + worker_index, None] if root else [None]
    bwrap = shutil.which("bwrap") if choice != "none" and sys.platform.startswith("linux") else None
    for uid in candidates:
        if uid is not None and not shutil.which("setpriv"):
            continue
        if bwrap and _probe(Isolation(bwrap=bwrap, kernel_uid=uid)):
            return Isolation(bwrap=bwrap, kernel_uid=uid)
    if choice == "bwrap":
        raise RuntimeError("bubblewrap (bwrap) is not installed or user namespaces are disabled.")
    for uid in candidates:
        if _probe(Isolation(bwrap=None, kernel_uid=uid)):
            return Isolation(bwrap=None, kernel_uid=uid)
    return Isolation(bwrap=None, kernel_uid=None)


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _probe(isolation: Isolation) -> bool:
    """Can a kernel's Python start in this box, and find its own environment there?"""
    check = f"import sys; raise SystemExit(sys.prefix != {sys.prefix!r})"
    probe = isolation.command([sys.executable, "-c", check], Path("/tmp"), [])
    drop = None
    if isolation.kernel_uid is not None and not isolation.bwrap:
        drop = _drop_privileges(isolation.kernel_uid)
    try:
        result = subprocess.run(probe, capture_output=True, timeout=30, preexec_fn=drop, cwd="/")
    except (OSError, subprocess.SubprocessError):
        return False
    return result.returncode == 0


def _drop_privileges(uid: int):
    def drop() -> None:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
    return drop


def prepare_launch(isolation: Isolation, limits: Limits):
    """A ``preexec_fn`` for the kernel: set the limits, then drop root if we have it.

    Runs in the child between fork and exec, so it only calls async-signal-safe-ish
    system calls and touches no locks.
    """
    uid = isolation.kernel_uid

    def before_exec() -> None:
        if resource is not None:
            resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
            resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 5))
            resource.setrlimit(resource.RLIMIT_FSIZE, (limits.max_file_bytes, limits.max_file_bytes))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            if hasattr(resource, "RLIMIT_NPROC"):
                resource.setrlimit(resource.RLIMIT_NPROC, (limits.max_processes, limits.max_processes))
        if uid is not None and not isolation.bwrap:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)

    return before_exec


def count_user_tasks(uid: int) -> int:
    """How many processes and threads ``uid`` has now (RLIMIT_NPROC counts them all)."""
    count = 0
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else ():
        if not entry.name.isdigit():
            continue
        try:
            if entry.stat().st_uid == uid:
                count += sum(1 for _ in (entry / "task").iterdir())
        except OSError:
            continue
    return count


def hand_over(path: Path, isolation: Isolation) -> None:
    """Let the kernel's user own its private folder (only matters when we are root)."""
    if isolation.kernel_uid is None:
        return
    uid = isolation.kernel_uid
    os.chown(path, uid, uid)
    for parent, dirs, files in os.walk(path):
        for name in dirs + files:
            os.chown(os.path.join(parent, name), uid, uid, follow_symlinks=False)
