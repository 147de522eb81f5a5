"""Speed of ``insideout grade`` on nbgrader's own example course, against serial
``nbgrader autograde``: 40 learners, both notebooks of ps1 each, the same per-cell
timeout for both. Prints both times and the ratio (target: 3x); asserts that both
graders agree on every learner, not a time (timings depend on the machine and its load).
"""
from __future__ import annotations

import csv
import os
import subprocess
import sys
import time

import pytest

from tests.exercises.grading import quickstart

# Serial nbgrader over 80 notebooks took 350 s of the test's 614 s at a load average of 15.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(3600)]
LEARNERS = 40
WORKERS = 2


def timed(command: list[str], cwd) -> float:
    env = {**os.environ, "PATH": f"{quickstart.BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=3600, env=env)
    elapsed = time.perf_counter() - started
    assert result.returncode == 0, f"{command[:3]} failed:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return elapsed


def test_quickstart_course_against_serial_nbgrader(tmp_path, project_root):
    root = quickstart.make_course(tmp_path)
    answers = {name: quickstart.answered(root, name) for name in quickstart.NOTEBOOKS}
    quickstart.write_submissions(root, {f"learner{index:02d}": answers for index in range(LEARNERS)})

    serial = timed([str(quickstart.BIN / "nbgrader"), "autograde", quickstart.ASSIGNMENT, "--force"], root)
    out = tmp_path / "ours"
    ours = timed([sys.executable, "-m", "sandbox.cli", "grade", quickstart.ASSIGNMENT, "--course", str(root),
                  "--submissions", str(root / "submitted"), "--out", str(out), "--workers", str(WORKERS)],
                 project_root)
    print(
        f"\n{LEARNERS} learners x {len(quickstart.NOTEBOOKS)} notebooks of nbgrader quickstart's {quickstart.ASSIGNMENT}"
        f" (Execute.timeout = {quickstart.CELL_TIMEOUT} s for both):"
        f"\n  serial nbgrader autograde:       {serial:6.1f} s ({serial / LEARNERS:.2f} s per learner)"
        f"\n  insideout grade --workers {WORKERS}:     {ours:6.1f} s ({ours / LEARNERS:.2f} s per learner)"
        f"\n  speed-up:                        {serial / ours:6.2f}x (target 3x)"
        f"\n  machine load (1-minute average): {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    theirs = quickstart.nbgrader_scores(root)
    with (out / "grades.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == LEARNERS
    assert {r["learner"]: (float(r["score"]), float(r["max_score"])) for r in rows} == {
        learner: (score["total"], score["max"]) for learner, score in theirs.items()}
    assert {r["notebooks"] for r in rows} == {"problem1 3/10; problem2 0/3"}
