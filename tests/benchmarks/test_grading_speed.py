"""Speed of ``insideout grade`` against plain serial ``nbgrader autograde``.

Grades the same 40 correct submissions both ways in one run, prints both times, the
ratio and the per-notebook overhead of each against a bare ``jupyter nbconvert
--execute`` of the same notebooks. It asserts correctness, not time: timings depend on
the machine and its load, and the numbers are for people to read (``make bench``).
"""
from __future__ import annotations

import csv
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.exercises.grading.crafting import ASSIGNMENT, FIXTURE_COURSE, answered, write

pytestmark = pytest.mark.slow
LEARNERS = 40
WORKERS = 2
BIN = Path(sys.executable).parent
CPU_USED: dict[str, float] = {}


def timed(command: list[str], cwd: Path) -> float:
    """Wall-clock seconds; CPU seconds of the command and everything it ran go to CPU_USED."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=1800,
                            env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"})
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU_USED[command[1] if "sandbox.cli" not in command else "insideout"] = (
        after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    assert result.returncode == 0, f"{command[:3]} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return elapsed


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bench-course")
    shutil.copytree(FIXTURE_COURSE, root, dirs_exist_ok=True)
    notebook = answered()
    for index in range(LEARNERS):
        folder = root / "submitted" / f"learner{index:02d}" / ASSIGNMENT
        folder.mkdir(parents=True)
        write(notebook, folder / f"{ASSIGNMENT}.ipynb")
    timed([str(BIN / "nbgrader"), "generate_assignment", ASSIGNMENT, "--force"], root)
    return root


def test_grading_speed_against_serial_nbgrader(course, tmp_path, project_root):
    notebooks = sorted((course / "submitted").glob(f"*/{ASSIGNMENT}/*.ipynb"))
    bare_dir = tmp_path / "bare"
    bare = timed([str(BIN / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
                  "--output-dir", str(bare_dir), *map(str, notebooks)], course)

    serial = timed([str(BIN / "nbgrader"), "autograde", ASSIGNMENT, "--create", "--force"], course)

    out = tmp_path / "ours"
    ours = timed([sys.executable, "-m", "sandbox.cli", "grade", ASSIGNMENT, "--submissions",
                  str(course / "submitted"), "--course", str(course), "--out", str(out),
                  "--workers", str(WORKERS)], project_root)

    per_bare = bare / LEARNERS
    per_serial = serial / LEARNERS
    per_ours_worker = ours * WORKERS / LEARNERS  # worker-seconds each notebook costs us
    print(
        f"\n{LEARNERS} notebooks of {ASSIGNMENT}:"
        f"\n  serial nbgrader autograde:         {serial:6.1f} s ({per_serial:.2f} s per notebook)"
        f"\n  insideout grade --workers {WORKERS} (box): {ours:6.1f} s"
        f"\n  speed-up:                          {serial / ours:6.2f}x (target 3x)"
        f"\n  bare jupyter nbconvert --execute:  {bare:6.1f} s ({per_bare:.2f} s per notebook)"
        f"\n  overhead per notebook vs bare:     nbgrader {per_serial - per_bare:+.2f} s, "
        f"ours {per_ours_worker - per_bare:+.2f} worker-s ({ours / LEARNERS - per_bare:+.2f} s wall)"
        f"\n  CPU per notebook (all processes):  nbgrader {CPU_USED['autograde'] / LEARNERS:.2f} s, "
        f"ours {CPU_USED['insideout'] / LEARNERS:.2f} s, bare nbconvert {CPU_USED['nbconvert'] / LEARNERS:.2f} s"
        f"\n  machine load (1-minute average):   {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )

    # Correct both ways: nbgrader's gradebook and our grades.csv agree on every learner.
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        theirs = {s.student.id: s.score for s in gradebook.find_assignment(ASSIGNMENT).submissions}
    with (out / "grades.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == LEARNERS
    assert {r["learner"]: float(r["score"]) for r in rows} == theirs
    assert {(r["score"], r["max_score"], r["status"]) for r in rows} == {("5", "6", "graded")}
