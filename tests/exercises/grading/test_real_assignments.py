"""The course's own assignments through the whole pipeline, in the box.

The master notebook (solutions filled in) must earn every automatic point, and the
same notebook with its answers removed must earn none: this catches an assignment
that needs something the box does not give (a data file, the network, a package).
"""
from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests.exercises.grading.crafting import HIDDEN, SOLUTION

pytestmark = pytest.mark.slow
COURSE = Path(__file__).resolve().parents[3] / "exercises"
# One that reads the sample activity export next to it (the others hold only answers);
# each run takes about half a minute, so the suite keeps to one.
ASSIGNMENTS = ["m11-measuring-adoption"]


def blanked(master: Path):
    notebook = nbformat.read(master, as_version=4)
    for cell in notebook.cells:
        cell.source = SOLUTION.sub("", HIDDEN.sub("", cell.source))
    return notebook


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_master_earns_every_automatic_point_and_blank_earns_none(assignment, tmp_path, project_root):
    master = COURSE / "source" / assignment / f"{assignment}.ipynb"
    assert master.is_file(), f"{assignment}'s master notebook is missing"
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    (submissions / "teacher.ipynb").write_bytes(master.read_bytes())
    nbformat.write(blanked(master), submissions / "blank.ipynb")
    result = subprocess.run(
        [sys.executable, "-m", "sandbox.cli", "grade", assignment, "--submissions", str(submissions),
         "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=600, cwd=project_root)
    assert result.returncode == 0, result.stderr
    with (tmp_path / "out" / "grades.csv").open(newline="", encoding="utf-8") as handle:
        rows = {row["learner"]: row for row in csv.DictReader(handle)}

    teacher = rows["teacher"]
    waiting = re.search(r"([\d.]+) point\(s\) wait for your trainer", teacher["reason"])
    manual = float(waiting.group(1)) if waiting else 0.0
    assert teacher["status"] == "graded", teacher
    assert float(teacher["score"]) + manual == float(teacher["max_score"]), teacher

    blank = rows["blank"]
    assert blank["status"] == "graded" and float(blank["score"]) == 0, blank
