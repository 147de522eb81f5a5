"""Which settings a grading run uses, and where each comes from (``insideout grade --explain``).

Each value is read the way nbgrader reads it: an nbgrader step is built from the
course config and its trait asked, so a course's own ``nbgrader_config.py``, the
sections of parent classes (``ExecutePreprocessor``, ``NotebookClient``) and nbgrader's
defaults all count exactly as they do for ``nbgrader autograde``.
"""
from __future__ import annotations

from dataclasses import dataclass

from .settings import KIT_SECTION, GradingSettings, kit_setting


@dataclass(frozen=True)
class SettingUsed:
    name: str  # what it is, in plain words
    value: str
    source: str  # "course config (Execute.timeout)", "nbgrader's default", "this run (--timeout)", ...


def _where(config, section: str, name: str, parents: tuple[str, ...] = ()) -> str:
    for owner in (section, *parents):
        if owner in config and name in config[owner]:
            return f"course config ({owner}.{name})"
    return f"nbgrader's default ({section}.{name})"


def settings_used(settings: GradingSettings, config, kernel_name: str, notebooks: tuple[str, ...],
                  from_command_line: frozenset[str] = frozenset()) -> list[SettingUsed]:
    """What ``settings`` (already filled by ``with_course_defaults``) and ``config``
    mean for this run, one line each."""
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import Execute, OverwriteCells

    execute = Execute(config=config)
    overwrite = OverwriteCells(config=config)
    coursedir = CourseDirectory(config=config)
    execute_parents = ("ExecutePreprocessor", "NotebookClient")
    cell_timeout = "no limit" if execute.timeout is None or execute.timeout <= 0 else f"{execute.timeout:g} s"
    excluded = dict(config.Autograde.get("exclude_overwriting", {}) if "Autograde" in config else {})
    kept = excluded.get(settings.assignment, [])
    header = config.IncludeHeaderFooter.get("header") if "IncludeHeaderFooter" in config else None

    def kit(name: str, option: str, value: str) -> SettingUsed:
        _, source = kit_setting(config, name)
        if name in from_command_line:
            source = f"this run ({option})"
        elif source == "course config":
            source = f"course config ({KIT_SECTION}.{name})"
        else:
            source = f"kit default (change it with c.{KIT_SECTION}.{name})"
        return SettingUsed(labels[name], value, source)

    labels = {
        "notebook_timeout": "time limit for a whole notebook (the kit's, on top of nbgrader's per-cell one)",
        "isolation": "isolation of each kernel (the kit's)",
        "memory_limit_mb": "memory each kernel may use (the kit's)",
    }
    return [
        SettingUsed("notebooks graded together for each learner", ", ".join(f"{n}.ipynb" for n in notebooks),
                    f"the course's source/{settings.assignment}/ folder"),
        SettingUsed("time limit for one cell", cell_timeout, _where(config, "Execute", "timeout", execute_parents)),
        SettingUsed("a cell that runs out of time",
                    "is interrupted, and the notebook goes on" if execute.interrupt_on_timeout
                    else "stops the notebook; cells after it score 0",
                    _where(config, "Execute", "interrupt_on_timeout", execute_parents)),
        SettingUsed("test cells a learner deleted",
                    "are put back from the source and run" if overwrite.add_missing_cells else "score 0",
                    _where(config, "OverwriteCells", "add_missing_cells")),
        SettingUsed("kernel", kernel_name,
                    _where(config, "Execute", "kernel_name", execute_parents) if execute.kernel_name
                    else "the source notebook's kernelspec"),
        SettingUsed("course files put next to each learner's notebooks",
                    "every file of the assignment's source folder except notebooks and "
                    + ", ".join(coursedir.ignore)
                    + (f"; the learner's own copy is kept of: {', '.join(kept)}" if kept else ""),
                    _where(config, "CourseDirectory", "ignore")
                    + (", course config (Autograde.exclude_overwriting)" if kept else "")),
        SettingUsed("header notebook", header or "none", _where(config, "IncludeHeaderFooter", "header")),
        kit("notebook_timeout", "--timeout", f"{settings.timeout:g} s"),
        kit("isolation", "--isolation", _isolation_here(str(settings.isolation))),
        kit("memory_limit_mb", "--memory", f"{(settings.memory_limit or 0) // 2**20} MB"),
    ]


def _isolation_here(choice: str) -> str:
    """The choice and what it gives on this machine."""
    from .isolation import detect_isolation

    try:
        isolation = detect_isolation(choice)
    except RuntimeError as error:
        return f"{choice}: {error}"
    found = "bubblewrap namespaces (no network, a private folder)" if isolation.bwrap else "limits only"
    note = f" {isolation.not_enforced}" if isolation.not_enforced else ""
    return f"{choice}, on this machine: {found}.{note}"


def explain_grading(settings: GradingSettings, from_command_line: frozenset[str] = frozenset()) -> list[SettingUsed]:
    """The settings a run of ``settings`` would use, without grading anything.

    Fails with :class:`~exercises.grading.course.CourseError` when the assignment does
    not exist or the course config cannot be read, and with
    :class:`~exercises.grading.settings.SettingsError` when a kit setting in it is unusable.
    """
    import nbformat

    from .course import find_source, load_config
    from .settings import with_course_defaults
    from .worker import kernel_for

    source_dir, notebook_ids = find_source(settings.course_root, settings.assignment)
    config = load_config(settings.course_root)
    settings = with_course_defaults(settings, config)
    source = nbformat.read(source_dir / f"{notebook_ids[0]}.ipynb", as_version=4)
    return settings_used(settings, config, kernel_for(config, source), notebook_ids, from_command_line)
