"""Every knob of a grading run, in one frozen dataclass."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


@dataclass(frozen=True)
class GradingSettings:
    """What to grade, where, and within which limits.

    ``timeout`` is the wall-clock limit for a whole notebook, in seconds: each cell
    gets what is left of it, and the kernel is killed when it runs out.
    """

    assignment: str
    submissions: Path
    course_root: Path
    out_dir: Path
    workers: int = 2
    timeout: float = 60.0
    memory_limit: int = 2048 * MB  # address space of the kernel process
    cpu_seconds: int | None = None  # CPU time; defaults to the wall-clock limit + grace
    max_processes: int = 64  # processes and threads the kernel's user may have (a kernel uses ~10)
    max_file_size: int = 50 * MB  # largest file the kernel may write
    max_output_bytes: int = 100 * 1024  # output kept per cell in the graded notebook
    force: bool = False
    isolation: str = "auto"  # "auto", "bwrap" or "none"
    fork_kernels: bool = True  # fork kernels from a warm fork server (only inside bwrap)

    @property
    def cpu_limit(self) -> int:
        return self.cpu_seconds or int(self.timeout) + 10
