"""Grading works wherever the kit is installed, not only where the developers keep it.

The box empties /tmp and hides the course, and its kernel may run as a user who cannot
pass a private folder: a kit cloned under /tmp, a virtual environment in a private
temporary folder, or a path with spaces must still give every kernel its Python.
This test grades a real submission with the kit's code copied under /tmp and its
virtual environment under /var/tmp, each inside a private (0700) folder whose name
has a space, the way a trainer's `git clone` and `make install` there would.
"""
from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from exercises.grading.isolation import detect_isolation
from tests.exercises.grading.crafting import ASSIGNMENT, FIXTURE_COURSE, answered, write

pytestmark = pytest.mark.slow


def private_folder(parent: str) -> Path:
    """A new 0700 folder (as ``mktemp -d`` makes) under ``parent``, with a space inside."""
    folder = Path(tempfile.mkdtemp(prefix="insideout kit ", dir=parent))
    assert folder.stat().st_mode & 0o777 == 0o700
    return folder


def linked_venv(into: Path, kit: Path, project_root: Path) -> Path:
    """The running virtual environment, hard-linked under ``into`` (seconds, no copy of
    its gigabyte), with its own pyvenv.cfg and its editable install pointing at ``kit``:
    as if the kit had been cloned to ``kit`` and installed there."""
    (into / "my clone").mkdir()
    venv = into / "my clone" / ".venv"
    result = subprocess.run(["cp", "-al", sys.prefix, str(venv)], capture_output=True, text=True)
    if result.returncode != 0:
        shutil.rmtree(venv, ignore_errors=True)
        pytest.skip(f"the temporary folder is on another disk than the virtual environment, and a full "
                    f"copy of it is too slow for the suite: {result.stderr.strip()}")
    site_packages = next(venv.glob("lib/python*/site-packages"))
    finders = list(site_packages.glob("__editable__*finder.py"))
    assert finders, "the kit is not installed in editable mode (make install does that)"
    for path, old, new in [(venv / "pyvenv.cfg", sys.prefix, str(venv)),
                           *[(finder, str(project_root), str(kit)) for finder in finders]]:
        text = path.read_text(encoding="utf-8")
        path.unlink()  # a hard link: never write through it into the real environment
        path.write_text(text.replace(old, new), encoding="utf-8")
    for compiled in site_packages.glob("__pycache__/__editable__*"):
        compiled.unlink()
    return venv


@pytest.mark.skipif(sys.prefix == sys.base_prefix, reason="runs only from a virtual environment (make test makes one)")
@pytest.mark.skipif(not (os.path.isdir("/tmp") and os.path.isdir("/var/tmp")), reason="needs /tmp and /var/tmp")
def test_grading_with_the_kit_under_tmp_and_its_venv_under_var_tmp(project_root):
    kit_home, venv_home = private_folder("/tmp"), private_folder("/var/tmp")
    try:
        kit = kit_home / "inside out"
        kit.mkdir()
        for package in ("exercises", "sandbox"):
            shutil.copytree(project_root / package, kit / package,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        course = kit_home / "course"
        shutil.copytree(FIXTURE_COURSE, course)
        venv = linked_venv(venv_home, kit, project_root)
        submissions = kit_home / "hand-ins"
        submissions.mkdir()
        write(answered(), submissions / "ann.ipynb")
        write(answered({"q1-answer": "answer_q1 = 'A'"}), submissions / "bob.ipynb")
        # Right only when the kernel was forked by the box's fork server (PID 1), which
        # needs the grading package in the box: without it every kernel starts slowly.
        write(answered({"q1-answer": "answer_q1 = 'B' if b'forkserver' in open('/proc/1/cmdline', 'rb').read() else 'A'"}),
              submissions / "cat.ipynb")
        out = kit_home / "grades"
        env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
        result = subprocess.run(
            [str(venv / "bin" / "python"), "-c",
             "import exercises, sys; from sandbox.cli import main;"
             f" assert exercises.__file__.startswith({str(kit)!r}), exercises.__file__; sys.exit(main())",
             "grade", ASSIGNMENT, "--course", str(course), "--submissions", str(submissions),
             "--out", str(out), "--workers", "2", "--timeout", "60"],
            capture_output=True, text=True, timeout=600, cwd=kit_home, env=env)
        assert result.returncode == 0, result.stdout + result.stderr
        with (out / "grades.csv").open(newline="", encoding="utf-8") as handle:
            scores = {row["learner"]: (row["score"], row["status"]) for row in csv.DictReader(handle)}
        expected = {"ann": ("5", "graded"), "bob": ("3", "graded"), "cat": ("5", "graded")}
        if not shutil.which("bwrap") or detect_isolation("auto").bwrap is None:
            expected["cat"] = ("3", "graded")  # no box, no fork server
        assert scores == expected, result.stdout
        # The box is as strong there as here (no falling back to weaker isolation).
        if detect_isolation("auto").not_enforced is None:
            assert "NOT enforced" not in result.stdout + result.stderr, result.stdout
    finally:
        shutil.rmtree(kit_home, ignore_errors=True)
        shutil.rmtree(venv_home, ignore_errors=True)
