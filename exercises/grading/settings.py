"""Every knob of a grading run, in one frozen dataclass.

Most of what decides a grade is the course's own ``nbgrader_config.py``, read as
nbgrader reads it: the per-cell timeout and ``interrupt_on_timeout`` (``Execute``),
whether deleted test cells are put back (``OverwriteCells.add_missing_cells``), the
kernel (``Execute.kernel_name``, else the source notebook's), which course files are
copied next to a learner's notebooks (``CourseDirectory.ignore``,
``Autograde.exclude_overwriting``) and the header and footer notebooks.

The kit adds two things nbgrader does not have, on purpose; both are defaults a course
changes in the same file (``c.InsideOutGrade.<name> = ...``), and the command's options
change them for one run:

* ``notebook_timeout`` (default 60 s): a wall clock for a whole notebook, on top of the
  per-cell timeout, so one stuck learner cannot hold up a class;
* ``isolation`` (default ``"auto"``: bubblewrap where it works) and ``memory_limit_mb``
  (default 2048): each kernel runs locked down, without network.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from exercises.errors import ExercisesError

MB = 1024 * 1024
KIT_SECTION = "InsideOutGrade"  # the kit's own section of nbgrader_config.py
KIT_DEFAULTS = {"notebook_timeout": 60.0, "isolation": "auto", "memory_limit_mb": 2048}
ISOLATION_CHOICES = ("auto", "bwrap", "none")


@dataclass(frozen=True)
class GradingSettings:
    """What to grade, where, and within which limits.

    ``timeout`` is the wall-clock limit for a whole notebook, in seconds: each cell
    gets the course's per-cell timeout or what is left of the notebook's, whichever is
    less, and the kernel is killed when the notebook's runs out. ``None`` (and
    ``isolation`` or ``memory_limit`` ``None``) means: as the course config says, else
    the kit's default (see :func:`with_course_defaults`).
    """

    assignment: str
    submissions: Path
    course_root: Path
    out_dir: Path
    workers: int = 2
    timeout: float | None = None
    memory_limit: int | None = None  # address space of the kernel process, bytes
    cpu_seconds: int | None = None  # CPU time; defaults to the wall-clock limit + grace
    max_processes: int = 64  # processes and threads the kernel's user may have (a kernel uses ~10)
    max_file_size: int = 50 * MB  # largest file the kernel may write
    max_output_bytes: int = 100 * 1024  # output kept per cell in the graded notebook
    force: bool = False
    isolation: str | None = None  # "auto", "bwrap" or "none"
    fork_kernels: bool = True  # fork kernels from a warm fork server (only inside bwrap)

    @property
    def cpu_limit(self) -> int:
        return self.cpu_seconds or int(self.timeout or KIT_DEFAULTS["notebook_timeout"]) + 10


class SettingsError(ExercisesError):
    """A value in the course config's InsideOutGrade section cannot be used."""


def kit_setting(config, name: str):
    """``(value, "course config")`` when the course sets ``InsideOutGrade.name``, else
    ``(the kit's default, "kit default")``."""
    if config is not None and KIT_SECTION in config and name in config[KIT_SECTION]:
        return config[KIT_SECTION][name], "course config"
    return KIT_DEFAULTS[name], "kit default"


def with_course_defaults(settings: GradingSettings, config) -> GradingSettings:
    """``settings`` with every ``None`` knob filled from the course config or the kit's
    defaults. Fails with :class:`SettingsError` naming the setting when a value in
    the course config is unusable."""
    changes = {}
    if settings.timeout is None:
        value, _ = kit_setting(config, "notebook_timeout")
        if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
            raise SettingsError(f"c.{KIT_SECTION}.notebook_timeout in nbgrader_config.py is {value!r}; "
                                "it must be a number of seconds above 0.")
        changes["timeout"] = float(value)
    if settings.isolation is None:
        value, _ = kit_setting(config, "isolation")
        if value not in ISOLATION_CHOICES:
            raise SettingsError(f"c.{KIT_SECTION}.isolation in nbgrader_config.py is {value!r}; "
                                f"it must be one of {', '.join(map(repr, ISOLATION_CHOICES))}.")
        changes["isolation"] = value
    if settings.memory_limit is None:
        value, _ = kit_setting(config, "memory_limit_mb")
        if not isinstance(value, int) or isinstance(value, bool) or value < 64:
            raise SettingsError(f"c.{KIT_SECTION}.memory_limit_mb in nbgrader_config.py is {value!r}; "
                                "it must be a whole number of megabytes, 64 or more.")
        changes["memory_limit"] = value * MB
    return replace(settings, **changes)
