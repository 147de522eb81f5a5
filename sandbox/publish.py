"""Build the static site: the course (mkdocs) plus the workbook (Jupyter Book).

The site is built into a temporary folder beside the destination and moved into
place only when every part succeeded, so a failed build never leaves a half-built
site (and never destroys the previous one).
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from sandbox.errors import InsideOutError
from sandbox.paths import project_root


class SiteBuildError(InsideOutError):
    """The site could not be built; the message says why in one line."""


@dataclass(frozen=True)
class SiteBuildResult:
    out: Path
    pages: int
    workbook_pages: int
    seconds: float


class _FirstProblem(logging.Handler):
    """Remembers the first warning or error mkdocs logs, to explain a strict failure."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.message: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.message is None:
            self.message = record.getMessage().strip().splitlines()[0]


def check_destination(out: Path) -> None:
    """Failure cases: ``out`` is a file; its parent is missing or not writable."""
    if out.exists() and not out.is_dir():
        raise SiteBuildError(f"{out} is a file, not a folder; choose another --out")
    parent = out.parent if out.parent != Path("") else Path(".")
    if not parent.exists():
        raise SiteBuildError(f"the folder {parent} does not exist; create it first")
    if not os.access(parent, os.W_OK | os.X_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise SiteBuildError(f"no permission to write {out}; choose another --out")


def build_course(site_dir: Path, root: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    # Material prints a banner about its successor on every build; our users cannot act on it.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    problems = _FirstProblem()
    mkdocs_logger = logging.getLogger("mkdocs")
    mkdocs_logger.addHandler(problems)
    previous_level = mkdocs_logger.level
    if previous_level == logging.NOTSET or previous_level < logging.WARNING:
        mkdocs_logger.setLevel(logging.WARNING)
    try:
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
        build(config)
    except MkDocsException as error:
        detail = problems.message or str(error).strip()
        raise SiteBuildError(f"the course did not build: {detail}") from None
    finally:
        mkdocs_logger.removeHandler(problems)
        mkdocs_logger.setLevel(previous_level)


def build_workbook(dest: Path) -> None:
    try:
        from exercises.workbook import build_workbook as build
    except ModuleNotFoundError as error:
        if error.name == "exercises.workbook":
            return  # no workbook in this checkout: the course alone is still useful
        raise
    from exercises.errors import ExercisesError

    try:
        build(dest)
    except ExercisesError as error:
        raise SiteBuildError(f"the workbook did not build: {error}") from None


def build_site(out: Path, with_workbook: bool = True) -> SiteBuildResult:
    """Build course and workbook into ``out``, atomically.

    Failure cases: ``SiteBuildError`` for a bad destination, a course page that
    breaks the lesson schema or any strict-mode warning, or a workbook failure.
    """
    started = time.perf_counter()
    out = Path(out)
    check_destination(out)
    root = project_root()
    if not (root / "mkdocs.yml").is_file():
        raise SiteBuildError(f"no mkdocs.yml in {root}; run this from the Inside-Out folder")
    parent = out.parent if str(out.parent) else Path(".")
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=parent))
    except OSError as error:
        raise SiteBuildError(f"cannot write into {parent} ({error.strerror}); choose another --out") from None
    try:
        build_course(staging, root)
        if with_workbook:
            build_workbook(staging / "workbook")
        pages = sum(1 for _ in staging.rglob("*.html"))
        workbook_pages = sum(1 for _ in (staging / "workbook").rglob("*.html")) if (staging / "workbook").exists() else 0
        _swap_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return SiteBuildResult(out, pages, workbook_pages, time.perf_counter() - started)


def _swap_into_place(staging: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
    staging.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
